"""Calls backward() twice on f(x), believing the second backward gives the second derivative.

Source: ZH forum t/1775, where a learner hits "Trying to backward through the graph a second
time ... Specify retain_graph=True": the first backward freed the graph.
"""
# expect: test_scalar_values -> graph_freed

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
    y = f(x_leaf)
    y.backward()
    d1 = x_leaf.grad.clone()
    x_leaf.grad.zero_()
    y.backward()  # mistake: differentiates f again, through a graph that is already freed
    return d1, x_leaf.grad.clone()


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
