"""The last minibatch is filled up to batch_size with the last batch_size indices, so that every step has the same size.

Source: a "fix" for the small last step (exercises-notes.md section 7, Ex 7: the last step is 4x too small) that
repeats examples instead of dividing by len(y) or dropping the batch."""

from collections.abc import Iterator

import torch

# expect: test_uneven_last_batch -> last_batch_padded
# expect: test_fresh_sizes -> last_batch_padded


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches, all of batch_size examples."""
    num_examples = len(features)
    indices = torch.randperm(num_examples, generator=generator)
    for i in range(0, num_examples, batch_size):
        start = min(i, num_examples - batch_size)
        batch_indices = indices[start: start + batch_size]
        yield features[batch_indices], labels[batch_indices]


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches."""
    if drop_last:
        return num_examples // batch_size
    return (num_examples + batch_size - 1) // batch_size


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    remainder = num_examples % batch_size
    return remainder / batch_size if remainder else 1.0
