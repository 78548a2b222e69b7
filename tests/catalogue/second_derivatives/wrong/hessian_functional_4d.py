"""Returns torch.autograd.functional.hessian of a function of w (d, 1) as it comes: shape (d, 1, d, 1).

Source: the notes' correct alternative `torch.autograd.functional.hessian`, used without the
reshape: the Hessian of a function of a (d, 1) input has one index pair per input shape.
"""
# expect: test_values -> hessian_4d

from collections.abc import Callable

import torch


def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    def loss(w_: torch.Tensor) -> torch.Tensor:
        y_hat = X @ w_ + b
        return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()

    (grad,) = torch.autograd.grad(loss(w), w)
    return grad, torch.autograd.functional.hessian(loss, w)  # mistake: shape (d, 1, d, 1)


def second_derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> tuple[torch.Tensor, torch.Tensor]:
    x_leaf = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    (d1,) = torch.autograd.grad(f(x_leaf), x_leaf, create_graph=True)
    if not d1.requires_grad:
        return d1, torch.zeros_like(d1)
    (d2,) = torch.autograd.grad(d1, x_leaf)
    return d1.detach(), d2


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
