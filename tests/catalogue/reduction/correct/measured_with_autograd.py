"""Both answers measured with autograd in float64 on a random minibatch, and returned as Python floats.

Unusual: nothing is worked out on paper; the ratios of real gradients give the learning rates.
"""


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
    return (lr * gradients[from_reduction] / gradients[to_reduction]).item()


def scratch_lr_matching_mseloss(lr_mse):
    """Measured: one step of each on the same minibatch, from the same w."""
    X = torch.randn(8, 2, dtype=torch.float64)
    y = torch.randn(8, 1, dtype=torch.float64)
    w = torch.zeros(2, 1, dtype=torch.float64, requires_grad=True)
    loss = nn.MSELoss()
    (mse_grad,) = torch.autograd.grad(loss(X @ w, y), w)
    (scratch_grad,) = torch.autograd.grad(((X @ w - y) ** 2 / 2).sum(), w)
    scratch_grad = scratch_grad / len(X)  # sgd divides by batch_size
    return lr_mse * (mse_grad.norm() / scratch_grad.norm()).item()
