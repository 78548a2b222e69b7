"""Checks for the huber exercise: D2L's sigma-normalised Huber loss.

Every value check uses sigma = 0.5 and 2 (at sigma = 1 D2L's formula, F.smooth_l1_loss and
F.huber_loss coincide, so half of the wrong answers would pass), a fixed residual row that covers
both branches, and fresh random residuals from the run's seed.
"""

from __future__ import annotations

import math

import torch

from course_checks.harness import (
    Code,
    ErrorHint,
    Hint,
    Student,
    call_text,
    check,
    expect_close,
    expect_number,
    expect_shape,
    expect_tensor,
    expect_unchanged,
    fail,
    generator,
    number_close,
    shaped,
    show,
    tensor_of_shape,
)
from course_checks.i18n import N_, _
from course_checks.probes import huber as probes

RESIDUALS = [-3.0, -1.0, -0.5, 0.0, 0.25, 0.5, 2.0]
GRADIENT_RESIDUALS = [-3.0, -1.0, 0.0, 0.25, 2.5]  # r = 0 included: the slope there must be 0, not nan
SIGMAS = (0.5, 2.0)

NO_RESHAPE = Hint(
    "no_reshape",
    concept="Subtracting a flat y of shape (n,) from a column y_hat of shape (n, 1) broadcasts to an (n, n) table of "
            "every y_hat_i - y_j; the residual must pair each prediction with its own label.",
    where="Look at the line that computes the residual: y must first take y_hat's shape, as squared_loss does.",
    code="The residual is `y_hat - y.reshape(y_hat.shape)`.")
REDUCED = Hint(
    "reduced",
    concept="A loss function in D2L's loop returns one loss per example, like squared_loss: the loop itself reduces.",
    where="Look at the end of the function: a mean or sum (or a built-in's default reduction) turns the losses into "
          "one number.",
    code="Return the elementwise losses: no `.mean()` or `.sum()`, and `reduction='none'` for a built-in.")
WRONG_FORMULA = Hint(
    "wrong_formula",
    concept="D2L's Huber loss is quadratic, r squared over 2 sigma, for |r| up to sigma, and linear, |r| - sigma / 2, "
            "beyond; check one value by hand: sigma = 0.5, r = 2 gives 1.75.",
    where="Compare each branch of your formula, and the condition that picks it, with the formula in the instructions.",
    code="`torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))`, r being "
         "`y_hat - y.reshape(y_hat.shape)`")
UNSCALED_BUILTIN = Hint(
    "unscaled_builtin",
    concept="PyTorch's Huber loss (F.huber_loss, nn.HuberLoss) is sigma times D2L's formula: its linear part has "
            "slope sigma, not 1. At sigma = 1 the two agree, which is why it looks right there.",
    where="Look at the built-in you call and its delta: either divide its result by sigma, or use the built-in that is "
          "exactly D2L's formula.",
    code="`F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction='none')`, or F.huber_loss(..., "
         "delta=sigma, reduction='none') / sigma")
SCALED_BY_SIGMA = Hint(
    "scaled_by_sigma",
    concept="Your formula is the textbook Huber loss (Wikipedia's, and PyTorch's F.huber_loss): 0.5 r squared near 0 "
            "and sigma (|r| - sigma / 2) far away, which is sigma times D2L's sigma-normalised loss.",
    where="Compare both branches with D2L's: the quadratic one divides by 2 sigma, the linear one has slope 1.",
    code="`torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))`")
IGNORED_SIGMA = Hint(
    "ignored_sigma",
    concept="Your values are those for sigma = 1: the built-in was called with its default beta, so the sigma you were "
            "given never reached it.",
    where="Look at the options of the built-in call: its beta (or delta) must be the sigma argument.",
    code="Pass it by keyword: `F.smooth_l1_loss(..., beta=sigma, reduction='none')`.")
SIGMA_NOT_USED = Hint(
    "sigma_not_used",
    concept="Your values are those for sigma = 1: the formula never uses the sigma it was given, so it is D2L's loss "
            "only at sigma = 1.",
    where="Look for a fixed 1, 0.5 or 2 in the condition and both branches: each of them depends on sigma.",
    code="Use the argument everywhere: `torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))`.")
LINEAR_BRANCH_OFFSET = Hint(
    "linear_branch_offset",
    concept="The two pieces of the Huber loss must meet where |r| = sigma: the quadratic one is sigma / 2 there, so the "
            "linear one must be too.",
    where="Look at what the linear branch subtracts from |r|.",
    code="The linear branch is `r.abs() - sigma / 2`, not `r.abs() - sigma`.")
QUADRATIC_MISSING_HALF = Hint(
    "quadratic_missing_half",
    concept="The quadratic branch must have slope 1 where it meets the linear one, at |r| = sigma; without its half the "
            "slope there is 2 and the pieces do not meet.",
    where="Look at the denominator of the quadratic branch.",
    code="The quadratic branch is `r**2 / (2 * sigma)`.")
SWAPPED_BRANCHES = Hint(
    "swapped_branches",
    concept="Huber's loss is quadratic near zero and linear far away: the small residuals get the square.",
    where="Look at the condition and which branch each side of it gets.",
    code="`torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))`: the linear branch when |r| > sigma.")
WRONG_GRADIENT = Hint(
    "wrong_gradient",
    concept="The slope of D2L's Huber loss is r / sigma clamped to [-1, 1]: it saturates at 1 for every sigma and is 0 "
            "at r = 0. Autograd can only follow a loss built from torch operations on y_hat.",
    where="Look for anything that leaves autograd (detach, .item(), NumPy, a new torch.tensor) and at how |r| is taken: "
          "a square root of r squared has no slope at 0.",
    code="Keep every step a torch operation on y_hat and take |r| with `r.abs()`.")
INPLACE_INPUT = Hint(
    "inplace_input",
    concept="Your function changed a tensor it was given, and the caller still needs y_hat and y as they were.",
    where="Look for an in-place operation on an input: a trailing underscore (sub_) or -=.",
    code="Compute the residual into a new tensor, `y_hat - y.reshape(y_hat.shape)`, and never write into an input.")
POSITIONAL_OPTION = Hint(
    "positional_option",
    concept="sigma went into the wrong parameter of the built-in: its third positional parameter is not beta or delta.",
    where="Look at how sigma is passed to the built-in: by position it lands in reduction (or the old size_average).",
    code="Pass it by keyword: `beta=sigma` or `delta=sigma`, with `reduction='none'`.")
SCALE_NOT_NUMBER = Hint(
    "scale_not_number",
    concept="The factor between the two losses is a constant, a plain Python number, not data.",
    where="Look at what the function returns: a tensor, not a number.",
    code="Return `float(...)` of it (or `tensor.item()`).")
NO_BUILTIN = Hint(
    "no_builtin",
    concept="This function is about PyTorch's own Huber losses: its values must come from one of them, not from a "
            "formula of yours.",
    where="Look at where the returned values come from: a built-in's result has to reach the return.",
    code="Return (a rescaling of) `F.smooth_l1_loss(y_hat, y.reshape(y_hat.shape), beta=sigma, reduction='none')` or "
         "of F.huber_loss.")
SCALE_WRONG = Hint(
    "scale_wrong",
    concept="Compare the two losses where both are simple: near zero F.huber_loss is 0.5 r squared and D2L's is r "
            "squared over 2 sigma; far away, sigma (|r| - sigma / 2) against |r| - sigma / 2.",
    where="Divide one by the other in either region: the ratio is the same everywhere.",
    code="`return float(sigma)`")
SCALE_INVERTED = Hint(
    "scale_inverted",
    concept="That is the factor the other way round: F.huber_loss is the bigger of the two whenever sigma > 1.",
    where="Check the direction: c times D2L's loss must give F.huber_loss.",
    code="c is sigma itself, not 1 / sigma.")
MODULE_CALLED_WITH_TENSORS = Hint(
    "module_called_with_tensors",
    concept="nn.HuberLoss and nn.SmoothL1Loss are classes: creating one takes its options, and the object it gives is "
            "then called on tensors.",
    where="Look at the line that passes tensors to nn.HuberLoss(...) or nn.SmoothL1Loss(...).",
    code="`nn.SmoothL1Loss(beta=sigma, reduction='none')(y_hat, y.reshape(y_hat.shape))`, or the functional "
         "`F.smooth_l1_loss`.")

ERROR_HINTS: list[ErrorHint] = [
    ErrorHint("does not require grad and does not have a grad_fn", WRONG_GRADIENT),
    ErrorHint("a leaf Variable that requires grad is being used in an in-place operation", INPLACE_INPUT),
    ErrorHint("is not a valid value for reduction", POSITIONAL_OPTION),
    ErrorHint("got multiple values for argument 'reduction'", POSITIONAL_OPTION),
    ErrorHint("legacy_get_string", MODULE_CALLED_WITH_TENSORS),
    ErrorHint("__init__() got multiple values for argument", MODULE_CALLED_WITH_TENSORS),
]


def d2l_huber(r: torch.Tensor, sigma: float) -> torch.Tensor:
    """The judge's own D2L Huber loss, in float64."""
    r = r.to(torch.float64)
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))


def wrong_variants(r: torch.Tensor, sigma: float, builtin_used: bool) -> list[tuple[torch.Tensor, Hint]]:
    """Values the catalogued mistakes produce, to name the mistake behind a mismatch; whether a
    built-in ran tells a forgotten option from a formula that never uses sigma."""
    r = r.to(torch.float64)
    a = r.abs()
    return [
        (sigma * d2l_huber(r, sigma), UNSCALED_BUILTIN if builtin_used else SCALED_BY_SIGMA),
        (d2l_huber(r, 1.0), IGNORED_SIGMA if builtin_used else SIGMA_NOT_USED),
        (torch.where(a > sigma, a - sigma, r**2 / (2 * sigma)), LINEAR_BRANCH_OFFSET),
        (torch.where(a > sigma, a - sigma / 2, r**2 / sigma), QUADRATIC_MISSING_HALF),
        (torch.where(a > sigma, r**2 / (2 * sigma), a - sigma / 2), SWAPPED_BRANCHES),
        (torch.where(a <= sigma, a - sigma / 2, r**2 / (2 * sigma)), SWAPPED_BRANCHES),
    ]


def residual_rows(seed: int) -> list[torch.Tensor]:
    """The fixed row plus fresh random residuals on both sides of every sigma (never exactly at sigma)."""
    fresh = (torch.rand(9, generator=generator(seed, "residuals")) * 6 - 3).to(torch.float32)
    fresh = fresh[(fresh.abs() - 0.5).abs().gt(1e-3) & (fresh.abs() - 2.0).abs().gt(1e-3)]
    return [torch.tensor(RESIDUALS), fresh]


def column_pair(r: torch.Tensor, labels: torch.Generator, flat_y: bool) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(y_hat (n, 1), y (n,) or (n, 1), r as float32 actually computed from them), y drawn from `labels`."""
    y = torch.randn(len(r), 1, generator=labels)
    y_hat = y + r.reshape(-1, 1)
    actual_r = y_hat - y
    return y_hat, (y.reshape(-1) if flat_y else y), actual_r


def expect_inputs_unchanged(got: probes.LossValues, y_hat: torch.Tensor, y: torch.Tensor, called: str) -> None:
    """The probe sends back y_hat and y as they were after the call: they must be untouched."""
    for name, before, after in (("y_hat", y_hat, got.y_hat_after), ("y", y, got.y_after)):
        expect_unchanged(after, before, name, called=called, hint=INPLACE_INPUT)


WITH_RESIDUALS = N_("{call} with residuals y_hat - y = {residuals}")


def _called(function: str, y_hat: torch.Tensor, y: torch.Tensor, sigma: float, r: torch.Tensor) -> str:
    call = call_text(function, shaped("y_hat", y_hat), shaped("y", y), sigma=sigma)
    return _(WITH_RESIDUALS).format(call=call, residuals=show(r.reshape(-1)))


@check("huber_loss returns one loss per example, shaped like y_hat, for a column y and a flat y", points=1, public=True)
def test_output_shape(student: Student, seed: int) -> None:
    for flat_y in (False, True):
        r = torch.tensor([-3.0, 0.25, 2.0, -1.0])
        y_hat, y, r = column_pair(r, generator(seed, "labels"), flat_y)
        called = _called("huber_loss", y_hat, y, 2.0, r)
        got = student.probe(probes.loss_values, function="huber_loss", y_hat=y_hat.tolist(), y=y.tolist(), sigma=2.0)
        loss = expect_tensor(got.loss, called=called, hint=REDUCED, expected=tensor_of_shape((4, 1)))
        expect_shape(loss, (4, 1), called=called, hint=REDUCED, diagnoses=[((4, 4), NO_RESHAPE)])


@check("huber_loss is zero at r = 0, symmetric in r, and continuous where the branches meet", points=1, public=True)
def test_shape_of_the_curve(student: Student, seed: int) -> None:
    for sigma in SIGMAS:
        r = torch.tensor([0.0, 0.3 * sigma, -0.3 * sigma, 3 * sigma, -3 * sigma, sigma - 1e-4, sigma + 1e-4])
        y_hat, y, r = column_pair(r, generator(seed, "labels"), flat_y=False)
        called = _called("huber_loss", y_hat, y, sigma, r)
        got = student.probe(probes.loss_values, function="huber_loss", y_hat=y_hat.tolist(), y=y.tolist(), sigma=sigma)
        loss = expect_tensor(got.loss, called=called, hint=REDUCED, expected=tensor_of_shape((7, 1)))
        expect_shape(loss, (7, 1), called=called, hint=REDUCED)
        values = loss.values.reshape(-1).tolist()
        if abs(values[0]) > 1e-6:
            fail(called=called, got=_("loss {value} at r = 0").format(value=f"{values[0]:.6g}"),
                 expected=_("0 at r = 0"), hint=WRONG_FORMULA)
        for left, right, where in ((1, 2, "r = ±0.3 sigma"), (3, 4, "r = ±3 sigma")):
            if not math.isclose(values[left], values[right], rel_tol=1e-4, abs_tol=1e-6):
                fail(called=called, got=_("{left} and {right} at {where}").format(
                         left=f"{values[left]:.6g}", right=f"{values[right]:.6g}", where=where),
                     expected=_("the same loss for r and -r"), hint=WRONG_FORMULA)
        below, above = float(values[5]), float(values[6])
        if abs(below - above) > 1e-3:
            hint = (QUADRATIC_MISSING_HALF if math.isclose(below, sigma, rel_tol=1e-2)
                    else LINEAR_BRANCH_OFFSET if abs(above) < 1e-2 else WRONG_FORMULA)
            fail(called=called, got=_("{below} just below |r| = sigma and {above} just above").format(
                     below=f"{below:.6g}", above=f"{above:.6g}"),
                 expected=_("both close to sigma / 2 = {half}: the two pieces meet at |r| = sigma").format(
                     half=f"{sigma / 2:g}"), hint=hint)


@check("values match D2L's formula for sigma = 0.5 and 2", points=3)
def test_values(student: Student, seed: int) -> None:
    for row_number, r in enumerate(residual_rows(seed)):
        for sigma in SIGMAS:
            y_hat, y, r_actual = column_pair(r, generator(seed, f"labels for row {row_number}"), flat_y=row_number == 1)
            called = _called("huber_loss", y_hat, y, sigma, r_actual)
            got = student.probe(probes.loss_values, function="huber_loss", y_hat=y_hat.tolist(), y=y.tolist(),
                                sigma=sigma)
            loss = expect_tensor(got.loss, called=called, hint=REDUCED, expected=tensor_of_shape(tuple(y_hat.shape)))
            expect_inputs_unchanged(got, y_hat, y, called)
            expect_shape(loss, tuple(y_hat.shape), called=called, hint=REDUCED,
                         diagnoses=[((len(r), len(r)), NO_RESHAPE)])
            expect_close(loss, d2l_huber(r_actual, sigma), called=called, hint=WRONG_FORMULA,
                         diagnoses=wrong_variants(r_actual, sigma, bool(got.builtins)), rtol=1e-4, atol=1e-5)


BACKWARD_CALL = N_("{call}.sum().backward() with residuals {residuals}")


@check("the gradient with respect to y_hat is clamp(r / sigma, -1, 1)", points=2)
def test_gradient(student: Student, seed: int) -> None:
    rows = [torch.tensor(GRADIENT_RESIDUALS), residual_rows(seed)[1]]
    for sigma, row in [(sigma, row) for row in rows for sigma in SIGMAS]:
        y_hat, y, r = column_pair(row, generator(seed, "labels"), flat_y=False)
        called = _(BACKWARD_CALL).format(call=call_text("huber_loss", Code("y_hat"), Code("y"), sigma=sigma),
                                         residuals=show(r.reshape(-1)))
        got = student.probe(probes.loss_gradient, y_hat=y_hat.tolist(), y=y.tolist(), sigma=sigma)
        grad = expect_tensor(got.grad, called=called, hint=WRONG_GRADIENT,
                             expected=_("y_hat.grad filled by backward (a tensor shaped like y_hat)"))
        expected = torch.clamp(r.to(torch.float64) / sigma, -1, 1)
        r64 = r.to(torch.float64)
        builtin = bool(got.builtins)
        expect_close(grad, expected, called=called, hint=WRONG_GRADIENT, rtol=1e-4, atol=1e-5, diagnoses=[
            (torch.clamp(r64, -sigma, sigma), UNSCALED_BUILTIN if builtin else SCALED_BY_SIGMA),
            (torch.clamp(r64, -1, 1), IGNORED_SIGMA if builtin else SIGMA_NOT_USED),
            (torch.where(r64.abs() > sigma, r64.sign(), r64 * 2 / sigma), QUADRATIC_MISSING_HALF),
            (torch.where(r64.abs() > sigma, r64 / sigma, r64.sign()), SWAPPED_BRANCHES),
        ])


NEVER_REACH = N_("the right values, but calls to {builtins} whose results never reach what it returns")


@check("huber_via_builtin gets D2L's values from a torch.nn.functional built-in", points=2, public=True)
def test_builtin(student: Student, seed: int) -> None:
    for sigma in SIGMAS:
        y_hat, y, r = column_pair(residual_rows(seed)[1], generator(seed, "labels for the built-in"), flat_y=True)
        called = _called("huber_via_builtin", y_hat, y, sigma, r)
        got = student.probe(probes.builtin_values, y_hat=y_hat.tolist(), y=y.tolist(), sigma=sigma)
        mistake = POSITIONAL_OPTION if got.legacy_options else None
        loss = expect_tensor(got.loss, called=called, hint=mistake or REDUCED,
                             expected=tensor_of_shape(tuple(y_hat.shape)))
        expect_shape(loss, tuple(y_hat.shape), called=called, hint=mistake or REDUCED,
                     diagnoses=[((len(r), len(r)), NO_RESHAPE)])
        expect_close(loss, d2l_huber(r, sigma), called=called, hint=mistake or WRONG_FORMULA,
                     diagnoses=wrong_variants(r, sigma, bool(got.builtins)), rtol=1e-4, atol=1e-5)
        if not got.from_builtin:
            seen = (_(NEVER_REACH).format(builtins=", ".join(got.builtins)) if got.builtins
                    else _("the right values, but no call to F.smooth_l1_loss or F.huber_loss"))
            fail(called=called, got=seen, expected=_("the values returned to come from the built-in's result"),
                 hint=NO_BUILTIN)


@check("builtin_huber_scale(sigma) is the factor between F.huber_loss and D2L's loss", points=1, public=True)
def test_scale(student: Student, seed: int) -> None:
    fresh = round(0.1 + 4.9 * torch.rand(1, generator=generator(seed, "sigma")).item(), 3)
    for sigma in (0.5, 2.0, fresh):
        called = call_text("builtin_huber_scale", sigma)
        got = expect_number(student.probe(probes.scale, sigma=sigma), called=called, hint=SCALE_NOT_NUMBER)
        if not number_close(got, sigma, rtol=1e-6, atol=1e-9):
            hint = SCALE_INVERTED if number_close(got, 1 / sigma, rtol=1e-6) else SCALE_WRONG
            fail(called=called, got=f"{got:g}",
                 expected=_("a number c with F.huber_loss(delta={sigma}) == c * D2L's loss (check it on r = 3: {builtin} "
                            "versus {d2l})").format(sigma=f"{sigma:g}", builtin=f"{sigma * (3 - sigma / 2):g}",
                                                    d2l=f"{3 - sigma / 2:g}"), hint=hint)
