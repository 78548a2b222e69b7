"""Family: faking what the checks observe in-process. Hides: builtin_by_hand.

huber_via_builtin returns the hand-written formula (right values) but first makes a throw-away call to
F.smooth_l1_loss on a dummy tensor, so the in-worker TorchFunctionMode recorder sees "a built-in call".
builtin_by_hand loses test_builtin's 2 points; this one must too.
"""

import torch
from torch.nn import functional as F

# hides: builtin_by_hand

def _trick(y_hat):
    F.smooth_l1_loss(torch.zeros(1), torch.zeros(1), reduction="none")


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """builtin_by_hand: the hand-written formula, no built-in."""
    _trick(y_hat)
    return huber_loss(y_hat, y, sigma)


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
