"""planck drops the - 1 of the denominator: Wien's approximation, wrong at long wavelengths.

Source: own (a common physics shortcut: exp(x) - 1 is about exp(x) for large x, which the learner
assumes holds everywhere)."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23

# expect: test_planck_values -> wien_approximation
# expect: test_planck_fresh -> wien_approximation
# expect: test_planck_gradient -> wien_approximation
# expect: test_temperature_fit -> planck_first
# expect: test_temperature_fresh -> planck_first


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
    """Black-body spectral radiance in SI units."""
    wavelength = torch.as_tensor(wavelength, dtype=torch.float64)
    temperature = torch.as_tensor(temperature, dtype=torch.float64)
    return 2 * H * C**2 / wavelength**5 / torch.exp(H * C / (wavelength * K_B * temperature))


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
