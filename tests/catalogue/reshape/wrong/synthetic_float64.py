"""synthetic_data works in float64 to be safe with an integer w (NumPy's default dtype).

The data are right by value, but float64 X and y make D2L's float32 model fail at X @ w
("must have the same dtype").
"""

# expect: test_synthetic_generator_and_integer_w -> float64
# expect: test_synthetic_shapes -> float64

import torch


def synthetic_data(w: torch.Tensor, b: float, num_examples: int, noise: float = 0.01,
                   generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    X = torch.randn(num_examples, len(w), generator=generator, dtype=torch.float64)
    y = X @ w.double() + b
    y += noise * torch.randn(y.shape, generator=generator, dtype=torch.float64)
    return X, y.reshape(-1, 1)


def squared_loss(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def broadcast_shape(n: int) -> tuple[int, ...]:
    return (n, n)
