"""nn.SmoothL1Loss constructed with the tensors: `nn.SmoothL1Loss(y_hat, y, beta=sigma, reduction="none")`.

Source: exercises-notes.md section 6 Ex 6 (`nn.HuberLoss(y_hat, y)`; BGMer7 did this with MSELoss):
the class is treated as a function. Its legacy size_average/reduce arguments receive the tensors, so
__init__ raises "Boolean value of Tensor with more than one value is ambiguous" and today gets
`if_on_tensor` (advice about a Python `if` the learner never wrote)."""

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
    return nn.SmoothL1Loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
