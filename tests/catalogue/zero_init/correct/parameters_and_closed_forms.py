"""nn.Parameter built with Tensor.normal_ on an empty tensor; closed-form gradients; variance ** 0.5.

Unusual: init_params returns nn.Parameter objects (leaf tensors that require grad) filled in place by
torch.empty(...).normal_(0, sigma, generator=...); first_step_grads and two_layer_zero_init_grads
use the closed forms -X^T y, -sum(y) and -mean(y) (acceptable per the notes); zero_init_works trains
with torch.optim.SGD on the mean loss, equivalent to D2L's summed loss with sgd / batch_size."""

import torch
from torch import nn


def init_params(num_inputs: int, mode: str = "normal", sigma: float = 0.01,
                generator: torch.Generator | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """w (num_inputs, 1) and b (1,) as nn.Parameter."""
    if mode not in ("zeros", "normal"):
        raise ValueError(f"mode must be 'zeros' or 'normal', not {mode!r}")
    w = torch.empty(num_inputs, 1)
    if mode == "zeros":
        w.zero_()
    else:
        w.normal_(0.0, sigma, generator=generator)
    return nn.Parameter(w), nn.Parameter(torch.zeros(1))


def first_step_grads(X: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """At w = 0, b = 0 the residual is -y: dL/dw = -X^T y, dL/db = -sum(y)."""
    with torch.no_grad():
        r = -y.reshape(-1, 1)
        return X.T @ r, r.sum(0)


def std_for_variance(variance: float) -> float:
    """The sigma for a given variance."""
    return variance ** 0.5


def zero_init_works() -> bool:
    """Train from zeros with torch.optim.SGD on the mean loss (lr 0.03, batch 10, 3 epochs)."""
    generator = torch.Generator().manual_seed(1)
    X = torch.randn(1000, 2, generator=generator)
    y = X @ torch.tensor([[2.0], [-3.4]]) + 4.2 + 0.01 * torch.randn(1000, 1, generator=generator)
    w, b = init_params(2, "zeros")
    optimizer = torch.optim.SGD([w, b], lr=0.03)
    for _ in range(3):
        for batch in torch.randperm(1000, generator=generator).split(10):
            optimizer.zero_grad()
            (((X[batch] @ w + b - y[batch]) ** 2) / 2).mean().backward()
            optimizer.step()
    return bool(torch.allclose(w.detach(), torch.tensor([[2.0], [-3.4]]), atol=0.01) and abs(b.item() - 4.2) < 0.01)


def two_layer_zero_init_grads(X: torch.Tensor, y: torch.Tensor, hidden: int = 3) -> dict[str, torch.Tensor]:
    """Closed form: out = 0, residual -y; only b2 gets a gradient, -mean(y)."""
    d = X.shape[1]
    return {"W1": torch.zeros(d, hidden), "b1": torch.zeros(hidden), "W2": torch.zeros(hidden, 1),
            "b2": -y.detach().reshape(-1).mean().reshape(1)}
