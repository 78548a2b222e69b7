"""The starts of the minibatches stop at num_examples - batch_size, which loses the last batch.

Source: exercises-notes.md section 4 ([verified] "range(0, n - bs, bs) drops the last batch even when bs divides
n"), written to "avoid running past the end" instead of the book's min(i + batch_size, num_examples)."""

from collections.abc import Iterator

import torch

# expect: test_uneven_last_batch -> last_batch_dropped
# expect: test_fresh_sizes -> range_stops_early


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches, never running past the end."""
    num_examples = len(features)
    indices = torch.randperm(num_examples, generator=generator)
    for i in range(0, num_examples - batch_size, batch_size):
        batch_indices = indices[i: i + batch_size]
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
