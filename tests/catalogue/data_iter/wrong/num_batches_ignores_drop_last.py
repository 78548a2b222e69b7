"""num_batches rounds up whatever drop_last says.

Source: exercises-notes.md section 7, Ex 7 (num_batches(1000, 32, True) == 31: DataLoader(drop_last=True) gives 31
batches); the option is accepted and never read."""

import math
from collections.abc import Iterator

import torch

# expect: test_num_batches -> drop_last_ignored


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
    return math.ceil(num_examples / batch_size)


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    remainder = num_examples % batch_size
    return remainder / batch_size if remainder else 1.0
