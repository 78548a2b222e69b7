"""Differentiates the gradient of the loss without create_graph=True.

Source: the notes' first wrong answer for this exercise and pandalabme's notebook before the fix:
`torch.autograd.grad(L, w)` returns a gradient with no graph, so differentiating its components
raises "element 0 of tensors does not require grad and does not have a grad_fn".
"""
# expect: test_values -> no_create_graph

from collections.abc import Callable

import torch


def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    y_hat = X @ w + b
    L = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
    (grad,) = torch.autograd.grad(L, w)  # mistake: no create_graph=True
    flat_grad = grad.reshape(-1)
    rows = [torch.autograd.grad(flat_grad[i], w, retain_graph=True)[0].reshape(-1)
            for i in range(flat_grad.numel())]
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
