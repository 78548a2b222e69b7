"""The incomplete last minibatch is thrown away: range(num_examples // batch_size) batches only.

Source: exercises-notes.md section 4 ("A Chinese answer page claims the last partial batch is discarded"), and a
learner's answer to EN §3.3 ex. 1 ("If the examples cannot be divided by the batchsize, then it will just leave
out last samples"); num_batches counts only full minibatches."""

from collections.abc import Iterator

import torch

# expect: test_uneven_last_batch -> last_batch_dropped
# expect: test_fresh_sizes -> last_batch_dropped
# expect: test_num_batches -> last_batch_dropped
# headline


def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Shuffled minibatches of exactly batch_size examples."""
    indices = torch.randperm(len(features), generator=generator)
    for k in range(len(features) // batch_size):
        batch_indices = indices[k * batch_size: (k + 1) * batch_size]
        yield features[batch_indices], labels[batch_indices]


def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches: the incomplete one is left out anyway."""
    return num_examples // batch_size


def last_step_scale(num_examples: int, batch_size: int) -> float:
    """The last step's size relative to an average over its real length."""
    remainder = num_examples % batch_size
    return remainder / batch_size if remainder else 1.0
