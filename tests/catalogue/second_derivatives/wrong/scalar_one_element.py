"""Makes x a one-element vector, torch.tensor([x]), so both derivatives have shape (1,), not ().

Source: D2L's autograd section builds x with torch.arange(4.0); learners wrap a scalar in a list
out of habit. The values are right; the contract asks for 0-d tensors.
"""
# expect: test_scalar_values -> zero_d

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
    x_leaf = torch.tensor([x], requires_grad=True)  # mistake: shape (1,)
    (d1,) = torch.autograd.grad(f(x_leaf).sum(), x_leaf, create_graph=True)
    if not d1.requires_grad:
        return d1, torch.zeros_like(d1)
    (d2,) = torch.autograd.grad(d1.sum(), x_leaf)
    return d1.detach(), d2


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
