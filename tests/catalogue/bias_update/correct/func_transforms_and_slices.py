"""torch.func transforms for the gradients, vmap for the per-example ones, p[:] = ... inside no_grad.

minibatch_grads uses torch.func.grad over (w, b); per_example_b_grads vmaps the gradient of one
example's loss over the rows; sgd uses slice assignment inside torch.no_grad() and zeroes
the gradients outside it; backward_vector_loss passes the ones vector as the `gradient` keyword.
"""

import torch
from torch.func import grad, vmap


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """D2L's squared loss: one 1/2 (y_hat - y)**2 per example, with y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def _batch_loss(w: torch.Tensor, b: torch.Tensor, X: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return squared_loss(X @ w + b, y).sum()


def minibatch_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    grad_w, grad_b = grad(_batch_loss, argnums=(0, 1))(w, b, X, y)
    return grad_w.detach(), grad_b.detach()


def per_example_b_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    def example_loss(b_: torch.Tensor, x: torch.Tensor, y_i: torch.Tensor) -> torch.Tensor:
        return _batch_loss(w.detach(), b_, x.reshape(1, -1), y_i.reshape(1, 1))

    each = vmap(grad(example_loss), in_dims=(None, 0, 0))(b.detach(), X, y)  # (n, 1)
    return each.reshape(-1)


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    with torch.no_grad():
        for param in params:
            param[:] = param - lr * param.grad / batch_size
    for param in params:
        param.grad.zero_()


def backward_vector_loss(l: torch.Tensor) -> None:
    l.backward(gradient=torch.ones(l.shape, dtype=l.dtype))
