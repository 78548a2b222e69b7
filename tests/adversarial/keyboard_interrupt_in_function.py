"""Family: BaseException subclasses (KeyboardInterrupt, A9). Hides: python_if.

huber_loss raises KeyboardInterrupt, which slips past `except Exception` and aborts a naive pytest run.
"""

import torch
from torch.nn import functional as F

# hides: python_if

def _trick():
    raise KeyboardInterrupt


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """python_if: a Python `if` on a whole tensor (raises for more than one element)."""
    r = y_hat - y.reshape(y_hat.shape)
    d = r.abs()
    _trick()
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
