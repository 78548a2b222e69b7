"""Probes for the data_iter exercise: what data_iter yields, and the two counts."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

import torch

from course_checks.probes import ProbeResult, TensorData, call, call_and_iterate, tensor

EXTRA_BATCHES = 5  # items taken beyond the expected number, to see extra batches without iterating forever


@dataclass(frozen=True)
class Epoch(ProbeResult):
    """What one data_iter call yielded, item by item; or what it returned when that was not iterable."""

    batches: list[object] | None  # None: the result was not iterable
    returned: object  # the non-iterable result (None otherwise)


@dataclass(frozen=True)
class Epochs(ProbeResult):
    """Several data_iter calls on the same tensors, in order, and the tensors as they are afterwards."""

    epochs: list[Epoch]
    features_after: TensorData
    labels_after: TensorData


def warm_up() -> None:
    """A seeded permutation and indexing rows with it."""
    order = torch.randperm(10, generator=torch.Generator().manual_seed(0))
    torch.zeros(10, 2)[order[:3]]


def epochs(module: ModuleType, batch_size: int, features: list[Any], labels: list[Any],
           seeds: list[int | None], expected_batches: int) -> Epochs:
    """`data_iter(batch_size, features, labels, generator=torch.Generator().manual_seed(seed))` once per
    seed, in order, on the same tensors (for a seed of None, without the generator argument: torch's
    global generator); each call's items, up to a few more than `expected_batches`."""
    X, y = tensor(features), tensor(labels)
    results = []
    for seed in seeds:
        options = {} if seed is None else {"generator": torch.Generator().manual_seed(seed)}
        returned, items = call_and_iterate(module, "data_iter", batch_size, X, y,
                                           limit=expected_batches + EXTRA_BATCHES, **options)
        results.append(Epoch.of(batches=items, returned=returned if items is None else None))
    return Epochs.of(epochs=results, features_after=X, labels_after=y)


def count(module: ModuleType, num_examples: int, batch_size: int, drop_last: bool | None) -> Any:
    """`num_batches(num_examples, batch_size)`, with `drop_last=` unless it is None."""
    options = {} if drop_last is None else {"drop_last": drop_last}
    return call(module, "num_batches", num_examples, batch_size, **options)


def scale(module: ModuleType, num_examples: int, batch_size: int) -> Any:
    """`last_step_scale(num_examples, batch_size)`."""
    return call(module, "last_step_scale", num_examples, batch_size)
