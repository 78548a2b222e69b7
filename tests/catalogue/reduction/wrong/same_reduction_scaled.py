"""equivalent_lr decides by from_reduction alone, so from the mean to the mean it still divides by the batch size.

Source: own ("from a sum: multiply, from a mean: divide", right only when the reductions differ).
"""

# expect: test_same_and_unknown -> same_reduction_keeps_lr

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """From a sum the learning rate grows, from a mean it shrinks."""
    for reduction in (from_reduction, to_reduction):
        if reduction not in ("sum", "mean"):
            raise ValueError(f"unknown reduction {reduction!r}")
    if from_reduction == "sum":
        return lr * batch_size
    return lr / batch_size


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop's learning rate that matches nn.MSELoss()."""
    return 2.0 * lr_mse
