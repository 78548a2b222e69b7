"""Each minibatch draws its own random indices: some examples come twice in an epoch, others never.

Source: "random minibatches" read as sampling with replacement (torch.randint per minibatch), a common
confusion of minibatch SGD with drawing each minibatch independently; the book's min() kept for the sizes."""

from collections.abc import Iterator

import torch

# expect: test_uneven_last_batch -> not_each_once
# expect: test_fresh_sizes -> not_each_once


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Random minibatches."""
    num_examples = len(features)
    for i in range(0, num_examples, batch_size):
        size = min(i + batch_size, num_examples) - i
        batch_indices = torch.randint(0, num_examples, (size,), generator=generator)
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
