"""sgd writes param = param - ..., which rebinds the loop variable and leaves w and b unchanged.

A Python scoping slip: the new tensor is thrown away, the caller's parameters never move (and
their gradients are cleared, so nothing looks wrong until the loss stays flat).
"""

# expect: test_one_step -> not_in_place
# expect: test_sgd_in_place -> not_in_place

import torch


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """D2L's squared loss: one 1/2 (y_hat - y)**2 per example, with y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def minibatch_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    l = squared_loss(X @ w + b, y)
    grad_w, grad_b = torch.autograd.grad(l.sum(), [w, b])
    return grad_w, grad_b


def per_example_b_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    b_per_example = b.detach().expand(len(X)).clone().requires_grad_()
    l = squared_loss(X @ w + b_per_example.reshape(-1, 1), y)
    (grads,) = torch.autograd.grad(l.sum(), b_per_example)
    return grads


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    with torch.no_grad():
        for param in params:
            step = lr * param.grad / batch_size
            param.grad.zero_()
            param = param - step


def backward_vector_loss(l: torch.Tensor) -> None:
    l.backward(torch.ones_like(l))
