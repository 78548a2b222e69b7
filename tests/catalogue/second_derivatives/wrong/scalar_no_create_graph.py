"""second_derivative differentiates f' without create_graph=True.

Source: the notes ([verified] "Without create_graph, differentiating the gradient fails with
'element 0 of tensors does not require grad and does not have a grad_fn'"); the D2L question
itself asks which problems one meets.
"""
# expect: test_scalar_values -> no_create_graph
# headline: a visible check must catch this one

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
    (d1,) = torch.autograd.grad(f(x_leaf), x_leaf)  # mistake: no create_graph=True
    (d2,) = torch.autograd.grad(d1, x_leaf)
    return d1, d2


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
