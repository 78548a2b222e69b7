"""equivalent_lr looks the reductions up in a dictionary, so an unknown one raises KeyError instead of ValueError.

Source: own (the neat table-driven answer, without the contract's error).
"""

# expect: test_same_and_unknown -> key_error_not_value_error

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """How big each reduction's gradient is, relative to the mean's."""
    gradient_size = {"sum": batch_size, "mean": 1}
    return lr * gradient_size[from_reduction] / gradient_size[to_reduction]


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop's learning rate that matches nn.MSELoss()."""
    return 2.0 * lr_mse
