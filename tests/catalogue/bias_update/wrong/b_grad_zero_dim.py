"""Closed form with r.sum() instead of r.sum(0): b's gradient comes back 0-d, shape ().

From "b is a scalar" (ZH forum t/1778): the learner treats b as a number, but b has shape (1,)
and so must its gradient.
"""

# expect: test_minibatch_grads -> grad_shape_like_param

import torch


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """D2L's squared loss: one 1/2 (y_hat - y)**2 per example, with y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def minibatch_grads(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                    b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    with torch.no_grad():
        r = X @ w + b - y
        return X.T @ r, r.sum()  # b "is a scalar", so a 0-d gradient


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
