"""synthetic_data multiplies by w as given, like the book: torch.matmul(X, w).

Fine for true_w = torch.tensor([2, -3.4]), which is float; torch.tensor([2, -3]) is int64 and
PyTorch raises "addmv input tensors must have the same dtype".
"""

# expect: test_synthetic_generator_and_integer_w -> integer_w

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.normal(0, 1, (num_examples, len(w)), generator=generator)
    y = torch.matmul(X, w) + b
    y += torch.normal(0, noise, y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
