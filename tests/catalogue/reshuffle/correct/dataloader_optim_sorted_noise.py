"""train_one with a DataLoader and torch.optim.SGD on the mean loss; the dataset sorted by its label noise.

Unusual: nn.Parameters, DataLoader(shuffle=shuffle) reshuffling through the seeded generator, the mean 1/2
squared loss with optim.SGD(lr) (the same steps as the summed loss with sgd dividing by batch_size); the
malicious order is the noise sorted from largest to smallest, made orthogonal to the features first so that
the least-squares fit stays exactly w*, b*."""

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

true_w, true_b = torch.tensor([2.0, -3.4]), 4.2


def train_one(features: torch.Tensor, labels: torch.Tensor, shuffle: bool, lr: float = 0.03,
              batch_size: int = 10, num_epochs: int = 3, seed: int = 0, *,
              trace: list[float] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """D2L's loop through torch's own data loader and optimiser."""
    generator = torch.Generator().manual_seed(seed)
    w = nn.Parameter(torch.randn(features.shape[1], 1, generator=generator) * 0.01)
    b = nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([w, b], lr=lr)
    loader = DataLoader(TensorDataset(features, labels), batch_size=batch_size, shuffle=shuffle, generator=generator)
    for _ in range(num_epochs):
        for X, y in loader:
            optimizer.zero_grad()
            ((X @ w + b - y) ** 2 / 2).mean().backward()
            optimizer.step()
            if trace is not None:
                trace.append(b.item())
    return w.detach(), b.detach()


def make_adversarial_dataset(num_examples: int = 1000, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """The book's features with large label noise, stored from the largest noise to the smallest."""
    generator = torch.Generator().manual_seed(seed)
    features = torch.randn(num_examples, 2, generator=generator)
    noise = 4.0 * torch.randn(num_examples, 1, generator=generator)
    design = torch.cat([features, torch.ones(num_examples, 1)], dim=1)
    noise = noise - design @ torch.linalg.lstsq(design, noise).solution  # no part of it that a line could fit
    order = noise.reshape(-1).argsort(descending=True)
    return features[order], (features @ true_w.reshape(-1, 1) + true_b + noise)[order]
