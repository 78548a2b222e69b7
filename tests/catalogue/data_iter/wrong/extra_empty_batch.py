"""One minibatch is added for the remainder without checking that there is one: an empty minibatch when batch_size divides n.

Source: "n // batch_size full batches plus one for the rest" (exercises-notes.md section 7, Ex 7: num_batches(100, 10)
must be 10), in both data_iter and num_batches."""

from collections.abc import Iterator

import torch

# expect: test_fresh_sizes -> empty_batch
# expect: test_num_batches -> empty_batch


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches: the full ones, then one for the rest."""
    indices = torch.randperm(len(features), generator=generator)
    for k in range(len(features) // batch_size + 1):
        batch_indices = indices[k * batch_size: (k + 1) * batch_size]
        yield features[batch_indices], labels[batch_indices]


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches: the full ones, plus one for the rest."""
    if drop_last:
        return num_examples // batch_size
    return num_examples // batch_size + 1


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    remainder = num_examples % batch_size
    return remainder / batch_size if remainder else 1.0
