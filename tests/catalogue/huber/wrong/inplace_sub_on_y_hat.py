"""The residual is computed in place on the input: r = y_hat.sub_(y.reshape(y_hat.shape)).

Source: own (learners copying in-place updates from sgd). It changes the caller's y_hat; values pass,
and the gradient check raises "a leaf Variable that requires grad is being used in an in-place
operation", which gets `inplace_without_no_grad` ("wrap the update in torch.no_grad()"), bad advice here."""

import torch
from torch.nn import functional as F

# expect: test_values -> inplace_input


def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """D2L's Huber loss, elementwise, shaped like y_hat."""
    r = y_hat.sub_(y.reshape(y_hat.shape))
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))


def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """The same values from a built-in."""
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")


def builtin_huber_scale(sigma: float) -> float:
    """c with F.huber_loss(delta=sigma) == c * huber_loss(sigma)."""
    return float(sigma)
