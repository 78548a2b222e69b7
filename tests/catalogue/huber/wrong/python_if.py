"""A Python `if abs(r) > sigma:` on a whole tensor instead of torch.where.

Source: exercises-notes.md section 6 Ex 6 (Python `if d > sigma:` raises "Boolean value of Tensor with
more than one value is ambiguous"); the formula typed as it reads on paper."""

import torch
from torch.nn import functional as F

# expect: test_values -> if_on_tensor
# expect: test_gradient -> if_on_tensor


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    d = r.abs()
    if d > sigma:
        return d - sigma / 2
    else:
        return r**2 / (2 * sigma)


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
