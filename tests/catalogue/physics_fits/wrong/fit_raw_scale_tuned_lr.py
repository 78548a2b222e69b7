"""fit_temperature keeps the raw-scale squared loss and tunes the learning rate down to 1e-21.

Source: pandalabme/d2l, §3.4 exercise 3 (PlankModel: `(y_hat-y)**2/2`, `d2l.SGD([self.T], lr=1e-21)`,
T0 = 3000, fitted 5055 K for 5020 K). The rate suits a hot body only: a cooler one's radiance, and
gradient, is hundreds of times smaller, and the fit stops near 2800 K for a 2000 K body."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23

# expect: test_temperature_fit -> raw_scale_loss
# expect: test_temperature_fresh -> raw_scale_loss


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
    """The temperature by plain gradient descent on the squared loss, with a learning rate that works at 5000 K."""
    T = torch.tensor([T0], dtype=torch.float64, requires_grad=True)
    for _ in range(steps):
        loss = ((planck(wavelength, T) - radiance) ** 2 / 2).mean()
        loss.backward()
        with torch.no_grad():
            T -= 1e-21 * T.grad
            T.grad.zero_()
    return T.item()
