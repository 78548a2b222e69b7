"""data_iter through torch's DataLoader over a TensorDataset, shuffling with the given generator.

Unusual: DataLoader yields lists [X, y] rather than tuples and draws its own seed from the generator;
num_batches asks a DataLoader for its length."""

from collections.abc import Iterator

import torch
from torch.utils.data import DataLoader, TensorDataset


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches from a DataLoader."""
    loader = DataLoader(TensorDataset(features, labels), batch_size=batch_size, shuffle=True, generator=generator)
    yield from loader


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """As many minibatches as a DataLoader over num_examples examples has."""
    return len(DataLoader(range(num_examples), batch_size=batch_size, drop_last=drop_last))


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    full, remainder = divmod(num_examples, batch_size)
    return 1.0 if remainder == 0 else remainder / batch_size
