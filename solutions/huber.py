# %% [markdown]
# # Huber's robust loss
#
# D2L §3.5, exercise 2 (ZH §3.3): replace the squared loss with Huber's robust loss. With the
# residual $r = \hat y - y$,
#
# $$l_\sigma(r) = \begin{cases} |r| - \frac{\sigma}{2} & \text{if } |r| > \sigma \\ \frac{r^2}{2\sigma} & \text{otherwise.} \end{cases}$$
#
# Near zero it is quadratic, like the squared loss; far from zero it grows only linearly, so one
# wild label (an outlier) pulls the fit much less.
#
# PyTorch has two built-ins of this family, `F.smooth_l1_loss(y_hat, y, beta=...)` and
# `F.huber_loss(y_hat, y, delta=...)`. Read their formulas in PyTorch's documentation and compare
# them with the book's.
#
# **Predict before you run anything**, and write your answers down:
# 1. With $\sigma = 0.5$, what is the loss for the residuals $[-3, -0.5, 0.25, 2]$?
# 2. What is the slope of the loss far from zero, for $\sigma = 0.5$ and for $\sigma = 2$?
# 3. Which built-in, with which option, computes exactly the book's formula? By what factor does
#    the other one differ from it?
# 4. Why might checks that only use $\sigma = 1$ miss half of the mistakes?
#
# <details>
# <summary>The book's numbers (open this after you have predicted)</summary>
#
# - For $\sigma = 0.5$ and the residuals $[-3, -0.5, 0.25, 2]$ the loss is $[2.75, 0.25, 0.0625, 1.75]$.
# - The slope is $\mathrm{clamp}(r/\sigma, -1, 1)$: it saturates at 1 far from zero, whatever $\sigma$.
# - `F.smooth_l1_loss(y_hat, y, beta=sigma)` is exactly D2L's formula; `F.huber_loss(y_hat, y,
#   delta=sigma)` is $\sigma$ times it (its linear part has slope $\sigma$).
# - At $\sigma = 1$ all three agree, which is why the checks use other values of $\sigma$.
#
# </details>
#
# Implement:
# 1. `huber_loss(y_hat, y, sigma)`: elementwise, with `y` reshaped to `y_hat`'s shape (as
#    `squared_loss` does), same shape as `y_hat`. Choose between the branches element by element
#    (`torch.where`), not with a Python `if`.
# 2. `huber_via_builtin(y_hat, y, sigma)`: the same values, obtained from a `torch.nn.functional`
#    built-in.
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
