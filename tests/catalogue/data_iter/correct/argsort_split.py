"""The order from argsort of uniform draws, the minibatches from Tensor.split.

Unusual: no randperm and no loop over starts; split leaves the remainder as the last, shorter piece;
num_batches with ceiling division by negation."""

from collections.abc import Iterator

import torch


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches."""
    order = torch.rand(len(features), generator=generator).argsort()
    for batch in order.split(batch_size):
        yield features.index_select(0, batch), labels.index_select(0, batch)


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches."""
    return num_examples // batch_size if drop_last else -(-num_examples // batch_size)


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    return (num_examples % batch_size or batch_size) / batch_size
