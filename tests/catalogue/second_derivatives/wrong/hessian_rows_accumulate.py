"""Builds the Hessian rows with backward() and reads w.grad without resetting it between rows.

Source: the notes' "grad accumulates" problem, in the row-by-row Hessian loop: every row read
from w.grad is the sum of all rows so far (fixture: [[14, 20], [34, 49]] instead of
[[14, 20], [20, 29]]).
"""
# expect: test_values -> grad_accumulates

from collections.abc import Callable

import torch


def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    y_hat = X @ w + b
    L = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
    (grad,) = torch.autograd.grad(L, w, create_graph=True)
    rows = []
    for component in grad.reshape(-1):
        component.backward(retain_graph=True)  # mistake: adds into w.grad, never reset
        rows.append(w.grad.reshape(-1).clone())
    return grad.detach(), torch.stack(rows)


def second_derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> tuple[torch.Tensor, torch.Tensor]:
    x_leaf = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    (d1,) = torch.autograd.grad(f(x_leaf), x_leaf, create_graph=True)
    if not d1.requires_grad:
        return d1, torch.zeros_like(d1)
    (d2,) = torch.autograd.grad(d1, x_leaf)
    return d1.detach(), d2


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
