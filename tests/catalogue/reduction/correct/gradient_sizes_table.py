"""equivalent_lr from a table of gradient sizes, with its own ValueError; the scratch rate as lr_mse / 0.5.

Unusual: table-driven, and the 1/2 divides instead of 2 multiplying.
"""


import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """How big each reduction's gradient is, relative to the mean's."""
    gradient_size = {"sum": batch_size, "mean": 1}
    if from_reduction not in gradient_size or to_reduction not in gradient_size:
        raise ValueError(f"a reduction is 'sum' or 'mean', not {from_reduction!r} or {to_reduction!r}")
    return lr * gradient_size[from_reduction] / gradient_size[to_reduction]


def scratch_lr_matching_mseloss(lr_mse):
    """The 1/2 halves the scratch gradient."""
    return lr_mse / 0.5
