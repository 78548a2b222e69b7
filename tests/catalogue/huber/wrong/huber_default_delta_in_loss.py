"""huber_loss is nn.HuberLoss() with its default delta = 1: sigma ignored.

Source: exercises-notes.md section 4 Huber (pandalabme's `nn.HuberLoss()`, BGMer7's
`fn = nn.HuberLoss()`), kept elementwise with reduction="none"."""

import torch
from torch import nn
from torch.nn import functional as F

# expect: test_values -> ignored_sigma
# expect: test_gradient -> ignored_sigma


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    return nn.HuberLoss(reduction="none")(y_hat, y.reshape(y_hat.shape))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
