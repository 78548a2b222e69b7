"""features and labels reordered once by the same permutation, then cut with split and zipped.

Unusual: the shuffled copies are made up front and the minibatches are zipped pieces (tuples of views)."""

from collections.abc import Iterator

import torch


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches."""
    perm = torch.randperm(features.shape[0], generator=generator)
    yield from zip(features[perm].split(batch_size), labels[perm].split(batch_size))


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches."""
    full, remainder = divmod(num_examples, batch_size)
    return full + (1 if remainder and not drop_last else 0)


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    last = num_examples - (num_batches(num_examples, batch_size) - 1) * batch_size
    return last / batch_size
