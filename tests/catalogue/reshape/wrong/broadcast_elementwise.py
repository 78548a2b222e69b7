"""broadcast_shape answers (n, 1): the subtraction is assumed to be elementwise.

The ZH forum's "w是一个2*1的向量, 不用reshape" reasoning: believing y_hat - y keeps y_hat's
shape, which is exactly the silent broadcast the reshape prevents.
"""

# expect: test_broadcast_shape -> broadcast_elementwise

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, 1)
