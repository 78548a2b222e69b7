"""Returns the Hessian with respect to all parameters (w and b stacked), shape (d + 1, d + 1).

Source (own addition): "the second derivatives of the loss" in D2L's question read as the Hessian in every
parameter, the way an optimiser would see it; the contract asks for w's Hessian only.
"""
# expect: test_values -> hessian_with_b

from collections.abc import Callable

import torch


def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    d = w.numel()

    def loss(params: torch.Tensor) -> torch.Tensor:
        y_hat = X @ params[:d].reshape(-1, 1) + params[d:]
        return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()

    params = torch.cat([w.detach().reshape(-1), b.detach().reshape(-1)])
    grad = torch.autograd.functional.jacobian(loss, params)[:d].reshape(w.shape)
    return grad, torch.autograd.functional.hessian(loss, params)  # mistake: includes b


def second_derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> tuple[torch.Tensor, torch.Tensor]:
    x_leaf = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    (d1,) = torch.autograd.grad(f(x_leaf), x_leaf, create_graph=True)
    if not d1.requires_grad:
        return d1, torch.zeros_like(d1)
    (d2,) = torch.autograd.grad(d1, x_leaf)
    return d1.detach(), d2


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
