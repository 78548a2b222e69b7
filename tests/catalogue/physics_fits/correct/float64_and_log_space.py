"""Everything in float64 and in logarithms: a float64 R, log B computed directly, Adam on log T with a summed loss.

Unusual: fit_resistance converts the measurements to float64 and trains a float64 R; planck computes
log B and exponentiates (log(expm1(x)) is inf where expm1 overflows, so B is 0 there); the fit sums
the squared log errors (Adam does not mind the scale) with lr 0.1."""

import math

import torch

H = 6.62607015e-34
C = 299792458.0
K_B = 1.380649e-23


def fit_resistance(current: torch.Tensor, voltage: torch.Tensor, lr: float = 0.5, steps: int = 200) -> float:
    """R in V = I * R by gradient descent on the mean 1/2 squared loss, from R = 0."""
    I, V = current.double(), voltage.double()
    R = torch.zeros((), dtype=torch.float64, requires_grad=True)
    for _ in range(steps):
        loss = 0.5 * ((I * R - V) ** 2).mean()
        loss.backward()
        with torch.no_grad():
            R.sub_(lr * R.grad)
        R.grad.zero_()
    return R.item()


def planck(wavelength: torch.Tensor, temperature: torch.Tensor | float) -> torch.Tensor:
    """Black-body spectral radiance in SI units."""
    lam = torch.as_tensor(wavelength, dtype=torch.float64)
    T = torch.as_tensor(temperature, dtype=torch.float64)
    log_B = math.log(2 * H * C**2) - 5 * torch.log(lam) - torch.log(torch.expm1(H * C / (K_B * lam * T)))
    return torch.exp(log_B)


def fit_temperature(wavelength: torch.Tensor, radiance: torch.Tensor, T0: float = 3000.0, steps: int = 300) -> float:
    """The temperature by Adam on log T, summed log loss."""
    log_B = torch.log(radiance.to(torch.float64))
    log_T = torch.tensor([math.log(T0)], dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.Adam([log_T], lr=0.1)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((torch.log(planck(wavelength, log_T.exp())) - log_B) ** 2).sum()
        loss.backward()
        optimizer.step()
    return log_T.exp().item()
