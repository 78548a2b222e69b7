"""One torch.Generator for the initial w and the shuffles, a summed loss with lr / len(y) steps, gradients
reset to None, tensor-based classification, and a plot with a labelled tolerance line.

Unusual: no global seeding at all (a private generator seeded from `seed` makes the run repeatable);
the update divides by the real batch length; `p.grad = None` instead of zeroing; classify_run checks
finiteness with `torch.isfinite`; best_lr sorts (loss, lr) pairs; the figure is a bare
`matplotlib.figure.Figure` with markers, a "tol=1e-3" line and `ax.legend(handles, labels)`.
"""

import math

import torch
from matplotlib.figure import Figure


def loss_curve(features, labels, lr, num_epochs=3, batch_size=10, seed=0):
    generator = torch.Generator().manual_seed(seed)
    w = (torch.randn(features.shape[1], 1, generator=generator) * 0.01).requires_grad_()
    b = torch.zeros(1, requires_grad=True)
    history = []
    for _ in range(num_epochs):
        for batch in torch.randperm(len(features), generator=generator).split(batch_size):
            X, y = features[batch], labels[batch]
            (0.5 * (X @ w + b - y).pow(2)).sum().backward()
            with torch.no_grad():
                for p in (w, b):
                    p.sub_(lr / len(y) * p.grad)
                    p.grad = None
        with torch.no_grad():
            residual = features @ w + b - labels
            history.append(float(0.5 * residual.pow(2).sum() / len(labels)))
    return history


def classify_run(history, tol=1e-3):
    if not history:
        raise ValueError("history is empty")
    losses = torch.tensor(history, dtype=torch.float64)
    if not bool(torch.isfinite(losses).all()) or losses[-1] > losses[0]:
        return "diverged"
    if losses[-1] < tol:
        return "converged"
    return "slow"


def best_lr(features, labels, candidates, num_epochs=1):
    def final(lr):
        last = loss_curve(features, labels, lr, num_epochs=num_epochs)[-1]
        return last if math.isfinite(last) else math.inf

    return sorted((final(lr), lr) for lr in candidates)[0][1]


def plot_loss_curves(curves):
    fig = Figure(figsize=(6, 4))
    ax = fig.add_subplot()
    handles, names = [], []
    for lr, history in curves.items():
        xs = [k for k, loss in enumerate(history, start=1) if math.isfinite(loss)]
        ys = [loss for loss in history if math.isfinite(loss)]
        line, = ax.plot(xs, ys, "o-")
        handles.append(line)
        names.append(f"lr = {lr:g}")
    tol_line = ax.axhline(1e-3, color="gray", linestyle="--")
    handles.append(tol_line)
    names.append("tol=1e-3")
    ax.set_yscale("log")
    ax.legend(handles, names)
    return fig
