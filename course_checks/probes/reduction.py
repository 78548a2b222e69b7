"""Probes for the reduction exercise: two functions of plain numbers.

Each case is attempted on its own, so that a raise (a ValueError asked for, or any other) comes
back as a Raised record next to the other cases' answers.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from course_checks.probes import attempt


def warm_up() -> None:
    """Nothing beyond the zygote's own warm-up: both functions are arithmetic on plain numbers."""


def lr_answers(module: ModuleType, cases: list[list[Any]]) -> list[object]:
    """`equivalent_lr(lr, batch_size, from_reduction, to_reduction)` for each [lr, batch_size, from, to]."""
    return [attempt(module, "equivalent_lr", float(lr), int(batch_size), str(source), str(target))
            for lr, batch_size, source, target in cases]


def scratch_answers(module: ModuleType, rates: list[float]) -> list[object]:
    """`scratch_lr_matching_mseloss(lr_mse)` for each lr_mse."""
    return [attempt(module, "scratch_lr_matching_mseloss", float(lr_mse)) for lr_mse in rates]
