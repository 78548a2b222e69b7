"""nn.HuberLoss constructed with the tensors: `nn.HuberLoss(y_hat, y, delta=sigma) / sigma`.

Source: exercises-notes.md section 6 Ex 6 ("nn.HuberLoss(y_hat, y)", constructing the module with
tensors). Positional tensors land in reduction and delta, so delta is given twice."""

import torch
from torch import nn
from torch.nn import functional as F

# expect: test_builtin -> module_called_with_tensors


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return nn.HuberLoss(y_hat, y.reshape(y_hat.shape), delta=sigma) / sigma


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
