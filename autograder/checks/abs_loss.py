"""Checks for the abs_loss exercise: the absolute loss, D2L's loop with any loss, and one outlier.

abs_loss is judged on a residual row that covers both signs and r = 0, with a column and a flat y,
and on its gradient (sign(r); at r = 0 any value in [-1, 1], a subgradient, but never nan). fit is
judged exactly on data where only b learns (every feature 0, every label c): each step then moves b
by lr times the loss's slope at b - c, whatever the shuffling, so the whole path of b is known in
closed form, and so are the paths the catalogued mistakes give (a missing / batch_size, a mean
divided again, gradients never cleared, the loss it was given ignored, ...); w never moves there,
so it shows the initialisation. On the book's data fit must reach the least-squares fit (verified:
0.0006 away with the squared loss, the bound is 0.05), and with one label of 10000 the absolute
loss must stay within 0.1 of the clean fit (verified: 0.005 to 0.025 over seeds and positions of the
outlier). Without the outlier-robust losses the squared loss lands 2 to 20 away (notes §4: w =
[9.84, 3.12], b = 24.57 for the book's seed), which messages show but no check grades.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

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
    derived_seed,
    expect_close,
    expect_items,
    expect_shape,
    expect_tensor,
    expect_unchanged,
    fail,
    fresh_int,
    generator,
    kind_of,
    number_close,
    rng,
    shaped,
    show,
    show_values,
)
from course_checks.i18n import N_, _
from course_checks.probes import abs_loss as probes
from course_checks.probes import d2l

NAMES = ("squared", "abs", "huber")
ROBUST = {"abs", "huber"}
RESIDUALS = [-3.0, -0.5, 0.0, 0.25, 2.0, 7.0]

# abs_loss
NO_RESHAPE = Hint(
    "no_reshape",
    concept="Subtracting a flat y of shape (n,) from a column y_hat of shape (n, 1) broadcasts to an (n, n) table of "
            "every y_hat_i - y_j; each prediction must be paired with its own label.",
    where="Look at the subtraction: y must first take y_hat's shape, as squared_loss does.",
    code="The residual is `y_hat - y.reshape(y_hat.shape)`.")
REDUCED = Hint(
    "reduced",
    concept="A loss for D2L's loop returns one loss per example, like squared_loss: the loop sums them itself before "
            "backward. The book's snippet ends with a sum, which this exercise leaves out.",
    where="Look at the end of abs_loss: a sum or a mean turns the losses into one number.",
    code="Return the elementwise losses, without `.sum()` or `.mean()`.")
RESHAPED_Y_HAT = Hint(
    "reshaped_y_hat",
    concept="The loss has the shape of the predictions, y_hat: it is y, the labels, that is brought to y_hat's shape, "
            "never the other way round.",
    where="Look at which of the two tensors you reshape.",
    code="`y.reshape(y_hat.shape)`, and y_hat as it is.")
NO_ABS = Hint(
    "no_abs",
    concept="A loss is never negative: it measures how far a prediction is from its label, in either direction.",
    where="Look at what you return: the signed residual, or its size.",
    code="Take the absolute value of the residual: `.abs()` or `torch.abs(...)`.")
ABS_OF_PREDICTION = Hint(
    "abs_of_prediction",
    concept="The absolute value is taken of the residual y_hat - y, after the subtraction, not of the prediction "
            "before it.",
    where="Look at where the absolute value sits: around y_hat alone, or around the difference.",
    code="`(y_hat - y.reshape(y_hat.shape)).abs()`")
SQUARED_NOT_ABS = Hint(
    "squared_not_abs",
    concept="That is the squared loss: the absolute loss grows like |r|, with slope ±1, where the squared one grows "
            "like r squared.",
    where="Look at the power in your formula.",
    code="No square: the absolute value of the residual, `.abs()`.")
WRONG_VALUES = Hint(
    "wrong_values",
    concept="The absolute loss of an example is |y_hat - y|: the size of its residual. Check one value by hand: "
            "y_hat = 1, y = 3 gives 2.",
    where="Compare your formula, step by step, with |y_hat - y| on the values shown.",
    code="`(y_hat - y.reshape(y_hat.shape)).abs()`")
INPLACE_INPUT = Hint(
    "inplace_input",
    concept="Your function changed a tensor it was given, and the caller still needs y_hat and y (or the labels) as "
            "they were.",
    where="Look for an in-place operation on an input: a trailing underscore (sub_, abs_), -= or an assignment into "
          "it.",
    code="Compute into a new tensor and never write into an input.")
NAN_AT_ZERO = Hint(
    "nan_gradient_at_zero",
    concept="The square root of r squared is |r| in value, but its slope at r = 0 is 0 / 0, nan, and one nan in a "
            "gradient spoils every parameter it reaches.",
    where="Look at how you take the absolute value.",
    code="Use `.abs()` (its slope at 0 is 0), not `torch.sqrt(r ** 2)`.")
NO_GRADIENT = Hint(
    "no_gradient",
    concept="The loss must stay on autograd's graph so that backward can reach y_hat and, in training, w and b.",
    where="Look for anything that leaves autograd: detach, .item(), .data, NumPy, a new torch.tensor.",
    code="Keep every step a torch operation on y_hat and y.")
WRONG_GRADIENT = Hint(
    "wrong_gradient",
    concept="The slope of |r| is the sign of r: -1 for a negative residual and +1 for a positive one, whatever its "
            "size. That is what makes the absolute loss robust.",
    where="Look at how the loss depends on y_hat: every step must be a torch operation on the residual.",
    code="`(y_hat - y.reshape(y_hat.shape)).abs()`")

# with_outlier
CHANGED_INPUT = Hint(
    "changed_input",
    concept="with_outlier must leave the labels it was given as they were; writing into them, or into a view of them "
            "(labels[:], labels.detach(), a reshape), puts the outlier into the clean data too, and the clean run "
            "trains on dirty labels.",
    where="Look at what you write into: the tensor you were given, or a view that shares its memory.",
    code="Copy first, `noisy = labels.clone()`, and set the one label in the copy.")
ONE_BASED = Hint(
    "one_based_index",
    concept="index counts from 0, as Python does: index 5 is labels[5], the sixth label (the book's y_5 is read the "
            "same way here).",
    where="Look at the index you write to: index or index - 1.",
    code="`noisy[index] = value`")
ADDED_VALUE = Hint(
    "added_not_set",
    concept="The outlier's label becomes value; it is not shifted by value.",
    where="Look at the assignment: = or +=.",
    code="`noisy[index] = value`")
WRONG_OUTLIER = Hint(
    "wrong_outlier",
    concept="Exactly one label changes, the one at index, and it becomes value; every other label stays as it was.",
    where="Compare your result with labels, element by element.",
    code="`noisy = labels.clone()`, then `noisy[index] = value`")
SAME_SHAPE = Hint(
    "same_shape",
    concept="The copy is the labels again, one of them changed: a tensor of the same shape and dtype.",
    where="Look at what you return, and at any reshape or conversion on the way.",
    code="Return the changed copy of labels itself.")

# fit
RETURN_W_B = Hint(
    "return_w_b",
    concept="fit returns the trained parameters as D2L makes them: w a column of shape (d, 1) and b of shape (1,).",
    where="Look at how you create w and b, and at the return statement.",
    code="`w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)`, `b = torch.zeros(1, "
         "requires_grad=True)`, and `return w, b`")
RETURN_ORDER = Hint(
    "w_then_b",
    concept="The pair is (w, b), in that order.",
    where="Look at the return statement.",
    code="`return w, b`")
NOT_SEEDED = Hint(
    "not_seeded",
    concept="Two calls with the same seed must train the same way: the shuffling comes from Python's random and the "
            "initial w from torch, so both must be seeded.",
    where="Look at the start of fit, before w is created and before data_iter shuffles.",
    code="`random.seed(seed)` and `torch.manual_seed(seed)` as the first lines of fit")
SEED_IGNORED = Hint(
    "seed_ignored",
    concept="Different seeds must give different runs: another initial w, another shuffle.",
    where="Look at what you seed with: the seed argument, or a constant.",
    code="`random.seed(seed)` and `torch.manual_seed(seed)`, with the argument")
PARAMS_REUSED = Hint(
    "params_reused",
    concept="Every call must start from fresh parameters: parameters kept from an earlier call start the next run "
            "from an already trained model.",
    where="Look at where w and b are created: once, outside fit, instead of on every call.",
    code="Create them inside fit, after seeding.")
MUTATED_INPUTS = Hint(
    "mutated_inputs",
    concept="Training reads the data; it must never change the caller's features or labels (random.shuffle on a "
            "tensor swaps rows through views and duplicates some of them).",
    where="Look at what you shuffle or write into.",
    code="Shuffle indices, as the given data_iter does, and never write into features or labels.")
NO_BATCH_DIVIDE = Hint(
    "no_batch_divide",
    concept="After the summed loss's backward, .grad is the SUM over the minibatch, so a step that does not divide by "
            "the batch size is batch_size times too big.",
    where="Look at the update step: the given sgd divides; your own update must too.",
    code="`sgd([w, b], lr, batch_size)`, i.e. `param -= lr * param.grad / batch_size`")
MEAN_AND_DIVIDE = Hint(
    "mean_and_divide",
    concept="The batch is averaged twice: a mean over the minibatch already divides by its size, and sgd divides by "
            "batch_size again, so every step is batch_size times too small.",
    where="Look at the reduction before backward: D2L's loop sums the losses, because sgd does the dividing.",
    code="`l.sum().backward()`, then `sgd([w, b], lr, batch_size)`")
GRAD_NOT_ZEROED = Hint(
    "grad_not_zeroed",
    concept=".grad accumulates across backward calls: without clearing it after every update, each step repeats all "
            "earlier gradients.",
    where="Look at what happens to each .grad after the update.",
    code="`param.grad.zero_()` after every update (the given sgd does it)")
LOSS_FN_IGNORED = Hint(
    "loss_fn_ignored",
    concept="fit trains with the loss it is given: loss_fn is an argument, so that the same loop can compare the "
            "squared loss with the absolute one.",
    where="Look at the line that computes the minibatch's losses: which function does it call?",
    code="`l = loss_fn(linreg(X, w, b), y)`")
BATCH_SIZE_IGNORED = Hint(
    "batch_size_ignored",
    concept="fit's batch_size decides both how many examples each minibatch holds and what sgd divides by; the "
            "book's 10 is only its default.",
    where="Look at the two places the batch size appears in fit's loop.",
    code="`data_iter(batch_size, features, labels)` and `sgd([w, b], lr, batch_size)`")
EPOCHS_IGNORED = Hint(
    "epochs_ignored",
    concept="num_epochs is an argument: fit passes over the data exactly that many times.",
    where="Look at the epoch loop's range.",
    code="`for epoch in range(num_epochs):`")
LR_IGNORED = Hint(
    "lr_ignored",
    concept="lr is an argument: every update uses the learning rate fit was given, not the book's 0.03.",
    where="Look at the update step's learning rate.",
    code="`sgd([w, b], lr, batch_size)`")
INIT_SCALE = Hint(
    "init_scale",
    concept="fit starts from D2L's initialisation, w drawn from N(0, 0.01 squared): 0.01 is a standard deviation, so "
            "the weights start within a few hundredths of 0.",
    where="Look at how w is created: the mean, the standard deviation and the shape.",
    code="`w = torch.normal(0, 0.01, size=(features.shape[1], 1), requires_grad=True)`")
WRONG_STEPS = Hint(
    "wrong_steps",
    concept="fit is D2L's loop exactly: per minibatch, loss_fn's losses summed, backward, and an sgd step dividing by "
            "the batch size; here only b learns, by lr times the loss's slope at each step.",
    where="Compare your loop, line by line, with D2L's training loop.",
    code="`l = loss_fn(linreg(X, w, b), y)`, `l.sum().backward()`, `sgd([w, b], lr, batch_size)`")
DOES_NOT_FIT = Hint(
    "does_not_fit",
    concept="With the squared loss, D2L's loop reaches the least-squares fit of the book's data within about 0.001 in "
            "3 epochs; a fit that does not means some part of the loop does not update what it should.",
    where="Check that both w and b are updated by sgd after the summed loss's backward, on minibatches of the data fit "
          "was given, for num_epochs epochs.",
    code="`l = loss_fn(linreg(X, w, b), y)`, `l.sum().backward()`, `sgd([w, b], lr, batch_size)`")
OUTLIER_PULLS = Hint(
    "outlier_pulls",
    concept="The absolute loss's slope is ±1 whatever the residual, so one outlier moves b by at most lr per step and "
            "the fit should hardly notice it; yours moved, so the absolute loss did not reach training.",
    where="Look at the loss your loop trains with, and at what abs_loss returns per example.",
    code="`l = loss_fn(linreg(X, w, b), y)` with `loss_fn = abs_loss`")
LOOP_FIRST = Hint(
    "loop_first",
    concept="Without any outlier your fit with abs_loss misses the least-squares fit too, and abs_loss itself is "
            "right: it is the training loop that does not train as D2L's does, not the outlier that moved the fit. "
            "With the absolute loss each step moves b by at most lr, so a loop whose steps are too large, or add "
            "up, never settles.",
    where="Fix the loop first: the check of fit's exact steps says which part differs from D2L's.",
    code="`l = loss_fn(linreg(X, w, b), y)`, `l.sum().backward()`, `sgd([w, b], lr, batch_size)`")
ABS_LOSS_FIRST = Hint(
    "abs_loss_first",
    concept="abs_loss does not return the absolute error |y_hat - y| of each example, so the fit minimises "
            "something else; the outlier is not what moved it.",
    where="Fix abs_loss first: its own checks say what it returns instead.",
    code="`(y_hat - y.reshape(y_hat.shape)).abs()`")
NON_FINITE_FIT = Hint(
    "non_finite_fit",
    concept="Training ended with nan or inf. With the absolute loss every step is at most lr, so a nan can only come "
            "from a gradient that is nan, as the square root of r squared gives at r = 0.",
    where="Look at how abs_loss takes the absolute value, and call it on a residual of exactly 0 with backward.",
    code="Use `.abs()` (its slope at 0 is 0), not `torch.sqrt(r ** 2)`.")

# robust_losses
NOT_A_SET = Hint(
    "names_as_set",
    concept="The answer is a set of names, like {\"abs\"}: one string per loss.",
    where="Look at what robust_losses returns.",
    code="Return a set literal of the names, e.g. `{\"abs\"}`.")
UNKNOWN_NAME = Hint(
    "unknown_loss_name",
    concept="The names to choose from are exactly \"squared\", \"abs\" and \"huber\".",
    where="Compare every name you return with the docstring's three.",
    code="Spell them as the docstring does, in lower case.")
SQUARED_NOT_ROBUST = Hint(
    "squared_not_robust",
    concept="One label among 1000 does not average out: the squared loss's slope is the residual itself, so when the "
            "outlier's minibatch comes by, one step moves b by lr times 10000 over the batch size, about 30, and w by "
            "that times the outlier's features.",
    where="Run fit on the book's data with with_outlier(labels) and squared_loss, and compare w and b with the clean "
          "fit.",
    code="The squared loss is not in the set.")
HUBER_IS_ROBUST = Hint(
    "huber_is_robust",
    concept="Huber's loss is quadratic only for residuals up to sigma; beyond that it is linear, with slope 1 like the "
            "absolute loss, so the outlier's pull is capped.",
    where="Run fit on the book's data with with_outlier(labels) and the given huber_loss, and compare with the clean "
          "fit.",
    code="\"huber\" is in the set.")
ABS_IS_ROBUST = Hint(
    "abs_is_robust",
    concept="The absolute loss pulls with slope ±1 whatever the residual, so one label of 10000 pulls no harder than "
            "any other example.",
    where="Run fit on the book's data with with_outlier(labels) and your abs_loss, and compare with the clean fit.",
    code="\"abs\" is in the set.")

ERROR_HINTS: list[ErrorHint] = [
    ErrorHint("a leaf Variable that requires grad is being used in an in-place operation", INPLACE_INPUT,
              only=frozenset({"abs_loss", "with_outlier"})),
]

# ---------------------------------------------------------------------------------------------
# Inputs and what the student's functions were called with

WITH_RESIDUALS = N_("{call} with residuals y_hat - y = {residuals}")
ONE_PER_EXAMPLE = N_("a tensor of shape {shape}: one loss per example")
LIKE_Y_HAT = N_("a tensor of shape {shape}, like y_hat")
LIKE_LABELS = N_("a tensor of shape {shape}, like labels")
LABELS_CHANGED = N_("labels changed by the call: now {values}")
LABELS_KEPT = N_("labels left as they were: {values}")
INPUTS_CHANGED = N_("features or labels hold other values afterwards")
INPUTS_KEPT = N_("the caller's tensors left as they were")
LABELS_CALL = N_("{call} with labels = {labels}")
ON_BOOK_DATA = N_("{call} on D2L's data (1000 examples, w = [2, -3.4], b = 4.2, noise 0.01), labels through "
                  "{outlier}")
ON_CLEAN_BOOK_DATA = N_("{call} on D2L's data (1000 examples, w = [2, -3.4], b = 4.2, noise 0.01)")
ON_CONSTANT_DATA = N_("{call}, where features are all 0 (shape {features}) and every label is {c:.6g} "
                      "(shape {labels})")
LOSS_CODE = {
    "squared": "squared_loss",
    "l1": "lambda y_hat, y: F.l1_loss(y_hat, y.reshape(y_hat.shape), reduction='none')",
    "abs_loss": "abs_loss",
}


def pair_with_residuals(r: torch.Tensor, labels: torch.Generator, *, column_y: bool = True,
                        column_y_hat: bool = True) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(y_hat, y, r as float32 computes it), y drawn from `labels`; each a column (n, 1) or flat (n,)."""
    y = torch.randn(len(r), 1, generator=labels)
    y_hat = y + r.reshape(-1, 1)
    actual_r = (y_hat - y).reshape(-1)
    return (y_hat if column_y_hat else y_hat.reshape(-1)), (y if column_y else y.reshape(-1)), actual_r


def fresh_residuals(seed: int, purpose: str, count: int = 7) -> torch.Tensor:
    """Residuals drawn from the run's seed, away from 0 (r = 0 is in the fixed row)."""
    r = torch.rand(count, generator=generator(seed, purpose)) * 10 - 5
    return r[r.abs() > 1e-3]


def _loss_called(y_hat: torch.Tensor, y: torch.Tensor, r: torch.Tensor) -> str:
    call = call_text("abs_loss", shaped("y_hat", y_hat), shaped("y", y))
    return _(WITH_RESIDUALS).format(call=call, residuals=show_values(r))


def value_mistakes(y_hat: torch.Tensor, y: torch.Tensor, r: torch.Tensor) -> list[tuple[torch.Tensor, Hint]]:
    """The values the catalogued mistakes give (y_hat a column, y as given), to name the one behind a mismatch."""
    r64 = r.to(torch.float64)
    y_hat64 = y_hat.to(torch.float64).reshape(-1)
    y64 = y.to(torch.float64).reshape(-1)
    return [(r64, NO_ABS), (-r64, NO_ABS), (y_hat64.abs() - y64, ABS_OF_PREDICTION), (r64**2, SQUARED_NOT_ABS),
            (r64**2 / 2, SQUARED_NOT_ABS)]


# ---------------------------------------------------------------------------------------------
# abs_loss


def expect_abs_values(student: Student, y_hat: torch.Tensor, y: torch.Tensor, r: torch.Tensor, expected: str,
                      requires_grad: bool = False) -> None:
    """abs_loss(y_hat, y) must be |r| with y_hat's shape, and leave both inputs as they were."""
    called = _loss_called(y_hat, y, r)
    got = student.probe(probes.loss_values, y_hat=y_hat.tolist(), y=y.tolist(), requires_grad=requires_grad)
    loss = expect_tensor(got.loss, called=called, hint=REDUCED, expected=expected)
    expect_shape(loss, tuple(y_hat.shape), called=called, hint=REDUCED,
                 diagnoses=[((len(r), len(r)), NO_RESHAPE), (tuple(y.shape), RESHAPED_Y_HAT)])
    expect_unchanged(got.y_hat_after, y_hat, "y_hat", called=called, hint=INPLACE_INPUT)
    expect_unchanged(got.y_after, y, "y", called=called, hint=INPLACE_INPUT)
    expect_close(loss, r.to(torch.float64).abs(), called=called, hint=WRONG_VALUES,
                 diagnoses=value_mistakes(y_hat, y, r), rtol=1e-5, atol=1e-6)


@check("abs_loss returns |y_hat - y| for each example, shaped like y_hat, for a column y and a flat y", points=1,
       public=True)
def test_abs_values(student: Student, seed: int) -> None:
    rows = [torch.tensor(RESIDUALS), fresh_residuals(seed, "residuals")]
    for row_number, row in enumerate(rows):
        for column_y in (True, False):
            y_hat, y, r = pair_with_residuals(row, generator(seed, f"labels {row_number}"), column_y=column_y)
            expect_abs_values(student, y_hat, y, r, _(ONE_PER_EXAMPLE).format(shape=tuple(y_hat.shape)))


@check("abs_loss keeps y_hat's shape when y_hat is flat and y a column, and accepts a y_hat that requires grad",
       points=1)
def test_abs_shapes(student: Student, seed: int) -> None:
    row = fresh_residuals(seed, "residuals for shapes", count=6)
    for column_y_hat, requires_grad in ((False, False), (True, True)):
        y_hat, y, r = pair_with_residuals(row, generator(seed, "labels for shapes"), column_y=not column_y_hat,
                                          column_y_hat=column_y_hat)
        expect_abs_values(student, y_hat, y, r, _(LIKE_Y_HAT).format(shape=tuple(y_hat.shape)), requires_grad)


BACKWARD_CALL = N_("abs_loss(y_hat, y).sum().backward() with residuals {residuals}")
SIGN_EXPECTED = N_("the sign of each residual, {signs} (at r = 0 any value from -1 to 1, never nan)")


@check("the gradient of abs_loss with respect to y_hat is the sign of the residual", points=1)
def test_abs_gradient(student: Student, seed: int) -> None:
    for row in (torch.tensor(RESIDUALS), fresh_residuals(seed, "residuals for the gradient")):
        y_hat, y, r = pair_with_residuals(row, generator(seed, "labels for the gradient"))
        called = _(BACKWARD_CALL).format(residuals=show_values(r))
        got = student.probe(probes.loss_gradient, y_hat=y_hat.tolist(), y=y.tolist())
        expected = _(SIGN_EXPECTED).format(signs=show_values(r.sign()))
        if got.grad is None:
            fail(called=called, got=_("y_hat.grad is None: backward never reached y_hat"), expected=expected,
                 hint=NO_GRADIENT)
        grad = got.grad.values.reshape(-1)
        if grad.numel() != len(r):
            fail(called=called, got=show(got.grad), expected=expected, hint=WRONG_GRADIENT)
        at_zero = r == 0
        if bool(grad.isnan().any()):
            fail(called=called, got=show(got.grad), expected=expected, hint=NAN_AT_ZERO if bool(at_zero.any()) else
                 WRONG_GRADIENT)
        signs = r.to(torch.float64).sign()
        zero_ok = bool((grad[at_zero].abs() <= 1 + 1e-6).all())
        if not (zero_ok and torch.allclose(grad[~at_zero], signs[~at_zero], rtol=1e-5, atol=1e-6)):
            r64 = r.to(torch.float64)
            hint = (SQUARED_NOT_ABS if any(torch.allclose(grad, slope, rtol=1e-4, atol=1e-5) for slope in (r64, 2 * r64))
                    else WRONG_GRADIENT)
            fail(called=called, got=show(got.grad), expected=expected, hint=hint)


# ---------------------------------------------------------------------------------------------
# with_outlier


def _outlier_mistakes(labels: torch.Tensor, index: int, value: float) -> list[tuple[torch.Tensor, Hint]]:
    flat = labels.to(torch.float64).reshape(-1)
    one_based, added = flat.clone(), flat.clone()
    one_based[index - 1] = value
    added[index] += value
    return [(one_based, ONE_BASED), (added, ADDED_VALUE)]


@check("with_outlier returns a copy of labels with the label at index set to value, and leaves labels as they were",
       points=1, public=True)
def test_with_outlier(student: Student, seed: int) -> None:
    draws = generator(seed, "labels for the outlier")
    n = fresh_int(seed, "number of labels", 8, 13)
    cases = [(torch.randn(n, 1, generator=draws), 5, 10000.0),
             (torch.randn(n, generator=draws), fresh_int(seed, "outlier index", 1, n), -250.5)]
    for labels, index, value in cases:
        call = call_text("with_outlier", shaped("labels", labels), index=index, value=value)
        called = _(LABELS_CALL).format(call=call, labels=show_values(labels, 13))
        got = student.probe(probes.outlier_copy, labels=labels.tolist(), index=index, value=value)
        result = expect_tensor(got.result, called=called, hint=SAME_SHAPE,
                               expected=_(LIKE_LABELS).format(shape=tuple(labels.shape)))
        expect_shape(result, tuple(labels.shape), called=called, hint=SAME_SHAPE)
        if not torch.equal(got.labels_after.values, labels.to(torch.float64)):
            fail(called=called, got=_(LABELS_CHANGED).format(values=show(got.labels_after, 13)),
                 expected=_(LABELS_KEPT).format(values=show_values(labels, 13)), hint=CHANGED_INPUT)
        expected = labels.to(torch.float64).clone().reshape(-1)
        expected[index] = value
        expect_close(result, expected, called=called, hint=WRONG_OUTLIER, rtol=1e-6, atol=1e-6, limit=13,
                     diagnoses=_outlier_mistakes(labels, index, value))


# ---------------------------------------------------------------------------------------------
# fit


PAIR = N_("a pair (w, b): w of shape ({d}, 1), b of shape (1,)")
FIRST_THEN = N_("first {first}, then {second}")
FIT_TEXT = N_("w = {w}, b = {b}")


def expect_parameters(result: Any, d: int, called: str) -> tuple[TensorData, TensorData]:
    """fit's result must be (w, b) with D2L's shapes."""
    expected = _(PAIR).format(d=d)
    first, second = expect_items(result, 2, called=called, hint=RETURN_W_B, expected=expected)
    w = expect_tensor(first, called=called, hint=RETURN_W_B, expected=expected)
    b = expect_tensor(second, called=called, hint=RETURN_W_B, expected=expected)
    if w.numel == 1 and b.numel == d and d > 1:
        fail(called=called, got=_(FIRST_THEN).format(first=w.describe(), second=b.describe()), expected=expected,
             hint=RETURN_ORDER)
    expect_shape(w, (d, 1), called=called, hint=RETURN_W_B)
    expect_shape(b, (1,), called=called, hint=RETURN_W_B)
    return w, b


def parameters(w: TensorData, b: TensorData) -> torch.Tensor:
    """w and b as one float64 vector [w..., b]."""
    return torch.cat([w.values.reshape(-1), b.values.reshape(-1)])


def least_squares(features: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """The least-squares fit [w..., b] of the data, in float64."""
    A = torch.cat([features, torch.ones(len(features), 1)], dim=1).to(torch.float64)
    return torch.linalg.lstsq(A, labels.to(torch.float64).reshape(-1, 1)).solution.reshape(-1)


def book_data(data_seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """D2L's data, drawn exactly as the probe draws them."""
    generator_ = torch.Generator().manual_seed(data_seed)
    return d2l.synthetic_data(torch.tensor(d2l.TRUE_W), d2l.TRUE_B, 1000, generator=generator_)


def _fit_called(run: dict[str, Any]) -> str:
    options = {key: value for key, value in run.items() if key != "loss"}
    return call_text("fit", Code("features"), Code("labels"), Code(LOSS_CODE[run["loss"]]), **options)


def _fit_text(w: TensorData, b: TensorData) -> str:
    return _(FIT_TEXT).format(w=show_values(w.values), b=show_values(b.values))


def _best_text(best: torch.Tensor) -> str:
    """The least-squares fit [w..., b] written as w and b."""
    return _(FIT_TEXT).format(w=show_values(best[:-1]), b=show_values(best[-1:]))


@dataclass(frozen=True)
class ConstantRun:
    """fit on features that are all 0 and labels that all equal c: only b learns, by lr times the
    loss's slope at b - c per step, whatever the order of the minibatches; w stays where it started."""

    loss: str  # "squared" (slope r) or "l1" (slope sign(r))
    c: float
    lr: float
    n: int
    batch_size: int
    num_epochs: int
    seed: int
    d: int = 2

    def options(self) -> dict[str, Any]:
        return {"loss": self.loss, "lr": self.lr, "num_epochs": self.num_epochs, "batch_size": self.batch_size,
                "seed": self.seed}

    def inputs(self) -> dict[str, Any]:
        return {"features": [[0.0] * self.d] * self.n, "labels": [[self.c]] * self.n}

    def called(self) -> str:
        return _(ON_CONSTANT_DATA).format(call=_fit_called(self.options()), features=(self.n, self.d), c=self.c,
                                          labels=(self.n, 1))

    def final_b(self, *, loss: str | None = None, step_scale: float = 1.0, accumulate: bool = False,
                batches_of: int | None = None, divided_by: int | None = None, num_epochs: int | None = None,
                lr: float | None = None) -> float:
        """b after training, in float64: as D2L's loop leaves it, or as a mistake does (steps step_scale times
        too big, gradients never cleared, minibatches of another size or divided by another, another number
        of epochs or learning rate, another loss)."""
        slope = (lambda r: r) if (loss or self.loss) == "squared" else (lambda r: math.copysign(1.0, r) if r else 0.0)
        size = batches_of or self.batch_size
        b, grad = 0.0, 0.0
        for _epoch in range(num_epochs or self.num_epochs):
            for _step in range(self.n // size):
                step = size * slope(b - self.c) / (divided_by or self.batch_size)
                grad = grad + step if accumulate else step
                b -= (lr or self.lr) * step_scale * grad
                if not math.isfinite(b):
                    return b
        return b

    def mistakes(self) -> list[tuple[float, Hint]]:
        """b as the catalogued mistakes leave it, to name the mistake behind a mismatch."""
        found = [(self.final_b(step_scale=self.batch_size), NO_BATCH_DIVIDE),
                 (self.final_b(step_scale=1 / self.batch_size), MEAN_AND_DIVIDE),
                 (self.final_b(accumulate=True), GRAD_NOT_ZEROED),
                 (self.final_b(num_epochs=3), EPOCHS_IGNORED),
                 (self.final_b(lr=0.03), LR_IGNORED),
                 (self.final_b(batches_of=10), BATCH_SIZE_IGNORED),
                 (self.final_b(batches_of=10, divided_by=10), BATCH_SIZE_IGNORED)]
        if self.loss != "squared":
            found.insert(0, (self.final_b(loss="squared"), LOSS_FN_IGNORED))
        return found


def constant_runs(seed: int) -> list[ConstantRun]:
    """One run per loss, drawn fresh; their batch sizes, epochs and learning rates are not the book's, so that
    a fit that ignores an argument is seen. With the absolute loss c sits half a step between two multiples of
    lr, so b reaches it and then steps back and forth around it, never exactly onto it."""
    draws = rng(seed, "constant runs")
    s = seed % 1000
    lr_squared = round(draws.uniform(0.04, 0.08), 4)
    lr_l1 = round(draws.uniform(0.05, 0.1), 4)
    c_squared = float(torch.tensor(draws.choice((-1, 1)) * round(draws.uniform(1, 4), 3), dtype=torch.float32))
    c_l1 = float(torch.tensor(lr_l1 * (draws.randint(5, 10) + 0.5), dtype=torch.float32))
    return [ConstantRun("squared", c_squared, lr_squared, n=200, batch_size=20, num_epochs=2, seed=s),
            ConstantRun("l1", c_l1, lr_l1, n=100, batch_size=25, num_epochs=4, seed=s + 1)]


W_START = N_("w = {w}: with every feature 0, w never moves, so this is where it started")
W_EXPECTED = N_("w drawn from N(0, 0.01 squared), every weight within a few hundredths of 0")
B_GOT = "b = {b:.6g}"
B_EXPECTED = N_("b = {b:.6g}: each of the {steps} steps moves b by lr times the loss's slope at b - c")
TWICE = N_("{call}, twice")
DIFFERENT_RUNS = N_("{first}, then {second}")
SAME_TWICE = N_("the same (w, b) twice")
TWO_SEEDS = N_("{first}, and {second}")
SAME_W = N_("the same starting w for seed {first} and seed {second}: {w}")
OTHER_W = N_("another starting w for another seed")


def _constant_fits(student: Student, run: ConstantRun, repeats: int = 1) -> list[tuple[TensorData, TensorData]]:
    """fit on the run's data, `repeats` times with the same arguments: each (w, b), its data left unchanged."""
    got = student.probe(probes.fits, **run.inputs(), runs=[run.options()] * repeats)
    if not got.inputs_unchanged:
        fail(called=run.called(), got=_(INPUTS_CHANGED), expected=_(INPUTS_KEPT), hint=MUTATED_INPUTS)
    return [expect_parameters(result, run.d, run.called()) for result in got.results]


def _same(first: tuple[TensorData, TensorData], again: tuple[TensorData, TensorData]) -> bool:
    return all(torch.equal(one.values, other.values) for one, other in zip(first, again))


def _repeat_hint(first: tuple[TensorData, TensorData], again: tuple[TensorData, TensorData]) -> Hint:
    """Why two calls with the same seed on data where only b learns trained differently: no shuffle can
    matter there, so a b that differs started from the first call's parameters, a w that differs from
    an unseeded draw."""
    return PARAMS_REUSED if not torch.equal(first[1].values, again[1].values) else NOT_SEEDED


@check("fit takes n / batch_size steps per epoch of lr times the summed loss's slope over batch_size, with the loss "
       "it is given (exact, on data where only b learns)", points=2)
def test_fit_exact(student: Student, seed: int) -> None:
    runs = constant_runs(seed)
    first, again = _constant_fits(student, runs[0], repeats=2)
    if not _same(first, again):
        fail(called=_(TWICE).format(call=runs[0].called()),
             got=_(DIFFERENT_RUNS).format(first=_fit_text(*first), second=_fit_text(*again)),
             expected=_(SAME_TWICE), hint=_repeat_hint(first, again))
    starts = []
    for run, (w, b) in zip(runs, [first, *_constant_fits(student, runs[1])]):
        called = run.called()
        if float(w.values.abs().max()) > 0.05:
            fail(called=called, got=_(W_START).format(w=show_values(w.values)), expected=_(W_EXPECTED),
                 hint=INIT_SCALE)
        starts.append(w)
        actual, expected = float(b.values.reshape(-1)[0]), run.final_b()
        if not number_close(actual, expected, rtol=1e-4, atol=1e-5):
            hint = next((hint for wrong, hint in run.mistakes() if number_close(actual, wrong, rtol=1e-4, atol=1e-5)),
                        WRONG_STEPS)
            steps = run.num_epochs * (run.n // run.batch_size)
            fail(called=called, got=B_GOT.format(b=actual), expected=_(B_EXPECTED).format(b=expected, steps=steps),
                 hint=hint)
    # A w of zeros is not D2L's start, but it trains all the same (exercise 1): only a drawn w shows the seed.
    if bool(starts[0].values.abs().max() > 0) and torch.equal(starts[0].values, starts[1].values):
        fail(called=_(TWO_SEEDS).format(first=runs[0].called(), second=runs[1].called()),
             got=_(SAME_W).format(first=runs[0].seed, second=runs[1].seed, w=show_values(starts[0].values)),
             expected=_(OTHER_W), hint=SEED_IGNORED)


CLEAN_FIT_GOT = N_("{fit}, {distance:.3g} from the least-squares fit")
CLEAN_FIT_EXPECTED = N_("within 0.05 of the least-squares fit {fit}")


SMALL_BOOK_DATA = N_("{call} on 100 examples of D2L's data, twice")


@check("fit reaches the least-squares fit of the book's data with the squared loss, and the same seed gives the "
       "same (w, b)", points=1, public=True)
def test_fit_clean(student: Student, seed: int) -> None:
    data_seed = derived_seed(seed, "book data")
    run = {"loss": "squared", "seed": seed % 1000}
    called = _(ON_CLEAN_BOOK_DATA).format(call=_fit_called(run))
    got = student.probe(probes.book_fits, data_seed=data_seed, runs=[run])
    if not got.inputs_unchanged:
        fail(called=called, got=_(INPUTS_CHANGED), expected=_(INPUTS_KEPT), hint=MUTATED_INPUTS)
    w, b = expect_parameters(got.results[0], 2, called)
    best = least_squares(*book_data(data_seed))
    distance = float((parameters(w, b) - best).abs().max())
    if not distance < 0.05:
        fail(called=called, got=_(CLEAN_FIT_GOT).format(fit=_fit_text(w, b), distance=distance),
             expected=_(CLEAN_FIT_EXPECTED).format(fit=_best_text(best)), hint=DOES_NOT_FIT)
    # Repeatability needs a shuffle that matters, not the whole book: one epoch on 100 examples.
    short = {**run, "num_epochs": 1}
    called = _(SMALL_BOOK_DATA).format(call=_fit_called(short))
    got = student.probe(probes.book_fits, data_seed=data_seed, runs=[short, short], num_examples=100)
    first, again = (expect_parameters(result, 2, called) for result in got.results)
    if not _same(first, again):
        # An unseeded shuffle and reused parameters both show here; data where only b learns tell them apart.
        hint = _repeat_hint(*_constant_fits(student, constant_runs(seed)[0], repeats=2))
        fail(called=called, got=_(DIFFERENT_RUNS).format(first=_fit_text(*first), second=_fit_text(*again)),
             expected=_(SAME_TWICE), hint=hint)


OUTLIER_GOT = N_("{fit}, {distance:.3g} from the clean least-squares fit")
OUTLIER_GOT_AS_SQUARED = N_("{fit}, {distance:.3g} from the clean least-squares fit: the same as fit gives with "
                            "squared_loss")
OUTLIER_EXPECTED = N_("within 0.1 of the clean least-squares fit {fit}")


@check("with one outlier in the book's data, fit with abs_loss stays within 0.1 of the clean fit", points=2)
def test_outlier_experiment(student: Student, seed: int) -> None:
    data_seed = derived_seed(seed, "book data with an outlier")
    outlier = {"index": fresh_int(seed, "outlier position", 0, 1000),
               "value": rng(seed, "outlier value").choice((-1.0, 1.0)) * 10000.0}
    run = {"loss": "abs_loss", "seed": seed % 1000}
    called = _(ON_BOOK_DATA).format(call=_fit_called(run), outlier=call_text("with_outlier", Code("labels"), **outlier))
    got = student.probe(probes.book_fits, data_seed=data_seed, runs=[run], outlier=outlier)
    w, b = expect_parameters(got.results[0], 2, called)
    best = least_squares(*book_data(data_seed))
    distance = float((parameters(w, b) - best).abs().max())
    if not math.isfinite(distance):
        fail(called=called, got=_fit_text(w, b), expected=_(OUTLIER_EXPECTED).format(fit=_best_text(best)),
             hint=NON_FINITE_FIT)
    if not distance < 0.1:
        # A fit that ignores its loss_fn gives what the squared loss gives: ask for that, to tell.
        squared = student.probe(probes.book_fits, data_seed=data_seed, runs=[{**run, "loss": "squared"}],
                                outlier=outlier)
        w_squared, b_squared = expect_parameters(squared.results[0], 2, called)
        as_squared = torch.allclose(parameters(w, b), parameters(w_squared, b_squared), rtol=1e-4, atol=1e-4)
        got_text = _(OUTLIER_GOT_AS_SQUARED if as_squared else OUTLIER_GOT).format(fit=_fit_text(w, b),
                                                                                   distance=distance)
        hint = LOSS_FN_IGNORED if as_squared else _outlier_hint(student, data_seed, run, best, called, seed)
        fail(called=called, got=got_text, expected=_(OUTLIER_EXPECTED).format(fit=_best_text(best)), hint=hint)


def _outlier_hint(student: Student, data_seed: int, run: dict[str, Any], best: torch.Tensor, called: str,
                  seed: int) -> Hint:
    """Why a fit with abs_loss missed with the outlier: abs_loss itself, the loop (which misses without the
    outlier too), or the outlier's pull."""
    y_hat, y, r = pair_with_residuals(torch.tensor(RESIDUALS), generator(seed, "labels 0"), column_y=True)
    values = student.probe(probes.loss_values, y_hat=y_hat.tolist(), y=y.tolist(), requires_grad=False).loss
    if not (isinstance(values, TensorData) and values.values.shape == y_hat.shape
            and close(values.values.reshape(-1), r.to(torch.float64).abs(), rtol=1e-5, atol=1e-6)):
        return ABS_LOSS_FIRST
    clean = student.probe(probes.book_fits, data_seed=data_seed, runs=[run])
    if not float((parameters(*expect_parameters(clean.results[0], 2, called)) - best).abs().max()) < 0.1:
        return LOOP_FIRST
    return OUTLIER_PULLS


# ---------------------------------------------------------------------------------------------
# robust_losses


NAMES_EXPECTED = N_("a set of names from \"squared\", \"abs\" and \"huber\"")
ONLY_THE_NAMES = N_("names from \"squared\", \"abs\" and \"huber\" only")
WITH_UNKNOWN = N_("{names}, with {unknown}")
INCLUDES = N_("{names}: it includes {name}")
LEAVES_OUT = N_("{names}: it leaves out {name}")
ROBUST_EXPECTED = N_("the losses whose fit with the outlier stays within 0.1 of the clean fit")


@check("robust_losses names exactly the losses that still fit the book's data within 0.1 when one label is 10000",
       points=1, public=True)
def test_robust_losses(student: Student, seed: int) -> None:
    called = call_text("robust_losses")
    got = student.probe(probes.robust)
    if not (isinstance(got, list) and all(isinstance(item, str) for item in got)):
        fail(called=called, got=kind_of(got), expected=_(NAMES_EXPECTED), hint=NOT_A_SET)
    names = set(got)
    unknown = sorted(names - set(NAMES))
    if unknown:
        fail(called=called, got=_(WITH_UNKNOWN).format(names=sorted(names), unknown=unknown),
             expected=_(ONLY_THE_NAMES), hint=UNKNOWN_NAME)
    for name, hint in (("squared", SQUARED_NOT_ROBUST), ("huber", HUBER_IS_ROBUST), ("abs", ABS_IS_ROBUST)):
        if (name in names) != (name in ROBUST):
            template = _(INCLUDES if name in names else LEAVES_OUT)
            fail(called=called, got=template.format(names=sorted(names), name=repr(name)),
                 expected=_(ROBUST_EXPECTED), hint=hint)
