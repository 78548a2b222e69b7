"""Family: monkeypatching the test helpers (course_checks.probes, course_checks.harness). Hides:
linear_branch_minus_sigma.

At import it replaces course_checks.probes.run_probe, call, encode, every huber probe and tries to import
and patch course_checks.harness.expect (not in the worker's view) so that comparisons pass. The wrapper
leaves the values alone (any value it sent would be exactly as powerful as returning it), so the
score must equal the plain wrong answer's.
"""

import torch
from torch.nn import functional as F

# hides: linear_branch_minus_sigma

import sys

try:
    import course_checks.probes as _probes
    from course_checks.probes import encoding as _encoding
    from course_checks.probes import huber as _huber_probes

    _original_run_probe = _probes.run_probe

    def _run_probe(probe, module, inputs):
        outcome = _original_run_probe(probe, module, inputs)
        if isinstance(outcome.get("value"), dict):
            outcome["value"].setdefault("passed", True)
        return outcome

    _probes.run_probe = _run_probe
    _huber_probes.loss_values = lambda module, **inputs: {"loss": "passed"}
    _huber_probes.scale = lambda module, sigma: sigma
    _encoding.Raised.describe = lambda self: "passed"
except Exception:
    pass
for _name in ("course_checks.harness", "course_checks.harness.expect", "autograder.checks.huber", "autograder.judge.runner"):
    try:
        __import__(_name)
        _module = sys.modules[_name]
        for _attribute in ("expect_close", "close", "number_close", "fail"):
            if hasattr(_module, _attribute):
                setattr(_module, _attribute, lambda *args, **kwargs: True)
    except Exception:
        pass


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """linear_branch_minus_sigma: |r| - sigma instead of |r| - sigma / 2."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
