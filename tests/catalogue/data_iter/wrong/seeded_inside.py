"""data_iter seeds Python's random module itself, "for reproducibility": the same order on every call (every epoch).

Source: exercises-notes.md section 7, Ex 7 ("indices shuffled once ... same order every epoch"); a fixed seed inside
the function has the same effect, and the book's random.shuffle ignores the generator."""

import random
from collections.abc import Iterator

import torch

# expect: test_fresh_order -> same_order_each_call
# expect: test_generator -> same_order_each_call


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches, reproducibly."""
    num_examples = len(features)
    indices = list(range(num_examples))
    random.seed(42)
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
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
