"""sgd builds new parameter tensors and puts them into the list instead of updating in place.

Functional-style thinking: params[i] = ... changes the list, but the training loop keeps using its
own w and b, which never move.
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
    for i, param in enumerate(params):
        params[i] = (param - lr * param.grad / batch_size).detach().requires_grad_()


def backward_vector_loss(l: torch.Tensor) -> None:
    l.backward(torch.ones_like(l))
