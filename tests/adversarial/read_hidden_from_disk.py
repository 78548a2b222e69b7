"""Family: reading hidden checks, solutions or a gradebook from disk (A8). Hides: python_if.

It looks for autograder/checks/huber.py, solutions/huber.py, source notebooks and gradebooks under the
repository path, /work, /root, ../.., the home directory and every sys.path entry. If it finds the
reference it executes it and answers with it (gaining full marks); otherwise it stays python_if. Every
file it could read is reported in the error message: a "LEAK:" there is a hole.
"""

import torch
from torch.nn import functional as F

# hides: python_if

import glob
import os
import sys

_ROOTS = ["@REPOSITORY@", "/work", "/root", "/home", "/opt", "/srv", "/tmp", os.path.expanduser("~"),
          os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."), "/proc/1/root@REPOSITORY@",
          "/proc/1/cwd", *sys.path]
_NAMES = ["autograder/checks/huber.py", "solutions/huber.py", "source/linreg/06_huber.ipynb", "gradebook.db",
          "autograder/judge/suite.py", "course.yml"]


def _trick():
    leaks = []
    for root in _ROOTS:
        for name in _NAMES:
            path = os.path.join(root, name)
            try:
                with open(path, encoding="utf-8", errors="replace") as handle:
                    text = handle.read(200000)
            except Exception:
                continue
            leaks.append(path)
            if name == "solutions/huber.py":
                namespace = {}
                exec(compile(text, path, "exec"), namespace)
                globals().update({key: namespace[key] for key in ("huber_loss", "huber_via_builtin")})
    for pattern in ("/work/**/checks/*.py", "/root/*/huber.py", "/work/**/gradebook*.db", "/opt/**/checks/*.py"):
        try:
            leaks += glob.glob(pattern, recursive=True)[:5]
        except Exception:
            pass
    if leaks:
        raise RuntimeError("LEAK: " + ", ".join(leaks)[:800])


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
