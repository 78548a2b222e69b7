# %% [markdown]
# # The absolute-value loss and an outlier
#
# D2L §3.4, exercise 8 (the current English edition; the older list of EN 0.17 and ZH v2 §3.2
# stops at exercise 7, and Chinese readers meet the same idea as Huber's loss in ZH §3.3,
# exercise 2): "Try implementing a different loss function, such as the absolute value loss
# `(y_hat - d2l.reshape(y, y_hat.shape)).abs().sum()`. Check what happens for regular data.
# Check whether there is a difference in behavior if you actively perturb some entries of
# $\mathbf{y}$, such as $y_5 = 10{,}000$. Can you think of a cheap solution for combining the best
# aspects of squared loss and absolute value loss? Hint: how can you avoid really large gradient
# values?"
#
# What a loss does to training is in its slope. With the residual $r = \hat y - y$, the squared
# loss $\frac{1}{2} r^2$ has slope $r$: an example pulls on the parameters as hard as it is wrong.
# The absolute loss $|r|$ has slope $\pm 1$: every example pulls with the same force, however far
# it is. Huber's loss (exercise 6) is the "cheap solution" of the book's last question: quadratic
# near zero, linear beyond $\sigma$, so its slope is capped at 1.
#
# D2L's helpers from §3.2 are given (`synthetic_data`, `data_iter`, `linreg`, `squared_loss`, and
# `sgd`, which divides by `batch_size`), and so is `huber_loss`: D2L's Huber loss with
# $\sigma = 1$, which at $\sigma = 1$ is exactly PyTorch's `F.huber_loss` (exercise 6 showed why
# only there). Build on them.
#
# **Predict before you run anything**, and write your answers down:
# 1. On the book's data (1000 examples, lr 0.03, batch size 10, 3 epochs), does the absolute
#    loss get as close to $w = [2, -3.4]$, $b = 4.2$ as the squared loss? Why might it stay a
#    little further away?
# 2. Now set one label, $y_5$, to 10000. It is one example in 1000: how far do you expect the
#    squared loss's $b$ to move? And the absolute loss's?
# 3. With the squared loss, how large a step does $b$ take when the outlier's minibatch comes
#    by (lr 0.03, batch size 10, a residual of about 10000)?
# 4. Which of the three losses, squared, absolute and Huber, still fit the book's data within
#    0.1 of the clean fit with that outlier?
# 5. `with_outlier` must return a copy. What would go wrong in your experiment if it changed the
#    labels it was given instead?
#
# <details>
# <summary>The book's numbers (open this after you have predicted)</summary>
#
# - On clean data the squared loss ends about 0.001 from the least-squares fit, the absolute loss
#   about 0.02: its steps never shrink (every example pushes with slope $\pm 1$), so it keeps
#   jittering around the best fit instead of settling.
# - With $y_5 = 10000$ the squared loss ends at $w \approx [9.84, 3.12]$, $b \approx 24.57$ (the
#   book's data drawn with `torch.Generator().manual_seed(0)`, `fit`'s defaults): not the 10 that
#   averaging one label of 10000 into 1000 would suggest, but wherever the last kick left it. The
#   absolute loss ends at $w \approx [2.01, -3.41]$, $b \approx 4.21$, as if the outlier were not
#   there, and Huber's loss ($\sigma = 1$) at $w \approx [1.97, -3.37]$, $b \approx 4.16$.
# - The outlier's minibatch moves $b$ by lr $\cdot\, r$ / batch size $\approx 0.03 \cdot 10000 / 10 = 30$
#   in one step, and $w$ by that times the outlier's features. The absolute loss moves $b$ by at
#   most $0.03$ per step, whatever the labels.
# - So the absolute and Huber losses still fit within 0.1; the squared loss does not.
# - A `with_outlier` that writes into its input puts the outlier into the "clean" labels too, and
#   every later run, the clean one included, trains on the dirty data.
#
# </details>
#
# Implement:
# 1. `abs_loss(y_hat, y)`: $|\hat y - y|$ elementwise, with `y` reshaped to `y_hat`'s shape (as
#    `squared_loss` does), one loss per example. The book's snippet ends with `.sum()`; leave that
#    out, so that the loss fits D2L's loop, which sums it itself.
# 2. `fit(features, labels, loss_fn, lr, num_epochs, batch_size, seed)`: D2L's training loop with
#    any elementwise loss: seed `random` and `torch` from `seed`, start from
#    $w \sim N(0, 0.01^2)$ and $b = 0$, and per minibatch sum `loss_fn`'s losses, call
#    `backward` and let `sgd` update. Return `(w, b)`.
# 3. `with_outlier(labels, index, value)`: a copy of `labels` with the label at `index` (counted
#    from 0, as Python does) set to `value`; `labels` itself stays as it was.
# 4. `robust_losses()`: your answer to question 4, as a set of the names "squared", "abs" and
#    "huber" (the given `huber_loss`). Run the experiment with your `fit` to find it.
#
# In the notebook, the cell after your functions fits a line to one-feature data with one
# outlier, with each of the three losses, and draws the three lines: compare them with your
# prediction.

# %%
import random
from collections.abc import Callable

import torch
from torch.nn import functional as F

# D2L's helpers (§3.2), the course's copy of the book's code: the data, shuffled minibatches, the
# model, the 1/2 squared loss and the update (which divides by batch_size).
from course_checks.probes.d2l import data_iter, linreg, sgd, squared_loss, synthetic_data


# %%
def huber_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return D2L's Huber loss with sigma = 1, elementwise; at sigma = 1 it equals PyTorch's F.huber_loss."""
    return F.huber_loss(y_hat, y.reshape(y_hat.shape), delta=1.0, reduction="none")


# %%
def abs_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return the absolute loss |y_hat - y| elementwise, with y reshaped to y_hat's shape: one loss per example, shaped like y_hat."""
    ### BEGIN SOLUTION
    return (y_hat - y.reshape(y_hat.shape)).abs()
    ### END SOLUTION


# %%
def fit(features: torch.Tensor, labels: torch.Tensor, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
        lr: float = 0.03, num_epochs: int = 3,
        batch_size: int = 10, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (w, b) trained by D2L's loop with the elementwise loss_fn summed over each minibatch and sgd dividing by batch_size.

    Seed `random` and `torch` from `seed` first, then start from w ~ N(0, 0.01**2) of shape (d, 1)
    and b = 0 of shape (1,).
    """
    ### BEGIN SOLUTION
    random.seed(seed)
    torch.manual_seed(seed)
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for _ in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = loss_fn(linreg(X, w, b), y)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
    return w.detach(), b.detach()
    ### END SOLUTION


# %%
def with_outlier(labels: torch.Tensor, index: int = 5, value: float = 10000.0) -> torch.Tensor:
    """Return a copy of labels with labels[index] set to value, leaving labels itself unchanged."""
    ### BEGIN SOLUTION
    noisy = labels.clone()
    noisy[index] = value
    return noisy
    ### END SOLUTION


# %%
def robust_losses() -> set[str]:
    """Return which of "squared", "abs" and "huber" still fit the book's data within 0.1 of the clean fit when one label is 10000, as a set of those names.

    "huber" is the given huber_loss (D2L's, sigma = 1); the book's data and loop are fit's defaults.
    """
    ### BEGIN SOLUTION
    return {"abs", "huber"}
    ### END SOLUTION


# %%
# One feature, so that every fit is a line: y = 2 x + 4.2 (plus noise), 1000 examples, y_5 = 10000.
# The `__main__` guard runs this in the notebook only, never when the functions are imported to be graded.
if __name__ == "__main__":
    from IPython.display import display
    from matplotlib.figure import Figure
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png")  # a Figure made without pyplot is otherwise shown as text

    x, y = synthetic_data(torch.tensor([2.0]), 4.2, 1000, generator=torch.Generator().manual_seed(0))
    ends = torch.tensor([[x.min().item()], [x.max().item()]])
    try:
        y_dirty = with_outlier(y)
        lines = {}
        for name, loss in (("squared", squared_loss), ("abs", abs_loss), ("huber", huber_loss)):
            w, b = (parameter.detach() for parameter in fit(x, y_dirty, loss))
            lines[f"{name} loss: w = {w.item():.2f}, b = {b.item():.2f}"] = linreg(ends, w, b)[:, 0].tolist()
    except Exception as error:  # unfinished functions: a one-line note here, the checks below say what to fix
        print(f"No plot yet ({type(error).__name__}): abs_loss, fit and with_outlier must all work first.")
    else:
        figure = Figure(figsize=(7, 4.5))
        ax = figure.add_subplot()
        ax.scatter(x[:, 0].tolist(), y_dirty[:, 0].tolist(), s=4, color="0.6", label="the data")
        for (label, ys), style in zip(lines.items(), ("-", "--", ":")):
            ax.plot(ends[:, 0].tolist(), ys, style, linewidth=2, label=label)
        top = 20.0  # the outlier is far above: the axis stops here and an arrow points at it
        ax.set_ylim(-12, top)
        ax.annotate(f"y_5 = {y_dirty[5].item():g}, far above", xy=(x[5].item(), top), xytext=(x[5].item(), top - 6),
                    arrowprops={"arrowstyle": "->"}, ha="center")
        ax.set_xlabel("x")
        ax.set_ylabel("y")
        ax.set_title("One outlier among 1000 examples: the lines each loss fits")
        ax.legend(loc="lower right")
        display(figure)
