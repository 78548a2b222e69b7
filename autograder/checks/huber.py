"""Checks for the huber exercise: D2L's sigma-normalised Huber loss.

Every value check uses sigma = 0.5 and 2 (at sigma = 1 D2L's formula, F.smooth_l1_loss and
F.huber_loss coincide, so half of the wrong answers would pass), a fixed residual row that covers
both branches, and fresh random residuals from the run's seed.
"""

from __future__ import annotations

import math

import torch

from autograder.harness import (
    Hint,
    TensorData,
    check,
    close,
    expect_close,
    expect_number,
    expect_shape,
    expect_tensor,
    fail,
    number_close,
    show,
)
from autograder.probes import huber as probes

EXERCISE_ID = "huber"

RESIDUALS = [-3.0, -1.0, -0.5, 0.0, 0.25, 0.5, 2.0]
GRADIENT_RESIDUALS = [-3.0, -1.0, 0.0, 0.25, 2.5]  # r = 0 included: the slope there must be 0, not nan
SIGMAS = (0.5, 2.0)

NO_RESHAPE = Hint("no_reshape", "y of shape (n,) minus y_hat of shape (n, 1) broadcasts to an (n, n) table of "
                  "every y_hat_i - y_j. Reshape y to y_hat's shape first: `y.reshape(y_hat.shape)`, as "
                  "`squared_loss` does.")
REDUCED = Hint("reduced", "Return one loss per example, like `squared_loss` (no `.mean()` or `.sum()`, and "
               "`reduction='none'` for a built-in): the training loop reduces.")
WRONG_FORMULA = Hint("wrong_formula", "Compute r = y_hat - y, then `torch.where(r.abs() > sigma, r.abs() - sigma / 2, "
                     "r**2 / (2 * sigma))`. Check one value by hand: sigma = 0.5, r = 2 gives 1.75.")
UNSCALED_BUILTIN = Hint("unscaled_builtin", "PyTorch's `F.huber_loss(..., delta=sigma)` (and `nn.HuberLoss`) is "
                        "sigma times D2L's formula: its linear part has slope sigma, not 1. Divide by sigma, or "
                        "use `F.smooth_l1_loss(..., beta=sigma)`, which is exactly D2L's formula.")
IGNORED_SIGMA = Hint("ignored_sigma", "Your values are those for sigma = 1: sigma was not used (e.g. "
                     "`F.smooth_l1_loss` with its default beta = 1). Pass `beta=sigma`.")
LINEAR_BRANCH_OFFSET = Hint("linear_branch_offset", "The linear branch is |r| - sigma / 2, not |r| - sigma: with "
                            "- sigma the two pieces do not meet at |r| = sigma (sigma/2 from the quadratic side, 0 "
                            "from the linear side).")
QUADRATIC_MISSING_HALF = Hint("quadratic_missing_half", "The quadratic branch is r**2 / (2 * sigma): without the 2 "
                              "its slope at |r| = sigma is 2, not 1, and the two pieces do not meet.")
SWAPPED_BRANCHES = Hint("swapped_branches", "Quadratic near zero, linear far away: the linear branch |r| - sigma/2 is "
                        "for |r| > sigma, the quadratic r**2 / (2 * sigma) for |r| <= sigma.")
WRONG_GRADIENT = Hint("wrong_gradient", "The slope of D2L's Huber loss is clamp(r / sigma, -1, 1): it saturates at "
                      "±1 for every sigma and is 0 at r = 0. Build the loss from torch operations on y_hat (no "
                      "`.detach()`, no `.item()`, no NumPy), so autograd can follow it, and take |r| with "
                      "`r.abs()`: `torch.sqrt(r**2)` has a nan slope at r = 0.")
INPLACE_INPUT = Hint("inplace_input", "Your function changed its input tensor in place (e.g. `y_hat.sub_(...)` or "
                     "`y -= ...`). The caller still needs y_hat and y: compute the residual into a new tensor instead.")
POSITIONAL_OPTION = Hint("positional_option", "sigma went into the wrong parameter: the third positional parameter of "
                         "`F.huber_loss` is `reduction` (of `F.smooth_l1_loss`, the old `size_average`). Pass it by "
                         "keyword: `beta=sigma` or `delta=sigma`, with `reduction='none'`.")
SCALE_NOT_NUMBER = Hint("scale_not_number", "Return a plain Python number (`float(...)` or `tensor.item()`), not a "
                        "tensor: the factor is a constant, not data.")
NO_BUILTIN = Hint("no_builtin", "This function must obtain its values from `F.smooth_l1_loss` or `F.huber_loss` "
                  "(or `nn.SmoothL1Loss` / `nn.HuberLoss`) with `reduction='none'`, not from your own formula.")
SCALE_WRONG = Hint("scale_wrong", "F.huber_loss(delta=sigma) is 0.5 r**2 near zero, D2L's is r**2 / (2 sigma): the "
                   "ratio is sigma (check the linear parts too: sigma(|r| - sigma/2) against |r| - sigma/2).")
SCALE_INVERTED = Hint("scale_inverted", "That is the factor the other way round: F.huber_loss is sigma times D2L's "
                      "loss, so c = sigma, not 1 / sigma.")

MODULE_CALLED_WITH_TENSORS = Hint(
    "module_called_with_tensors", "`nn.HuberLoss` and `nn.SmoothL1Loss` are classes: create one with its options "
    "(`nn.SmoothL1Loss(beta=sigma, reduction='none')`), then call it on tensors; or use the functional form "
    "`F.smooth_l1_loss`.")

ERROR_HINTS = [
    ("does not require grad and does not have a grad_fn", WRONG_GRADIENT),
    ("a leaf Variable that requires grad is being used in an in-place operation", INPLACE_INPUT),
    ("is not a valid value for reduction", POSITIONAL_OPTION),
    ("got multiple values for argument 'reduction'", POSITIONAL_OPTION),
    ("legacy_get_string", MODULE_CALLED_WITH_TENSORS),
    ("__init__() got multiple values for argument", MODULE_CALLED_WITH_TENSORS),
]


def d2l_huber(r: torch.Tensor, sigma: float) -> torch.Tensor:
    """The judge's own D2L Huber loss, in float64."""
    r = r.to(torch.float64)
    return torch.where(r.abs() > sigma, r.abs() - sigma / 2, r**2 / (2 * sigma))


def wrong_variants(r: torch.Tensor, sigma: float) -> list[tuple[torch.Tensor, Hint]]:
    """Values the catalogued mistakes produce, to name the mistake behind a mismatch."""
    r = r.to(torch.float64)
    a = r.abs()
    return [
        (sigma * d2l_huber(r, sigma), UNSCALED_BUILTIN),
        (d2l_huber(r, 1.0), IGNORED_SIGMA),
        (torch.where(a > sigma, a - sigma, r**2 / (2 * sigma)), LINEAR_BRANCH_OFFSET),
        (torch.where(a > sigma, a - sigma / 2, r**2 / sigma), QUADRATIC_MISSING_HALF),
        (torch.where(a > sigma, r**2 / (2 * sigma), a - sigma / 2), SWAPPED_BRANCHES),
        (torch.where(a <= sigma, a - sigma / 2, r**2 / (2 * sigma)), SWAPPED_BRANCHES),
    ]


def residual_rows(seed: int) -> list[torch.Tensor]:
    """The fixed row plus fresh random residuals on both sides of every sigma (never exactly at sigma)."""
    generator = torch.Generator().manual_seed(seed)
    fresh = (torch.rand(9, generator=generator) * 6 - 3).to(torch.float32)
    fresh = fresh[(fresh.abs() - 0.5).abs().gt(1e-3) & (fresh.abs() - 2.0).abs().gt(1e-3)]
    return [torch.tensor(RESIDUALS), fresh]


def column_pair(r: torch.Tensor, seed: int, flat_y: bool) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(y_hat (n, 1), y (n,) or (n, 1), r as float32 actually computed from them)."""
    generator = torch.Generator().manual_seed(seed + 1)
    y = torch.randn(len(r), 1, generator=generator)
    y_hat = y + r.reshape(-1, 1)
    actual_r = y_hat - y
    return y_hat, (y.reshape(-1) if flat_y else y), actual_r


def expect_inputs_unchanged(got: dict, y_hat: torch.Tensor, y: torch.Tensor, called: str) -> None:  # type: ignore[type-arg]
    """The probe sends back y_hat and y as they were after the call: they must be untouched."""
    for name, before in (("y_hat", y_hat), ("y", y)):
        after = got[f"{name}_after"]
        if not isinstance(after, TensorData) or not close(after.values, before.to(torch.float64), rtol=0, atol=0):
            fail(called=called, got=f"{name} changed by the call: now {show(after)}",
                 expected=f"{name} left as it was: {show(before.reshape(-1))}", hint=INPLACE_INPUT)


def _called(function: str, y_hat: torch.Tensor, y: torch.Tensor, sigma: float, r: torch.Tensor) -> str:
    return (f"{function}(y_hat {tuple(y_hat.shape)}, y {tuple(y.shape)}, sigma={sigma:g}) "
            f"with residuals y_hat - y = {show(r.reshape(-1))}")


@check("huber_loss returns one loss per example, shaped like y_hat, for a column y and a flat y", points=1, public=True)
def test_output_shape(student, seed):  # type: ignore[no-untyped-def]
    for flat_y in (False, True):
        r = torch.tensor([-3.0, 0.25, 2.0, -1.0])
        y_hat, y, r = column_pair(r, seed, flat_y)
        called = _called("huber_loss", y_hat, y, 2.0, r)
        got = student.probe(probes.loss_values, function="huber_loss", y_hat=y_hat.tolist(), y=y.tolist(), sigma=2.0)
        loss = expect_tensor(got["loss"], called=called, hint=REDUCED, expected="a tensor of shape (4, 1)")
        expect_shape(loss, (4, 1), called=called, hint=REDUCED, diagnoses=[((4, 4), NO_RESHAPE)])


@check("huber_loss is zero at r = 0, symmetric in r, and continuous where the branches meet", points=1, public=True)
def test_shape_of_the_curve(student, seed):  # type: ignore[no-untyped-def]
    for sigma in SIGMAS:
        r = torch.tensor([0.0, 0.3 * sigma, -0.3 * sigma, 3 * sigma, -3 * sigma, sigma - 1e-4, sigma + 1e-4])
        y_hat, y, r = column_pair(r, seed, flat_y=False)
        called = _called("huber_loss", y_hat, y, sigma, r)
        got = student.probe(probes.loss_values, function="huber_loss", y_hat=y_hat.tolist(), y=y.tolist(), sigma=sigma)
        loss = expect_tensor(got["loss"], called=called, hint=REDUCED, expected="a tensor of shape (7, 1)")
        expect_shape(loss, (7, 1), called=called, hint=REDUCED)
        values = loss.values.reshape(-1).tolist()
        if abs(values[0]) > 1e-6:
            fail(called=called, got=f"loss {values[0]:.6g} at r = 0", expected="0 at r = 0", hint=WRONG_FORMULA)
        for left, right, where in ((1, 2, "r = ±0.3 sigma"), (3, 4, "r = ±3 sigma")):
            if not math.isclose(values[left], values[right], rel_tol=1e-4, abs_tol=1e-6):
                fail(called=called, got=f"{values[left]:.6g} and {values[right]:.6g} at {where}",
                     expected="the same loss for r and -r", hint=WRONG_FORMULA)
        below, above = float(values[5]), float(values[6])
        if abs(below - above) > 1e-3:
            hint = (QUADRATIC_MISSING_HALF if math.isclose(below, sigma, rel_tol=1e-2)
                    else LINEAR_BRANCH_OFFSET if abs(above) < 1e-2 else WRONG_FORMULA)
            fail(called=called, got=f"{below:.6g} just below |r| = sigma and {above:.6g} just above",
                 expected=f"both close to sigma / 2 = {sigma / 2:g}: the two pieces meet at |r| = sigma", hint=hint)


@check("values match D2L's formula for sigma = 0.5 and 2", points=3)
def test_values(student, seed):  # type: ignore[no-untyped-def]
    for row_number, r in enumerate(residual_rows(seed)):
        for sigma in SIGMAS:
            y_hat, y, r_actual = column_pair(r, seed + row_number, flat_y=row_number == 1)
            called = _called("huber_loss", y_hat, y, sigma, r_actual)
            got = student.probe(probes.loss_values, function="huber_loss", y_hat=y_hat.tolist(), y=y.tolist(),
                                sigma=sigma)
            loss = expect_tensor(got["loss"], called=called, hint=REDUCED,
                                 expected=f"a tensor of shape {tuple(y_hat.shape)}")
            expect_inputs_unchanged(got, y_hat, y, called)
            expect_shape(loss, tuple(y_hat.shape), called=called, hint=REDUCED,
                         diagnoses=[((len(r), len(r)), NO_RESHAPE)])
            expect_close(loss, d2l_huber(r_actual, sigma), called=called, hint=WRONG_FORMULA,
                         diagnoses=wrong_variants(r_actual, sigma), rtol=1e-4, atol=1e-5)


@check("the gradient with respect to y_hat is clamp(r / sigma, -1, 1)", points=2)
def test_gradient(student, seed):  # type: ignore[no-untyped-def]
    rows = [torch.tensor(GRADIENT_RESIDUALS), residual_rows(seed)[1]]
    for sigma, row in [(sigma, row) for row in rows for sigma in SIGMAS]:
        y_hat, y, r = column_pair(row, seed, flat_y=False)
        called = f"huber_loss(y_hat, y, sigma={sigma:g}).sum().backward() with residuals {show(r.reshape(-1))}"
        got = student.probe(probes.loss_gradient, y_hat=y_hat.tolist(), y=y.tolist(), sigma=sigma)
        grad = expect_tensor(got["grad"], called=called, hint=WRONG_GRADIENT,
                             expected="y_hat.grad filled by backward (a tensor shaped like y_hat)")
        expected = torch.clamp(r.to(torch.float64) / sigma, -1, 1)
        r64 = r.to(torch.float64)
        expect_close(grad, expected, called=called, hint=WRONG_GRADIENT, rtol=1e-4, atol=1e-5, diagnoses=[
            (torch.clamp(r64, -sigma, sigma), UNSCALED_BUILTIN),
            (torch.clamp(r64, -1, 1), IGNORED_SIGMA),
            (torch.where(r64.abs() > sigma, r64.sign(), r64 * 2 / sigma), QUADRATIC_MISSING_HALF),
            (torch.where(r64.abs() > sigma, r64 / sigma, r64.sign()), SWAPPED_BRANCHES),
        ])


@check("huber_via_builtin gets D2L's values from a torch.nn.functional built-in", points=2)
def test_builtin(student, seed):  # type: ignore[no-untyped-def]
    for sigma in SIGMAS:
        y_hat, y, r = column_pair(residual_rows(seed)[1], seed + 7, flat_y=True)
        called = _called("huber_via_builtin", y_hat, y, sigma, r)
        got = student.probe(probes.builtin_values, y_hat=y_hat.tolist(), y=y.tolist(), sigma=sigma)
        mistake = POSITIONAL_OPTION if got["legacy_options"] else None
        loss = expect_tensor(got["loss"], called=called, hint=mistake or REDUCED,
                             expected=f"a tensor of shape {tuple(y_hat.shape)}")
        expect_shape(loss, tuple(y_hat.shape), called=called, hint=mistake or REDUCED,
                     diagnoses=[((len(r), len(r)), NO_RESHAPE)])
        expect_close(loss, d2l_huber(r, sigma), called=called, hint=mistake or WRONG_FORMULA,
                     diagnoses=wrong_variants(r, sigma), rtol=1e-4, atol=1e-5)
        if not got["from_builtin"]:
            seen = ("calls to " + " and ".join(got["builtins"]) + " whose results are not what it returned"
                    if got["builtins"] else "no call to F.smooth_l1_loss or F.huber_loss")
            fail(called=called, got=f"the right values, but {seen}",
                 expected="the values returned to come from the built-in's result", hint=NO_BUILTIN)


@check("builtin_huber_scale(sigma) is the factor between F.huber_loss and D2L's loss", points=1)
def test_scale(student, seed):  # type: ignore[no-untyped-def]
    fresh = round(0.1 + 4.9 * torch.rand(1, generator=torch.Generator().manual_seed(seed + 3)).item(), 3)
    for sigma in (0.5, 2.0, fresh):
        called = f"builtin_huber_scale({sigma:g})"
        got = expect_number(student.probe(probes.scale, sigma=sigma), called=called, hint=SCALE_NOT_NUMBER)
        if not number_close(got, sigma, rtol=1e-6, atol=1e-9):
            hint = SCALE_INVERTED if number_close(got, 1 / sigma, rtol=1e-6) else SCALE_WRONG
            fail(called=called, got=f"{got:g}", expected=f"a number c with F.huber_loss(delta={sigma:g}) == c * D2L's "
                 f"loss (check it on r = 3: {sigma * (3 - sigma / 2):g} versus {3 - sigma / 2:g})", hint=hint)
