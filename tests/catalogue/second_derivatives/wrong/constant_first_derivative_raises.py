"""No special case for a first derivative that does not depend on x: f(x) = 3x raises.

Source: the notes ([verified] "For a function linear in x the first derivative has no grad_fn,
so the second autograd.grad raises the same 'does not require grad' error (the second
derivative is 0 and must be special-cased)").
"""
# expect: test_constant_first_derivative -> constant_first_derivative

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
    x_leaf = torch.tensor(x, requires_grad=True)
    (d1,) = torch.autograd.grad(f(x_leaf), x_leaf, create_graph=True)
    (d2,) = torch.autograd.grad(d1, x_leaf)  # mistake: raises when d1 has no graph (f linear)
    return d1.detach(), d2


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
