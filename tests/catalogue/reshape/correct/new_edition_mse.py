"""Correct: new-edition data (noise drawn first, X @ w as a column) and 1/2 F.mse_loss without reduction.

The noise is drawn before X, so the random stream differs from the reference; w is reshaped to a
column instead of reshaping y; broadcast_shape asks torch.broadcast_shapes.
"""

import torch
from torch.nn import functional as F


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    epsilon = torch.randn(num_examples, 1, generator=generator) * noise
    X = torch.randn(num_examples, len(w), generator=generator)
    return X, X @ w.reshape(-1, 1).to(X.dtype) + b + epsilon


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return 0.5 * F.mse_loss(y_hat, y.reshape_as(y_hat), reduction="none")


def broadcast_shape(n: int) -> tuple[int, ...]:
    return tuple(torch.broadcast_shapes((n, 1), (n,)))
