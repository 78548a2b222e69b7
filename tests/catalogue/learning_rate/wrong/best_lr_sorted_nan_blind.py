"""best_lr sorts the candidates and takes min of the raw final losses, never mapping nan to +inf.

It passes whenever the diverging rate is the largest candidate, which sorting puts last (every
comparison with nan is False, so min never moves to it). A run that ends in nan first in line shows the
mistake. It used to pass every check (issue 9).
"""

# expect: test_best_lr -> nan_wins

import math
import random

import torch
from matplotlib.figure import Figure


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg(X, w, b):
    return X @ w + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def loss_curve(features, labels, lr, num_epochs=3, batch_size=10, seed=0):
    random.seed(seed)
    torch.manual_seed(seed)
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    history = []
    for epoch in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = squared_loss(linreg(X, w, b), y)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
        with torch.no_grad():
            train_l = squared_loss(linreg(features, w, b), labels)
        history.append(float(train_l.mean()))
    return history


def classify_run(history, tol=1e-3):
    if not history:
        raise ValueError("empty history")
    if not all(math.isfinite(loss) for loss in history) or history[-1] > history[0]:
        return "diverged"
    if history[-1] < tol:
        return "converged"
    return "slow"


def best_lr(features, labels, candidates, num_epochs=1):
    def final_loss(lr):
        return loss_curve(features, labels, lr, num_epochs=num_epochs)[-1]

    return min(sorted(candidates), key=final_loss)


def plot_loss_curves(curves):
    fig = Figure()
    ax = fig.add_subplot()
    for lr, history in curves.items():
        points = [(epoch, loss) for epoch, loss in enumerate(history, start=1) if math.isfinite(loss)]
        ax.plot([epoch for epoch, _ in points], [loss for _, loss in points], marker="o", label=f"lr={lr:g}")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("loss")
    ax.legend()
    return fig
