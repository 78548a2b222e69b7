"""features and labels are shuffled with two separate permutations: every row gets someone else's label.

Source: exercises-notes.md section 4 ([verified] "separate randperm for X and y destroys pairing")."""

from collections.abc import Iterator

import torch

# expect: test_uneven_last_batch -> pairs_broken
# expect: test_fresh_sizes -> pairs_broken


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches: features and labels each in a random order."""
    num_examples = len(features)
    X = features[torch.randperm(num_examples, generator=generator)]
    y = labels[torch.randperm(num_examples, generator=generator)]
    for i in range(0, num_examples, batch_size):
        yield X[i: i + batch_size], y[i: i + batch_size]


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches."""
    if drop_last:
        return num_examples // batch_size
    return (num_examples + batch_size - 1) // batch_size


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    remainder = num_examples % batch_size
    return remainder / batch_size if remainder else 1.0
