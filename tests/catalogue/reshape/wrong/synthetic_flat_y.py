"""synthetic_data returns y of shape (n,): no reshape(-1, 1).

The first Chinese edition (MXNet) and the ShusenTang PyTorch port build flat labels; the ZH
forum asks "这里最后的y为什么要reshape成一个列向量".
"""

# expect: test_synthetic_statistics -> y_not_column
# expect: test_synthetic_shapes -> y_not_column

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
