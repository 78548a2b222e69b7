"""What a check module needs: declare checks, build messages, assert in the learner's terms."""

from autograder.harness.expect import (
    close,
    expect_close,
    expect_items,
    expect_number,
    expect_shape,
    expect_tensor,
    kind_of,
    number_close,
    show,
    show_values,
)
from autograder.harness.feedback import CheckFailed, Feedback, Hint, fail
from autograder.harness.marks import check
from autograder.harness.student import StudentRaised
from autograder.probes.encoding import OtherObject, Raised, TensorData

__all__ = [
    "CheckFailed", "Feedback", "Hint", "OtherObject", "Raised", "StudentRaised", "TensorData", "check", "close", "expect_close",
    "expect_items", "expect_number", "expect_shape", "expect_tensor", "fail", "kind_of",
    "number_close", "show", "show_values",
]
