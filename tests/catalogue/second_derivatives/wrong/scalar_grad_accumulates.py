"""Reads f'' from x.grad after a second backward, forgetting that .grad accumulates.

Source: the notes ("`.grad` accumulates across backward calls", one of the contract's problems):
backward(create_graph=True) puts f' in x.grad, then f'.backward() ADDS f'' to it, so the
returned "f''" is f' + f''.
"""
# expect: test_scalar_values -> grad_accumulates

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
    f(x_leaf).backward(create_graph=True)
    d1 = x_leaf.grad.clone()
    if not x_leaf.grad.requires_grad:
        return d1, torch.zeros(())
    x_leaf.grad.backward()  # mistake: x.grad is not reset, the second backward adds to it
    return d1.detach(), x_leaf.grad.detach().clone()


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
