# %% [markdown]
# # The effect of the learning rate
#
# D2L §3.4, exercise 6 (ZH §3.2): "Experiment using different learning rates to find out how
# quickly the loss function value drops. Can you reduce the error by increasing the number of
# epochs of training?"
#
# You will turn that experiment into four small functions: one training run that records a loss
# curve, a verdict on a curve, a search over learning rates, and a plot. A common reading of the
# question (ZH forum: "学习率越大，损失函数下降越快", the larger the learning rate the faster the
# loss drops) is worth testing, not trusting.
#
# **Predict before you run anything**, and write your answers down. On the book's data (1000
# examples, batch size 10, 3 epochs, from $w \sim N(0, 0.01^2)$, $b = 0$), what is the mean loss
# over the whole dataset after each epoch for lr 0.001, 0.01, 0.03 and 3.0? Which of the four is
# best after one epoch, and is a bigger learning rate always faster? Can more epochs rescue a small
# learning rate, and a large one?
#
# <details>
# <summary>The book's numbers (open this after you have predicted)</summary>
#
# | lr | epoch 1 | epoch 2 | epoch 3 |
# |---|---|---|---|
# | 0.001 | 14.1 | 11.4 | 9.27 |
# | 0.01 | 2.25 | 0.309 | 0.0425 |
# | 0.03 | 0.0392 | 1.45e-4 | 4.65e-5 |
# | 3.0 | inf | nan | nan |
#
# Bigger is faster, until it is not. Each SGD step multiplies the error by roughly
# $(1 - \eta\lambda)$, where $\lambda$ is a curvature of the loss; once $\eta\lambda > 2$ every
# step overshoots further than the last and the loss explodes to `inf`, then `nan`. (0.3 is
# already at the noise floor, about 5e-5, after one epoch.) A small learning rate is not wrong,
# only slow: lr 0.003 reaches 5.3e-5 after 30 epochs. So more epochs reduce the error, but they
# cannot rescue a learning rate that diverges.
#
# </details>
#
# **NaN compares False with everything.** `nan > 1e3` and `nan < 1e3` are both `False`, so a
# divergence test written as `loss > threshold` silently misses a `nan` run. Use
# `math.isfinite`.
#
# D2L's helpers from §3.2, `data_iter`, `linreg`, `squared_loss` and `sgd`, are given at the top of
# the module; build on them. Implement:
# 1. `loss_curve(features, labels, lr, num_epochs, batch_size, seed)`: seed `random` and `torch`
#    from `seed`, create **fresh** parameters on every call (never reuse trained ones from an
#    earlier run), train with the D2L loop, and after each epoch record the mean ½ squared loss
#    over the **whole** dataset (under `torch.no_grad()`) as a Python float. Keep going when the
#    loss becomes `inf` or `nan`: the list always has `num_epochs` entries.
# 2. `classify_run(history, tol)`: `"diverged"` if any value is non-finite or the last value is
#    above the first; otherwise `"converged"` if the last value is below `tol`; otherwise `"slow"`.
#    An empty history raises `ValueError`.
# 3. `best_lr(features, labels, candidates, num_epochs)`: the candidate whose `loss_curve` ends
#    lowest, counting a non-finite final loss as `+inf`; on a tie, the smaller learning rate.
# 4. `plot_loss_curves(curves)`: a matplotlib Figure with one Axes, a log-scaled y axis, one line
#    per learning rate labelled with it (e.g. `f"lr={lr:g}"`) and a legend, the loss after epoch
#    $k$ drawn at $x = k$ (1, 2, ...). Leave non-finite values out of a line instead of failing.
#
# In the notebook, the cell after your functions trains on the book's data at four learning rates
# with your `loss_curve` and shows the curves with your `plot_loss_curves`: compare them with your
# prediction.

# %%
import math
import random
from collections.abc import Iterator

import torch
from matplotlib.figure import Figure


# %%
# D2L's helpers (§3.2), given: shuffled minibatches, the model, the loss and the update.
def data_iter(batch_size: int, features: torch.Tensor,
              labels: torch.Tensor) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield shuffled minibatches (X, y) of batch_size examples."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)  # the examples are read in a random order
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Return the linear model's predictions X w + b."""
    return X @ w + b


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Return the elementwise 1/2 squared loss, shaped like y_hat."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    """Update each parameter in place by lr * grad / batch_size, then zero its gradient."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


# %%
def loss_curve(features: torch.Tensor, labels: torch.Tensor, lr: float, num_epochs: int = 3,
               batch_size: int = 10, seed: int = 0) -> list[float]:
    """Return the mean 1/2 squared loss over the whole dataset after each epoch of the D2L loop, as a list of num_epochs Python floats.

    Seed `random` and `torch` from `seed` and start from fresh parameters on every call
    (w ~ N(0, 0.01**2), b = 0). Non-finite losses (inf, nan) are kept as they are.
    """
    ### BEGIN SOLUTION
    random.seed(seed)
    torch.manual_seed(seed)
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    history = []
    for _ in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = squared_loss(linreg(X, w, b), y)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
        with torch.no_grad():
            train_l = squared_loss(linreg(features, w, b), labels)
        history.append(float(train_l.mean()))
    return history
    ### END SOLUTION


# %%
def classify_run(history: list[float], tol: float = 1e-3) -> str:
    """Return "diverged" if a value is non-finite or the last exceeds the first, else "converged" if the last is below tol, else "slow".

    An empty history raises ValueError.
    """
    ### BEGIN SOLUTION
    if not history:
        raise ValueError("classify_run needs at least one loss value")
    if not all(math.isfinite(loss) for loss in history) or history[-1] > history[0]:
        return "diverged"
    if history[-1] < tol:
        return "converged"
    return "slow"
    ### END SOLUTION


# %%
def best_lr(features: torch.Tensor, labels: torch.Tensor, candidates: list[float],
            num_epochs: int = 1) -> float:
    """Return the candidate learning rate whose loss_curve ends lowest, counting a non-finite final loss as +inf.

    On a tie, the smaller learning rate wins.
    """
    ### BEGIN SOLUTION
    def final_loss(lr: float) -> float:
        last = loss_curve(features, labels, lr, num_epochs=num_epochs)[-1]
        return last if math.isfinite(last) else math.inf

    # min keeps the first of equal keys, so sorting first settles ties for the smaller rate.
    return min(sorted(candidates), key=final_loss)
    ### END SOLUTION


# %%
def plot_loss_curves(curves: dict[float, list[float]]) -> Figure:
    """Return a Figure with one log-scaled Axes holding one line per learning rate, labelled with it, with epoch k at x = k.

    Non-finite losses are left out of their line; a curve with none finite still gets its legend entry.
    """
    ### BEGIN SOLUTION
    fig = Figure()
    ax = fig.add_subplot()
    for lr, history in curves.items():
        points = [(epoch, loss) for epoch, loss in enumerate(history, start=1) if math.isfinite(loss)]
        ax.plot([epoch for epoch, _ in points], [loss for _, loss in points], marker="o", label=f"lr={lr:g}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("mean loss over the training set")
    ax.legend()
    return fig
    ### END SOLUTION


# %%
# The book's data (w = [2, -3.4], b = 4.2, 1000 examples, noise 0.01), 3 epochs per learning rate.
# The `__main__` guard runs this in the notebook only, never when the functions are imported to be graded.
if __name__ == "__main__":
    from IPython.display import display
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png")  # a Figure made without pyplot is otherwise shown as text

    torch.manual_seed(0)
    true_w, true_b = torch.tensor([2.0, -3.4]), 4.2
    features = torch.normal(0, 1, (1000, len(true_w)))
    labels = (features @ true_w + true_b + torch.normal(0, 0.01, (1000,))).reshape(-1, 1)
    try:
        figure = plot_loss_curves({lr: loss_curve(features, labels, lr) for lr in (0.001, 0.01, 0.03, 3.0)})
    except Exception as error:  # unfinished functions: a one-line note here, the checks below say what to fix
        print(f"No plot yet ({type(error).__name__}): loss_curve and plot_loss_curves must both work first.")
    else:
        display(figure)
