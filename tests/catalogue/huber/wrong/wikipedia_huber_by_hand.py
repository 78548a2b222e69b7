"""huber_loss written by hand from Wikipedia's Huber loss: 0.5 r**2 and sigma * (|r| - sigma / 2).

Source: learners who look up "Huber loss" instead of reading D2L's formula (the same form as
torch's F.huber_loss, exercises-notes.md section 3): sigma times D2L's loss."""

import torch
from torch.nn import functional as F

# expect: test_values -> scaled_by_sigma
# expect: test_gradient -> scaled_by_sigma


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, sigma * (abs_r - sigma / 2), 0.5 * r**2)


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
