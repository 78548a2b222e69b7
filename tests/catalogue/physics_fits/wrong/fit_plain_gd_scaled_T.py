"""fit_temperature: plain gradient descent on T / 1000 with lr 1.0 on the log loss, a recipe that only works near 5000 K.

Source: exercises-notes.md section 7, Ex 11 (the first verified recipe, T-hat = 5001.3 K for 5000 K),
and its correction of 2026-12-01 (from 3000 K it ends at 7674 K for a 3500 K body; on this course's
data near 5800 K). For a 2000 K body the first step jumps to a negative temperature, then nan."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23

# expect: test_temperature_fit -> overshoot
# expect: test_temperature_fresh -> overshoot


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
    """The temperature by plain gradient descent on T / 1000 and the log loss."""
    log_B = torch.log(radiance.to(torch.float64))
    theta = torch.tensor(T0 / 1000, dtype=torch.float64, requires_grad=True)
    for _ in range(steps):
        loss = ((torch.log(planck(wavelength, theta * 1000)) - log_B) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            theta -= 1.0 * theta.grad
            theta.grad.zero_()
    return theta.item() * 1000
