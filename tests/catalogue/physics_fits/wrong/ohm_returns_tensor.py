"""fit_resistance returns the trained tensor R instead of a Python float.

Source: own (the book's loop ends with the tensors w and b; the contract asks for a number)."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23

# expect: test_resistance_steps -> not_a_number
# expect: test_resistance_fit -> not_a_number
# expect: test_resistance_fresh -> not_a_number


def fit_resistance(current: torch.Tensor, voltage: torch.Tensor, lr: float = 0.5, steps: int = 200) -> float:
    """R in V = I * R by gradient descent on the mean 1/2 squared loss, from R = 0."""
    R = torch.zeros(1, requires_grad=True)
    for _ in range(steps):
        loss = ((current * R - voltage) ** 2 / 2).mean()
        loss.backward()
        with torch.no_grad():
            R -= lr * R.grad
            R.grad.zero_()
    return R


def planck(wavelength: torch.Tensor, temperature: torch.Tensor | float) -> torch.Tensor:
    """Black-body spectral radiance in SI units, float64."""
    wavelength = torch.as_tensor(wavelength, dtype=torch.float64)
    temperature = torch.as_tensor(temperature, dtype=torch.float64)
    return 2 * H * C**2 / wavelength**5 / torch.expm1(H * C / (wavelength * K_B * temperature))


def fit_temperature(wavelength: torch.Tensor, radiance: torch.Tensor, T0: float = 3000.0, steps: int = 300) -> float:
    """The temperature whose Planck curve fits the radiance: Adam on log T, log loss."""
    log_B = torch.log(radiance.to(torch.float64))
    log_T = torch.tensor(math.log(T0), dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([log_T], lr=0.05)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((torch.log(planck(wavelength, log_T.exp())) - log_B) ** 2).mean()
        loss.backward()
        optimizer.step()
    return log_T.exp().item()
