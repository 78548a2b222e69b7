"""last_step_scale returns batch_size / (n % batch_size): how much the last step would have to grow, not its size.

Source: the notes' feedback "that step is 4x too small" (exercises-notes.md section 7, Ex 7) read as a factor of 4."""

from collections.abc import Iterator

import torch

# expect: test_last_step_scale -> scale_inverted


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
    remainder = num_examples % batch_size
    return batch_size / remainder if remainder else 1.0
