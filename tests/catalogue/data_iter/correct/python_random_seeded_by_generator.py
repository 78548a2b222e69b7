"""The book's data_iter with its list of indices and min(), shuffled by a random.Random seeded from the generator.

Unusual: Python's random module does the shuffling, its seed drawn from the torch generator (so equally seeded
generators still give equal orders); math.ceil for the count."""

import math
import random
from collections.abc import Iterator

import torch


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """The book's minibatches, shuffled from the generator."""
    num_examples = len(features)
    indices = list(range(num_examples))
    shuffler = random.Random(int(torch.randint(2**62, (1,), generator=generator)))
    shuffler.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches."""
    return num_examples // batch_size if drop_last else math.ceil(num_examples / batch_size)


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    if num_examples % batch_size == 0:
        return 1.0
    return (num_examples - batch_size * (num_examples // batch_size)) / batch_size
