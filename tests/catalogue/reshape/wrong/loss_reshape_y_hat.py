"""squared_loss reshapes the wrong side: y_hat.reshape(y.shape) - y.

The values are right, but with a flat y the loss comes back flat (n,) instead of shaped like
y_hat, contrary to the contract (the notes' "y_hat.reshape(y.shape) or flattening both").
"""

# expect: test_loss_values -> reshaped_y_hat

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat.reshape(y.shape) - y) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
