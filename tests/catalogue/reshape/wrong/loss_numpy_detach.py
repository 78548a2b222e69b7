"""squared_loss computed in NumPy, after .detach() to silence PyTorch's error.

A NumPy habit: y_hat.numpy() raises "Can't call numpy() on Tensor that requires grad. Use
tensor.detach().numpy() instead.", the learner follows the advice, and the values and shape
are right, but the loss is cut off from the graph: backward never reaches w and b.
"""

# expect: test_loss_gradient -> no_gradient

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator)
    y = X @ w.to(X.dtype) + b
    y += noise * torch.randn(y.shape, generator=generator)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    r = y_hat.detach().numpy() - y.numpy().reshape(y_hat.shape)
    return torch.from_numpy(r**2 / 2)


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
