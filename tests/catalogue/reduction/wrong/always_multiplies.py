"""equivalent_lr multiplies by the batch size whatever the direction.

Source: the published answer to ZH §3.3 exercise 1 ("需要将学习率乘以批量大小"), right for sum to mean, applied as
the one rule both ways.
"""

# expect: test_direction -> one_rule_both_ways

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """Changing the reduction multiplies the learning rate by the batch size."""
    for reduction in (from_reduction, to_reduction):
        if reduction not in ("sum", "mean"):
            raise ValueError(f"unknown reduction {reduction!r}")
    if from_reduction == to_reduction:
        return float(lr)
    return lr * batch_size


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop's learning rate that matches nn.MSELoss()."""
    return 2.0 * lr_mse
