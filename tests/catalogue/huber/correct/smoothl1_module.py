"""The module form nn.SmoothL1Loss(beta=sigma, reduction="none") for both functions; y via view_as.

Unusual: a torch.nn module instead of the functional form, and `y.view_as(y_hat)` instead of reshape."""

import torch
from torch import nn
from torch.nn import functional as F


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    return nn.SmoothL1Loss(beta=sigma, reduction="none")(y_hat, y.view_as(y_hat))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return nn.SmoothL1Loss(reduction="none", beta=sigma)(y_hat, y.view_as(y_hat))


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
