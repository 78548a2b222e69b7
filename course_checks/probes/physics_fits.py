"""Probes for the physics_fits exercise: Ohm's law and Planck's law fitted with autograd.

Every input arrives as plain lists and numbers; the probes build the tensors (float32 measurements
unless a check asks for float64), call the student's function and send back what came out. One
probe reruns a temperature fit while noting each loss that backward starts from, so that the
judge can tell a raw-scale loss, a float32 computation and a fit that never took a gradient step
apart without reading the student's code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch
from torch.overrides import TorchFunctionMode

from course_checks.probes import ProbeResult, TensorData, call, tensor

DTYPES = {"float32": torch.float32, "float64": torch.float64}
MAX_LOSSES = 2000  # losses noted per fit: more than any check's number of steps
# What a loss can be handed to: Tensor.backward reaches the mode itself, the others are functions.
BACKWARDS = (torch.Tensor.backward, torch.autograd.backward, torch.autograd.grad)
EXPONENTIALS = frozenset({"exp", "expm1", "exp_", "expm1_"})  # where float32 overflows first


class _LossRecorder(TorchFunctionMode):
    """Notes every tensor that a backward pass starts from (its sum, its dtype), however it is started."""

    def __init__(self) -> None:
        super().__init__()
        self.losses: list[float] = []
        self.dtypes: set[str] = set()
        self.exp_dtypes: set[str] = set()
        self.calls = 0

    def __torch_function__(self, func: Callable[..., Any], types: object, args: tuple[Any, ...] = (),
                           kwargs: dict[str, Any] | None = None) -> Any:
        kwargs = kwargs or {}
        if func in BACKWARDS:
            self.calls += 1
            self._note(args[0] if args else next(iter(kwargs.values()), None))
        result = func(*args, **kwargs)
        if getattr(func, "__name__", "") in EXPONENTIALS and isinstance(result, torch.Tensor):
            self.exp_dtypes.add(str(result.dtype).removeprefix("torch."))
        return result

    def _note(self, started_from: Any) -> None:
        first = started_from[0] if isinstance(started_from, (list, tuple)) and started_from else started_from
        if isinstance(first, torch.Tensor) and len(self.losses) < MAX_LOSSES:
            self.losses.append(float(first.detach().to(torch.float64).sum()))
            self.dtypes.add(str(first.dtype).removeprefix("torch."))


@dataclass(frozen=True)
class ResistanceFit(ProbeResult):
    """What fit_resistance returned, and the measurements as they are after the call."""

    R: object
    current_after: TensorData
    voltage_after: TensorData


@dataclass(frozen=True)
class RadianceGradient(ProbeResult):
    """planck's values for a temperature tensor that requires grad, and that tensor's .grad after
    backward of their sum (None when the values carry no graph back to it)."""

    radiance: object
    grad: TensorData | None


@dataclass(frozen=True)
class ObservedFit(ProbeResult):
    """A temperature fit watched: what it returned, how many backward passes it started, the loss
    each one started from, their dtypes, and the dtypes its exponentials ran in."""

    T: object
    backward_calls: int
    losses: list[float]
    loss_dtypes: list[str]
    exp_dtypes: list[str]


def warm_up() -> None:
    """Planck's law in float64, its gradient, and Adam's step, once (SGD is the zygote's own warm-up)."""
    parameter = torch.tensor(8.0, dtype=torch.float64, requires_grad=True)
    wavelength = torch.linspace(0.3e-6, 3e-6, 4, dtype=torch.float64)
    radiance = 2 * 6.6e-34 * 3e8**2 / wavelength**5 / torch.expm1(6.6e-34 * 3e8 / (wavelength * 1.4e-23 * parameter.exp()))
    adam = torch.optim.Adam([parameter], lr=0.1)
    torch.log(radiance).mean().backward()
    adam.step()


def resistance(module: ModuleType, current: list[float], voltage: list[float], lr: float, steps: int) -> ResistanceFit:
    """`fit_resistance(current, voltage, lr=lr, steps=steps)` on fresh float32 tensors, and the inputs afterwards."""
    current_tensor, voltage_tensor = tensor(current), tensor(voltage)
    R = call(module, "fit_resistance", current_tensor, voltage_tensor, lr=lr, steps=steps)
    return ResistanceFit.of(R=R, current_after=current_tensor, voltage_after=voltage_tensor)


def _temperature(temperature: float | list[float]) -> float | torch.Tensor:
    """A number stays a number; a list becomes a float64 tensor."""
    return temperature if isinstance(temperature, (int, float)) else tensor(temperature, dtype=torch.float64)


def radiance(module: ModuleType, wavelength: list[Any], temperature: float | list[float], dtype: str) -> Any:
    """`planck(wavelength, temperature)`, the wavelengths a fresh tensor of `dtype`, the temperature a
    number or a float64 tensor."""
    return call(module, "planck", tensor(wavelength, dtype=DTYPES[dtype]), _temperature(temperature))


def radiance_gradient(module: ModuleType, wavelength: list[float], temperature: list[float]) -> RadianceGradient:
    """planck on float64 wavelengths and a float64 temperature tensor that requires grad, and
    d(sum of the radiance)/d temperature by backward."""
    temperature_leaf = tensor(temperature, dtype=torch.float64, requires_grad=True)
    B = call(module, "planck", tensor(wavelength, dtype=torch.float64), temperature_leaf)
    if isinstance(B, torch.Tensor) and B.requires_grad:
        B.sum().backward()
    return RadianceGradient.of(radiance=B, grad=temperature_leaf.grad)


def temperature(module: ModuleType, wavelength: list[float], radiance: list[float], T0: float, steps: int) -> Any:
    """`fit_temperature(wavelength, radiance, T0=T0, steps=steps)` on fresh float32 tensors, as measurements
    usually arrive."""
    return call(module, "fit_temperature", tensor(wavelength), tensor(radiance), T0=T0, steps=steps)


def observed_temperature(module: ModuleType, wavelength: list[float], radiance: list[float], T0: float,
                         steps: int) -> ObservedFit:
    """The same fit as `temperature`, watched: each loss a backward pass starts from and its dtype, and the
    dtypes of the exponentials computed on the way."""
    with _LossRecorder() as recorder:
        T = temperature(module, wavelength, radiance, T0, steps)
    return ObservedFit.of(T=T, backward_calls=recorder.calls, losses=recorder.losses,
                          loss_dtypes=sorted(recorder.dtypes), exp_dtypes=sorted(recorder.exp_dtypes))
