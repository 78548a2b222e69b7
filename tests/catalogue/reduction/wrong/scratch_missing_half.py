"""scratch_lr_matching_mseloss keeps lr_mse: both losses average over the batch, and the 1/2 is forgotten.

Source: exercises-notes.md section 7 Ex 12 ("forgetting the 1/2 (0.03 instead of 0.06)").
"""

# expect: test_scratch_lr -> missing_half
# expect: test_scratch_epoch -> missing_half

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
    """Both average over the minibatch, so the learning rate is the same."""
    return float(lr_mse)
