"""equivalent_lr returns lr for equal reductions before it checks them, so "none" to "none" gets a learning rate.

Source: own (an early return placed above the validation).
"""

# expect: test_same_and_unknown -> validate_first

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """The learning rate with the same steps on the other reduction."""
    if from_reduction == to_reduction:
        return float(lr)
    for reduction in (from_reduction, to_reduction):
        if reduction not in ("sum", "mean"):
            raise ValueError(f"unknown reduction {reduction!r}")
    return lr * batch_size if to_reduction == "mean" else lr / batch_size


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop's learning rate that matches nn.MSELoss()."""
    return 2.0 * lr_mse
