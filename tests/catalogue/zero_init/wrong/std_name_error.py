"""std_for_variance misspells its argument (`varience`): a NameError.

Everyday Python, not PyTorch: the message must say where (file and line) and what a NameError
means, not "print the shapes of what you combine"; it used to do the latter (issue 9).
"""

# expect: test_std_for_variance -> name_error

import math

import torch


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
    return math.sqrt(varience)


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
