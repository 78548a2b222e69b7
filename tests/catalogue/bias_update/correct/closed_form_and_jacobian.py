"""Gradients in closed form, per-example gradients from a Jacobian, sgd with sub_ and grad = None, a dot-product VJP.

minibatch_grads is X^T r and r.sum(0) without autograd; per_example_b_grads is the Jacobian of the
per-example losses with respect to b, (n, 1), flattened; sgd uses p.sub_ and sets .grad to None;
backward_vector_loss writes the sum as ones^T l (a (1, 1) tensor, so backward needs no argument).
"""

import torch
from torch.autograd.functional import jacobian


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """D2L's squared loss: one 1/2 (y_hat - y)**2 per example, with y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def minibatch_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    with torch.no_grad():
        r = X @ w + b - y
        return X.T @ r, r.sum(0)


def per_example_b_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    w = w.detach()
    per_example = jacobian(lambda b_: squared_loss(X @ w + b_, y).reshape(-1), b.detach())
    return per_example.reshape(-1)


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    with torch.no_grad():
        for param in params:
            param.sub_(lr * param.grad / batch_size)
            param.grad = None


def backward_vector_loss(l: torch.Tensor) -> None:
    (torch.ones_like(l).T @ l).backward()
