# %% [markdown]
# # What `reshape(-1, 1)` means, and why the loss reshapes `y`
#
# D2L §3.2 (EN 0.17, ZH v2), exercise 5: "Why is the `reshape` function needed in the
# `squared_loss` function?" The book's code reshapes twice:
#
# ```python
# def synthetic_data(w, b, num_examples):
#     X = torch.normal(0, 1, (num_examples, len(w)))
#     y = torch.matmul(X, w) + b
#     y += torch.normal(0, 0.01, y.shape)
#     return X, y.reshape((-1, 1))
#
# def squared_loss(y_hat, y):
#     return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
# ```
#
# `true_w = torch.tensor([2, -3.4])` is 1-D. Subtracting tensors of different shapes
# *broadcasts*: sizes are lined up from the right, and a size-1 (or missing) dimension is
# stretched to match.
#
# **Predict before you run anything**, and write your answers down:
# 1. What is the shape of `X @ true_w` for 1000 examples? What does the `-1` in `reshape(-1, 1)`
#    stand for?
# 2. For `y_hat` of shape `(10, 1)` and a flat `y` of shape `(10,)`, what is the shape of
#    `y_hat - y`? Is there an error?
# 3. If the loss forgot the reshape, what would the book's model learn: the true $w$ and $b$, or
#    something else?
# 4. What should happen when `y` holds a different number of elements than `y_hat`?
#
# <details>
# <summary>What PyTorch does (open this after you have predicted)</summary>
#
# - `X @ true_w` has shape `(1000,)`, not `(1000, 1)`. `reshape(-1, 1)` turns it into a column:
#   the `1` asks for one column and the `-1` means "work this size out from the number of
#   elements" (here 1000). It is not "the last element", and it does not look at `X`; only one
#   size may be left as `-1`.
# - `y_hat - y` is a `(10, 10)` table of every `y_hat[i] - y[j]`, with no error. Trained with that
#   loss, the book's model only learns to predict the batch mean: it ends near
#   `w = [0.099, -0.454]`, `b = 4.242` (loss 6.46) instead of `w = [2, -3.4]`, `b = 4.2`.
# - Reshaping `y` to `y_hat`'s shape makes the subtraction elementwise, and a `y` with the wrong
#   number of elements now fails loudly (`RuntimeError: shape '[3, 1]' is invalid for input of
#   size 4`) instead of broadcasting.
#
# </details>
#
# Implement:
# 1. `synthetic_data(w, b, num_examples, noise, generator)`: D2L's data, with `noise` as the
#    standard deviation of the label noise and every random draw taken from `generator` (`None`
#    means torch's global generator). `w` is 1-D and may be an integer tensor such as
#    `torch.tensor([2, -3])`; `X` and `y` are float32 and `y` is a column `(n, 1)`.
# 2. `squared_loss(y_hat, y)`: `1/2 (y_hat - y)**2` elementwise, with the same shape as `y_hat`,
#    whatever the shape of a `y` that holds as many elements (`(n,)` or `(n, 1)`). Do not change
#    the `y` you are given.
# 3. `broadcast_shape(n)`: the shape of `y_hat - y` for `y_hat` of shape `(n, 1)` and `y` of
#    shape `(n,)`, as a tuple of ints. Work it out, then confirm it in PyTorch.

# %%
import torch


# %%
def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (X, y): X ~ N(0, 1) of shape (num_examples, len(w)) and y = X w + b + N(0, noise**2)
    as a column (num_examples, 1), both float32.

    w is 1-D and may be an integer tensor; noise is a standard deviation; every random draw uses
    `generator` (None: torch's global generator).
    """
    ### BEGIN SOLUTION
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)
    ### END SOLUTION


# %%
def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return 1/2 (y_hat - y)**2 elementwise with y reshaped to y_hat's shape, so the result has y_hat's shape.

    A y with a different number of elements raises RuntimeError instead of broadcasting.
    """
    ### BEGIN SOLUTION
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    ### END SOLUTION


# %%
def broadcast_shape(n: int) -> tuple[int, ...]:
    """Return the shape of (y_hat - y) when y_hat has shape (n, 1) and y has shape (n,), as a tuple of ints."""
    ### BEGIN SOLUTION
    return (n, n)
    ### END SOLUTION
