"""Central finite differences in float64 instead of autograd (three evaluations of f).

Source: the notes' anti-shortcut (central finite differences evaluate f several times; the
values pass in float64, so only the call count shows the exercise was skipped).
"""
# expect: test_uses_autograd -> finite_differences

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
    h = 1e-3
    f_plus = f(torch.tensor(x + h, dtype=torch.float64))
    f_mid = f(torch.tensor(x, dtype=torch.float64))
    f_minus = f(torch.tensor(x - h, dtype=torch.float64))
    d1 = (f_plus - f_minus) / (2 * h)
    d2 = (f_plus - 2 * f_mid + f_minus) / h**2
    return d1.float(), d2.float()


def second_derivative_problems() -> set[str]:
    return {"graph_not_built", "graph_freed", "grad_accumulates", "hessian_memory", "constant_first_derivative"}
