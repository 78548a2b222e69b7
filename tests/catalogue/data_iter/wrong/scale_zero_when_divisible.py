"""last_step_scale returns (n % batch_size) / batch_size even when batch_size divides n, i.e. 0 for a full last batch.

Source: the notes' formula 8 / 32 = 0.25 (exercises-notes.md section 7, Ex 7) applied without its special case."""

from collections.abc import Iterator

import torch

# expect: test_last_step_scale -> divides_evenly


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches."""
    num_examples = len(features)
    indices = torch.randperm(num_examples, generator=generator)
    for i in range(0, num_examples, batch_size):
        batch_indices = indices[i: i + batch_size]
        yield features[batch_indices], labels[batch_indices]


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches."""
    if drop_last:
        return num_examples // batch_size
    return (num_examples + batch_size - 1) // batch_size


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    return (num_examples % batch_size) / batch_size
