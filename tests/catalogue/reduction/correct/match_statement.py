"""equivalent_lr with a match statement over the pair of reductions; an int lr is returned as it came.

Unusual: every case spelt out, the ValueError after the match.
"""


import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """The learning rate with the same steps on the other reduction."""
    match (from_reduction, to_reduction):
        case ("sum", "sum") | ("mean", "mean"):
            return lr
        case ("sum", "mean"):
            return lr * batch_size
        case ("mean", "sum"):
            return lr / batch_size
    raise ValueError(f"reductions are 'sum' or 'mean', got {from_reduction!r} and {to_reduction!r}")


def scratch_lr_matching_mseloss(lr_mse):
    """Twice the learning rate: the gradient of r**2 is 2r."""
    return lr_mse * 2
