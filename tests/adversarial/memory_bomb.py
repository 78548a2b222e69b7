"""Family: memory bombs (A15). Hides: python_if.

huber_loss asks for bytearray(10**10), a 10**10-element torch tensor, then (once) maps 100 MB
anonymous blocks past the 4 GiB address-space limit, before failing the way python_if does.
"""

import torch
from torch.nn import functional as F

# hides: python_if

import mmap

_GREW = False


def _trick():
    for attempt in (lambda: bytearray(10**10), lambda: torch.empty(10**10), lambda: torch.ones(4 * 10**9, dtype=torch.uint8)):
        try:
            attempt()
        except (MemoryError, RuntimeError):
            pass
    global _GREW
    if not _GREW:  # once per worker: zero-filling gigabytes costs seconds of the exercise's time limit
        _GREW = True
        blocks = []
        try:
            for _ in range(60):  # untouched mappings: address space fills in milliseconds
                blocks.append(mmap.mmap(-1, 100 * 10**6))
        except (MemoryError, OSError):
            pass
        del blocks


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
