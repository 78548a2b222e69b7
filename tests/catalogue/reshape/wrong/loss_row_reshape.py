"""squared_loss reshapes y to a row, y.reshape(1, -1), instead of to y_hat's shape.

A learner who knows reshape but mixes up rows and columns (the ZH thread's "为什么是-1"): the row
broadcasts against a column y_hat to (n, n). It used to be told about `.T`, which it never used
(issue 9).
"""

# expect: test_loss_shape -> row_in_loss
# expect: test_loss_values -> row_in_loss
# expect: test_loss_gradient -> row_in_loss

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(1, -1)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
