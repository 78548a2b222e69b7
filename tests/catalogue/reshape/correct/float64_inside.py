"""Correct: computes the data in float64 and returns float32; y[:, None]; the loss via torch.square.

Working in float64 internally is fine as long as X and y come back as float32; the loss is
written with torch.square and an explicit ValueError for a y of another size.
"""

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.empty(num_examples, len(w), dtype=torch.float64).normal_(generator=generator)
    y = X @ w.to(torch.float64) + b
    y += torch.empty_like(y).normal_(0.0, noise, generator=generator)
    return X.float(), y.float()[:, None]


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    if y.numel() != y_hat.numel():
        raise ValueError(f"{y.numel()} labels for {y_hat.numel()} predictions")
    return 0.5 * torch.square(y_hat - y.reshape(y_hat.shape))


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
