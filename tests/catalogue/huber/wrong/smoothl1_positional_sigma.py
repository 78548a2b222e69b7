"""sigma passed positionally: F.smooth_l1_loss(y_hat, y, sigma, reduction="none"), where the third parameter is size_average.

Source: own (real: the signature is (input, target, size_average=None, reduce=None, reduction='mean',
beta=1.0)). The legacy size_average overrides reduction="none" (a 0-d mean, beta = 1, a
deprecation UserWarning); today it gets the `reduced` hint, which tells a learner who did write
reduction="none" to add reduction="none"."""

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
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
