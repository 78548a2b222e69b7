"""D2L's old-edition "linear regression from scratch" loop (EN 0.17 / ZH v2 §3.2), for probes and checks.

The course's own copy of the book's ~40 lines (the `d2l` package pins old dependencies). Probes
use it to train with a student's piece plugged in; checks use it to compute expected behaviour.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import torch

TRUE_W = (2.0, -3.4)
TRUE_B = 4.2


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """X ~ N(0, 1) of shape (n, len(w)); y = X w + b + N(0, noise**2) as a column (n, 1)."""
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), generator=generator)  # the book's d2l.normal(0, 1, ...)
    y = X @ w.to(torch.float32).reshape(-1) + b
    y = y + noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches, as the book draws them (Python's `random` shuffles the indices)."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def linreg(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The linear regression model."""
    return X @ w + b


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Elementwise 1/2 squared loss, y reshaped to y_hat's shape."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    """Minibatch SGD: the summed loss's gradient divided by the batch size."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def train(features: torch.Tensor, labels: torch.Tensor, w: torch.Tensor, b: torch.Tensor, *, lr: float = 0.03,
          num_epochs: int = 3, batch_size: int = 10, loss: Loss = squared_loss) -> list[float]:
    """Train w and b in place with the book's loop; return the mean squared loss after each epoch."""
    history = []
    for _ in range(num_epochs):
        for X, y in data_iter(batch_size, features, labels):
            l = loss(linreg(X, w, b), y)
            l.sum().backward()
            sgd([w, b], lr, batch_size)
        with torch.no_grad():
            history.append(float(squared_loss(linreg(features, w, b), labels).mean()))
    return history
