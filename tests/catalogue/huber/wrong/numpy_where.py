"""huber_loss computed with NumPy (np.where on a detached array) and converted back with torch.from_numpy.

Source: own (learners who know NumPy better than torch); values right (float64), no autograd history."""

import torch
from torch.nn import functional as F

# expect: test_gradient -> wrong_gradient


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    import numpy as np

    r = (y_hat - y.reshape(y_hat.shape)).detach().numpy()
    d = np.abs(r)
    return torch.from_numpy(np.where(d > sigma, d - sigma / 2, r**2 / (2 * sigma)))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
