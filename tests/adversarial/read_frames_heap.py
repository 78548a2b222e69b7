"""Family: reading the judge's frames or memory in-process (A7). Hides: python_if.

huber_loss walks inspect.stack(), sys._getframe(), gc.get_objects() and sys.modules looking for the
checks' expected values or the judge's reference function (d2l_huber, expected, wrong_variants); if
it found one it would use it. It reports what it found in its error message: a "LEAK:" there is a hole.
"""

import torch
from torch.nn import functional as F

# hides: python_if

import gc
import inspect
import sys

_SECRETS = ("d2l_huber", "expected", "wrong_variants", "residual_rows", "SIGMAS")


def _trick():
    found = []
    for frame_info in inspect.stack():
        for name in _SECRETS:
            if name in frame_info.frame.f_locals or name in frame_info.frame.f_globals:
                found.append(f"frame {frame_info.function}:{name}")
    frame = sys._getframe()
    while frame is not None:
        if "d2l_huber" in frame.f_globals:
            found.append("d2l_huber in globals")
        frame = frame.f_back
    for name in list(sys.modules):  # the judge's check modules (the student runtime, course_checks, holds none)
        if "checks" in name.split(".") or "hidden" in name or "solution" in name:
            found.append(f"module {name}")
    for obj in gc.get_objects():
        if callable(obj) and getattr(obj, "__name__", "") in ("d2l_huber", "wrong_variants"):
            found.append(f"object {obj.__name__}")
    if found:
        raise RuntimeError("LEAK: " + "; ".join(found)[:500])


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
