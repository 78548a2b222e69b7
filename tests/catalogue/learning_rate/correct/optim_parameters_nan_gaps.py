"""nn.Parameter weights trained by torch.optim.SGD on the mean ½ loss, torch.randperm shuffling, a pyplot
figure with NaN gaps and a figure-level legend.

Unusual: the mean loss with `optim.SGD(lr)` replaces `l.sum().backward()` + `sgd(..., batch_size)` (the
same step); shuffling uses torch's generator, not `random`; non-finite losses are drawn as NaN gaps
instead of being dropped; labels are the bare learning rate ("0.03"); the legend is `fig.legend()`.
"""

import math
import random

import matplotlib.pyplot as plt
import torch
from torch import nn


def loss_curve(features, labels, lr, num_epochs=3, batch_size=10, seed=0):
    random.seed(seed)
    torch.manual_seed(seed)
    w = nn.Parameter(torch.randn(features.shape[1], 1) * 0.01)
    b = nn.Parameter(torch.zeros(1))
    trainer = torch.optim.SGD([w, b], lr=lr)
    history = []
    for _ in range(num_epochs):
        order = torch.randperm(len(features))
        for start in range(0, len(features), batch_size):
            batch = order[start:start + batch_size]
            loss = ((features[batch] @ w + b - labels[batch]) ** 2 / 2).mean()
            trainer.zero_grad()
            loss.backward()
            trainer.step()
        with torch.no_grad():
            history.append(((features @ w + b - labels) ** 2 / 2).mean().item())
    return history


def classify_run(history, tol=1e-3):
    if len(history) == 0:
        raise ValueError("no losses to classify")
    if any(math.isnan(loss) or math.isinf(loss) for loss in history) or history[-1] > history[0]:
        return "diverged"
    return "converged" if history[-1] < tol else "slow"


def best_lr(features, labels, candidates, num_epochs=1):
    best, best_loss = None, math.inf
    for lr in sorted(candidates):
        last = loss_curve(features, labels, lr, num_epochs=num_epochs)[-1]
        score = last if math.isfinite(last) else math.inf
        if best is None or score < best_loss:
            best, best_loss = lr, score
    return best


def plot_loss_curves(curves):
    fig, ax = plt.subplots()
    for lr, history in curves.items():
        epochs = range(1, len(history) + 1)
        ax.semilogy(epochs, [loss if math.isfinite(loss) else math.nan for loss in history], label=f"{lr:g}")
    ax.set_xlabel("epoch")
    fig.legend(title="learning rate")
    return fig
