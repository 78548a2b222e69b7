"""torch.autograd.grad instead of backward; requires_grad_() after scaling; nn.Linear layers for the two-layer net.

Unusual: init_params scales torch.randn by sigma and only then calls .requires_grad_() (a leaf),
and makes zeros with torch.full; first_step_grads asks torch.autograd.grad for the gradients, so
no .grad is ever filled; two_layer_zero_init_grads zeroes two nn.Linear layers, uses
F.mse_loss / 2, and transposes the (out, in) weight gradients back to the contract's shapes."""

import math

import torch
from torch import nn
from torch.nn import functional as F


def init_params(num_inputs: int, mode: str = "normal", sigma: float = 0.01,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """w (num_inputs, 1) and b (1,)."""
    if mode == "zeros":
        w = torch.full((num_inputs, 1), 0.0)
    elif mode == "normal":
        w = torch.randn(num_inputs, 1, generator=generator) * sigma
    else:
        raise ValueError(mode)
    return w.requires_grad_(), torch.zeros(1).requires_grad_()


def first_step_grads(X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Gradients of the summed 1/2 squared loss at w = 0, b = 0, via torch.autograd.grad."""
    w, b = init_params(X.shape[1], "zeros")
    loss = ((X @ w + b - y.reshape(-1, 1)) ** 2 / 2).sum()
    grad_w, grad_b = torch.autograd.grad(loss, (w, b))
    return grad_w, grad_b


def std_for_variance(variance: float) -> float:
    """The sigma for a given variance."""
    return math.sqrt(variance)


def zero_init_works() -> bool:
    """Linear regression trains from w = 0."""
    return True


def two_layer_zero_init_grads(X: torch.Tensor, y: torch.Tensor, hidden: int = 3) -> dict[str, torch.Tensor]:
    """Two zeroed nn.Linear layers; their weights are (out, in), so the gradients are transposed."""
    first, second = nn.Linear(X.shape[1], hidden), nn.Linear(hidden, 1)
    for layer in (first, second):
        nn.init.zeros_(layer.weight)
        nn.init.zeros_(layer.bias)
    out = second(first(X))
    (F.mse_loss(out, y.reshape(out.shape)) / 2).backward()
    return {"W1": first.weight.grad.T, "b1": first.bias.grad, "W2": second.weight.grad.T, "b2": second.bias.grad}
