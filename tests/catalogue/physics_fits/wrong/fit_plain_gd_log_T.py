"""fit_temperature: plain gradient descent on log T with lr 0.05, too large for cool bodies.

Source: exercises-notes.md section 7, Ex 11, correction of 2026-12-01 ("plain GD on log T needs
lr < about 0.005"; measured here: below about 0.009 from 3000 K): the curvature of the log loss
grows like (hc/λkT)^2. On the hidden check's wavelengths it sometimes lands within 0.5 %, so only the
public check is declared."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23

# expect: test_temperature_fit -> overshoot


def fit_resistance(current: torch.Tensor, voltage: torch.Tensor, lr: float = 0.5, steps: int = 200) -> float:
    """R in V = I * R by gradient descent on the mean 1/2 squared loss, from R = 0."""
    R = torch.zeros(1, requires_grad=True)
    for _ in range(steps):
        loss = ((current * R - voltage) ** 2 / 2).mean()
        loss.backward()
        with torch.no_grad():
            R -= lr * R.grad
            R.grad.zero_()
    return R.item()


def planck(wavelength: torch.Tensor, temperature: torch.Tensor | float) -> torch.Tensor:
    """Black-body spectral radiance in SI units, float64."""
    wavelength = torch.as_tensor(wavelength, dtype=torch.float64)
    temperature = torch.as_tensor(temperature, dtype=torch.float64)
    return 2 * H * C**2 / wavelength**5 / torch.expm1(H * C / (wavelength * K_B * temperature))


def fit_temperature(wavelength: torch.Tensor, radiance: torch.Tensor, T0: float = 3000.0, steps: int = 300) -> float:
    """The temperature by plain gradient descent on log T and the log loss."""
    log_B = torch.log(radiance.to(torch.float64))
    log_T = torch.tensor(math.log(T0), dtype=torch.float64, requires_grad=True)
    for _ in range(steps):
        loss = ((torch.log(planck(wavelength, log_T.exp())) - log_B) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            log_T -= 0.05 * log_T.grad
            log_T.grad.zero_()
    return log_T.exp().item()
