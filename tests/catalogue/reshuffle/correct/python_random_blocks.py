"""train_one with the book's data_iter idea: a list of indices shuffled by a random.Random seeded with seed.

Unusual: Python's random module draws the order (seeded, so runs repeat), torch only the initial w; the dataset
holds 200 feature rows five times, three copies with offset +4 and the last two with -6, which cancel row by row."""

import random

import torch

true_w, true_b = torch.tensor([2.0, -3.4]), 4.2


def linreg(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """The linear model."""
    return X @ w + b


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Elementwise 1/2 squared loss."""
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params: list[torch.Tensor], lr: float, batch_size: int) -> None:
    """D2L's minibatch SGD."""
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()


def train_one(features: torch.Tensor, labels: torch.Tensor, shuffle: bool, lr: float = 0.03,
              batch_size: int = 10, num_epochs: int = 3, seed: int = 0, *,
              trace: list[float] | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """D2L's loop with Python's random shuffling."""
    torch.manual_seed(seed)
    shuffler = random.Random(seed)
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    num_examples = len(features)
    for epoch in range(num_epochs):
        indices = list(range(num_examples))
        if shuffle:
            shuffler.shuffle(indices)
        for i in range(0, num_examples, batch_size):
            batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
            l = squared_loss(linreg(features[batch_indices], w, b), labels[batch_indices])
            l.sum().backward()
            sgd([w, b], lr, batch_size)
            if trace is not None:
                trace.append(b.item())
    return w.detach(), b.detach()


def make_adversarial_dataset(num_examples: int = 1000, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Five copies of the same rows: +4, +4, +4, then -6, -6."""
    generator = torch.Generator().manual_seed(seed)
    copies = 5
    rows = torch.randn(-(-num_examples // copies), 2, generator=generator)
    features = rows.repeat(copies, 1)[:num_examples]
    offsets = torch.cat([torch.full((3 * len(rows), 1), 4.0), torch.full((2 * len(rows), 1), -6.0)])[:num_examples]
    noise = 0.01 * torch.randn(num_examples, 1, generator=generator)
    return features, features @ true_w.reshape(-1, 1) + true_b + offsets + noise
