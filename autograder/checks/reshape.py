"""Checks for the reshape exercise: what reshape(-1, 1) means and why squared_loss reshapes y.

squared_loss is run on every pairing of a column (n, 1) and a flat (n,) y_hat and y, in an order
that lets each catalogued shape bug show its own shape first: a missing reshape, a transpose, a
hard-coded column and reshaping the wrong side give different shapes on different pairings.
synthetic_data is judged by statistics of its output (never by its random stream) and by
reproducibility from its own generator.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import torch

from course_checks.harness import (
    Code,
    ErrorHint,
    Hint,
    Raised,
    Student,
    StudentRaised,
    TensorData,
    call_text,
    check,
    expect_close,
    expect_items,
    expect_shape,
    expect_tensor,
    fail,
    fresh_int,
    generator,
    kind_of,
    raised_text,
    seeded_generator,
    shaped,
    show,
    tensor_of_shape,
)
from course_checks.i18n import N_, _, ngettext
from course_checks.probes import reshape as probes

# D2L's old-edition data: true_w = [2, -3.4], true_b = 4.2, 1000 examples, label noise 0.01.
TRUE_W = [2.0, -3.4]
TRUE_B = 4.2
NUM_EXAMPLES = 1000
FIXTURE_Y_HAT = [1.0, 2.0, 4.0]
FIXTURE_Y = [0.0, 2.0, 1.0]  # squared_loss gives [0.5, 0, 4.5]

COLUMN, FLAT = "column", "flat"
# The order matters: a transpose is first seen on (column, column), a missing reshape on
# (column, flat), a hard-coded reshape(-1, 1) on (flat, flat).
PAIRINGS = ((COLUMN, COLUMN), (COLUMN, FLAT), (FLAT, FLAT), (FLAT, COLUMN))

NO_RESHAPE = Hint(
    "no_reshape",
    concept="Subtracting tensors of different shapes broadcasts: a flat y (n,) against a column y_hat (n, 1) gives an "
            "(n, n) table of every y_hat[i] - y[j], without any error. (Trained with that table, D2L's model only "
            "learns the batch mean: w ends near [0.10, -0.45] and b near 4.24 instead of [2, -3.4] and 4.2.)",
    where="Look at the subtraction: y must first take y_hat's shape, whatever shape it came in.",
    code="`y.reshape(y_hat.shape)` before subtracting")
TRANSPOSE = Hint(
    "transpose",
    concept="Transposing is not reshaping: .T of a 1-D tensor is the same tensor, and .T of a column is a row, which "
            "broadcasts against a column to (n, n).",
    where="Look at how y is brought to y_hat's layout: it must take y_hat's exact shape.",
    code="`y.reshape(y_hat.shape)` instead of `y.T`")
ROW_IN_LOSS = Hint(
    "row_in_loss",
    concept="reshape(1, -1) makes a row of shape (1, n), and a row minus a column broadcasts to an (n, n) table (a row "
            "minus a flat y_hat gives (1, n)); the loss needs y laid out exactly like y_hat.",
    where="Look at the shape you reshape y to: not a fixed row or column, but y_hat's own shape.",
    code="`y.reshape(y_hat.shape)`")
WRONG_SIDE = Hint(
    "reshaped_y_hat",
    concept="The loss has y_hat's shape, one loss per prediction laid out like the predictions: y adapts to y_hat, not "
            "the other way round, and flattening both loses the layout.",
    where="Look at which tensor you reshape.",
    code="`(y_hat - y.reshape(y_hat.shape)) ** 2 / 2`")
HARDCODED_COLUMN = Hint(
    "hardcoded_column",
    concept="Reshaping y to a column is right only when y_hat is a column: against a flat y_hat (n,), a column (n, 1) "
            "broadcasts to (n, n).",
    where="Look at the target shape of your reshape: it must follow y_hat, whatever shape y_hat has.",
    code="`y.reshape(y_hat.shape)` instead of `y.reshape(-1, 1)`")
REDUCED = Hint(
    "reduced",
    concept="D2L's squared_loss returns one loss per example, shaped like y_hat: the training loop sums it itself. (The "
            "new edition's loss returns the mean; this course follows the old one.)",
    where="Look at the end of the function: a sum or mean turns the losses into one number.",
    code="No `.sum()` or `.mean()` at the end: return `(y_hat - y.reshape(y_hat.shape)) ** 2 / 2` as it is.")
NO_HALF = Hint(
    "no_half",
    concept="D2L's squared loss is half the squared error: the half cancels the 2 of the derivative, so the gradient is "
            "exactly y_hat - y. (nn.MSELoss has no half, which is why it needs twice the learning rate to match.)",
    where="Look at the formula: a factor is missing.",
    code="Divide by 2: `(y_hat - y.reshape(y_hat.shape)) ** 2 / 2`")
WRONG_LOSS = Hint(
    "wrong_loss",
    concept="The loss of one example is half its squared residual; check one value by hand: y_hat = 3, y = 1 gives 2.",
    where="Compare your formula with the loss in the instructions, one operation at a time.",
    code="`(y_hat - y.reshape(y_hat.shape)) ** 2 / 2`")
MUTATED_INPUT = Hint(
    "mutated_input",
    concept="The loss must leave the tensors it is given as they were: the caller's labels are used again, and an "
            "in-place change would show up in the next batch.",
    where="Look for an in-place method (a trailing underscore, such as unsqueeze_ or resize_, or -=).",
    code="Use the out-of-place `y.reshape(y_hat.shape)`.")
NO_GRADIENT = Hint(
    "no_gradient",
    concept="Autograd can only follow a loss built from torch operations on y_hat; through it, training reaches w and "
            "b.",
    where="Look for what leaves autograd: detach, .item(), a new torch.tensor(...), NumPy.",
    code="Keep it one torch expression: `(y_hat - y.reshape(y_hat.shape)) ** 2 / 2`")
SILENT_BROADCAST = Hint(
    "silent_broadcast",
    concept="With a y of another size your loss still returns a tensor, so a mismatched batch would train on nonsense "
            "without a word; part of what D2L's reshape is for is to refuse (\"RuntimeError: shape '[3, 1]' is invalid "
            "for input of size 4\").",
    where="Look at how y is made to fit: broadcasting or resizing accepts anything, a reshape to y_hat's shape does not.",
    code="`y.reshape(y_hat.shape)`, which raises for another number of elements")
WRONG_EXCEPTION = Hint(
    "wrong_exception",
    concept="Callers expect a RuntimeError (from reshape) or a ValueError for a y of another size, not another type.",
    where="Look at what raises for mismatched sizes.",
    code="Let `y.reshape(y_hat.shape)` raise its RuntimeError (or raise ValueError yourself).")

NOT_A_COLUMN = Hint(
    "y_not_column",
    concept="X times a 1-D w gives a 1-D y of shape (n,); the labels are a column (n, 1), and -1 in a reshape means "
            "'work this size out from the number of elements'.",
    where="Look at the shape of y just before you return it.",
    code="`return X, y.reshape(-1, 1)`")
ROW = Hint(
    "y_row",
    concept="reshape(1, -1) makes a row (1, n); a column has one column and -1 for the number of rows, worked out from "
            "the number of elements.",
    where="Look at the order of the sizes in your reshape.",
    code="`y.reshape(-1, 1)`")
NOISE_BROADCAST = Hint(
    "noise_broadcast",
    concept="Noise of shape (n,) added to a column of shape (n, 1) broadcasts to (n, n).",
    where="Look at the shape of the noise and of y when you add them.",
    code="Draw the noise with y's own shape: `torch.randn(y.shape, generator=generator)`, or add it before reshaping.")
X_SHAPE = Hint(
    "x_shape",
    concept="X holds one row per example and one column per feature.",
    where="Look at the size you draw X with.",
    code="`torch.randn(num_examples, len(w), generator=generator)`")
PAIR = Hint(
    "pair",
    concept="synthetic_data returns the features and the labels, as a pair.",
    where="Look at the return statement.",
    code="`return X, y`")
FLOAT64 = Hint(
    "float64",
    concept="X and y must be float32, the dtype of D2L's parameters: with float64 data (NumPy's default, or .double()) "
            "the model's product fails later with 'must have the same dtype'.",
    where="Look at how X is created and whether anything converts it to float64.",
    code="Create X with torch's default dtype (`torch.randn`) and convert w with `w.to(X.dtype)`.")
DTYPE = Hint(
    "dtype",
    concept="X and y must be float32; an integer w must not make y an integer tensor.",
    where="Look at the dtype of X and at the product with w.",
    code="`torch.randn(...)` for X, and `X @ w.to(X.dtype)`")
NOT_STANDARD_NORMAL = Hint(
    "x_not_standard_normal",
    concept="The features are standard normal: mean 0 and standard deviation 1 (a uniform draw on [0, 1) is not).",
    where="Look at which random function draws X.",
    code="`torch.randn(n, d, generator=generator)` or `torch.normal(0, 1, (n, d), generator=generator)`")
WRONG_MODEL = Hint(
    "wrong_model",
    concept="The labels are the linear model's output plus noise of mean 0: X w + b, computed from the X you return.",
    where="Look at how y is computed: from which X, with b added once, and with centred noise.",
    code="`X @ w.to(X.dtype) + b`, then add the noise")
IGNORED_NOISE = Hint(
    "ignored_noise",
    concept="Your label noise has standard deviation 0.01 whatever the noise argument says: D2L's line hard-codes it.",
    where="Look at the line that draws the noise.",
    code="`noise * torch.randn(y.shape, generator=generator)`")
NOISE_AS_VARIANCE = Hint(
    "noise_as_variance",
    concept="noise is a standard deviation, like the std argument of torch.normal: standard normal draws are scaled by "
            "it as it is.",
    where="Look at what you multiply the noise draws by: neither the square root of noise nor its square.",
    code="`noise * torch.randn(y.shape, generator=generator)`")
NO_NOISE = Hint(
    "no_noise",
    concept="y has (almost) no noise: the labels are X w + b plus noise of standard deviation noise.",
    where="Look for the line that adds the noise.",
    code="Add `noise * torch.randn(y.shape, generator=generator)` to X w + b.")
IGNORED_GENERATOR = Hint(
    "ignored_generator",
    concept="With the same seeded generator the data must come out the same, and another seed must give other data: "
            "every random draw must come from the generator you were given.",
    where="Look at every random draw: each must be passed the generator.",
    code="`torch.randn(..., generator=generator)` for X and for the noise")
GLOBAL_GENERATOR = Hint(
    "global_generator",
    concept="With generator=None, the draws must come from torch's global generator, so that torch.manual_seed decides "
            "the data.",
    where="Look at what you do when generator is None: a fresh generator of your own ignores the global seed.",
    code="Pass `generator=generator` through, None included.")
INTEGER_W = Hint(
    "integer_w",
    concept="w may arrive as an integer tensor, and PyTorch refuses a product of float32 and int64 (\"addmv input "
            "tensors must have the same dtype\").",
    where="Look at the product of X and w.",
    code="Convert w first: `X @ w.to(X.dtype)` (or `w.float()`)")

BROADCAST_ELEMENTWISE = Hint(
    "broadcast_elementwise",
    concept="The subtraction is not elementwise: broadcasting lines the shapes up from the right, (n, 1) against (n,), "
            "and stretches every size-1 or missing dimension.",
    where="Line up (n, 1) over (n,) from the right and work out each size; then confirm it in PyTorch with zeros.",
    code="`(torch.zeros(n, 1) - torch.zeros(n)).shape`")
BROADCAST_RULE = Hint(
    "broadcast_rule",
    concept="Broadcasting lines the shapes up from the right and stretches size-1 and missing dimensions: y_hat (n, 1) "
            "over y (n,).",
    where="The last sizes are 1 and n; y has no first dimension. Confirm it in PyTorch with zeros.",
    code="`(torch.zeros(n, 1) - torch.zeros(n)).shape`")
BROADCAST_TYPE = Hint(
    "broadcast_type",
    concept="A shape is a tuple of ints (a torch.Size is one too).",
    where="Look at what you return.",
    code="Return a tuple such as `(4, 4)`, or the `.shape` of the difference itself.")

ERROR_HINTS: list[ErrorHint] = [
    ErrorHint("input tensors must have the same dtype", INTEGER_W),
    ErrorHint("expected m1 and m2 to have the same dtype", INTEGER_W),
    ErrorHint("Can't call numpy() on Tensor that requires grad", NO_GRADIENT),
]


def _laid_out(values: list[float], form: str) -> list[float] | list[list[float]]:
    return [[value] for value in values] if form == COLUMN else list(values)


def _shape(n: int, form: str) -> tuple[int, ...]:
    return (n, 1) if form == COLUMN else (n,)


def _shape_diagnoses(y_hat_form: str, y_form: str, n: int) -> list[tuple[tuple[int, ...], Hint]]:
    """The shapes the catalogued mistakes give for this pairing, each with its hint."""
    by_pairing: dict[tuple[str, str], list[tuple[tuple[int, ...], Hint]]] = {
        (COLUMN, COLUMN): [((n, n), TRANSPOSE), ((n,), WRONG_SIDE)],
        (COLUMN, FLAT): [((n, n), NO_RESHAPE), ((n,), WRONG_SIDE)],
        (FLAT, FLAT): [((n, n), HARDCODED_COLUMN)],
        (FLAT, COLUMN): [((n, n), NO_RESHAPE), ((n, 1), WRONG_SIDE), ((1, n), TRANSPOSE)],
    }
    specific = by_pairing[(y_hat_form, y_form)]
    return [*specific, ((), REDUCED), ((1,), REDUCED)]


def _fresh(seed: int, purpose: str, n: int, scale: float = 3.0) -> list[float]:
    return (scale * torch.randn(n, generator=generator(seed, purpose))).tolist()


WITH_VALUES = N_("{call} with y_hat = {y_hat} and y = {y}")


def _loss_called(y_hat: list[float], y: list[float], y_hat_form: str, y_form: str, with_values: bool) -> str:
    call = call_text("squared_loss", shaped("y_hat", _laid_out(y_hat, y_hat_form)), shaped("y", _laid_out(y, y_form)))
    if not with_values:
        return call
    return _(WITH_VALUES).format(call=call, y_hat=show(torch.tensor(y_hat)), y=show(torch.tensor(y)))


def _loss_of(student: Student, y_hat: list[float], y: list[float], y_hat_form: str, y_form: str,
             called: str) -> tuple[TensorData, probes.LossValues]:
    """The loss for one pairing, its shape asserted (with the shape bug named); also the raw probe result."""
    n = len(y_hat)
    got = student.probe(probes.loss_values, y_hat=_laid_out(y_hat, y_hat_form), y=_laid_out(y, y_form))
    loss = expect_tensor(got.loss, called=called, hint=REDUCED, expected=tensor_of_shape(_shape(n, y_hat_form)))
    diagnoses = _shape_diagnoses(y_hat_form, y_form, n)
    if loss.shape == (n, n) and _makes_a_row(student, n):
        diagnoses = [((n, n), ROW_IN_LOSS)]
    expect_shape(loss, _shape(n, y_hat_form), called=called, hint=WRONG_LOSS, diagnoses=diagnoses)
    return loss, got


def _makes_a_row(student: Student, n: int) -> bool:
    """Whether squared_loss turns y into a row (1, n): a row, a transpose and a missing reshape all give
    (n, n) against a column y_hat, but on two flat tensors only a row still broadcasts, to (1, n)."""
    ones = [1.0] * n
    loss = student.probe(probes.loss_values, y_hat=ones, y=ones).loss
    return isinstance(loss, TensorData) and loss.shape == (1, n)


def _unexpected_raise(raised: Raised) -> None:
    """A NotImplementedError goes to the harness, so a stub gets its 'not implemented yet' message."""
    if raised.type == "NotImplementedError":
        raise StudentRaised(raised)


@check("squared_loss returns one loss per example, shaped like y_hat, for column and flat y_hat and y", points=1,
       public=True)
def test_loss_shape(student: Student, seed: int) -> None:
    n = fresh_int(seed, "examples", 4, 12)
    y_hat, y = _fresh(seed, "y_hat", n), _fresh(seed, "y", n)
    for y_hat_form, y_form in PAIRINGS:
        _loss_of(student, y_hat, y, y_hat_form, y_form, _loss_called(y_hat, y, y_hat_form, y_form, with_values=False))


@check("squared_loss gives 1/2 (y_hat - y)**2 for every pairing of column and flat shapes, leaving y unchanged",
       points=2)
def test_loss_values(student: Student, seed: int) -> None:
    n = fresh_int(seed, "examples for the values", 4, 12)
    fresh = (_fresh(seed, "y_hat for the values", n), _fresh(seed, "y for the values", n))
    for y_hat, y in ((FIXTURE_Y_HAT, FIXTURE_Y), fresh):
        r = torch.tensor(y_hat, dtype=torch.float32) - torch.tensor(y, dtype=torch.float32)
        for y_hat_form, y_form in PAIRINGS:
            called = _loss_called(y_hat, y, y_hat_form, y_form, with_values=True)
            loss, got = _loss_of(student, y_hat, y, y_hat_form, y_form, called)
            r64 = r.to(torch.float64).reshape(loss.shape)
            expect_close(loss, r64**2 / 2, called=called, hint=WRONG_LOSS, rtol=1e-5, atol=1e-5,
                         diagnoses=[(r64**2, NO_HALF)])
            for name, values, form, after in (("y", y, y_form, got.y), ("y_hat", y_hat, y_hat_form, got.y_hat)):
                given = torch.tensor(_laid_out(values, form), dtype=torch.float64)
                if after.shape != tuple(given.shape) or not torch.equal(after.values,
                                                                         given.to(torch.float32).to(torch.float64)):
                    fail(called=called, got=_("afterwards {name} was {value}").format(name=name, value=show(after)),
                         expected=_("{name} unchanged: shape {shape}, values {values}").format(
                             name=name, shape=tuple(given.shape), values=show(given)), hint=MUTATED_INPUT)


@check("squared_loss raises for a y with a different number of elements instead of broadcasting", points=1)
def test_loss_mismatch_raises(student: Student, seed: int) -> None:
    y_hat = _laid_out(_fresh(seed, "y_hat of 3", 3), COLUMN)
    for y in (_fresh(seed, "y of 4", 4), _fresh(seed, "y of 1", 1)):
        called = call_text("squared_loss", shaped("y_hat", y_hat), shaped("y", y))
        got = student.probe(probes.loss_attempt, y_hat=y_hat, y=y)
        if isinstance(got, Raised):
            _unexpected_raise(got)
            if got.type in ("RuntimeError", "ValueError"):
                continue
            fail(called=called, got=raised_text(got), expected=_("RuntimeError (from reshape) or ValueError"),
                 hint=WRONG_EXCEPTION)
        fail(called=called, got=_("{value}, and no error").format(value=kind_of(got)),
             expected=ngettext("an error: 3 predictions cannot be compared with {count} label",
                               "an error: 3 predictions cannot be compared with {count} labels", len(y)).format(
                 count=len(y)), hint=SILENT_BROADCAST)


BACKWARD_ON = {
    False: N_("squared_loss(y_hat, y).sum().backward() with y_hat a leaf with requires_grad=True of shape ({n}, 1) and "
              "y of shape ({n},), y_hat - y = {residuals}"),
    True: N_("squared_loss(y_hat, y).sum().backward() with y_hat an nn.Parameter of shape ({n}, 1) and y of shape "
             "({n},), y_hat - y = {residuals}"),
}


@check("squared_loss(y_hat, y).sum().backward() gives y_hat.grad = y_hat - y, for a flat y", points=1)
def test_loss_gradient(student: Student, seed: int) -> None:
    n = fresh_int(seed, "examples for the gradient", 4, 12)
    for parameter in (False, True):
        kind = "an nn.Parameter" if parameter else "a leaf with requires_grad=True"  # not prose: the streams' names
        y_hat, y = _fresh(seed, f"y_hat, {kind}", n), _fresh(seed, f"y, y_hat {kind}", n)
        called = _(BACKWARD_ON[parameter]).format(n=n, residuals=show(torch.tensor(y_hat) - torch.tensor(y)))
        got = student.probe(probes.loss_gradient, y_hat=_laid_out(y_hat, COLUMN), y=y, parameter=parameter)
        filled = _("y_hat.grad filled by backward, a tensor of shape {shape}").format(shape=(n, 1))
        if got.grad is None:
            loss = got.loss
            detached = isinstance(loss, TensorData) and not loss.requires_grad
            fail(called=called, got=_("y_hat.grad is None: the loss has requires_grad=False, so backward never reached "
                                      "y_hat") if detached else
                 _("y_hat.grad is None: the loss was {value}").format(value=kind_of(loss)),
                 expected=filled, hint=NO_GRADIENT)
        grad = expect_tensor(got.grad, called=called, hint=NO_GRADIENT, expected=filled)
        expect_shape(grad, (n, 1), called=called, hint=WRONG_LOSS)
        y_hat64, y64 = torch.tensor(y_hat, dtype=torch.float64), torch.tensor(y, dtype=torch.float64)
        r = torch.tensor(y_hat, dtype=torch.float32).to(torch.float64) - torch.tensor(y).to(torch.float64)
        table = ROW_IN_LOSS if _makes_a_row(student, n) else NO_RESHAPE
        expect_close(grad, r, called=called, hint=WRONG_LOSS, rtol=1e-5, atol=1e-5, diagnoses=[
            (2 * r, NO_HALF),
            (r / n, REDUCED),
            (n * y_hat64 - y64.sum(), table),  # each y_hat_i met every y_j in the (n, n) table
        ])


def _synthetic(student: Student, called: str, **inputs: Any) -> tuple[TensorData, TensorData]:
    """(X, y) from synthetic_data, with the shapes asserted and the shape bugs named."""
    n, d = inputs["num_examples"], len(inputs["w"])
    pair = expect_items(student.probe(probes.synthetic, **inputs), 2, called=called, hint=PAIR,
                        expected=_("a pair (X, y)"))
    X = expect_tensor(pair[0], called=called, hint=PAIR,
                      expected=_("{name}: {what}").format(name="X", what=tensor_of_shape((n, d))))
    y = expect_tensor(pair[1], called=called, hint=PAIR,
                      expected=_("{name}: {what}").format(name="y", what=tensor_of_shape((n, 1))))
    if X.shape != (n, d):
        fail(called=called, got=_(OF_SHAPE).format(name="X", shape=X.shape),
             expected=_(OF_SHAPE).format(name="X", shape=(n, d)), hint=X_SHAPE)
    if y.shape != (n, 1):
        hint = {(n,): NOT_A_COLUMN, (1, n): ROW, (n, n): NOISE_BROADCAST}.get(y.shape, NOT_A_COLUMN)
        fail(called=called, got=_(OF_SHAPE).format(name="y", shape=y.shape),
             expected=_("y of shape {shape}, a column").format(shape=(n, 1)), hint=hint)
    return X, y


OF_SHAPE = N_("{name} of shape {shape}")


def _synthetic_called(w: Sequence[float], b: float, n: int, noise: float, generator_seed: int | None,
                      integer_w: bool = False) -> str:
    shown = Code(f"torch.tensor({[int(v) for v in w] if integer_w else w})")
    drawn = seeded_generator(generator_seed) if generator_seed is not None else Code("None")
    return call_text("synthetic_data", shown, b, n, noise=noise, generator=drawn)


def _expect_float32(tensors: dict[str, TensorData], called: str) -> None:
    for name, value in tensors.items():
        if value.dtype != "float32":
            fail(called=called, got=_("{name} is {kind}").format(name=name, kind=value.describe()),
                 expected=_("{name} in float32").format(name=name), hint=FLOAT64 if value.dtype == "float64" else DTYPE)


@check("synthetic_data returns float32 X of shape (n, len(w)) and a column y of shape (n, 1), the same for the "
       "same generator seed and other data for another", points=1, public=True)
def test_synthetic_shapes(student: Student, seed: int) -> None:
    n = fresh_int(seed, "examples", 50, 200)
    inputs = dict(w=TRUE_W, b=TRUE_B, num_examples=n, noise=0.01, generator_seed=seed)
    called = _synthetic_called(TRUE_W, TRUE_B, n, 0.01, seed)
    X, y = _synthetic(student, called, **inputs)
    _expect_float32({"X": X, "y": y}, called)
    X_again, y_again = _synthetic(student, _("{call} a second time").format(call=called), **inputs)
    if not (torch.equal(X.values, X_again.values) and torch.equal(y.values, y_again.values)):
        fail(called=_("{call} twice, each time with a fresh generator seeded the same").format(call=called),
             got=_("different data the second time"), expected=_("the same X and y"), hint=IGNORED_GENERATOR)
    other_seed = _synthetic_called(TRUE_W, TRUE_B, n, 0.01, seed + 1)
    X_other, _y_other = _synthetic(student, other_seed, **{**inputs, "generator_seed": seed + 1})
    if torch.equal(X.values, X_other.values):
        fail(called=_("{call}, then {other}").format(call=called, other=other_seed), got=_("the same X both times"),
             expected=_("other data for another seed"), hint=IGNORED_GENERATOR)


def _noise_hint(std: float, noise: float) -> Hint:
    """Name the mistake behind a residual standard deviation that is not `noise`."""
    def near(target: float) -> bool:
        return abs(std - target) < 0.15 * target

    if near(math.sqrt(noise)) or near(noise**2):
        return NOISE_AS_VARIANCE
    if near(0.01):
        return IGNORED_NOISE
    if std < 0.1 * noise:
        return NO_NOISE
    return WRONG_MODEL


@check("synthetic_data draws X from N(0, 1) and returns y = X w + b plus noise of standard deviation `noise`",
       points=2)
def test_synthetic_statistics(student: Student, seed: int) -> None:
    draws = generator(seed, "parameters and noise")
    fresh_w = [round(v, 3) for v in (torch.rand(3, generator=draws) * 10 - 5).tolist()]
    fresh_b = round(float(torch.rand(1, generator=draws) * 10 - 5), 3)
    # In [0.15, 0.4] every mistaken noise level (sqrt(noise), noise**2, a fixed 0.01) is far from the others.
    fresh_noise = round(float(0.15 + 0.25 * torch.rand(1, generator=draws)), 3)
    for k, (w, b, noise) in enumerate(((TRUE_W, TRUE_B, 0.01), (fresh_w, fresh_b, fresh_noise))):
        called = _synthetic_called(w, b, NUM_EXAMPLES, noise, seed + k)
        X, y = _synthetic(student, called, w=w, b=b, num_examples=NUM_EXAMPLES, noise=noise, generator_seed=seed + k)
        mean, std = X.values.mean().item(), X.values.std().item()
        if abs(mean) > 0.15 or not 0.9 < std < 1.1:
            fail(called=called, got=_("X with mean {mean} and standard deviation {std}").format(
                     mean=f"{mean:.3g}", std=f"{std:.3g}"),
                 expected=_("X ~ N(0, 1): mean near 0 and standard deviation near 1"), hint=NOT_STANDARD_NORMAL)
        w64 = torch.tensor(w, dtype=torch.float32).to(torch.float64)
        residual = y.values.reshape(-1) - (X.values @ w64 + b)
        r_mean, r_std = residual.mean().item(), residual.std().item()
        if not 0.85 * noise < r_std < 1.15 * noise:
            fail(called=called, got=_("y - (X w + b) has standard deviation {std}").format(std=f"{r_std:.4g}"),
                 expected=_("standard deviation close to noise = {noise}").format(noise=f"{noise:g}"),
                 hint=_noise_hint(r_std, noise))
        if abs(r_mean) > 0.25 * noise:
            fail(called=called, got=_("y - (X w + b) has mean {mean}").format(mean=f"{r_mean:.4g}"),
                 expected=_("noise of mean 0 (|mean| well below {bound})").format(bound=f"{0.25 * noise:.3g}"),
                 hint=WRONG_MODEL)


def _seeded_draw(student: Student, key: str, s: int, base: dict[str, Any]) -> tuple[TensorData, TensorData]:
    """synthetic_data with a generator seeded s ("generator_seed") or generator=None after torch.manual_seed(s)."""
    called = _synthetic_called(base["w"], base["b"], base["num_examples"], base["noise"],
                               s if key == "generator_seed" else None)
    if key == "global_seed":
        called = f"torch.manual_seed({s}); {called}"
    return _synthetic(student, called, **base, **{key: s})


SEEDED_TWICE = {"generator_seed": N_("synthetic_data twice with a generator seeded {seed}"),
                "global_seed": N_("synthetic_data twice with torch.manual_seed({seed})")}
SEEDED_THEN = {"generator_seed": N_("synthetic_data with a generator seeded {seed}, then {other}"),
               "global_seed": N_("synthetic_data with torch.manual_seed({seed}), then {other}")}


@check("synthetic_data is reproducible from its generator (or torch's global seed) and accepts an integer w",
       points=1)
def test_synthetic_generator_and_integer_w(student: Student, seed: int) -> None:
    n = 100
    base = dict(w=TRUE_W, b=TRUE_B, num_examples=n, noise=0.01)
    for key, hint in (("generator_seed", IGNORED_GENERATOR), ("global_seed", GLOBAL_GENERATOR)):
        first, again, other = (_seeded_draw(student, key, s, base) for s in (seed, seed, seed + 1))
        if not (torch.equal(first[0].values, again[0].values) and torch.equal(first[1].values, again[1].values)):
            fail(called=_(SEEDED_TWICE[key]).format(seed=seed), got=_("different data the second time"),
                 expected=_("the same X and y"), hint=hint)
        if torch.equal(first[0].values, other[0].values):
            fail(called=_(SEEDED_THEN[key]).format(seed=seed, other=seed + 1), got=_("the same X both times"),
                 expected=_("other data for another seed"), hint=hint)
    integer_w = [2, -3]
    called = _synthetic_called(integer_w, TRUE_B, n, 0.01, seed, integer_w=True)
    try:
        X, y = _synthetic(student, called, **{**base, "w": integer_w}, generator_seed=seed, integer_w=True)
    except StudentRaised as raised:
        _unexpected_raise(raised.raised)
        fail(called=called, got=raised_text(raised.raised),
             expected=_("float32 data, as for w = torch.tensor([2.0, -3.0])"), hint=INTEGER_W)
    _expect_float32({"X": X, "y": y}, called)
    X_float, y_float = _synthetic(student, called, **{**base, "w": [2.0, -3.0]}, generator_seed=seed)
    if not (torch.equal(X.values, X_float.values) and torch.allclose(y.values, y_float.values, rtol=1e-6, atol=1e-6)):
        fail(called=called, got=f"y = {show(y)}",
             expected=_("the same data as for w = torch.tensor([2.0, -3.0]): y = {y}").format(y=show(y_float)),
             hint=INTEGER_W)


@check("broadcast_shape(n) is the shape of y_hat - y for y_hat of shape (n, 1) and y of shape (n,)", points=1,
       public=True)
def test_broadcast_shape(student: Student, seed: int) -> None:
    for n in (10, fresh_int(seed, "n", 11, 60)):
        called = call_text("broadcast_shape", n)
        got = student.probe(probes.broadcast, n=n)
        if not isinstance(got, list) or not all(isinstance(size, int) and not isinstance(size, bool) for size in got):
            fail(called=called, got=kind_of(got), expected=_("a tuple of ints, {shape}").format(shape=(n, n)),
                 hint=BROADCAST_TYPE)
        if got != [n, n]:
            hint = BROADCAST_ELEMENTWISE if got in ([n, 1], [n]) else BROADCAST_RULE
            fail(called=called, got=str(tuple(got)), expected=f"({n}, {n})", hint=hint)
