"""Family: output floods (A17). Hides: python_if.

huber_loss prints 200 MB to stdout and stderr, writes 200 MB through os.write, and tries a 100 MB file
in its scratch directory, before failing the way python_if does.
"""

import torch
from torch.nn import functional as F

# hides: python_if

import os
import sys


def _trick():
    block = "x" * (10 << 20)
    for _ in range(20):
        print(block)
        print(block, file=sys.stderr)
    raw = block.encode()
    for fd in (1, 2):
        for _ in range(20):
            try:
                os.write(fd, raw)
            except OSError:
                break
    try:
        with open("/tmp/flood.bin", "wb") as handle:
            for _ in range(10):
                handle.write(raw)
    except OSError:
        pass


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
