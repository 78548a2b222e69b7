"""random.shuffle applied to the features and labels tensors themselves.

Source: exercises-notes.md section 1, finding 9 and section 4 ([verified] random.shuffle(tensor) duplicates rows and
mutates the input): "shuffle the data" taken literally."""

import random
from collections.abc import Iterator

import torch

# expect: test_uneven_last_batch -> mutated_inputs
# expect: test_fresh_order -> mutated_inputs


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches: the data is shuffled, then cut into pieces."""
    random.shuffle(features)
    random.shuffle(labels)
    for i in range(0, len(features), batch_size):
        yield features[i: i + batch_size], labels[i: i + batch_size]


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches."""
    if drop_last:
        return num_examples // batch_size
    return (num_examples + batch_size - 1) // batch_size


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    remainder = num_examples % batch_size
    return remainder / batch_size if remainder else 1.0
