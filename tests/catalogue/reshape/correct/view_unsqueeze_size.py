"""Correct: torch.normal with a generator, y.unsqueeze(1), y.view(y_hat.shape), and a computed torch.Size.

view is accepted because the checks pass contiguous tensors; broadcast_shape returns the
torch.Size of a real subtraction, which the contract counts as a tuple.
"""

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.normal(0.0, 1.0, (num_examples, len(w)), generator=generator)
    y = torch.matmul(X, w.float()) + b
    y = y + torch.normal(0.0, noise, y.shape, generator=generator)
    return X, y.unsqueeze(1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.view(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> torch.Size:
    return (torch.zeros(n, 1) - torch.zeros(n)).shape
