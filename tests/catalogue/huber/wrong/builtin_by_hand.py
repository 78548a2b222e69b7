"""huber_via_builtin reuses the hand-written huber_loss instead of calling a built-in.

Source: own (real learner shortcut): the values are right, but the exercise asks for a
torch.nn.functional built-in, which the check observes."""

import torch
from torch.nn import functional as F

# expect: test_builtin -> no_builtin


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return huber_loss(y_hat, y, sigma)


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
