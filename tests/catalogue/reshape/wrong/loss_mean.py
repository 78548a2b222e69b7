"""squared_loss returns the mean, as the new English edition's loss does (d2l.reduce_mean).

The old-edition loop calls l.sum().backward() on one loss per example; a scalar mean also
shrinks every gradient by 1/n.
"""

# expect: test_loss_values -> reduced
# expect: test_loss_gradient -> reduced

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return ((y_hat - y.reshape(y_hat.shape)) ** 2 / 2).mean()


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
