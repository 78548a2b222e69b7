"""Uses F.mse_loss (mean reduction, no 1/2) for the batch loss.

From the concise implementation (nn.MSELoss); the ShusenTang port notes "pytorch里的MSELoss并没有除以 2".
The gradients are 2 / n times the book's.
"""

# expect: test_minibatch_grads -> mse_loss

import torch
from torch.nn import functional as F


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """D2L's squared loss: one 1/2 (y_hat - y)**2 per example, with y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def minibatch_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    loss = F.mse_loss(X @ w + b, y)
    grad_w, grad_b = torch.autograd.grad(loss, [w, b])
    return grad_w, grad_b


def per_example_b_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    b_per_example = b.detach().expand(len(X)).clone().requires_grad_()
    l = squared_loss(X @ w + b_per_example.reshape(-1, 1), y)
    (grads,) = torch.autograd.grad(l.sum(), b_per_example)
    return grads


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def backward_vector_loss(l: torch.Tensor) -> None:
    l.backward(torch.ones_like(l))
