"""Probes for the abs_loss exercise: the absolute loss, D2L's loop with any loss, an outlier.

fit is handed a loss by name: "squared" (D2L's), "l1" (PyTorch's own absolute loss, so that fit is
judged apart from the student's abs_loss) or "abs_loss" (the student's, for the outlier experiment).
The book's data are drawn here from a seed the judge sends, exactly as the judge draws them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch
from torch.nn import functional as F

from course_checks.probes import MissingFunction, ProbeResult, TensorData, call, tensor
from course_checks.probes import d2l

Loss = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


@dataclass(frozen=True)
class LossValues(ProbeResult):
    """What abs_loss returned, and its inputs as they are after the call."""

    loss: object
    y_hat_after: TensorData
    y_after: TensorData


@dataclass(frozen=True)
class LossGradient(ProbeResult):
    """abs_loss's result, and y_hat.grad after backward of its sum (None when backward never reached y_hat)."""

    loss: object
    grad: TensorData | None


@dataclass(frozen=True)
class OutlierCopy(ProbeResult):
    """What with_outlier returned, and the labels it was given as they are after the call."""

    result: object
    labels_after: TensorData


@dataclass(frozen=True)
class Fits(ProbeResult):
    """What each fit call returned, and whether features and labels still hold their values."""

    results: list[object]
    inputs_unchanged: bool


def warm_up() -> None:
    """PyTorch's absolute loss and the sign of a residual, once."""
    y_hat = torch.zeros(3, 1, requires_grad=True)
    F.l1_loss(y_hat, torch.ones(3, 1), reduction="none").sum().backward()


def _l1(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    return F.l1_loss(y_hat, y.reshape(y_hat.shape), reduction="none")


def _loss(module: ModuleType, name: str) -> Loss:
    """The loss fit is given: D2L's squared loss, PyTorch's absolute loss, or the student's abs_loss."""
    if name != "abs_loss":
        return {"squared": d2l.squared_loss, "l1": _l1}[name]
    student_loss = getattr(module, "abs_loss", None)
    if not callable(student_loss):
        raise MissingFunction("abs_loss")
    return student_loss


def loss_values(module: ModuleType, y_hat: list[Any], y: list[Any], requires_grad: bool = False) -> LossValues:
    """`abs_loss(y_hat, y)` on fresh tensors (y_hat a leaf that requires grad, if asked), and the inputs afterwards."""
    y_hat_tensor, y_tensor = tensor(y_hat, requires_grad=requires_grad), tensor(y)
    loss = call(module, "abs_loss", y_hat_tensor, y_tensor)
    return LossValues.of(loss=loss, y_hat_after=y_hat_tensor.detach(), y_after=y_tensor)


def loss_gradient(module: ModuleType, y_hat: list[Any], y: list[Any]) -> LossGradient:
    """The loss and d(sum of the loss)/d y_hat, with y_hat a leaf that requires grad."""
    y_hat_leaf = tensor(y_hat, requires_grad=True)
    loss = call(module, "abs_loss", y_hat_leaf, tensor(y))
    if isinstance(loss, torch.Tensor) and loss.requires_grad:  # else there is no graph to follow: grad stays None
        loss.sum().backward()
    return LossGradient.of(loss=loss, grad=y_hat_leaf.grad)


def outlier_copy(module: ModuleType, labels: list[Any], index: int, value: float) -> OutlierCopy:
    """`with_outlier(labels, index=index, value=value)` on a fresh tensor, and that tensor afterwards."""
    labels_tensor = tensor(labels)
    result = call(module, "with_outlier", labels_tensor, index=index, value=value)
    return OutlierCopy.of(result=result, labels_after=labels_tensor)


def fits(module: ModuleType, features: list[Any], labels: list[Any], runs: list[dict[str, Any]]) -> Fits:
    """`fit(features, labels, loss, **options)` for each run in order (its "loss" named as above), on the
    same tensors; and whether those tensors still hold their values afterwards."""
    return _fits(module, tensor(features), tensor(labels), runs)


def book_fits(module: ModuleType, data_seed: int, runs: list[dict[str, Any]],
              outlier: dict[str, Any] | None = None, num_examples: int = 1000) -> Fits:
    """Like `fits`, on D2L's data (w = [2, -3.4], b = 4.2, noise 0.01; the book's 1000 examples unless
    told otherwise) drawn from data_seed; with `outlier` ({"index": ..., "value": ...}) the labels go
    through the student's with_outlier first."""
    generator = torch.Generator().manual_seed(data_seed)
    features, labels = d2l.synthetic_data(torch.tensor(d2l.TRUE_W), d2l.TRUE_B, num_examples, generator=generator)
    if outlier is not None:
        labels = call(module, "with_outlier", labels, **outlier)
    return _fits(module, features, labels, runs)


def _fits(module: ModuleType, features: torch.Tensor, labels: Any, runs: list[dict[str, Any]]) -> Fits:
    features_before = features.clone()
    labels_before = labels.clone() if isinstance(labels, torch.Tensor) else labels
    results = []
    for run in runs:
        options = {key: value for key, value in run.items() if key != "loss"}
        results.append(_snapshot(call(module, "fit", features, labels, _loss(module, run["loss"]), **options)))
    unchanged = torch.equal(features, features_before) and (
        not isinstance(labels, torch.Tensor) or torch.equal(labels, labels_before))
    return Fits.of(results=results, inputs_unchanged=unchanged)


def _snapshot(value: Any) -> Any:
    """What fit returned, as it was when it returned: a later call may go on training the same tensors."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if type(value) in (tuple, list):
        return type(value)(_snapshot(item) for item in value)
    return value


def robust(module: ModuleType) -> Any:
    """robust_losses(): a set comes back as a sorted list of its members."""
    return call(module, "robust_losses")
