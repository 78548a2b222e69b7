"""last_step_scale is always 1: "sgd averages the gradient, so every step has the same size".

Source: the book's claim that dividing by batch_size makes the step independent of the batch size (ZH §3.2 on sgd),
applied to the last minibatch, whose gradient sums fewer examples."""

from collections.abc import Iterator

import torch

# expect: test_last_step_scale -> sgd_divides_by_batch_size


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
    return 1.0
