"""first_step_grads writes the gradient in closed form as X^T (y - X w) = X^T y, the normal equations' residual.

Source: textbook derivations set X^T (y - X w) = 0; taken as the gradient it has the wrong sign
(the gradient of 1/2 ||X w + b - y||^2 is X^T (X w + b - y))."""

import math

import torch

# expect: test_first_step_grads -> gradient_sign


def init_params(num_inputs: int, mode: str = "normal", sigma: float = 0.01,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """w (num_inputs, 1) and b (1,), float32 leaves with requires_grad=True."""
    if mode == "zeros":
        w = torch.zeros((num_inputs, 1), requires_grad=True)
    elif mode == "normal":
        w = torch.normal(0.0, sigma, size=(num_inputs, 1), generator=generator, requires_grad=True)
    else:
        raise ValueError(f"unknown mode {mode!r}")
    b = torch.zeros(1, requires_grad=True)
    return w, b


def first_step_grads(X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Gradients at w = 0, b = 0, in closed form."""
    residual = y.reshape(-1, 1)  # y - (X w + b) with w = 0, b = 0
    return X.T @ residual, residual.sum(0)


def std_for_variance(variance: float) -> float:
    """The sigma for a given variance."""
    return math.sqrt(variance)


def zero_init_works() -> bool:
    """Linear regression trains from w = 0."""
    return True


def two_layer_zero_init_grads(X: torch.Tensor, y: torch.Tensor, hidden: int = 3) -> dict[str, torch.Tensor]:
    """Gradients of the mean 1/2 squared loss of a two-layer linear net with all parameters zero."""
    params = {
        "W1": torch.zeros((X.shape[1], hidden), requires_grad=True),
        "b1": torch.zeros(hidden, requires_grad=True),
        "W2": torch.zeros((hidden, 1), requires_grad=True),
        "b2": torch.zeros(1, requires_grad=True),
    }
    out = (X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    loss = ((out - y.reshape(out.shape)) ** 2 / 2).mean()
    loss.backward()
    return {name: param.grad for name, param in params.items()}
