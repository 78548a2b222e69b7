"""synthetic_data reads noise as a variance: sqrt(noise) * N(0, 1).

The "variance 1000" confusion of the zero_init exercise (EN t/43, pandalabme) the other way
round: noise is a standard deviation, like torch.normal's std.
"""

# expect: test_synthetic_statistics -> noise_as_variance

import math

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += math.sqrt(noise) * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
