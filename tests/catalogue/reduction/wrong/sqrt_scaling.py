"""equivalent_lr scales the learning rate by the square root of the batch size.

Source: own (the square-root scaling rule of thumb for a bigger batch, Krizhevsky 2014, taken for the
reduction's exact factor).
"""

# expect: test_direction -> sqrt_scaling

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """The square-root rule."""
    for reduction in (from_reduction, to_reduction):
        if reduction not in ("sum", "mean"):
            raise ValueError(f"unknown reduction {reduction!r}")
    if from_reduction == to_reduction:
        return float(lr)
    root = batch_size ** 0.5
    return lr * root if to_reduction == "mean" else lr / root


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop's learning rate that matches nn.MSELoss()."""
    return 2.0 * lr_mse
