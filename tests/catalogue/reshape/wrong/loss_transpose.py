"""squared_loss transposes y instead of reshaping it: (y_hat - y.T) ** 2 / 2.

A Chinese answer page: "y是1×10，所以需要转置" (reshape confused with transpose). `.T` of a
1-D tensor is the same tensor, and `.T` of a column is a row that broadcasts to (n, n).
"""

# expect: test_loss_values -> transpose
# expect: test_loss_mismatch_raises -> silent_broadcast

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.T) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
