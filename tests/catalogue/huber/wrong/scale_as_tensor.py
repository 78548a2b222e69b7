"""builtin_huber_scale measures the ratio on a tensor and returns it as a tensor (right value, wrong type).

Source: own (real: "check it numerically" without .item()). Today it gets `scale_wrong`, whose text
explains the ratio, not the missing float()/.item()."""

import torch
from torch.nn import functional as F

# expect: test_scale -> scale_not_number


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    r = torch.tensor([3.0 * sigma])
    zero = torch.zeros(1)
    return F.huber_loss(r, zero, delta=sigma, reduction="none") / huber_loss(r, zero, sigma)
