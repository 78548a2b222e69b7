"""first_step_grads returns the b gradient per example, -y as a vector, instead of their sum.

Source: exercises-notes.md section 4 (CSDN blog expecting "10 gradient values per parameter";
ZH forum "b.grad 应该一直等于0"): the gradient of b is taken to have one entry per example."""

import math

import torch

# expect: test_first_step_grads -> b_grad_shape


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
    residual = -y.reshape(-1, 1)
    return X.T @ residual, residual.reshape(-1)


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
