"""synthetic_data keeps D2L's hard-coded noise: torch.normal(0, 0.01, y.shape).

The book's synthetic_data has no noise argument, so the copied line ignores the one the
contract adds (the default 0.01 hides it).
"""

# expect: test_synthetic_statistics -> ignored_noise

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.normal(0, 1, (num_examples, len(w)), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += torch.normal(0, 0.01, y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
