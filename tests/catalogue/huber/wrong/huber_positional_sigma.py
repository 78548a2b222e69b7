"""sigma passed positionally: F.huber_loss(y_hat, y, sigma) / sigma, where the third parameter is reduction.

Source: own (real: the signature is (input, target, reduction='mean', delta=1.0)). Raises
"ValueError: 0.5 is not a valid value for reduction"; today it gets the generic `raised` hint."""

import torch
from torch.nn import functional as F

# expect: test_builtin -> positional_option


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.huber_loss(y_hat, y.reshape(y_hat.shape), sigma, reduction="none") / sigma


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
