"""The generator is passed to torch.randperm by position, which randperm does not accept.

Source: torch.randperm(n, generator) written like random.Random's methods; the call fails with "randperm() received
an invalid combination of arguments", with or without a generator."""

from collections.abc import Iterator

import torch

# expect: test_uneven_last_batch -> generator_by_keyword
# expect: test_generator -> generator_by_keyword


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches."""
    num_examples = len(features)
    indices = torch.randperm(num_examples, generator)
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
