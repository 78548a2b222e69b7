"""Correct, with backward() on a detached copy of w, unit-vector Hessian rows, and a Jacobian for f''.

Unusual: uses L.backward(create_graph=True) (safe because it runs on a private copy of w, so the
caller's .grad is never touched), rows as vector-Hessian products with grad_outputs, and
torch.autograd.functional.jacobian of f' for the scalar case (0 for a constant f'); a tuple.
"""

from collections.abc import Callable

import torch


def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    w_copy = w.detach().clone().requires_grad_(True)
    y_hat = X @ w_copy + b.detach()
    L = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
    L.backward(create_graph=True)
    grad = w_copy.grad
    eye = torch.eye(w.numel())
    rows = [torch.autograd.grad(grad, w_copy, grad_outputs=eye[i].reshape(w.shape), retain_graph=True)[0].reshape(-1)
            for i in range(w.numel())]
    w_copy.grad = None  # break the reference cycle PyTorch warns about
    return grad.detach(), torch.stack(rows)


def second_derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> tuple[torch.Tensor, torch.Tensor]:
    def first(t: torch.Tensor) -> torch.Tensor:
        return torch.autograd.grad(f(t), t, create_graph=True)[0]

    x_leaf = torch.tensor(x, requires_grad=True)
    d1 = first(x_leaf).detach()
    # jacobian evaluates first() once more: f is called twice in all.
    return d1, torch.autograd.functional.jacobian(first, torch.tensor(x))


def second_derivative_problems() -> tuple[str, ...]:
    return ("constant_first_derivative", "graph_freed", "graph_not_built", "grad_accumulates", "hessian_memory")
