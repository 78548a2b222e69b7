"""Correct, with torch.func: grad and hessian of a function of w, and grad(grad(f)) for scalars.

Unusual: functional transforms instead of torch.autograd.grad; f is evaluated twice (once per
grad level); torch.func.grad gives 0 for a constant f' without a special case; the problems are a
list.
"""

from collections.abc import Callable

import torch


def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    def loss(w_: torch.Tensor) -> torch.Tensor:
        y_hat = X @ w_ + b
        return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()

    d = w.numel()
    return torch.func.grad(loss)(w), torch.func.hessian(loss)(w).reshape(d, d)


def second_derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> tuple[torch.Tensor, torch.Tensor]:
    x_t = torch.tensor(x)
    return torch.func.grad(f)(x_t), torch.func.grad(torch.func.grad(f))(x_t)


def second_derivative_problems() -> list[str]:
    return ["graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"]
