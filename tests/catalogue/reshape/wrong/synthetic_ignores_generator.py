"""synthetic_data draws from torch's global generator whatever generator it is given.

The book's torch.normal(0, 1, (num_examples, len(w))) copied verbatim: seeding the generator
passed in changes nothing, so the data cannot be reproduced from it.
"""

# expect: test_synthetic_generator_and_integer_w -> ignored_generator
# expect: test_synthetic_shapes -> ignored_generator

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.normal(0, 1, (num_examples, len(w)))
    y = X @ w.to(X.dtype) + b
    y += torch.normal(0, noise, y.shape)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
