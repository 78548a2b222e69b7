"""scratch_lr_matching_mseloss measures the gradients, but passes the tensors to nn.MSELoss(...) itself, which
raises.

Source: exercises-notes.md section 7 Ex 12 (`nn.MSELoss(y_hat, y)` raises "Boolean value of Tensor with more than
one value is ambiguous"; BGMer7 wrote it so).
"""

# expect: test_scratch_lr -> module_called_with_tensors

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
    """Measured: the ratio of the two gradients on a random minibatch."""
    X, y = torch.randn(10, 2), torch.randn(10, 1)
    w = torch.zeros(2, 1, requires_grad=True)
    loss = nn.MSELoss(X @ w, y)
    loss.backward()
    mse_grad = w.grad.clone()
    w.grad.zero_()
    ((X @ w - y) ** 2 / 2).sum().backward()
    scratch_grad = w.grad / 10
    return lr_mse * float(mse_grad[0] / scratch_grad[0])
