"""synthetic_data reshapes y to a column first, then adds flat noise of shape (n,).

The broadcasting trap of this exercise inside the data generator: (n, 1) + (n,) is (n, n).
D2L avoids it by drawing the noise with y.shape.
"""

# expect: test_synthetic_statistics -> noise_broadcast

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = (X @ w.to(X.dtype) + b).reshape(-1, 1)
    y = y + noise * torch.randn(num_examples, generator=generator)
    return X, y


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
