# %% [markdown]
# # When the batch size does not divide the number of examples
#
# D2L §3.2, exercise 7 (English 0.17; ZH §3.2 练习 7: "如果样本个数不能被批量大小整除，`data_iter`函数的行为会有什么变化？"),
# and its newer forms, EN §3.4, exercise 7 ("If the number of examples cannot be divided by the
# batch size, what happens to `data_iter` at the end of an epoch?") and EN §3.3, exercise 1 ("How
# would you change this behavior by specifying a different argument by using the framework's
# API?").
#
# The book reads the data in minibatches like this:
#
# ```python
# def data_iter(batch_size, features, labels):
#     num_examples = len(features)
#     indices = list(range(num_examples))
#     random.shuffle(indices)  # the examples are read at random, in no particular order
#     for i in range(0, num_examples, batch_size):
#         batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
#         yield features[batch_indices], labels[batch_indices]
# ```
#
# and trains with `sgd(params, lr, batch_size)`, which divides every gradient by `batch_size`
# because `l.sum().backward()` adds up one gradient per example of the batch.
#
# **Predict before you run anything**, and write your answers down:
# 1. With 1000 examples and a batch size of 32, how many minibatches does one epoch have, and how
#    many examples are in the last one? Is the remainder thrown away?
# 2. PyTorch's `DataLoader(dataset, batch_size=32, drop_last=True)` is the "different argument"
#    of the framework's API. How many minibatches does it give, and which examples does an epoch
#    then never see?
# 3. The book's `sgd` divides by `batch_size` = 32, also for the last minibatch. How large is that
#    last step compared with one that divides by the minibatch's real length?
# 4. With 100 examples and a batch size of 10, what changes?
#
# <details>
# <summary>The answers (open this after you have predicted)</summary>
#
# - `range(0, 1000, 32)` starts a minibatch at 0, 32, ..., 992: 32 minibatches, 31 of 32 examples
#   and a last one of 1000 % 32 = 8. Nothing is thrown away: `min(i + batch_size, num_examples)`
#   (or simply slicing, which stops at the end of the list) makes the last minibatch smaller. A
#   claim found on Chinese answer pages and in learners' repositories, that the incomplete last
#   batch is discarded, is wrong for the book's `data_iter`.
# - `DataLoader(..., drop_last=True)` gives 1000 // 32 = 31 minibatches. Because the order is
#   reshuffled every epoch, the 8 examples left out change from epoch to epoch.
# - The last gradient is a sum over 8 examples, but `sgd` divides it by 32: that step is
#   8 / 32 = 0.25 of the step an average over its 8 examples would take, four times too small.
#   Dividing by `len(y)` instead, or dropping the last batch, makes every step the same size.
# - 100 / 10: 10 full minibatches; every step is the right size (the scale is 1).
#
# </details>
#
# Implement:
# 1. `data_iter(batch_size, features, labels, generator=None)`: yield `(X, y)` minibatches that
#    cover every example exactly once per call, in a fresh random order on each call, each row of
#    `features` still paired with its own row of `labels`; when `batch_size` does not divide the
#    number of examples, the last minibatch holds the remaining examples. Draw the order from
#    `generator` (`generator=None` means torch's global generator), so that two calls with equally
#    seeded generators give the same minibatches: `torch.randperm(n, generator=generator)` does
#    that; the book's `random.shuffle` ignores the generator. Never change `features` or `labels`.
# 2. `num_batches(num_examples, batch_size, drop_last=False)`: how many minibatches your
#    `data_iter` yields (`drop_last=False`), or a `DataLoader` with `drop_last=True` yields.
# 3. `last_step_scale(num_examples, batch_size)`: the size of an epoch's last update relative to
#    one that divides by the last minibatch's real length, when `sgd` divides by `batch_size`: a
#    Python float, 1.0 when `batch_size` divides `num_examples`.

# %%
from collections.abc import Iterator

import torch


# %%
def data_iter(batch_size: int, features: torch.Tensor, labels: torch.Tensor,
              generator: torch.Generator | None = None) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """Yield (X, y) minibatches covering every example exactly once, in a fresh random order drawn from generator, rows of features and labels kept paired; the last minibatch holds the remaining n % batch_size examples when batch_size does not divide n.

    features and labels are left as they were.
    """
    ### BEGIN SOLUTION
    num_examples = len(features)
    indices = torch.randperm(num_examples, generator=generator)
    for start in range(0, num_examples, batch_size):
        batch_indices = indices[start: start + batch_size]  # a slice stops at the end: the last batch is shorter
        yield features[batch_indices], labels[batch_indices]
    ### END SOLUTION


# %%
def num_batches(num_examples: int, batch_size: int, drop_last: bool = False) -> int:
    """Return how many minibatches data_iter yields (drop_last=False), or a loader that drops the incomplete last minibatch yields (drop_last=True)."""
    ### BEGIN SOLUTION
    if drop_last:
        return num_examples // batch_size
    return (num_examples + batch_size - 1) // batch_size  # one more when there is a remainder
    ### END SOLUTION


# %%
def last_step_scale(num_examples: int, batch_size: int) -> float:
    """Return how large an epoch's last update is, as a Python float, relative to one that divides by the last minibatch's real length, when sgd divides by batch_size (1.0 when batch_size divides n)."""
    ### BEGIN SOLUTION
    remainder = num_examples % batch_size
    return remainder / batch_size if remainder else 1.0
    ### END SOLUTION


# %%
# 1000 examples in minibatches of 32, as in the questions above. The `__main__` guard runs this in
# the notebook only, never when the functions are imported to be graded.
if __name__ == "__main__":
    features = torch.arange(2000, dtype=torch.float32).reshape(1000, 2)
    labels = features[:, :1] * 10
    try:
        sizes = [len(y) for _, y in data_iter(32, features, labels)]
        print(f"{len(sizes)} minibatches; the last three hold {sizes[-3:]} examples;",
              f"num_batches says {num_batches(1000, 32)} (drop_last=True: {num_batches(1000, 32, drop_last=True)});",
              f"the last step is scaled by {last_step_scale(1000, 32):g}.")
    except Exception as error:  # unfinished functions: a one-line note here, the checks below say what to fix
        print(f"Nothing to show yet ({type(error).__name__}): data_iter, num_batches and last_step_scale must work first.")
