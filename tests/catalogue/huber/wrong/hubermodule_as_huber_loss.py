"""huber_loss is nn.HuberLoss(delta=sigma, reduction="none"), unscaled.

Source: exercises-notes.md section 4 Huber (pandalabme, YuYe10: nn.HuberLoss taken for D2L's loss),
with delta set to sigma. Values and slope are sigma times too big."""

import torch
from torch import nn
from torch.nn import functional as F

# expect: test_values -> unscaled_builtin
# expect: test_gradient -> unscaled_builtin


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    return nn.HuberLoss(reduction="none", delta=sigma)(y_hat, y.reshape(y_hat.shape))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
