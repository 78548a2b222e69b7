"""D2L's old-edition "linear regression from scratch" loop (EN 0.17 / ZH v2 §3.2), for probes and checks.

The course's own copy of the book's pieces (the `d2l` package pins old dependencies), for probes
and checks. The training loop that puts them together is what learners write in learning_rate, so
it is not here: this module ships with every release (the judge's own loop is in the checks).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

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
