"""scratch_lr_matching_mseloss halves lr_mse: the scratch loss has a 1/2, so its learning rate gets one too.

Source: own (the 1/2 carried over to the learning rate the wrong way round).
"""

# expect: test_scratch_lr -> half_inverted

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
    """The scratch loss is half the squared error, so the learning rate is halved as well."""
    return lr_mse / 2
