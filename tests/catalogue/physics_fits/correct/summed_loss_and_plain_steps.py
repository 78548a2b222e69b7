"""D2L's own loop shapes: a summed loss divided by n, autograd.grad, -expm1(-x), plain steps on log T.

Unusual: fit_resistance sums the losses and divides the step by n (D2L's sgd), with
torch.autograd.grad instead of backward; planck multiplies by exp(-x) / (1 - exp(-x)), which never
overflows; fit_temperature takes plain gradient steps on log T with a learning rate inside the
narrow window that works (0.006)."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23


def fit_resistance(current: torch.Tensor, voltage: torch.Tensor, lr: float = 0.5, steps: int = 200) -> float:
    """R in V = I * R by gradient descent on the mean 1/2 squared loss, from R = 0."""
    R = torch.zeros(1, requires_grad=True)
    n = len(current)
    for _ in range(steps):
        l = (current * R - voltage) ** 2 / 2
        (grad,) = torch.autograd.grad(l.sum(), R)
        with torch.no_grad():
            R -= lr * grad / n
    return R.item()


def planck(wavelength: torch.Tensor, temperature: torch.Tensor | float) -> torch.Tensor:
    """Black-body spectral radiance in SI units."""
    lam = torch.as_tensor(wavelength).to(torch.float64)
    T = torch.as_tensor(temperature, dtype=torch.float64)
    x = H * C / (lam * K_B * T)
    return 2 * H * C**2 / lam**5 * torch.exp(-x) / -torch.expm1(-x)


def fit_temperature(wavelength: torch.Tensor, radiance: torch.Tensor, T0: float = 3000.0, steps: int = 300) -> float:
    """The temperature by plain gradient descent on log T, lr 0.006."""
    target = torch.log(radiance.double())
    log_T = torch.full((), math.log(T0), dtype=torch.float64, requires_grad=True)
    for _ in range(steps):
        loss = ((torch.log(planck(wavelength, torch.exp(log_T))) - target) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            log_T -= 0.006 * log_T.grad
            log_T.grad = None
    return torch.exp(log_T).item()
