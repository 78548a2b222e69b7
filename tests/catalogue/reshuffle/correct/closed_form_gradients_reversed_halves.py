"""train_one without autograd: the gradients written out; the halves stored the other way round.

Unusual: w and b are plain tensors updated by their closed-form gradients X^T r / batch_size and sum(r) / batch_size;
the order comes from argsort of uniform draws; the dataset puts the -5 half first and the +5 half last, so the
stored order ends above the least-squares b instead of below it."""

import torch

true_w, true_b = torch.tensor([2.0, -3.4]), 4.2


def train_one(features: torch.Tensor, labels: torch.Tensor, shuffle: bool, lr: float = 0.03,
              batch_size: int = 10, num_epochs: int = 3, seed: int = 0, *,
              trace: list[float] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """D2L's loop, gradients by hand."""
    generator = torch.Generator().manual_seed(seed)
    w = torch.randn(features.shape[1], 1, generator=generator) * 0.01
    b = torch.zeros(1)
    n = features.shape[0]
    for _ in range(num_epochs):
        order = torch.rand(n, generator=generator).argsort() if shuffle else torch.arange(n)
        for batch in order.split(batch_size):
            X, y = features[batch], labels[batch]
            residual = X @ w + b - y
            w = w - lr * X.T @ residual / batch_size
            b = b - lr * residual.sum(0) / batch_size
            if trace is not None:
                trace.append(float(b[0]))
    return w, b


def make_adversarial_dataset(num_examples: int = 1000, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The same 500 feature rows twice: offset -5 first, +5 last."""
    generator = torch.Generator().manual_seed(seed)
    first = num_examples // 2
    rows = torch.randn(num_examples - first, 2, generator=generator)
    features = torch.cat([rows[:first], rows])
    offsets = torch.cat([torch.full((first, 1), -5.0), torch.full((num_examples - first, 1), 5.0)])
    return features, features @ true_w.reshape(-1, 1) + true_b + offsets
