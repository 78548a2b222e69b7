"""Adds the distractor "float64_only" to the real problems.

Source: the contract's distractor. A plausible belief (not seen in the sources): finite-difference
checks of second derivatives do need float64, so autograd's second derivatives must need it too.
"""
# expect: test_problems -> float64_only

from collections.abc import Callable

import torch


def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    y_hat = X @ w + b
    L = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
    (grad,) = torch.autograd.grad(L, w, create_graph=True)
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
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative",
            "float64_only"}  # mistake: float32 works
