"""equivalent_lr divides by the batch size going from the sum to the mean, and multiplies going back.

Source: a learner's published answer to ZH §3.3 exercise 1 ("小批量损失的平均值比小批量总损失的平均值小，所以要把学习率
降小，可以除以批量的大小"), and exercises-notes.md section 4 (the concise exercise's direction confusion).
"""

# expect: test_direction -> direction_inverted
# expect: test_epoch_equivalence -> direction_inverted
# headline

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """The mean is smaller than the sum, so its learning rate is smaller too."""
    for reduction in (from_reduction, to_reduction):
        if reduction not in ("sum", "mean"):
            raise ValueError(f"unknown reduction {reduction!r}")
    if from_reduction == to_reduction:
        return float(lr)
    return lr / batch_size if to_reduction == "mean" else lr * batch_size


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop's learning rate that matches nn.MSELoss()."""
    return 2.0 * lr_mse
