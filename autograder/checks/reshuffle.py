"""Checks for the reshuffle exercise: why D2L's loop reshuffles the data every epoch.

Two kinds of data make train_one's behaviour exact whatever its random stream:
- every feature 0: then w gets no gradient, and each of D2L's updates moves b by
  lr * (mean label of the minibatch - b), so the b a run ends with is known in closed form for the
  stored order, and so are the bs that the catalogued mistakes give (no / batch_size, .grad never
  cleared, a fixed lr, ...);
- the same with one tagged example (label batch_size, all others 0), lr 0.5 and minibatches of 4:
  then the final b is a sum of distinct powers of 2, one per epoch, whose exponents say at which
  step of each epoch the tagged example came. From it the judge reads the order of every epoch:
  stored, fresh in each epoch, or drawn once and repeated.
The lesson itself is checked with the notes' adversarial data (exercises-notes.md §7, Ex 8: two
halves with offsets +5 and -5; on 1000 examples the stored order ends with b near 1.0, about 3.2
below the least-squares b 4.2, reshuffled within about 0.3 of it), here 400 examples with offsets
+10 and -10 (the same margins at 40 % of the cost), and the student's dataset is trained by the
judge's own D2L loop. Those checks are hidden, so that no training loop and no adversarial dataset
ships with the release. Reshuffled runs are judged by the median of three seeds, far inside the
bounds.
"""

from __future__ import annotations

import itertools
import math
import statistics

import torch

from course_checks.harness import (
    Code,
    ErrorHint,
    Hint,
    Student,
    TensorData,
    call_text,
    check,
    close,
    fail,
    fresh_int,
    generator,
    kind_of,
    number_close,
    rng,
    show,
)
from course_checks.i18n import N_, _, ngettext
from course_checks.probes import d2l
from course_checks.probes import reshuffle as probes

FAR, NEAR = 2.0, 0.5  # the contract's bounds: stored order ends more than 2 from the least-squares b, reshuffled within 0.5
FIT_BOUND = 0.5  # the contract's bound on the least-squares fit of an adversarial dataset
TAG_BATCH, TAG_BATCHES, TAG_EPOCHS, TAG_LR = 4, 5, 3, 0.5  # the tagged runs: 20 examples, 15 updates
SHUFFLE_SEEDS = 3  # reshuffled runs are judged by their median

PARAMS_PAIR = Hint(
    "params_pair",
    concept="train_one returns the trained parameters as a pair (w, b) of tensors.",
    where="Look at train_one's return statement.",
    code="`return w, b` (detached if you like: `w.detach(), b.detach()`)")
PARAMS_SHAPES = Hint(
    "params_shapes",
    concept="w has one weight per feature, as a column (d, 1), and b is one shared offset of shape (1,), as D2L "
            "creates them.",
    where="Look at how w and b are created.",
    code="`torch.normal(0, 0.01, size=(features.shape[1], 1), generator=generator, requires_grad=True)` and "
         "`torch.zeros(1, requires_grad=True)`")
W_START = Hint(
    "w_start",
    concept="With every feature 0, w gets no gradient and keeps its starting value, which is drawn from N(0, 0.01**2): "
            "a few hundredths at most.",
    where="Look at how w is created: the mean 0 and the standard deviation 0.01.",
    code="`torch.normal(0, 0.01, size=(features.shape[1], 1), generator=generator, requires_grad=True)`")
WRONG_UPDATES = Hint(
    "wrong_updates",
    concept="D2L's update moves b by lr times the minibatch's summed gradient divided by batch_size; with every feature "
            "0 that is b <- b - lr * (b - mean label of the minibatch), one update per minibatch, from b = 0.",
    where="Compare your loop, line by line, with D2L's: summed loss, backward, sgd, and the minibatches in order.",
    code="`squared_loss(linreg(X, w, b), y).sum().backward()` then `sgd([w, b], lr, batch_size)`")
NO_BATCH_DIVIDE = Hint(
    "no_batch_divide",
    concept="After the summed loss's backward, .grad is the SUM over the minibatch, so an update that does not divide "
            "by the batch size is batch_size times too big.",
    where="Look at the update: the given sgd divides by batch_size; your own update must too.",
    code="`sgd([w, b], lr, batch_size)`, i.e. `param -= lr * param.grad / batch_size`")
GRAD_NOT_ZEROED = Hint(
    "grad_not_zeroed",
    concept=".grad accumulates across backward calls: without clearing it after each update, every step repeats all "
            "the earlier gradients.",
    where="Look at what happens to each .grad after the update.",
    code="`param.grad.zero_()` after every update (the given sgd does it)")
MISSING_HALF = Hint(
    "missing_half",
    concept="D2L's loss is HALF the squared error; without the half (nn.MSELoss, F.mse_loss) the gradient, and so "
            "every step, is twice as big.",
    where="Look at the loss you differentiate.",
    code="The given `squared_loss`, summed: `squared_loss(linreg(X, w, b), y).sum().backward()`")
DIVIDED_TWICE = Hint(
    "divided_twice",
    concept="The gradient is divided by the batch size once: either the loss is summed and sgd divides, or the loss is "
            "averaged and the step is lr times its gradient, not both.",
    where="Look at the reduction of the loss and at the update: a mean loss followed by the given sgd divides twice.",
    code="`squared_loss(...).sum().backward()` with `sgd([w, b], lr, batch_size)`")
LR_IGNORED = Hint(
    "lr_ignored",
    concept="The learning rate is an argument: the updates must use the lr train_one was given, not the book's 0.03.",
    where="Look at what the update is called with.",
    code="`sgd([w, b], lr, batch_size)` with train_one's own lr")
BATCH_SIZE_IGNORED = Hint(
    "batch_size_ignored",
    concept="The batch size is an argument: both the minibatches and the update's division must follow it, not the "
            "book's 10.",
    where="Look at the two places the batch size appears in your loop.",
    code="`range(0, num_examples, batch_size)` and `sgd([w, b], lr, batch_size)`")
EPOCHS_IGNORED = Hint(
    "epochs_ignored",
    concept="The number of epochs is an argument: the loop over the data runs num_epochs times, not the book's 3.",
    where="Look at the epoch loop.",
    code="`for epoch in range(num_epochs):`")
STORED_ORDER_SHUFFLED = Hint(
    "stored_order_shuffled",
    concept="With shuffle=False the minibatches come in the stored order, rows 0 to batch_size - 1 first, then the next "
            "ones, in every epoch: that order is what the exercise studies, so it must not be shuffled.",
    where="Look at the order your loop takes when shuffle is False.",
    code="`torch.arange(num_examples)` as the order when shuffle is False")
SHUFFLE_NOT_APPLIED = Hint(
    "shuffle_not_applied",
    concept="With shuffle=True every epoch must visit the examples in a random order; your shuffled runs take them in "
            "the stored order, so the flag, or the shuffled indices, never reach the minibatches.",
    where="Look at what selects each minibatch's rows when shuffle is True: the shuffled order, or consecutive rows.",
    code="`order = torch.randperm(num_examples, generator=generator) if shuffle else torch.arange(num_examples)`, then "
         "`features[order[i: i + batch_size]]`")
SHUFFLED_ONCE = Hint(
    "shuffled_once",
    concept="Reshuffle every epoch: an order drawn once, before the epochs, repeats in every epoch, so every epoch ends "
            "on the same minibatches and their pull never averages out.",
    where="Look at where the order is drawn: inside the epoch loop, before its minibatches, or once before it.",
    code="Draw `torch.randperm(num_examples, generator=generator)` at the start of each epoch.")
SHUFFLED_RUN_OFF = Hint(
    "shuffled_run_off",
    concept="Shuffled or not, an epoch is one pass over all the examples in minibatches of batch_size with D2L's "
            "update; only the order of the examples changes.",
    where="Compare the shuffled branch of your loop with the stored one: the same minibatch sizes and the same update, "
          "only other indices.",
    code="One loop for both: `for i in range(0, num_examples, batch_size): batch = order[i: i + batch_size]`")
NOT_SEEDED = Hint(
    "not_seeded",
    concept="The same seed must give the same run: the initial w and every epoch's order come from one generator "
            "seeded with seed.",
    where="Look at where the random numbers come from: a generator seeded with seed, or the unseeded global one.",
    code="`generator = torch.Generator()` and `generator.manual_seed(seed)` first, then generator= in torch.normal and "
         "torch.randperm")
SEED_IGNORED = Hint(
    "seed_ignored",
    concept="Another seed must give another run: a different initial w and other orders.",
    where="Look at what you seed with: the seed argument, or a constant.",
    code="`generator.manual_seed(seed)`, with the argument")
TRACE_IGNORED = Hint(
    "trace_ignored",
    concept="trace records the run for the plot: when train_one is given a list, b goes into it after every update.",
    where="Look at what your loop does with its trace argument, right after each update.",
    code="`if trace is not None: trace.append(b.item())` after `sgd([w, b], lr, batch_size)`")
TRACE_ALIASES = Hint(
    "trace_aliases",
    concept="Appending b itself stores the same tensor again and again, and the update changes it in place: every entry "
            "then shows the final b. Append its current value, a Python float.",
    where="Look at what you append to trace.",
    code="`trace.append(b.item())` (or `float(b.detach())`)")
TRACE_NOT_FLOATS = Hint(
    "trace_not_floats",
    concept="Each entry of trace is b's value after that update, as a plain Python float.",
    where="Look at what you append to trace.",
    code="`trace.append(b.item())`")
TRACE_LENGTH = Hint(
    "trace_length",
    concept="trace has one entry per update: num_epochs times the number of minibatches of an epoch.",
    where="Look at where the append sits: in the minibatch loop, once per update.",
    code="Append inside the minibatch loop, right after `sgd([w, b], lr, batch_size)`.")
TRACE_BEFORE_UPDATE = Hint(
    "trace_before_update",
    concept="Each entry is b AFTER its update: the first is the b the first minibatch's step gives, not the starting "
            "0.",
    where="Look at whether you append before or after the update.",
    code="Append after `sgd([w, b], lr, batch_size)`.")
TRACE_WRONG = Hint(
    "trace_wrong",
    concept="Each entry of trace is the b the run has right after that update, so the last entry is the b train_one "
            "returns.",
    where="Look at what you append, and when.",
    code="`trace.append(b.item())` right after every `sgd([w, b], lr, batch_size)`")
MUTATED_INPUTS = Hint(
    "mutated_inputs",
    concept="Training must not change the data: shuffling works on indices, and the caller still needs features and "
            "labels as they were.",
    where="Look for an in-place change of features or labels: random.shuffle on a tensor, a slice assignment, an "
          "in-place operation.",
    code="Select each minibatch with indices: `features[batch], labels[batch]`.")
DIVERGED = Hint(
    "diverged",
    concept="At lr 0.03 and batch size 10 D2L's loop is stable; a run that ends with inf or nan takes much bigger "
            "steps than the book's.",
    where="Look at the update: is the summed gradient divided by batch_size, and is .grad cleared after every update?",
    code="`sgd([w, b], lr, batch_size)` after `squared_loss(...).sum().backward()`")
STORED_NOT_FAR = Hint(
    "stored_not_far",
    concept="On this data the two halves disagree strongly about b, and in the stored order the second half comes last "
            "in every epoch: D2L's loop ends with b about 3 below the least-squares b, pulled towards the second half.",
    where="Look at the order your loop takes when shuffle is False, and at the loop itself.",
    code="With shuffle False: `torch.arange(num_examples)` as the order, D2L's update with the given sgd.")
SHUFFLED_NOT_SETTLED = Hint(
    "shuffled_not_settled",
    concept="Reshuffled every epoch, D2L's loop ends close to the least-squares fit on this data (b within 0.5): each "
            "minibatch mixes both halves, so their pulls cancel on average.",
    where="Look at the shuffled branch of your loop, and at the size of each update (the summed gradient divided by "
          "batch_size).",
    code="`order = torch.randperm(num_examples, generator=generator)` each epoch, then `sgd([w, b], lr, batch_size)`")
W_NOT_TRAINED = Hint(
    "w_not_trained",
    concept="Both parameters learn: a reshuffled run ends with w close to the least-squares [2, -3.4], not where it "
            "started.",
    where="Look at which parameters your update changes.",
    code="`sgd([w, b], lr, batch_size)`: both w and b")
DATASET_PAIR = Hint(
    "dataset_pair",
    concept="make_adversarial_dataset returns the data as a pair (features, labels) of tensors.",
    where="Look at the return statement.",
    code="`return features, labels`")
DATASET_SHAPES = Hint(
    "dataset_shapes",
    concept="Like D2L's synthetic_data, the features are an (n, 2) table and the labels a column (n, 1), with n the "
            "num_examples asked for.",
    where="Look at the shapes you build, and whether they follow num_examples.",
    code="`features` of shape `(num_examples, 2)` and `labels.reshape(-1, 1)`")
LABELS_COLUMN = Hint(
    "labels_column",
    concept="The labels are a column (n, 1), as D2L's synthetic_data returns them: X @ w with a 1-D w is 1-D.",
    where="Look at the shape of the labels you return.",
    code="`labels.reshape(-1, 1)`")
DATASET_DTYPE = Hint(
    "dataset_dtype",
    concept="The data are float32, like D2L's and like the parameters they meet in X @ w; NumPy makes float64.",
    where="Look at how the tensors are made.",
    code="Draw with torch (`torch.randn(..., generator=generator)`) or convert with `.float()`.")
DATASET_NOT_SEEDED = Hint(
    "dataset_not_seeded",
    concept="The same seed must give the same dataset: draw everything from a generator seeded with seed.",
    where="Look at where the random numbers come from.",
    code="`generator = torch.Generator()` and `generator.manual_seed(seed)` first, then generator= in every draw")
FIT_OFF = Hint(
    "fit_off",
    concept="The whole dataset must still say w = [2, -3.4], b = 4.2: the disagreement between its parts has to cancel "
            "in the least-squares fit (offsets that sum to zero over the dataset, features that do not favour one "
            "part).",
    where="Compare what the parts of your dataset say about w and b, and how many examples each part has.",
    code="Equal halves with opposite offsets, e.g. +5 for the first half and -5 for the second, on the same features.")
BATCHES_AGREE = Hint(
    "batches_agree",
    concept="Ordering only hurts when minibatches disagree about the optimum: in your dataset every example lies "
            "(almost) on one line, so every minibatch has the same least-squares fit and any order ends there.",
    where="Look at how much your labels stray from the best line: sorting clean data changes nothing.",
    code="Give parts of the data different offsets, e.g. +5 for the first half and -5 for the second.")
PULL_TOO_WEAK = Hint(
    "pull_too_weak",
    concept="Your examples are grouped so that one kind comes last, but they disagree too little: the last minibatches "
            "pull b only a little way from the least-squares b.",
    where="Look at how far apart the parts of your data put b.",
    code="A larger disagreement, e.g. offsets +5 and -5 for the two halves.")
ORDER_NOT_GROUPED = Hint(
    "order_not_grouped",
    concept="Your minibatches disagree, but the stored order mixes them, so their pulls cancel as a shuffle's would; "
            "the stored order must put the examples that pull one way together, at the end of the epoch.",
    where="Look at the order of your examples: which ones come last?",
    code="Store them grouped: all examples of one offset first, all of the other last.")
DISAGREE_ON_W = Hint(
    "disagree_on_w",
    concept="Your stored order pulls w away, but the exercise asks about b: make the parts of the data disagree about "
            "the offset.",
    where="Look at what differs between the parts of your data: the slopes, or the offset.",
    code="The same features and weights in both halves, offsets +5 and -5.")
TOO_NOISY = Hint(
    "too_noisy",
    concept="Even reshuffled, D2L's loop must end within 0.5 of the least-squares b; with disagreements this large the "
            "minibatches scatter b too much.",
    where="Look at how large the disagreement between your examples is.",
    code="A moderate disagreement, e.g. offsets +5 and -5 for the two halves.")

ERROR_HINTS: list[ErrorHint] = [
    ErrorHint("unexpected keyword argument 'trace'", TRACE_IGNORED, only=frozenset({"train_one"})),
]

# What the messages say, as whole sentences with named placeholders, translated where they are shown; a formula
# too where what it shows may be inf or nan, so that the line still speaks the learner's language. B_EXPECTED
# (always a finite number) reads the same in every language.
PAIR_EXPECTED = N_("a pair (w, b): w of shape ({d}, 1) and b of shape (1,)")
PAIR_GOT = N_("w of shape {w_shape} and b of shape {b_shape}")
W_GOT = N_("w = {w}, b = {b}")
W_EXPECTED = N_("w unchanged from its start, each weight within 0.1 of 0 (drawn from N(0, 0.01**2))")
B_EXPECTED = "b = {b:.6g}"
ZERO_FEATURES = N_("{call} with every feature 0 and the labels {labels} in their stored order")
TAGGED_STORED_CALL = N_("{call} on 20 examples with every feature 0, the label 4 for row {row} and 0 for the others, "
                        "with shuffle=False and seed {seeds}")
TAGGED_SHUFFLED_CALL = N_("{call} on 20 examples with every feature 0, the label 4 for row {row} and 0 for the "
                          "others, with shuffle=True and the seeds {seeds}")
TAGGED_GOT = N_("b = {b:.9g}, which is no run of D2L's loop over minibatches of 4")
ORDER_GOT = N_("in the three epochs the tagged row came in minibatch {positions} of 5")
STORED_ORDER_EXPECTED = N_("minibatch {position} in every epoch: rows 0 to 3 first, then 4 to 7, and so on")
ORDER_RUNS_GOT = N_("for the seeds {seeds}, the tagged row came in minibatches {positions}")
FRESH_ORDER_EXPECTED = N_("a fresh random order in every epoch (the tagged row at a new position from epoch to epoch)")
RANDOM_ORDER_EXPECTED = N_("a random order (not the stored one) in at least some epochs")
SEED_TWICE = N_("{call} twice with seed={seed}, then with seeds {others}")
SEED_DIFFER_GOT = N_("b = {first:.9g} the first time and {second:.9g} the second")
SEED_SAME_EXPECTED = N_("the same run twice for the same seed")
SEEDS_SAME_GOT = N_("b = {b:.9g} for every seed")
SEEDS_DIFFER_EXPECTED = N_("other orders for other seeds")
TRACE_CALL = N_("{call} with trace=[] ({updates} updates)")
TRACE_KIND_GOT = N_("trace holds {what}")
TRACE_EXPECTED = N_("{updates} Python floats, b after each update: {values}")
TRACE_VALUES_GOT = N_("trace = {values}")
INPUTS_GOT = N_("features or labels changed by the calls")
INPUTS_EXPECTED = N_("features and labels left as they were")
ADVERSARIAL_CALL = N_("{call} on 400 examples whose halves share their features and put b at 14.2 and -5.8 "
                      "(least-squares fit w = {ls_w}, b = {ls_b:.4g})")
RESULT_NOT_FINITE = N_("b = {b}")
FINITE_EXPECTED = N_("a finite b")
STORED_GOT = N_("b = {b:.4g}, {distance:.3g} from the least-squares b")
STORED_EXPECTED = N_("b more than 2 away from the least-squares b (D2L's loop ends at {book_b:.4g} here)")
SHUFFLED_GOT = N_("b = {bs} for the seeds {seeds}: their median is {distance:.3g} away from the least-squares b")
SHUFFLED_EXPECTED = N_("b within 0.5 of the least-squares b")
SHUFFLED_W_GOT = N_("w = {ws} for the seeds {seeds}: a weight is typically (the median over the seeds) up to "
                    "{distance:.3g} away from the least-squares w")
SHUFFLED_W_EXPECTED = N_("w within 0.5 of the least-squares w, {ls_w}")
DATASET_GOT = N_("features of shape {x_shape} and labels of shape {y_shape}")
DATASET_EXPECTED = N_("features of shape ({n}, 2) and labels of shape ({n}, 1)")
DTYPE_GOT = N_("features {x_dtype} and labels {y_dtype}")
DTYPE_EXPECTED = N_("float32 tensors")
SEEDED_DATASET_CALLS = N_("{call}, twice")
SEEDED_DATASET_GOT = N_("two different datasets")
SEEDED_DATASET_EXPECTED = N_("the same dataset twice")
FIT_GOT = N_("the least-squares fit w = {w}, b = {b:.4g}")
FIT_EXPECTED = N_("a fit within 0.5 of w = [2, -3.4], b = 4.2")
JUDGE_LOOP = N_("{call}, then D2L's loop on it (lr 0.03, batch size 10, 3 epochs, from w ~ N(0, 0.01**2), b = 0), "
                "with shuffle={shuffle}")
JUDGE_STORED_GOT = N_("in the stored order b ends at {b:.4g}, {distance:.3g} from the least-squares b {ls_b:.4g} "
                      "(and w at {w}, {w_distance:.3g} from the least-squares w)")
JUDGE_STORED_EXPECTED = N_("b more than 2 away from the least-squares b")
JUDGE_SHUFFLED_GOT = N_("reshuffled, b ends at {bs} for three orders: their median is {distance:.3g} away from "
                        "the least-squares b")


def _trace_length_got(count: int) -> str:
    return ngettext("{count} entry", "{count} entries", count).format(count=count)


# ---------------------------------------------------------------------------------------------
# b with every feature 0: closed forms of D2L's loop and of the catalogued mistakes


def stored_b_trace(labels: list[float], lr: float, batch_size: int, num_epochs: int, mistake: str = "") -> list[float]:
    """b after every update of D2L's loop in the stored order when every feature is 0 (so w never moves),
    from b = 0, in float64; `mistake` gives the b of a catalogued mistake instead."""
    lr = 0.03 if mistake == "lr_ignored" else lr
    batch_size = 10 if mistake == "batch_size_ignored" else batch_size
    num_epochs = 3 if mistake == "epochs_ignored" else num_epochs
    divisor = {"no_batch_divide": 1.0, "divided_twice": float(batch_size) ** 2}.get(mistake, float(batch_size))
    factor = 2.0 if mistake == "missing_half" else 1.0
    b, grad, trace = 0.0, 0.0, []
    with_overflow = math.inf
    for _epoch in range(num_epochs):
        for start in range(0, len(labels), batch_size):
            batch = labels[start: start + batch_size]
            summed = factor * (len(batch) * b - sum(batch))  # d/db of the summed loss over the minibatch
            grad = grad + summed if mistake == "grad_not_zeroed" else summed
            b = b - lr * grad / divisor
            if not math.isfinite(b) or abs(b) > 1e30:
                b = with_overflow
            trace.append(b)
    return trace


MISTAKES = {"no_batch_divide": NO_BATCH_DIVIDE, "grad_not_zeroed": GRAD_NOT_ZEROED, "missing_half": MISSING_HALF,
            "divided_twice": DIVIDED_TWICE, "lr_ignored": LR_IGNORED, "batch_size_ignored": BATCH_SIZE_IGNORED,
            "epochs_ignored": EPOCHS_IGNORED}


def _diagnose_stored_b(b: float, labels: list[float], lr: float, batch_size: int, num_epochs: int) -> Hint:
    """The catalogued mistake whose b this is, if any."""
    right = stored_b_trace(labels, lr, batch_size, num_epochs)[-1]
    for mistake, hint in MISTAKES.items():
        wrong = stored_b_trace(labels, lr, batch_size, num_epochs, mistake)[-1]
        if not number_close(wrong, right, rtol=1e-6, atol=1e-9) and _same(b, wrong):
            return hint
    return WRONG_UPDATES


def _same(got: float, expected: float) -> bool:
    if math.isinf(expected):
        return not math.isfinite(got)
    return number_close(got, expected, rtol=1e-4, atol=1e-5)


def expect_params(result: object, d: int, called: str) -> tuple[TensorData, TensorData]:
    """train_one's result: a pair (w (d, 1), b (1,))."""
    if not (isinstance(result, list) and len(result) == 2 and all(isinstance(part, TensorData) for part in result)):
        fail(called=called, got=kind_of(result), expected=_(PAIR_EXPECTED).format(d=d), hint=PARAMS_PAIR)
    w, b = result
    if w.shape != (d, 1) or b.shape != (1,):
        fail(called=called, got=_(PAIR_GOT).format(w_shape=w.shape, b_shape=b.shape),
             expected=_(PAIR_EXPECTED).format(d=d), hint=PARAMS_SHAPES)
    return w, b


def expect_w_at_start(w: TensorData, b: TensorData, called: str) -> None:
    """With every feature 0, w must still be its N(0, 0.01**2) start."""
    if not bool((w.values.abs() < 0.1).all()):
        fail(called=called, got=_(W_GOT).format(w=show(w.values), b=show(b.values)), expected=_(W_EXPECTED),
             hint=W_START)


def _train_called(**options: object) -> str:
    return call_text("train_one", Code("features"), Code("labels"), **options)


# ---------------------------------------------------------------------------------------------
# The tagged runs: which minibatch of each epoch held the tagged example


def tagged_labels(row: int) -> list[list[float]]:
    """20 labels, TAG_BATCH for the tagged row and 0 for the others: a minibatch's mean label is 1 or 0."""
    return [[float(TAG_BATCH) if index == row else 0.0] for index in range(TAG_BATCH * TAG_BATCHES)]


def _tagged_b(positions: tuple[int, ...]) -> float:
    """The final b when the tagged example comes at these minibatches of the epochs (lr 0.5: a sum of powers of 2)."""
    updates = TAG_BATCHES * TAG_EPOCHS
    return sum(TAG_LR * (1 - TAG_LR) ** (updates - 1 - (epoch * TAG_BATCHES + position))
               for epoch, position in enumerate(positions))


TAGGED_BS = {positions: _tagged_b(positions)
             for positions in itertools.product(range(TAG_BATCHES), repeat=TAG_EPOCHS)}


def read_positions(b: float) -> tuple[int, ...] | None:
    """At which minibatch of each epoch the tagged example came, from the final b; None if no order gives it."""
    return next((positions for positions, value in TAGGED_BS.items() if abs(value - b) < 1e-6), None)


def _tagged_runs(student: Student, row: int, runs: list[dict[str, object]]) -> probes.Runs:
    features = [[0.0, 0.0]] * (TAG_BATCH * TAG_BATCHES)
    options = {"lr": TAG_LR, "batch_size": TAG_BATCH, "num_epochs": TAG_EPOCHS}
    return student.probe(probes.runs, features=features, labels=tagged_labels(row),
                         runs=[{**options, **run} for run in runs])


def _tagged_called(row: int, shuffle: bool, seeds: list[int]) -> str:
    call = _train_called(lr=TAG_LR, batch_size=TAG_BATCH, num_epochs=TAG_EPOCHS)
    return _(TAGGED_SHUFFLED_CALL if shuffle else TAGGED_STORED_CALL).format(call=call, row=row,
                                                                             seeds=", ".join(map(str, seeds)))


def _tagged_b_of(run: probes.Run, called: str) -> float:
    w, b = expect_params(run.result, 2, called)
    expect_w_at_start(w, b, called)
    return float(b.values.reshape(-1)[0])


@check("train_one takes the minibatches in the stored order when shuffle=False and in a fresh random order every "
       "epoch when shuffle=True", points=2, public=True)
def test_batch_order(student: Student, seed: int) -> None:
    row = fresh_int(seed, "tagged row", 0, TAG_BATCH * TAG_BATCHES)
    stored_position = row // TAG_BATCH
    seeds = [fresh_int(seed, f"shuffled seed {number}", 0, 100_000) for number in range(4)]
    got = _tagged_runs(student, row, [{"shuffle": False, "seed": seeds[0]}]
                       + [{"shuffle": True, "seed": run_seed} for run_seed in seeds])
    stored_called = _tagged_called(row, False, seeds[:1])
    b = _tagged_b_of(got.runs[0], stored_called)
    positions = read_positions(b)
    if positions is None:
        labels = [label for (label,) in tagged_labels(row)]
        fail(called=stored_called, got=_(TAGGED_GOT).format(b=b),
             expected=B_EXPECTED.format(b=TAGGED_BS[(stored_position,) * TAG_EPOCHS]),
             hint=_diagnose_stored_b(b, labels, TAG_LR, TAG_BATCH, TAG_EPOCHS))
    if positions != (stored_position,) * TAG_EPOCHS:
        fail(called=stored_called, got=_(ORDER_GOT).format(positions=_one_based(positions)),
             expected=_(STORED_ORDER_EXPECTED).format(position=stored_position + 1), hint=STORED_ORDER_SHUFFLED)
    shuffled_called = _tagged_called(row, True, seeds)
    orders = []
    for run in got.runs[1:]:
        b = _tagged_b_of(run, shuffled_called)
        order = read_positions(b)
        if order is None:
            fail(called=shuffled_called, got=_(TAGGED_GOT).format(b=b), expected=_(FRESH_ORDER_EXPECTED),
                 hint=SHUFFLED_RUN_OFF)
        orders.append(order)
    shown = _(ORDER_RUNS_GOT).format(seeds=", ".join(map(str, seeds)),
                                     positions="; ".join(_one_based(order) for order in orders))
    if all(order == (stored_position,) * TAG_EPOCHS for order in orders):
        fail(called=shuffled_called, got=shown, expected=_(RANDOM_ORDER_EXPECTED), hint=SHUFFLE_NOT_APPLIED)
    if all(len(set(order)) == 1 for order in orders):
        fail(called=shuffled_called, got=shown, expected=_(FRESH_ORDER_EXPECTED), hint=SHUFFLED_ONCE)


def _one_based(positions: tuple[int, ...]) -> str:
    return ", ".join(str(position + 1) for position in positions)


@check("train_one with the same seed gives the same run, and other seeds other runs", points=1)
def test_seed(student: Student, seed: int) -> None:
    row = fresh_int(seed, "tagged row for the seeds", 0, TAG_BATCH * TAG_BATCHES)
    first = fresh_int(seed, "seed", 0, 100_000)
    others = [first + 1, first + 2, first + 3]
    got = _tagged_runs(student, row, [{"shuffle": True, "seed": run_seed} for run_seed in [first, first, *others]])
    call = _train_called(shuffle=True, lr=TAG_LR, batch_size=TAG_BATCH, num_epochs=TAG_EPOCHS)
    called = _(SEED_TWICE).format(call=call, seed=first, others=", ".join(map(str, others)))
    bs = [float(expect_params(run.result, 2, called)[1].values.reshape(-1)[0]) for run in got.runs]
    if not number_close(bs[0], bs[1], rtol=1e-6, atol=1e-7):
        fail(called=called, got=_(SEED_DIFFER_GOT).format(first=bs[0], second=bs[1]), expected=_(SEED_SAME_EXPECTED),
             hint=NOT_SEEDED)
    if len(set(bs)) == 1:
        fail(called=called, got=_(SEEDS_SAME_GOT).format(b=bs[0]), expected=_(SEEDS_DIFFER_EXPECTED), hint=SEED_IGNORED)


def zero_feature_case(seed: int, purpose: str) -> tuple[list[float], float, int, int]:
    """Fresh labels (in stored order), lr, batch size and number of epochs, with batch_size dividing n."""
    draws = rng(seed, purpose)
    batch_size = draws.choice([3, 4, 5, 8])  # not 2: dividing by 2 would look like the missing half
    labels = [round(draws.gauss(1.0, 3.0), 3) for _example in range(batch_size * draws.randint(3, 6))]
    lr = round(draws.uniform(0.05, 0.3), 3)
    while abs(lr / batch_size - 0.03) < 1e-3:  # dividing twice would then look like the book's lr 0.03
        lr = round(draws.uniform(0.05, 0.3), 3)
    # 1 or 2 epochs, not the book's 3: with lr at most 0.3 each epoch still moves b measurably (later epochs
    # settle on the same end of epoch, and 3 epochs could not be told from 4)
    return labels, lr, batch_size, draws.randint(1, 2)


def _zero_feature_run(student: Student, labels: list[float], lr: float, batch_size: int, num_epochs: int,
                      seed: int, trace: bool) -> probes.Run:
    run = {"shuffle": False, "lr": lr, "batch_size": batch_size, "num_epochs": num_epochs, "seed": seed, "trace": trace}
    got = student.probe(probes.runs, features=[[0.0, 0.0]] * len(labels), labels=[[label] for label in labels],
                        runs=[run])
    return got.runs[0]


@check("train_one in the stored order ends with exactly the b of D2L's updates, for fresh lr, batch size and epochs",
       points=2)
def test_stored_order_exact(student: Student, seed: int) -> None:
    labels, lr, batch_size, num_epochs = zero_feature_case(seed, "stored run")
    run_seed = fresh_int(seed, "seed for the stored run", 0, 100_000)
    called = _(ZERO_FEATURES).format(call=_train_called(shuffle=False, lr=lr, batch_size=batch_size,
                                                        num_epochs=num_epochs, seed=run_seed),
                                     labels=show(labels, limit=12))
    run = _zero_feature_run(student, labels, lr, batch_size, num_epochs, run_seed, trace=False)
    w, b = expect_params(run.result, 2, called)
    expect_w_at_start(w, b, called)
    expected = stored_b_trace(labels, lr, batch_size, num_epochs)[-1]
    got = float(b.values.reshape(-1)[0])
    if not number_close(got, expected, rtol=1e-4, atol=1e-5):
        fail(called=called, got=_(W_GOT).format(w=show(w.values), b=show(b.values)),
             expected=B_EXPECTED.format(b=expected), hint=_diagnose_stored_b(got, labels, lr, batch_size, num_epochs))


@check("train_one appends b to trace after every update", points=1)
def test_trace(student: Student, seed: int) -> None:
    labels, lr, batch_size, num_epochs = zero_feature_case(seed, "traced run")
    expected = stored_b_trace(labels, lr, batch_size, num_epochs)
    call = _train_called(shuffle=False, lr=lr, batch_size=batch_size, num_epochs=num_epochs)
    called = _(TRACE_CALL).format(call=call, updates=len(expected))
    run = _zero_feature_run(student, labels, lr, batch_size, num_epochs, 0, trace=True)
    wanted = _(TRACE_EXPECTED).format(updates=len(expected), values=show(expected))
    trace = run.trace or []
    if not trace:
        fail(called=called, got=_trace_length_got(0), expected=wanted, hint=TRACE_IGNORED)
    if not all(isinstance(entry, (int, float)) and not isinstance(entry, bool) for entry in trace):
        entries = [entry for entry in trace if isinstance(entry, TensorData)]
        aliased = len(entries) == len(trace) and len({float(entry.values.reshape(-1)[0]) for entry in entries}) == 1
        fail(called=called, got=_(TRACE_KIND_GOT).format(what=kind_of(trace[0])), expected=wanted,
             hint=TRACE_ALIASES if aliased and len(trace) > 1 else TRACE_NOT_FLOATS)
    values = [float(entry) for entry in trace]
    if len(values) != len(expected):
        fail(called=called, got=_trace_length_got(len(values)), expected=wanted, hint=TRACE_LENGTH)
    if not all(number_close(value, right, rtol=1e-4, atol=1e-5) for value, right in zip(values, expected)):
        before = [0.0, *expected[:-1]]
        shifted = all(number_close(value, right, rtol=1e-4, atol=1e-5) for value, right in zip(values, before))
        fail(called=called, got=_(TRACE_VALUES_GOT).format(values=show(values)), expected=wanted,
             hint=TRACE_BEFORE_UPDATE if shifted else TRACE_WRONG)


# ---------------------------------------------------------------------------------------------
# The adversarial dataset: shapes and fit (public), then what D2L's loop does on it (hidden)


def least_squares(features: torch.Tensor, labels: torch.Tensor) -> tuple[torch.Tensor, float]:
    """The least-squares (w as a flat (d,) tensor, b) of labels on features, in float64."""
    design = torch.cat([features.to(torch.float64), torch.ones(len(features), 1, dtype=torch.float64)], dim=1)
    solution = torch.linalg.lstsq(design, labels.to(torch.float64).reshape(-1, 1)).solution.reshape(-1)
    return solution[:-1], float(solution[-1])


def expect_dataset(result: object, n: int, called: str) -> tuple[TensorData, TensorData]:
    """make_adversarial_dataset's result: features (n, 2) and labels (n, 1), float32."""
    if not (isinstance(result, list) and len(result) == 2 and all(isinstance(part, TensorData) for part in result)):
        fail(called=called, got=kind_of(result), expected=_(DATASET_EXPECTED).format(n=n), hint=DATASET_PAIR)
    features, labels = result
    if features.shape != (n, 2) or labels.shape != (n, 1):
        hint = LABELS_COLUMN if features.shape == (n, 2) and labels.shape == (n,) else DATASET_SHAPES
        fail(called=called, got=_(DATASET_GOT).format(x_shape=features.shape, y_shape=labels.shape),
             expected=_(DATASET_EXPECTED).format(n=n), hint=hint)
    if features.dtype != "float32" or labels.dtype != "float32":
        fail(called=called, got=_(DTYPE_GOT).format(x_dtype=features.dtype, y_dtype=labels.dtype),
             expected=_(DTYPE_EXPECTED), hint=DATASET_DTYPE)
    return features, labels


def expect_fit(features: TensorData, labels: TensorData, called: str) -> tuple[torch.Tensor, float]:
    """The least-squares fit must be within FIT_BOUND of the true parameters; returns it."""
    w, b = least_squares(features.values, labels.values)
    true_w = torch.tensor(d2l.TRUE_W, dtype=torch.float64)
    if not (math.isfinite(b) and float((w - true_w).abs().max()) < FIT_BOUND and abs(b - d2l.TRUE_B) < FIT_BOUND):
        fail(called=called, got=_(FIT_GOT).format(w=show(w), b=b), expected=_(FIT_EXPECTED), hint=FIT_OFF)
    return w, b


@check("make_adversarial_dataset returns float32 features (n, 2) and labels (n, 1), seeded, whose least-squares fit "
       "is w = [2, -3.4], b = 4.2", points=1, public=True)
def test_dataset_fit(student: Student, seed: int) -> None:
    data_seed = fresh_int(seed, "dataset seed", 0, 100_000)
    seeded = {"num_examples": 600, "seed": data_seed}
    default, first, second = student.probe(probes.dataset, calls=[{}, seeded, seeded])
    called = call_text("make_adversarial_dataset")
    features, labels = expect_dataset(default, 1000, called)
    expect_fit(features, labels, called)
    called = call_text("make_adversarial_dataset", 600, seed=data_seed)
    features, labels = expect_dataset(first, 600, called)
    again_features, again_labels = expect_dataset(second, 600, called)
    # Equal up to float32 rounding: least squares, used by some to shape the noise, is not bitwise repeatable.
    if not (close(again_features.values, features.values, rtol=1e-6, atol=1e-5)
            and close(again_labels.values, labels.values, rtol=1e-6, atol=1e-5)):
        fail(called=_(SEEDED_DATASET_CALLS).format(call=called), got=_(SEEDED_DATASET_GOT),
             expected=_(SEEDED_DATASET_EXPECTED), hint=DATASET_NOT_SEEDED)


def d2l_loop(features: torch.Tensor, labels: torch.Tensor, order_draws: torch.Generator | None,
             init_draws: torch.Generator) -> tuple[torch.Tensor, float]:
    """The judge's D2L loop at train_one's defaults (lr 0.03, batch size 10, 3 epochs, summed half squared loss,
    sgd dividing by the batch size), its gradients written out: the stored order when order_draws is None,
    else a fresh order from it every epoch. Returns the final (w as a flat tensor, b)."""
    lr, batch_size = 0.03, 10
    w = torch.randn(features.shape[1], 1, generator=init_draws) * 0.01
    b = torch.zeros(1)
    for _epoch in range(3):
        order = torch.arange(len(features)) if order_draws is None else torch.randperm(len(features), generator=order_draws)
        X_ordered, y_ordered = features[order], labels[order]
        for start in range(0, len(features), batch_size):
            X, y = X_ordered[start: start + batch_size], y_ordered[start: start + batch_size]
            residual = X @ w + b - y
            w = w - lr * (X.T @ residual) / batch_size
            b = b - lr * residual.sum(0) / batch_size
    return w.reshape(-1).to(torch.float64), float(b)


def _adversarial_diagnosis(features: torch.Tensor, labels: torch.Tensor, ls_w: torch.Tensor, ls_b: float,
                           stored_w: torch.Tensor, distance: float) -> Hint:
    """Why the stored order does not break b: every minibatch agrees, the order mixes them, the pull is in w, or it
    is too weak."""
    design = torch.cat([features, torch.ones(len(features), 1, dtype=torch.float64)], dim=1)
    spread = float((labels.reshape(-1) - design @ torch.cat([ls_w, torch.tensor([ls_b], dtype=torch.float64)])).std())
    if spread < 0.1:
        return BATCHES_AGREE
    if float((stored_w - ls_w).abs().max()) > 1.0:  # the notes' halves move w by about 0.2 at most
        return DISAGREE_ON_W
    return PULL_TOO_WEAK if distance > 0.3 * spread else ORDER_NOT_GROUPED


@check("D2L's loop on make_adversarial_dataset ends more than 2 from the least-squares b in the stored order and "
       "within 0.5 when reshuffled", points=2)
def test_dataset_breaks_stored_order(student: Student, seed: int) -> None:
    # A fresh seed only (the public check reads the default call): D2L's loop is the dearest part of the exercise.
    data_seed = fresh_int(seed, "seed of the dataset to train on", 0, 100_000)
    calls = [({"num_examples": 1000, "seed": data_seed}, call_text("make_adversarial_dataset", 1000, seed=data_seed))]
    results = student.probe(probes.dataset, calls=[options for options, _call in calls])
    for number, (result, (_options, call)) in enumerate(zip(results, calls)):
        features, labels = expect_dataset(result, 1000, call)
        ls_w, ls_b = expect_fit(features, labels, call)
        X, y = features.values.to(torch.float32), labels.values.to(torch.float32)
        stored_w, stored_b = d2l_loop(X, y, None, generator(seed, f"initial w {number}"))
        distance = abs(stored_b - ls_b)
        if not distance > FAR:
            fail(called=_(JUDGE_LOOP).format(call=call, shuffle=False),
                 got=_(JUDGE_STORED_GOT).format(b=stored_b, distance=distance, ls_b=ls_b, w=show(stored_w),
                                                w_distance=float((stored_w - ls_w).abs().max())),
                 expected=_(JUDGE_STORED_EXPECTED),
                 hint=_adversarial_diagnosis(features.values, labels.values, ls_w, ls_b, stored_w, distance))
        shuffled = [d2l_loop(X, y, generator(seed, f"orders {number}.{run}"), generator(seed, f"initial w {number}.{run}"))[1]
                    for run in range(SHUFFLE_SEEDS)]
        median = abs(statistics.median(shuffled) - ls_b)
        if not median < NEAR:
            fail(called=_(JUDGE_LOOP).format(call=call, shuffle=True),
                 got=_(JUDGE_SHUFFLED_GOT).format(bs=show(shuffled), distance=median), expected=_(SHUFFLED_EXPECTED),
                 hint=TOO_NOISY)


ADVERSARIAL_EXAMPLES, ADVERSARIAL_OFFSET = 400, 10.0


def adversarial_data(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """The notes' malicious dataset (exercises-notes.md §7, Ex 8: two halves on the same features, label offsets
    + and -), fresh, and smaller to train fast: 400 examples with offsets +10 and -10, which keeps the notes'
    margins (the stored order ends about 3.1 from the least-squares b, reshuffled runs scatter by about 0.14)."""
    draws = generator(seed, "adversarial data")
    half = ADVERSARIAL_EXAMPLES // 2
    rows = torch.randn(half, 2, generator=draws)
    features = torch.cat([rows, rows])
    offsets = torch.cat([torch.full((half, 1), ADVERSARIAL_OFFSET), torch.full((half, 1), -ADVERSARIAL_OFFSET)])
    true_w = torch.tensor(d2l.TRUE_W).reshape(-1, 1)
    noise = 0.01 * torch.randn(ADVERSARIAL_EXAMPLES, 1, generator=draws)
    return features, features @ true_w + d2l.TRUE_B + offsets + noise


@check("train_one on a malicious dataset: the stored order ends far from the least-squares b, reshuffling close to "
       "it", points=1)
def test_stored_order_breaks(student: Student, seed: int) -> None:
    features, labels = adversarial_data(seed)
    ls_w, ls_b = least_squares(features, labels)
    seeds = [fresh_int(seed, f"seed {number}", 0, 100_000) for number in range(SHUFFLE_SEEDS + 1)]
    got = student.probe(probes.runs, features=features.tolist(), labels=labels.tolist(),
                        runs=[{"shuffle": False, "seed": seeds[0]}]
                        + [{"shuffle": True, "seed": run_seed} for run_seed in seeds[1:]])
    shown_w = show(ls_w)

    def called(shuffle: bool) -> str:
        return _(ADVERSARIAL_CALL).format(call=_train_called(shuffle=shuffle), ls_w=shown_w, ls_b=ls_b)

    if not got.inputs_unchanged:
        fail(called=called(False), got=_(INPUTS_GOT), expected=_(INPUTS_EXPECTED), hint=MUTATED_INPUTS)
    params = [expect_params(run.result, 2, called(index > 0)) for index, run in enumerate(got.runs)]
    bs = [float(b.values.reshape(-1)[0]) for _w, b in params]
    for index, b in enumerate(bs):
        if not math.isfinite(b):
            fail(called=called(index > 0), got=_(RESULT_NOT_FINITE).format(b=b), expected=_(FINITE_EXPECTED),
                 hint=DIVERGED)
    distance = abs(bs[0] - ls_b)
    if not distance > FAR:
        book_b = d2l_loop(features, labels, None, generator(seed, "initial w"))[1]
        fail(called=called(False), got=_(STORED_GOT).format(b=bs[0], distance=distance),
             expected=_(STORED_EXPECTED).format(book_b=book_b),
             hint=STORED_ORDER_SHUFFLED if distance < NEAR else STORED_NOT_FAR)
    shuffled = bs[1:]
    median = abs(statistics.median(shuffled) - ls_b)
    seeds_text = ", ".join(map(str, seeds[1:]))
    ws = [w.values.reshape(-1) for w, _b in params[1:]]
    w_distance = statistics.median(float((w - ls_w).abs().max()) for w in ws)
    w_got = _(SHUFFLED_W_GOT).format(ws="; ".join(show(w) for w in ws), seeds=seeds_text, distance=w_distance)
    if all(float(w.abs().max()) < 0.1 for w in ws):  # w never left its start: b alone scatters more, judge w first
        fail(called=called(True), got=w_got, expected=_(SHUFFLED_W_EXPECTED).format(ls_w=shown_w), hint=W_NOT_TRAINED)
    if not median < NEAR:
        same = all(abs(b - bs[0]) < 1e-3 for b in shuffled)  # only the initial w differs: its effect is long gone
        fail(called=called(True), got=_(SHUFFLED_GOT).format(bs=show(shuffled), seeds=seeds_text, distance=median),
             expected=_(SHUFFLED_EXPECTED), hint=SHUFFLE_NOT_APPLIED if same else SHUFFLED_NOT_SETTLED)
    if not w_distance < NEAR:
        fail(called=called(True), got=w_got, expected=_(SHUFFLED_W_EXPECTED).format(ls_w=shown_w),
             hint=SHUFFLED_NOT_SETTLED)
