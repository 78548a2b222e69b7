"""Checks for the data_iter exercise: minibatches when the batch size does not divide the number of examples.

Every dataset a check hands to data_iter is built so that each yielded row names itself: the first
feature of a row is its own code (a shuffled 0..n-1, so the stored order is not sorted by code),
the second a random number, and its label is 10 * code + 0.25. From what data_iter yields the
judge reads, per minibatch, which rows it holds and whether each row still has its own label. The
notes' case, 1000 examples in minibatches of 32 (31 of 32 and a last one of 8), is the public check;
hidden checks use fresh sizes, divisible and not, and compare calls with themselves (a fresh order
each call, the same order for equally seeded generators), never with another implementation's
random stream.
"""

from __future__ import annotations

import torch

from course_checks.harness import (
    ErrorHint,
    Hint,
    Student,
    TensorData,
    call_text,
    check,
    expect_number,
    fail,
    fresh_int,
    generator,
    kind_of,
    number_close,
    shaped,
    show,
)
from course_checks.i18n import N_, _
from course_checks.probes import data_iter as probes

LABEL_SCALE, LABEL_SHIFT = 10.0, 0.25  # a row's label is 10 * code + 0.25 (exact in float32)

NOT_ITERABLE = Hint(
    "not_iterable",
    concept="data_iter hands out the minibatches one at a time: calling it gives something a for loop can walk "
            "through, such as a generator made by yield.",
    where="Look at how data_iter gives its minibatches back: a yield inside the loop, not a return after it (or "
          "nothing).",
    code="Inside the loop over the starts of the minibatches: `yield features[batch_indices], labels[batch_indices]`.")
YIELD_PAIRS = Hint(
    "yield_pairs",
    concept="Each minibatch is a pair (X, y): the rows of features and the matching rows of labels, as two tensors.",
    where="Look at what each yield hands out: both tensors, in that order.",
    code="`yield features[batch_indices], labels[batch_indices]`")
ROWS_CHANGED = Hint(
    "rows_changed",
    concept="A minibatch holds whole rows of the data, unchanged: selecting examples must not mix, recompute or "
            "reshape their values.",
    where="Look at how the minibatch is taken from features and labels: index the rows with a tensor (or list) of "
          "indices, and nothing else.",
    code="`features[batch_indices]` and `labels[batch_indices]`, with the same batch_indices")
PAIRS_BROKEN = Hint(
    "pairs_broken",
    concept="Shuffling must keep each example's features and label together: one order of the examples, used for both "
            "tensors. Two separate shuffles give every row someone else's label.",
    where="Look at where the order is drawn: once, and the same indices then select from features and from labels.",
    code="One `indices = torch.randperm(num_examples, generator=generator)`, then `features[batch_indices], "
         "labels[batch_indices]`")
MUTATED_INPUTS = Hint(
    "mutated_inputs",
    concept="Shuffling must never touch the data itself: random.shuffle on a tensor swaps rows through views, so some "
            "rows are duplicated and others lost, and the caller's features and labels change.",
    where="Look at what you shuffle: a list (or tensor) of indices, never features or labels.",
    code="Shuffle indices and index with them: `indices = torch.randperm(num_examples, generator=generator)`.")
LAST_BATCH_DROPPED = Hint(
    "last_batch_dropped",
    concept="When batch_size does not divide n, the n % batch_size examples left over form one more, smaller "
            "minibatch: D2L's data_iter never throws them away; only a loader with drop_last=True does.",
    where="Look at how the incomplete last minibatch is handled: data_iter's loop must reach every index (the last "
          "slice may be shorter), and num_batches must count that minibatch when drop_last is False.",
    code="data_iter: `for i in range(0, num_examples, batch_size)` with `indices[i: i + batch_size]`; num_batches: "
         "`(num_examples + batch_size - 1) // batch_size` when drop_last is False.")
RANGE_STOPS_EARLY = Hint(
    "range_stops_early",
    concept="The minibatches start at 0, batch_size, 2 * batch_size, ... for as long as a start is below n; stopping "
            "the starts at n - batch_size loses the last full minibatch when batch_size divides n.",
    where="Look at the end of the range of starts.",
    code="`range(0, num_examples, batch_size)`: the end is num_examples itself.")
LAST_BATCH_PADDED = Hint(
    "last_batch_padded",
    concept="The last minibatch holds only the examples left over; filling it up to batch_size repeats examples, so "
            "an epoch no longer uses each example exactly once.",
    where="Look at how the last minibatch is made: wrapping around, or taking the last batch_size indices, reuses "
          "examples.",
    code="Take `indices[i: i + batch_size]` for every start: the slice simply stops at the end.")
EMPTY_BATCH = Hint(
    "empty_batch",
    concept="When batch_size divides n there is no remainder, so no extra minibatch: an empty minibatch is a step on "
            "no data, and num_batches would count one too many.",
    where="Look at where you add one minibatch for the remainder: only when n % batch_size is not 0.",
    code="Start minibatches with `range(0, num_examples, batch_size)`; count them with `(num_examples + batch_size - 1) "
         "// batch_size`.")
BATCH_SIZES = Hint(
    "batch_sizes",
    concept="An epoch is n // batch_size minibatches of batch_size examples, then, when batch_size does not divide n, "
            "one minibatch of the n % batch_size examples left over.",
    where="Look at the range of starts and at the slice taken at each start.",
    code="`for i in range(0, num_examples, batch_size):` and `indices[i: i + batch_size]`")
NOT_EACH_ONCE = Hint(
    "not_each_once",
    concept="An epoch visits every example exactly once: the minibatches are consecutive pieces of one random order "
            "of all n examples, not examples drawn at random for each minibatch (which repeats some and misses "
            "others).",
    where="Look at how each minibatch's indices are chosen: slices of one permutation, drawn once per call.",
    code="`indices = torch.randperm(num_examples, generator=generator)` once, then `indices[i: i + batch_size]`")
NOT_SHUFFLED = Hint(
    "not_shuffled",
    concept="The minibatches must come in a random order: shuffled indices are of no use if the minibatches are then "
            "taken from consecutive rows.",
    where="Look at what selects each minibatch's rows: the shuffled indices, or a plain range of row numbers.",
    code="`batch_indices = indices[i: i + batch_size]` and `features[batch_indices]`, not `features[i: i + batch_size]`")
SAME_ORDER_EACH_CALL = Hint(
    "same_order_each_call",
    concept="Every call is one epoch and draws a fresh random order; an order drawn once (at import, or from a fixed "
            "seed) repeats every epoch, and SGD sees the same sequence of minibatches again and again.",
    where="Look at where the order is drawn and what seeds it: inside data_iter, from the generator argument, never "
          "from a fixed seed.",
    code="Draw it at the start of data_iter: `indices = torch.randperm(num_examples, generator=generator)`.")
GENERATOR_IGNORED = Hint(
    "generator_ignored",
    concept="The order must come from the generator argument, so that equally seeded generators give the same "
            "minibatches (and generator=None uses torch's global generator). Python's random.shuffle and a torch "
            "call without generator= draw from other sources.",
    where="Look at the call that draws the order: does it receive the generator?",
    code="`torch.randperm(num_examples, generator=generator)`")
GENERATOR_BY_KEYWORD = Hint(
    "generator_by_keyword",
    concept="torch's random functions take their generator only as a keyword argument: a second positional argument "
            "is read as something else, and the call fails.",
    where="Look at the call that draws the order, and how it is given the generator.",
    code="`torch.randperm(num_examples, generator=generator)`")
GENERATOR_PARAMETER = Hint(
    "generator_parameter",
    concept="data_iter takes a fourth, optional argument, generator, the source of its random order.",
    where="Look at data_iter's signature.",
    code="`def data_iter(batch_size, features, labels, generator=None):`")
COUNT_NOT_INT = Hint(
    "count_not_int",
    concept="A number of minibatches is a whole number, a Python int.",
    where="Look at what num_batches returns: a true division / gives a float such as 31.25.",
    code="Use integer division, //.")
DROP_LAST_IGNORED = Hint(
    "drop_last_ignored",
    concept="With drop_last=True the incomplete last minibatch is left out, so only the n // batch_size full ones "
            "count.",
    where="Look at how num_batches uses its drop_last argument.",
    code="`if drop_last: return num_examples // batch_size`")
ROUNDED = Hint(
    "rounded",
    concept="round(n / batch_size) goes to the nearest whole number, so it drops a remainder below half a minibatch "
            "(and rounds halves to even): the count must go up whenever anything is left over.",
    where="Look at how the division is turned into a whole number.",
    code="`(num_examples + batch_size - 1) // batch_size`, or math.ceil of the division")
COUNT_WRONG = Hint(
    "count_wrong",
    concept="Without drop_last, the count is n // batch_size full minibatches, plus one when n % batch_size is not 0; "
            "with drop_last=True, only the full ones.",
    where="Check your formula on 1000 examples and batch_size 32 (32 and 31) and on 100 and 10 (10 both times).",
    code="`num_examples // batch_size if drop_last else (num_examples + batch_size - 1) // batch_size`")
SCALE_NOT_NUMBER = Hint(
    "scale_not_number",
    concept="The scale is a plain Python number, a ratio of two step sizes.",
    where="Look at what last_step_scale returns.",
    code="Return a float, e.g. `remainder / batch_size`.")
DIVIDES_EVENLY = Hint(
    "divides_evenly",
    concept="When batch_size divides n, the last minibatch is a full one, and its step is exactly as large as every "
            "other: the scale is 1, not 0.",
    where="Look at the case n % batch_size == 0.",
    code="`return remainder / batch_size if remainder else 1.0`")
SCALE_INVERTED = Hint(
    "scale_inverted",
    concept="The last step is SMALLER than it should be: its gradient adds up only n % batch_size examples, and sgd "
            "still divides it by the larger batch_size. The ratio is below 1.",
    where="Check the direction of your ratio: the step taken, relative to the step an average over the real minibatch "
          "would take.",
    code="`(num_examples % batch_size) / batch_size`")
NOT_RELATIVE = Hint(
    "not_relative",
    concept="The scale compares two step sizes, so it is a ratio: how many examples the last minibatch has is only its "
            "numerator.",
    where="Look at what you divide the remainder by.",
    code="`(num_examples % batch_size) / batch_size`")
SGD_DIVIDES_BY_BATCH_SIZE = Hint(
    "sgd_divides_by_batch_size",
    concept="The book's sgd divides every gradient by batch_size, also the last one: that gradient adds up only "
            "n % batch_size examples, so the last step is that many batch_size-ths of a full one, not 1.",
    where="Look at what sgd divides by, and how many examples the last gradient adds up.",
    code="`(num_examples % batch_size) / batch_size` when the remainder is not 0")
MISSING_PART = Hint(
    "missing_part",
    concept="That is how much of the step is missing; the scale asked for is how large the step is: the part of a full "
            "step that the last minibatch's examples make.",
    where="Look at whether you subtract from 1.",
    code="`(num_examples % batch_size) / batch_size`, without `1 -`")
INTEGER_DIVISION = Hint(
    "integer_division",
    concept="A ratio of step sizes lies between 0 and 1 here, so integer division rounds it down to 0.",
    where="Look at the division: // is integer division.",
    code="Use /: `remainder / batch_size`.")
SCALE_WRONG = Hint(
    "scale_wrong",
    concept="The last gradient sums n % batch_size examples and sgd divides it by batch_size, whereas an average over "
            "the minibatch divides by n % batch_size: the ratio of the two steps is (n % batch_size) / batch_size, or 1 "
            "when nothing is left over.",
    where="Check your formula on 1000 examples and batch_size 32: 8 left over, so 8 / 32 = 0.25.",
    code="`remainder / batch_size if remainder else 1.0`, with `remainder = num_examples % batch_size`")

ERROR_HINTS: list[ErrorHint] = [
    ErrorHint("unexpected keyword argument 'generator'", GENERATOR_PARAMETER, only=frozenset({"data_iter"})),
    ErrorHint("randperm() received an invalid combination of arguments", GENERATOR_BY_KEYWORD),
    ErrorHint("unexpected keyword argument 'drop_last'", DROP_LAST_IGNORED, only=frozenset({"num_batches"})),
]

# What the messages say, as whole sentences with named placeholders.
NOT_ITERABLE_EXPECTED = N_("minibatches to iterate over (a generator that yields (X, y) pairs)")
ITEM_GOT = N_("minibatch {number}: {what}")
PAIR_EXPECTED = N_("a pair (X, y) of tensors")
ROWS_GOT = N_("minibatch {number}: X of shape {x_shape} and y of shape {y_shape}")
ROWS_EXPECTED = N_("X of shape (k, 2) and y of shape (k, 1): k whole rows of features and their labels")
ROW_VALUES_GOT = N_("minibatch {number} holds a row {row} that is not a row of features")
ROW_VALUES_EXPECTED = N_("rows of features exactly as given")
PAIR_GOT = N_("minibatch {number}: the row with first feature {code} comes with the label {label}")
PAIR_LABEL = N_("its own label, {label} (every label here is 10 times its row's first feature, plus 0.25)")
SIZES_GOT = N_("minibatches of sizes {sizes}")
SIZES_EXPECTED = N_("minibatches of sizes {sizes}")
COVERAGE_GOT = N_("{repeated} example(s) more than once and {missing} never, over {batches} minibatches")
COVERAGE_EXPECTED = N_("each of the {n} examples exactly once")
INPUTS_GOT = N_("{name} changed by the call: {changed} of its rows differ now")
INPUTS_EXPECTED = N_("{name} left as it was")
STORED_GOT = N_("the examples in their stored order, minibatch after minibatch")
STORED_EXPECTED = N_("the examples in a random order")
TWO_CALLS = N_("{call}, twice in a row")
SAME_ORDER_GOT = N_("the same order both times")
FRESH_ORDER_EXPECTED = N_("a fresh random order on each call (each call is one epoch)")
SEEDED_CALLS = N_("{call} twice with generator=torch.Generator().manual_seed({seed}), then once with "
                  "manual_seed({other})")
SEEDED_DIFFER_GOT = N_("two different orders from the two equally seeded generators")
SEEDED_SAME_EXPECTED = N_("the same minibatches from equally seeded generators")
SEEDS_SAME_GOT = N_("the same order for the seeds {seed} and {other}")
SEEDS_DIFFER_EXPECTED = N_("another order for another seed")
COUNT_EXPECTED = N_("{expected} (an int)")
SCALE_EXPECTED = N_("{expected:g}: the last minibatch holds {remainder} of {batch_size} examples")
SCALE_EVEN_EXPECTED = N_("1: batch_size divides the number of examples, so the last minibatch is a full one")


def labelled_data(n: int, seed: int, purpose: str) -> tuple[torch.Tensor, torch.Tensor]:
    """features (n, 2) whose first column codes each row (a shuffled 0..n-1) and labels 10 * code + 0.25, (n, 1)."""
    draws = generator(seed, purpose)
    codes = torch.randperm(n, generator=draws).to(torch.float32)
    features = torch.stack([codes, torch.randn(n, generator=draws)], dim=1)
    return features, (codes * LABEL_SCALE + LABEL_SHIFT).reshape(-1, 1)


def expected_sizes(n: int, batch_size: int) -> list[int]:
    """The minibatch sizes of one epoch: full ones, then the remainder if any."""
    return [batch_size] * (n // batch_size) + ([n % batch_size] if n % batch_size else [])


def sizes_text(sizes: list[int]) -> str:
    """`[32] * 31 + [8]`: a list of sizes written as runs, as Python would build it."""
    runs: list[tuple[int, int]] = []
    for size in sizes:
        if runs and runs[-1][0] == size:
            runs[-1] = (size, runs[-1][1] + 1)
        else:
            runs.append((size, 1))
    return " + ".join(f"[{size}] * {count}" if count > 1 else f"[{size}]" for size, count in runs) or "[]"


def _size_hint(sizes: list[int], n: int, batch_size: int) -> Hint:
    full, remainder = n // batch_size, n % batch_size
    if remainder and sizes == [batch_size] * full:
        return LAST_BATCH_DROPPED
    if not remainder and sizes == [batch_size] * (full - 1):
        return RANGE_STOPS_EARLY
    if remainder and sizes == [batch_size] * (full + 1):
        return LAST_BATCH_PADDED
    if sizes and sizes[-1] == 0:
        return EMPTY_BATCH
    return BATCH_SIZES


def expect_inputs_unchanged(got: probes.Epochs, features: torch.Tensor, labels: torch.Tensor, called: str) -> None:
    """features and labels hold the same rows as before the calls."""
    for name, before, after in (("features", features, got.features_after), ("labels", labels, got.labels_after)):
        same_shape = after.shape == tuple(before.shape)
        changed = int((after.values != before.to(torch.float64)).any(dim=1).sum()) if same_shape else len(before)
        if changed:
            fail(called=called, got=_(INPUTS_GOT).format(name=name, changed=changed),
                 expected=_(INPUTS_EXPECTED).format(name=name), hint=MUTATED_INPUTS)


def read_epoch(epoch: probes.Epoch, features: torch.Tensor, called: str) -> list[list[int]]:
    """The codes of the rows of each minibatch one call yielded (a row's code is its first feature),
    after checking that every minibatch is a pair of whole rows of features and their own labels."""
    if epoch.batches is None:
        fail(called=called, got=kind_of(epoch.returned), expected=_(NOT_ITERABLE_EXPECTED), hint=NOT_ITERABLE)
    n = len(features)
    second_by_code = torch.empty(n, dtype=torch.float64)
    second_by_code[features[:, 0].to(torch.int64)] = features[:, 1].to(torch.float64)
    batches = []
    for number, item in enumerate(epoch.batches, start=1):
        if not (isinstance(item, list) and len(item) == 2 and all(isinstance(part, TensorData) for part in item)):
            fail(called=called, got=_(ITEM_GOT).format(number=number, what=kind_of(item)), expected=_(PAIR_EXPECTED),
                 hint=YIELD_PAIRS)
        X, y = item
        k = X.shape[0] if len(X.shape) == 2 else -1
        if len(X.shape) != 2 or X.shape[1] != 2 or y.shape != (k, 1):
            fail(called=called, got=_(ROWS_GOT).format(number=number, x_shape=X.shape, y_shape=y.shape),
                 expected=_(ROWS_EXPECTED), hint=ROWS_CHANGED)
        codes = X.values[:, 0]
        valid = (codes == codes.round()) & (codes >= 0) & (codes < n)
        rows = codes.clamp(0, n - 1).to(torch.int64)
        intact = valid & (X.values[:, 1] == second_by_code[rows])
        if not bool(intact.all()):
            bad = int((~intact).nonzero()[0, 0])
            fail(called=called, got=_(ROW_VALUES_GOT).format(number=number, row=show(X.values[bad])),
                 expected=_(ROW_VALUES_EXPECTED), hint=ROWS_CHANGED)
        own = rows.to(torch.float64) * LABEL_SCALE + LABEL_SHIFT
        paired = y.values[:, 0] == own
        if not bool(paired.all()):
            bad = int((~paired).nonzero()[0, 0])
            fail(called=called,
                 got=_(PAIR_GOT).format(number=number, code=int(rows[bad]), label=show(float(y.values[bad, 0]))),
                 expected=_(PAIR_LABEL).format(label=show(float(own[bad]))), hint=PAIRS_BROKEN)
        batches.append(rows.tolist())
    return batches


def expect_one_epoch(batches: list[list[int]], n: int, batch_size: int, called: str) -> None:
    """The minibatch sizes of one epoch, then every example exactly once."""
    sizes = [len(batch) for batch in batches]
    wanted = expected_sizes(n, batch_size)
    if sizes != wanted:
        fail(called=called, got=_(SIZES_GOT).format(sizes=sizes_text(sizes)),
             expected=_(SIZES_EXPECTED).format(sizes=sizes_text(wanted)), hint=_size_hint(sizes, n, batch_size))
    seen = torch.bincount(torch.tensor([row for batch in batches for row in batch], dtype=torch.int64), minlength=n)
    if not bool((seen == 1).all()):
        fail(called=called, got=_(COVERAGE_GOT).format(repeated=int((seen > 1).sum()), missing=int((seen == 0).sum()),
                                                       batches=len(batches)),
             expected=_(COVERAGE_EXPECTED).format(n=n), hint=NOT_EACH_ONCE)


def _epochs(student: Student, batch_size: int, features: torch.Tensor, labels: torch.Tensor,
            seeds: list[int | None]) -> probes.Epochs:
    return student.probe(probes.epochs, batch_size=batch_size, features=features.tolist(), labels=labels.tolist(),
                         seeds=seeds, expected_batches=len(expected_sizes(len(features), batch_size)))


def _data_iter_called(batch_size: int, features: torch.Tensor, labels: torch.Tensor) -> str:
    return call_text("data_iter", batch_size, shaped("features", features), shaped("labels", labels))


@check("data_iter(32, ...) on 1000 examples yields 31 minibatches of 32 and a last one of 8, every example once, "
       "rows paired", points=2, public=True)
def test_uneven_last_batch(student: Student, seed: int) -> None:
    features, labels = labelled_data(1000, seed, "1000 examples")
    called = _data_iter_called(32, features, labels)
    got = _epochs(student, 32, features, labels, seeds=[None])
    expect_inputs_unchanged(got, features, labels, called)
    expect_one_epoch(read_epoch(got.epochs[0], features, called), 1000, 32, called)


def fresh_sizes(seed: int) -> list[tuple[int, int]]:
    """(n, batch_size) pairs: the book's 100 / 10, a fresh divisible one and a fresh one with a remainder."""
    batch_size = fresh_int(seed, "batch size", 3, 33)
    divisible = batch_size * fresh_int(seed, "full batches", 2, 9)
    uneven = batch_size * fresh_int(seed, "full batches before the remainder", 1, 9) + fresh_int(
        seed, "remainder", 1, batch_size)
    return [(100, 10), (divisible, batch_size), (uneven, batch_size)]


@check("data_iter covers every example exactly once, in minibatches of batch_size and the remainder, for fresh sizes",
       points=2)
def test_fresh_sizes(student: Student, seed: int) -> None:
    for n, batch_size in fresh_sizes(seed):
        features, labels = labelled_data(n, seed, f"{n} examples")
        called = _data_iter_called(batch_size, features, labels)
        got = _epochs(student, batch_size, features, labels, seeds=[None])
        expect_inputs_unchanged(got, features, labels, called)
        expect_one_epoch(read_epoch(got.epochs[0], features, called), n, batch_size, called)


@check("data_iter draws a fresh random order on every call and leaves features and labels unchanged", points=2)
def test_fresh_order(student: Student, seed: int) -> None:
    n, batch_size = 60 + fresh_int(seed, "extra examples", 0, 40), 8
    features, labels = labelled_data(n, seed, "order")
    called = _(TWO_CALLS).format(call=_data_iter_called(batch_size, features, labels))
    got = _epochs(student, batch_size, features, labels, seeds=[None, None])
    expect_inputs_unchanged(got, features, labels, called)
    first, second = (read_epoch(epoch, features, called) for epoch in got.epochs)
    expect_one_epoch(first, n, batch_size, called)
    stored = features[:, 0].to(torch.int64).tolist()
    if [row for batch in first for row in batch] == stored:
        fail(called=called, got=_(STORED_GOT), expected=_(STORED_EXPECTED), hint=NOT_SHUFFLED)
    if first == second:
        fail(called=called, got=_(SAME_ORDER_GOT), expected=_(FRESH_ORDER_EXPECTED), hint=SAME_ORDER_EACH_CALL)


@check("data_iter takes its order from the generator: equally seeded generators give the same minibatches", points=1)
def test_generator(student: Student, seed: int) -> None:
    n, batch_size = 50, 7
    features, labels = labelled_data(n, seed, "seeded")
    generator_seed = fresh_int(seed, "generator seed", 0, 10_000)
    other = generator_seed + 1
    called = _(SEEDED_CALLS).format(call=_data_iter_called(batch_size, features, labels), seed=generator_seed,
                                    other=other)
    got = _epochs(student, batch_size, features, labels, seeds=[generator_seed, generator_seed, other])
    first, again, another = (read_epoch(epoch, features, called) for epoch in got.epochs)
    expect_one_epoch(first, n, batch_size, called)
    if first != again:
        fail(called=called, got=_(SEEDED_DIFFER_GOT), expected=_(SEEDED_SAME_EXPECTED), hint=GENERATOR_IGNORED)
    if first == another:
        fail(called=called, got=_(SEEDS_SAME_GOT).format(seed=generator_seed, other=other),
             expected=_(SEEDS_DIFFER_EXPECTED), hint=SAME_ORDER_EACH_CALL)


def _expected_count(n: int, batch_size: int, drop_last: bool) -> int:
    return n // batch_size if drop_last else -(-n // batch_size)


def _count_hint(got: float, n: int, batch_size: int, drop_last: bool) -> Hint:
    if got != int(got):
        return COUNT_NOT_INT
    if drop_last and got == -(-n // batch_size):
        return DROP_LAST_IGNORED
    if not drop_last and n % batch_size and got == n // batch_size:
        return LAST_BATCH_DROPPED
    if not drop_last and not n % batch_size and got == n // batch_size + 1:
        return EMPTY_BATCH
    if got == round(n / batch_size):
        return ROUNDED
    return COUNT_WRONG


def expect_counts(student: Student, cases: list[tuple[int, int, bool | None]]) -> None:
    """num_batches for each (n, batch_size, drop_last) case; drop_last None means the default (False)."""
    for n, batch_size, drop_last in cases:
        called = call_text("num_batches", n, batch_size, drop_last=drop_last)
        expected = _expected_count(n, batch_size, bool(drop_last))
        got = student.probe(probes.count, num_examples=n, batch_size=batch_size, drop_last=drop_last)
        wanted = _(COUNT_EXPECTED).format(expected=expected)
        value = expect_number(got, called=called, hint=COUNT_NOT_INT, expected=wanted)
        if value != expected:
            fail(called=called, got=show(got), expected=wanted, hint=_count_hint(value, n, batch_size, bool(drop_last)))
        if isinstance(got, float):
            fail(called=called, got=show(got), expected=wanted, hint=COUNT_NOT_INT)


@check("num_batches counts the smaller last minibatch unless drop_last=True", points=1, public=True)
def test_num_batches(student: Student, seed: int) -> None:
    expect_counts(student, [(1000, 32, None), (1000, 32, True), (100, 10, False), (100, 10, True)])


def _scale_hint(got: float, n: int, batch_size: int) -> Hint:
    remainder = n % batch_size
    if not remainder:
        return DIVIDES_EVENLY if number_close(got, 0.0) else SCALE_WRONG
    # 1 first: with a remainder of 1, "always 1" and "the remainder itself" give the same number.
    candidates = [(1.0, SGD_DIVIDES_BY_BATCH_SIZE), (batch_size / remainder, SCALE_INVERTED),
                  (float(remainder), NOT_RELATIVE), (1 - remainder / batch_size, MISSING_PART),
                  (0.0, INTEGER_DIVISION)]
    return next((hint for value, hint in candidates if number_close(got, value)), SCALE_WRONG)


def expect_scales(student: Student, cases: list[tuple[int, int]]) -> None:
    """last_step_scale for each (n, batch_size) case."""
    for n, batch_size in cases:
        called = call_text("last_step_scale", n, batch_size)
        remainder = n % batch_size
        expected = remainder / batch_size if remainder else 1.0
        wanted = (_(SCALE_EXPECTED).format(expected=expected, remainder=remainder, batch_size=batch_size) if remainder
                  else _(SCALE_EVEN_EXPECTED))
        got = student.probe(probes.scale, num_examples=n, batch_size=batch_size)
        value = expect_number(got, called=called, hint=SCALE_NOT_NUMBER, expected=wanted)
        if not number_close(value, expected, rtol=1e-9, atol=1e-12):
            fail(called=called, got=show(got), expected=wanted, hint=_scale_hint(value, n, batch_size))


@check("last_step_scale is the size of the last update relative to averaging over its real length", points=1,
       public=True)
def test_last_step_scale(student: Student, seed: int) -> None:
    expect_scales(student, [(1000, 32), (100, 10)])


@check("num_batches and last_step_scale hold for fresh sizes, including fewer examples than batch_size", points=1)
def test_fresh_counts(student: Student, seed: int) -> None:
    batch_size = fresh_int(seed, "batch size for the counts", 5, 65)
    uneven = batch_size * fresh_int(seed, "full batches for the counts", 1, 40) + fresh_int(
        seed, "remainder for the counts", 1, batch_size)
    divisible = batch_size * fresh_int(seed, "batches when it divides", 1, 40)
    few = fresh_int(seed, "fewer than a batch", 1, batch_size)
    expect_counts(student, [(uneven, batch_size, False), (uneven, batch_size, True), (divisible, batch_size, None),
                            (divisible, batch_size, True), (few, batch_size, False), (few, batch_size, True)])
    expect_scales(student, [(uneven, batch_size), (divisible, batch_size), (few, batch_size), (1000, 300)])
