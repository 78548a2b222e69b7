"""fit_temperature runs D2L's loop on the radiance itself: squared loss of B, plain steps of lr 0.03 on T.

Source: exercises-notes.md section 7, Ex 11 ("a raw-scale squared loss has dL/dT = -8.1e21 at
T = 3000 (no usable lr)"): the first step throws T to about 2e20 K."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23

# expect: test_temperature_fit -> raw_scale_loss
# expect: test_temperature_fresh -> raw_scale_loss
# headline


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
    """The temperature by D2L's loop: squared loss, plain gradient steps on T."""
    T = torch.tensor(T0, requires_grad=True)
    lr = 0.03
    for _ in range(steps):
        loss = ((planck(wavelength, T) - radiance) ** 2 / 2).mean()
        loss.backward()
        with torch.no_grad():
            T -= lr * T.grad
            T.grad.zero_()
    return T.item()
