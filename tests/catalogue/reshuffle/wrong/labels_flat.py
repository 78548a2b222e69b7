"""The labels come back 1-D, shape (n,), because X @ w with a 1-D w is 1-D.

Source: exercises-notes.md section 2 (true_w is 1-D, so synthetic_data must reshape y to (-1, 1)) and section 6 Ex 3."""

import torch

# expect: test_dataset_fit -> labels_column

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
    """D2L's loop, stored or reshuffled order."""
    generator = torch.Generator().manual_seed(seed)
    w = torch.normal(0, 0.01, size=(features.shape[1], 1), generator=generator, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    num_examples = len(features)
    for _ in range(num_epochs):
        order = torch.randperm(num_examples, generator=generator) if shuffle else torch.arange(num_examples)
        for start in range(0, num_examples, batch_size):
            batch = order[start: start + batch_size]
            squared_loss(linreg(features[batch], w, b), labels[batch]).sum().backward()
            sgd([w, b], lr, batch_size)
            if trace is not None:
                trace.append(b.item())
    return w.detach(), b.detach()


def make_adversarial_dataset(num_examples: int = 1000, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """Two halves on the same features, offsets +5 and -5."""
    generator = torch.Generator().manual_seed(seed)
    half = (num_examples + 1) // 2
    rows = torch.randn(half, 2, generator=generator)
    features = torch.cat([rows, rows])[:num_examples]
    offsets = torch.full((num_examples,), 5.0)
    offsets[half:] = -5.0
    return features, features @ true_w + true_b + offsets
