"""squared_loss always makes y a column: y.reshape(-1, 1) instead of y.reshape(y_hat.shape).

Copying synthetic_data's reshape(-1, 1) into the loss: right for a column y_hat, but a flat
y_hat against a column y broadcasts to (n, n), and a single label broadcasts silently.
"""

# expect: test_loss_values -> hardcoded_column
# expect: test_loss_mismatch_raises -> silent_broadcast

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(-1, 1)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
