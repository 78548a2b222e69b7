"""The indices are shuffled, but each minibatch is sliced from consecutive rows: shuffling silently lost.

Source: exercises-notes.md section 4 (DevPranjal's data_iter shuffles indices but yields range(i, min(i + batch_size,
n)))."""

from collections.abc import Iterator

import torch

# expect: test_fresh_order -> not_shuffled
# expect: test_generator -> same_order_each_call


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches."""
    num_examples = len(features)
    indices = torch.randperm(num_examples, generator=generator)  # shuffled, then never used
    for i in range(0, num_examples, batch_size):
        j = min(i + batch_size, num_examples)
        yield features[i: j], labels[i: j]


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches."""
    if drop_last:
        return num_examples // batch_size
    return (num_examples + batch_size - 1) // batch_size


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    remainder = num_examples % batch_size
    return remainder / batch_size if remainder else 1.0
