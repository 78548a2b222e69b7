"""equivalent_lr never checks its strings: any reduction that is not "mean" is treated as "sum".

Source: own (an if/else on one of the two values; PyTorch's own third reduction, "none", then gets a learning
rate).
"""

# expect: test_same_and_unknown -> must_raise_value_error

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """The learning rate with the same steps on the other reduction."""
    if from_reduction == to_reduction:
        return float(lr)
    if to_reduction == "mean":
        return lr * batch_size
    return lr / batch_size


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop's learning rate that matches nn.MSELoss()."""
    return 2.0 * lr_mse
