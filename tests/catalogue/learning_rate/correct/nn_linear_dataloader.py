"""The concise API: nn.Linear, a DataLoader with a seeded generator, F.mse_loss halved, optim.SGD, and a
pyplot figure built through the global `plt` state.

Unusual: the model is `nn.Linear(d, 1)` initialised in place (`weight.normal_(0, 0.01)`,
`bias.zero_()`); minibatches come from `DataLoader(..., shuffle=True)`; the ½ is applied to
`F.mse_loss` so lr keeps D2L's meaning; the full-dataset loss is evaluated in `torch.inference_mode()`;
best_lr scores candidates with `float("inf")` for nan; the figure is `plt.figure()` + `plt.plot` +
`plt.yscale("log")`, returned with `plt.gcf()`.
"""

import math
import random

import matplotlib.pyplot as plt
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, TensorDataset


def loss_curve(features, labels, lr, num_epochs=3, batch_size=10, seed=0):
    random.seed(seed)
    torch.manual_seed(seed)
    net = nn.Linear(features.shape[1], 1)
    with torch.no_grad():
        net.weight.normal_(0, 0.01)
        net.bias.zero_()
    loader = DataLoader(TensorDataset(features, labels), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    trainer = torch.optim.SGD(net.parameters(), lr=lr)
    history = []
    for _ in range(num_epochs):
        for X, y in loader:
            loss = F.mse_loss(net(X), y) / 2
            trainer.zero_grad()
            loss.backward()
            trainer.step()
        with torch.inference_mode():
            history.append(F.mse_loss(net(features), labels).item() / 2)
    return history


def classify_run(history, tol=1e-3):
    if not history:
        raise ValueError("cannot classify an empty history")
    first, last = history[0], history[-1]
    if not all(map(math.isfinite, history)) or last > first:
        return "diverged"
    elif last < tol:
        return "converged"
    else:
        return "slow"


def best_lr(features, labels, candidates, num_epochs=1):
    scores = {}
    for lr in candidates:
        last = loss_curve(features, labels, lr, num_epochs=num_epochs)[-1]
        scores[lr] = last if not (math.isnan(last) or math.isinf(last)) else float("inf")
    lowest = min(scores.values())
    return min(lr for lr, score in scores.items() if score == lowest)


def plot_loss_curves(curves):
    plt.figure()
    for lr, history in curves.items():
        pairs = [(epoch + 1, loss) for epoch, loss in enumerate(history) if math.isfinite(loss)]
        plt.plot([x for x, _ in pairs], [y for _, y in pairs], marker=".", label=f"learning rate {lr:g}")
    plt.yscale("log")
    plt.xlabel("epoch")
    plt.ylabel("training loss")
    plt.legend()
    return plt.gcf()
