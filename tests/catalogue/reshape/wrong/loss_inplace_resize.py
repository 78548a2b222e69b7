"""squared_loss reshapes y in place with resize_, changing the caller's labels.

In-place habits from sgd (`param -= ...`, `param.grad.zero_()`) carried over to the labels:
the caller's y changes shape under its feet, and a y of another size is truncated or padded
with garbage instead of raising.
"""

# expect: test_loss_values -> mutated_input
# expect: test_loss_mismatch_raises -> silent_broadcast

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    y.resize_(y_hat.shape)
    return (y_hat - y) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
