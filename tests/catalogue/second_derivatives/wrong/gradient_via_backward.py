"""Gets the gradient from L.backward(create_graph=True) and w.grad, leaving it in the caller's w.grad.

Source: D2L's loop habit (`l.sum().backward()`, then read `w.grad`) applied here; PyTorch even
warns that backward with create_graph=True leaves a reference cycle in .grad. The values are right
on fresh tensors, but w.grad and b.grad are changed, and a second call on the same w doubles.
"""
# expect: test_inputs_untouched -> grad_polluted
# expect: test_repeatable -> not_repeatable

from collections.abc import Callable

import torch


def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    y_hat = X @ w + b
    L = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
    L.backward(create_graph=True)  # mistake: writes into the caller's w.grad and b.grad
    grad = w.grad
    flat_grad = grad.reshape(-1)
    rows = [torch.autograd.grad(flat_grad[i], w, retain_graph=True)[0].reshape(-1)
            for i in range(flat_grad.numel())]
    return grad.detach().clone(), torch.stack(rows)


def second_derivative(f: Callable[[torch.Tensor], torch.Tensor], x: float) -> tuple[torch.Tensor, torch.Tensor]:
    x_leaf = torch.tensor(x, dtype=torch.float32, requires_grad=True)
    (d1,) = torch.autograd.grad(f(x_leaf), x_leaf, create_graph=True)
    if not d1.requires_grad:
        return d1, torch.zeros_like(d1)
    (d2,) = torch.autograd.grad(d1, x_leaf)
    return d1.detach(), d2


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
