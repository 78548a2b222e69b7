"""torch.func.grad for both gradient functions, computed in float64; torch.normal with a tensor mean.

Unusual: init_params draws with torch.normal(mean=zeros tensor, std=sigma) and matches on the mode
with a `match` statement; first_step_grads and two_layer_zero_init_grads differentiate pure
functions of a parameter dict with torch.func.grad, in float64 (returned as float64, which the
contract accepts by value); std_for_variance uses math.pow."""

import math

import torch


def init_params(num_inputs: int, mode: str = "normal", sigma: float = 0.01,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """w (num_inputs, 1) and b (1,)."""
    match mode:
        case "zeros":
            w = torch.zeros(num_inputs, 1)
        case "normal":
            w = torch.normal(torch.zeros(num_inputs, 1), sigma, generator=generator)
        case _:
            raise ValueError(f"no such mode: {mode}")
    return w.requires_grad_(True), torch.zeros(1, requires_grad=True)


def first_step_grads(X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """torch.func.grad of the summed 1/2 squared loss at w = 0, b = 0, in float64."""
    X64, y64 = X.detach().double(), y.detach().double().reshape(-1, 1)

    def loss(params: dict[str, torch.Tensor]) -> torch.Tensor:
        return ((X64 @ params["w"] + params["b"] - y64) ** 2 / 2).sum()

    grads = torch.func.grad(loss)({"w": torch.zeros(X.shape[1], 1, dtype=torch.float64),
                                   "b": torch.zeros(1, dtype=torch.float64)})
    return grads["w"], grads["b"]


def std_for_variance(variance: float) -> float:
    """The sigma for a given variance."""
    return math.pow(variance, 0.5)


def zero_init_works() -> bool:
    """Linear regression trains from w = 0."""
    return True


def two_layer_zero_init_grads(X: torch.Tensor, y: torch.Tensor, hidden: int = 3) -> dict[str, torch.Tensor]:
    """torch.func.grad of the mean 1/2 squared loss with every parameter zero, in float64."""
    X64, y64 = X.detach().double(), y.detach().double().reshape(-1, 1)
    d = X.shape[1]

    def loss(p: dict[str, torch.Tensor]) -> torch.Tensor:
        out = (X64 @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
        return ((out - y64) ** 2 / 2).mean()

    zeros = {"W1": (d, hidden), "b1": (hidden,), "W2": (hidden, 1), "b2": (1,)}
    return torch.func.grad(loss)({name: torch.zeros(shape, dtype=torch.float64) for name, shape in zeros.items()})
