"""scratch_lr_matching_mseloss multiplies by the book's batch size of 10, as if the scratch loop summed without sgd's
division.

Source: exercises-notes.md section 4 (the concise exercise's answer "multiply lr by B" carried over), with D2L's
batch_size = 10 hard-coded.
"""

# expect: test_scratch_lr -> batch_size_cancels

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """The learning rate with the same steps on the other reduction."""
    for reduction in (from_reduction, to_reduction):
        if reduction not in ("sum", "mean"):
            raise ValueError(f"unknown reduction {reduction!r}")
    if from_reduction == to_reduction:
        return float(lr)
    return lr * batch_size if to_reduction == "mean" else lr / batch_size


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop sums the batch and MSELoss averages it; and the 1/2."""
    return 2 * lr_mse * 10
