"""Uses backward() but resets w.grad and b.grad to None before and after, wiping the caller's gradients.

Source: PyTorch's own warning for backward(create_graph=True) ("make sure to reset the .grad
fields of your parameters to None after use") followed literally, plus the training loop's habit
of clearing gradients before backward. Fresh tensors look fine; a caller's .grad is lost.
"""
# expect: test_inputs_untouched -> grad_erased

from collections.abc import Callable

import torch


def grad_and_hessian_wrt_w(X: torch.Tensor, y: torch.Tensor, w: torch.Tensor,
                           b: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    w.grad, b.grad = None, None  # mistake: throws away the caller's gradients
    y_hat = X @ w + b
    L = ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).sum()
    L.backward(create_graph=True)
    grad = w.grad
    flat_grad = grad.reshape(-1)
    rows = [torch.autograd.grad(flat_grad[i], w, retain_graph=True)[0].reshape(-1)
            for i in range(flat_grad.numel())]
    w.grad, b.grad = None, None
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
