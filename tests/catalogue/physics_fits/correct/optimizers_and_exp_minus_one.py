"""torch.optim everywhere: SGD on a 0-d nn.Parameter R, exp(x) - 1 in float64, and L-BFGS on log T.

Unusual: R has shape (), the optimiser does the update; planck does without expm1 (float64 keeps
enough digits here); the temperature fit is one L-BFGS step of at most `steps` iterations with a
line search."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23


def fit_resistance(current: torch.Tensor, voltage: torch.Tensor, lr: float = 0.5, steps: int = 200) -> float:
    """R in V = I * R by gradient descent on the mean 1/2 squared loss, from R = 0."""
    R = torch.nn.Parameter(torch.tensor(0.0))
    optimizer = torch.optim.SGD([R], lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(current * R, voltage).div(2).backward()
        optimizer.step()
    return float(R)


def planck(wavelength: torch.Tensor, temperature: torch.Tensor | float) -> torch.Tensor:
    """Black-body spectral radiance in SI units."""
    lam = wavelength.double() if isinstance(wavelength, torch.Tensor) else torch.tensor(wavelength, dtype=torch.float64)
    T = temperature.double() if isinstance(temperature, torch.Tensor) else float(temperature)
    return 2 * H * C**2 / lam**5 / (torch.exp(H * C / (lam * K_B * T)) - 1)


def fit_temperature(wavelength: torch.Tensor, radiance: torch.Tensor, T0: float = 3000.0, steps: int = 300) -> float:
    """The temperature by L-BFGS on log T."""
    log_B = radiance.double().log()
    log_T = torch.tensor(math.log(T0), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([log_T], lr=1.0, max_iter=steps, line_search_fn="strong_wolfe")

    def closure() -> torch.Tensor:
        optimizer.zero_grad()
        loss = ((planck(wavelength, log_T.exp()).log() - log_B) ** 2).mean()
        loss.backward()
        return loss

    optimizer.step(closure)
    return math.exp(log_T.item())
