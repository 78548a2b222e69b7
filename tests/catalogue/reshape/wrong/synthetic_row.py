"""synthetic_data returns y as a row: y.reshape(1, -1) instead of y.reshape(-1, 1).

The ZH forum's "(-1,1)为什么是-1": not knowing which size the -1 stands for, the learner
swaps the two.
"""

# expect: test_synthetic_statistics -> y_row

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(1, -1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
