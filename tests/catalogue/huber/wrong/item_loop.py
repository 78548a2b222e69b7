"""huber_loss loops over the residuals with .item() and a Python if, then builds a new tensor.

Source: own (real learner pattern): avoids the "Boolean value of Tensor" error by going elementwise in
Python; the values are right, but the new tensor has no autograd history. Today it gets `no_graph`,
not `wrong_gradient`."""

import torch
from torch.nn import functional as F

# expect: test_gradient -> wrong_gradient


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat - y.reshape(y_hat.shape)
    values = []
    for v in r.reshape(-1):
        d = abs(v.item())
        values.append(d - sigma / 2 if d > sigma else d**2 / (2 * sigma))
    return torch.tensor(values).reshape(y_hat.shape)


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
