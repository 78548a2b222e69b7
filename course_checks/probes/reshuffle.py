"""Probes for the reshuffle exercise: train_one's runs and the student's adversarial dataset."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch

from course_checks.probes import ProbeResult, call, tensor


@dataclass(frozen=True)
class Run(ProbeResult):
    """What one train_one call returned, and its trace (None when no trace was asked for)."""

    result: object
    trace: list[object] | None


@dataclass(frozen=True)
class Runs(ProbeResult):
    """train_one's runs on the same tensors, in order, and whether the tensors still hold their values afterwards."""

    runs: list[Run]
    inputs_unchanged: bool


def warm_up() -> None:
    """A seeded normal draw of a leaf with requires_grad, a seeded permutation, and least squares."""
    draws = torch.Generator().manual_seed(0)
    torch.normal(0, 0.01, size=(2, 1), generator=draws, requires_grad=True)
    torch.randperm(10, generator=draws)
    torch.linalg.lstsq(torch.ones(3, 2), torch.ones(3, 1))


def runs(module: ModuleType, features: list[Any], labels: list[Any], runs: list[dict[str, Any]]) -> Runs:
    """`train_one(features, labels, run["shuffle"], **options)` for each run in order, on the same
    tensors, the run's other entries as keyword options; a run with `"trace": True` passes a fresh
    list as trace= and sends it back."""
    X, y = tensor(features), tensor(labels)
    X_before, y_before = X.clone(), y.clone()
    results = []
    for run in runs:
        options = {key: value for key, value in run.items() if key not in ("shuffle", "trace")}
        trace: list[Any] | None = [] if run.get("trace") else None
        if trace is not None:
            options["trace"] = trace
        returned = call(module, "train_one", X, y, run["shuffle"], **options)
        results.append(Run.of(result=returned, trace=trace))
    return Runs.of(runs=results, inputs_unchanged=torch.equal(X, X_before) and torch.equal(y, y_before))


def dataset(module: ModuleType, calls: list[dict[str, Any]]) -> list[Any]:
    """`make_adversarial_dataset(**options)` for each call's options, in order."""
    return [call(module, "make_adversarial_dataset", **options) for options in calls]
