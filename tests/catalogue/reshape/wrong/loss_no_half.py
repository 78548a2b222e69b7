"""squared_loss without the 1/2: (y_hat - y.reshape(y_hat.shape)) ** 2.

The textbook squared error (and nn.MSELoss, which "并没有除以 2", as the ShusenTang port
notes); D2L's loss keeps the 1/2 so that the gradient is exactly y_hat - y.
"""

# expect: test_loss_values -> no_half
# expect: test_loss_gradient -> no_half

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
