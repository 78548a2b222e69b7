"""What a check module needs: declare checks, build messages, assert in the learner's terms.

    from course_checks.harness import ErrorHint, Hint, Student, call_text, check, expect_close, fail, generator
    from course_checks.probes import huber as probes

See `exercise` for what a check module declares, `marks` for a check's signature, `inputs` for
fresh random inputs, `calls` for saying what was called.
"""

from course_checks.harness.calls import Code, call_text, seeded_generator, shaped
from course_checks.harness.expect import (
    close,
    expect_close,
    expect_items,
    expect_number,
    expect_shape,
    expect_tensor,
    kind_of,
    number_close,
    raised_text,
    show,
    show_values,
    tensor_of_shape,
)
from course_checks.harness.feedback import CheckFailed, Feedback, Hint, fail
from course_checks.harness.inputs import derived_seed, fresh_int, generator, rng
from course_checks.harness.known_errors import ErrorHint
from course_checks.harness.marks import check
from course_checks.harness.student import Student, StudentRaised
from course_checks.probes.encoding import OtherObject, Raised, TensorData

__all__ = [
    "CheckFailed", "Code", "ErrorHint", "Feedback", "Hint", "OtherObject", "Raised", "Student", "StudentRaised",
    "TensorData", "call_text", "check", "close", "derived_seed", "expect_close", "expect_items", "expect_number",
    "expect_shape", "expect_tensor", "fail", "fresh_int", "generator", "kind_of", "number_close", "raised_text", "rng",
    "seeded_generator", "shaped", "show", "show_values", "tensor_of_shape",
]
