"""squared_loss without the reshape: (y_hat - y) ** 2 / 2.

The ZH forum's "这里我觉得好像不用reshape吧" and the new English edition, whose loss dropped the
reshape (d2l-en PR #2320). With a flat y of shape (n,) and y_hat of shape (n, 1) it silently
broadcasts to an (n, n) table; trained that way the model only learns the batch mean.
"""

# expect: test_loss_values -> no_reshape
# expect: test_loss_mismatch_raises -> silent_broadcast
# expect: test_loss_gradient -> no_reshape
# headline: a visible check must catch this one

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
