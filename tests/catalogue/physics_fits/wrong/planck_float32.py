"""planck and the fit stay in torch's default float32: planck in the dtype of its inputs, log T made without a dtype.

Source: exercises-notes.md section 7, Ex 11 ("float32 exp(hc/λkT) overflows for λ = 100 nm at 300 K
(B = 0, log = -inf)"); pandalabme/d2l computes Planck's law on float32 wavelengths with a float32 T.
One misconception, two places: with a float32 log T the fit's gradient is inf at the first step
(autograd squares wavelength * k * T, near 1e-26, which float32 cannot hold)."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23

# expect: test_planck_values -> float32
# expect: test_temperature_fit -> float32
# expect: test_temperature_fresh -> float32


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
    """Black-body spectral radiance in SI units, in the dtype of the measurements."""
    return 2 * H * C**2 / wavelength**5 / torch.expm1(H * C / (wavelength * K_B * temperature))


def fit_temperature(wavelength: torch.Tensor, radiance: torch.Tensor, T0: float = 3000.0, steps: int = 300) -> float:
    """The temperature whose Planck curve fits the radiance: Adam on log T, in torch's default dtype."""
    log_B = torch.log(radiance)
    log_T = torch.tensor(math.log(T0), requires_grad=True)
    optimizer = torch.optim.Adam([log_T], lr=0.05)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((torch.log(planck(wavelength, log_T.exp())) - log_B) ** 2).mean()
        loss.backward()
        optimizer.step()
    return log_T.exp().item()
