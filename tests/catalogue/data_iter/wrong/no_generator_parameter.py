"""data_iter keeps the book's three-argument signature, so a generator cannot be passed.

Source: D2L §3.2.2's `def data_iter(batch_size, features, labels)`, rewritten with torch.randperm but without the
contract's fourth argument."""

from collections.abc import Iterator

import torch

# expect: test_generator -> generator_parameter


def data_iter(batch_size: int, features: torch.Tensor,
              labels: torch.Tensor) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches."""
    num_examples = len(features)
    indices = torch.randperm(num_examples)
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
    remainder = num_examples % batch_size
    return remainder / batch_size if remainder else 1.0
