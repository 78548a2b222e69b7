"""equivalent_lr measures the two gradients with autograd and returns lr times their ratio, still a tensor.

Source: own (a learner who checks the answer numerically, as exercises-notes.md section 7 suggests, and forgets
.item()).
"""

# expect: test_direction -> python_float

import torch
from torch import nn


def equivalent_lr(lr, batch_size, from_reduction, to_reduction):
    """Measured: the ratio of the two reductions' gradients on a random minibatch."""
    for reduction in (from_reduction, to_reduction):
        if reduction not in ("sum", "mean"):
            raise ValueError(f"unknown reduction {reduction!r}")
    y_hat = torch.randn(batch_size, 1, dtype=torch.float64, requires_grad=True)
    y = torch.randn(batch_size, 1, dtype=torch.float64)
    gradients = {}
    for reduction in ("sum", "mean"):
        (gradient,) = torch.autograd.grad(nn.functional.mse_loss(y_hat, y, reduction=reduction), y_hat)
        gradients[reduction] = gradient.sum()
    return lr * gradients[from_reduction] / gradients[to_reduction]


def scratch_lr_matching_mseloss(lr_mse):
    """The scratch loop's learning rate that matches nn.MSELoss()."""
    return 2.0 * lr_mse
