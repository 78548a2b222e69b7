# %% [markdown]
# # Huber's robust loss
#
# D2L §3.5, exercise 2 (ZH §3.3): replace the squared loss with Huber's robust loss. With the
# residual $r = \hat y - y$,
#
# $$l_\sigma(r) = \begin{cases} |r| - \frac{\sigma}{2} & \text{if } |r| > \sigma \\ \frac{r^2}{2\sigma} & \text{otherwise.} \end{cases}$$
#
# Near zero it is quadratic, like the squared loss; far from zero it grows only linearly, so one
# wild label (an outlier) pulls the fit much less. Its slope is $\mathrm{clamp}(r/\sigma, -1, 1)$:
# it never exceeds 1, whatever $\sigma$.
#
# **PyTorch has two built-ins, and they differ from the book by a factor.**
# `F.smooth_l1_loss(y_hat, y, beta=sigma)` is exactly D2L's formula; `F.huber_loss(y_hat, y,
# delta=sigma)` is $\sigma$ times it. At $\sigma = 1$ all three agree, which is why the checks use
# other values of $\sigma$.
#
# Worked example ($\sigma = 0.5$): for residuals $[-3, -0.5, 0.25, 2]$ the loss is
# $[2.75, 0.25, 0.0625, 1.75]$.
#
# Implement:
# 1. `huber_loss(y_hat, y, sigma)`: elementwise, with `y` reshaped to `y_hat`'s shape (as
#    `squared_loss` does), same shape as `y_hat`. Use `torch.where`, not a Python `if`.
# 2. `huber_via_builtin(y_hat, y, sigma)`: the same values from a `torch.nn.functional` built-in.
# 3. `builtin_huber_scale(sigma)`: the factor `c` with `F.huber_loss(..., delta=sigma) == c * huber_loss(..., sigma)`.

# %%
import torch
from torch.nn import functional as F


# %%
def huber_loss(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """Return D2L's Huber loss elementwise, |r| - sigma/2 where |r| > sigma and r**2 / (2 * sigma) elsewhere, for r = y_hat - y with y reshaped to y_hat's shape.

    The result has y_hat's shape. sigma > 0.
    """
    ### BEGIN SOLUTION
    r = y_hat - y.reshape(y_hat.shape)
    abs_r = r.abs()
    return torch.where(abs_r > sigma, abs_r - sigma / 2, r**2 / (2 * sigma))
    ### END SOLUTION


# %%
def huber_via_builtin(y_hat: torch.Tensor, y: torch.Tensor, sigma: float = 1.0) -> torch.Tensor:
    """Return the same values as huber_loss, computed with a torch.nn.functional built-in (reduction="none")."""
    ### BEGIN SOLUTION
    return F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction="none")
    ### END SOLUTION


# %%
def builtin_huber_scale(sigma: float) -> float:
    """Return c such that F.huber_loss(y_hat, y, delta=sigma, reduction="none") == c * huber_loss(y_hat, y, sigma)."""
    ### BEGIN SOLUTION
    return float(sigma)
    ### END SOLUTION
