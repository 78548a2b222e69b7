"""huber_loss detaches the residual (`(y_hat - y).detach()`), so no gradient reaches y_hat.

Source: own (real confusion): learners detach "to be safe" or after seeing a warning about tensors
that require grad; the values are right but autograd cannot follow the loss. Today backward raises
"does not require grad and does not have a grad_fn" and gets `no_graph` (create_graph / requires_grad
advice), not `wrong_gradient`."""

import torch
from torch.nn import functional as F

# expect: test_gradient -> wrong_gradient


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = (y_hat - y.reshape(y_hat.shape)).detach()
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
