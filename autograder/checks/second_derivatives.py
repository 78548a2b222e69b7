"""Checks for the second_derivatives exercise: gradients of gradients with create_graph.

The Hessian of D2L's summed 1/2 squared loss with respect to w is X^T X whatever w is, so every
value is known exactly: D2L's 3 x 2 fixture plus fresh random problems from the run's seed.
`second_derivative` gets functions by name (the probe defines them and counts their calls), at
fixed points from the notes and at fresh random points.
"""

from __future__ import annotations

import math
from collections.abc import Callable
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
    close,
    expect_close,
    expect_items,
    expect_shape,
    expect_tensor,
    fail,
    generator,
    kind_of,
    raised_text,
    shaped,
    show,
    show_values,
)
from course_checks.i18n import N_, _
from course_checks.probes import second_derivatives as probes

# D2L's fixture (notes, section 5): gradient [[46], [67]], Hessian [[14, 20], [20, 29]].
FIXTURE: dict[str, list[Any]] = {"X": [[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]], "y": [[0.0], [1.0], [2.0]], "w": [[1.0], [2.0]], "b": [0.0]}
NO_GRAPH_MESSAGE = "does not require grad and does not have a grad_fn"
# The docstring's seven names; which of them are real problems only the hidden check knows.
NAMES = ("constant_first_derivative", "float64_only", "grad_accumulates", "graph_freed", "graph_not_built",
         "hessian_memory", "needs_numpy")
DISTRACTORS = {"needs_numpy", "float64_only"}
PROBLEMS = set(NAMES) - DISTRACTORS

PAIR = Hint(
    "return_pair",
    concept="The function returns two things, as a tuple: the first derivative and the second.",
    where="Look at the return statement.",
    code="`return grad, hessian` (or `return d1, d2`)")
GRAD_SHAPE = Hint(
    "grad_shape",
    concept="A gradient has the shape of its parameter: w is (d, 1), so dL/dw is (d, 1) too.",
    where="Look at how the gradient is reshaped or taken before it is returned.",
    code="`torch.autograd.grad(L, w, create_graph=True)[0]` already has w's shape.")
HESSIAN_SHAPE = Hint(
    "hessian_shape",
    concept="The Hessian with respect to w, which has d entries, is a (d, d) table: row i is the gradient of the i-th "
            "component of the gradient.",
    where="Look at how the rows are made and stacked: each flattened to d numbers.",
    code="`torch.stack([torch.autograd.grad(g.reshape(-1)[i], w, retain_graph=True)[0].reshape(-1) for i in "
         "range(d)])`")
HESSIAN_4D = Hint(
    "hessian_4d",
    concept="The functional Hessian of a function of w with shape (d, 1) has shape (d, 1, d, 1): one index pair per "
            "input shape.",
    where="Look at the Hessian you return: only its shape is off.",
    code="Reshape it: `hessian.reshape(d, d)`.")
WITH_B = Hint(
    "hessian_with_b",
    concept="Only w's Hessian is asked for: differentiate with respect to w alone (b's second derivative, n, is not "
            "part of it).",
    where="Look at the inputs you differentiate with respect to.",
    code="`torch.autograd.grad(L, w, create_graph=True)`, then each component with respect to `w` only.")
ZERO_D = Hint(
    "zero_d",
    concept="A scalar function's derivatives at a point are single numbers: 0-d tensors, as autograd gives them.",
    where="Look at how x is made into a tensor, and at what you return.",
    code="`x = torch.tensor(x, requires_grad=True)` (not `[x]`), and return the derivatives as tensors, not floats.")
WRONG_VALUES = Hint(
    "wrong_values",
    concept="For D2L's summed half squared loss the gradient is X^T (X w + b - y) and the Hessian is X^T X, whatever w "
            "is; check both on D2L's fixture.",
    where="Build the summed loss, take its gradient with a graph, then differentiate each component of that gradient "
          "once more.",
    code="`g, = torch.autograd.grad(L, w, create_graph=True)` with `L = ((X @ w + b - y) ** 2 / 2).sum()`, then one "
         "Hessian row per component of g (`retain_graph=True`).")
MISSING_HALF = Hint(
    "missing_half",
    concept="Your values are twice the expected ones: the loss is D2L's half squared error, summed, and without the "
            "half every derivative doubles.",
    where="Look at the loss you differentiate.",
    code="`L = ((X @ w + b - y) ** 2 / 2).sum()`")
MEAN_LOSS = Hint(
    "mean_loss",
    concept="Your values are the expected ones divided by the number of examples: that is the MEAN loss of the new "
            "edition, and here the loss is summed.",
    where="Look at how the per-example losses are reduced.",
    code="`.sum()`, not `.mean()`")
GRAD_ACCUMULATES = Hint(
    "grad_accumulates",
    concept=".grad accumulates: every backward ADDS to it, so a derivative read from .grad after an earlier backward is "
            "the sum of both.",
    where="Look at where you read .grad after more than one backward.",
    code="Use `torch.autograd.grad(...)`, which returns the derivative without touching .grad.")
NO_CREATE_GRAPH = Hint(
    "no_create_graph",
    concept="A first derivative can only be differentiated again if autograd recorded how it was computed; by default "
            "it returns a plain tensor without that record.",
    where="Look at the call that computes the first derivative.",
    code="`torch.autograd.grad(..., create_graph=True)`, on an input that requires grad.")
DETACHED = Hint(
    "detached",
    concept="Your f'' is 0 where it is not: the first derivative was cut off from x, so autograd saw a constant.",
    where="Look for what cuts the graph between x and f': detach, .item(), no_grad, or a first derivative taken without "
          "keeping its graph; special-case f'' = 0 only when f' really has no graph.",
    code="`d1, = torch.autograd.grad(f(x), x, create_graph=True)`, and zeros only when `d1.requires_grad` is False.")
WRONG_DERIVATIVE = Hint(
    "wrong_derivative",
    concept="Autograd gives both derivatives: differentiate f once keeping the graph, then differentiate that result "
            "once more; check x**3 at 2 by hand: (12, 12).",
    where="Look at the leaf x and at the two differentiation calls.",
    code="`x = torch.tensor(x, requires_grad=True)`, `d1, = torch.autograd.grad(f(x), x, create_graph=True)`, "
         "`d2, = torch.autograd.grad(d1, x)`")
CONSTANT_FIRST_DERIVATIVE = Hint(
    "constant_first_derivative",
    concept="When f' does not depend on x (f(x) = 3x), autograd returns it without a graph, and differentiating it "
            "again raises; that is not a mistake in the maths: f'' is 0.",
    where="Look at the first derivative before differentiating it again: whether it still requires grad.",
    code="Return `torch.zeros_like(d1)` as f'' when `d1.requires_grad` is False (or use "
         "`torch.func.grad(torch.func.grad(f))`, which gives 0).")
FINITE_DIFFERENCES = Hint(
    "finite_differences",
    concept="This exercise is about autograd: finite differences evaluate f three or more times and lose precision in "
            "float32.",
    where="Evaluate f once, then differentiate twice.",
    code="`d1, = torch.autograd.grad(f(x), x, create_graph=True)` then `torch.autograd.grad(d1, x)`")
NOT_REPEATABLE = Hint(
    "not_repeatable",
    concept="A second call on the same w gave different results, so the first call left something behind: backward "
            "adds into w.grad.",
    where="Look for backward calls and reads of .grad.",
    code="Use `torch.autograd.grad(L, w, create_graph=True)`, which returns the gradient and leaves .grad alone.")
GRAD_POLLUTED = Hint(
    "grad_polluted",
    concept="Your function changed the caller's w.grad or b.grad: the caller may be in the middle of a training step "
            "and needs its gradients untouched.",
    where="Look for backward calls: backward adds its result to .grad.",
    code="`torch.autograd.grad(L, w, create_graph=True)` returns the gradient without touching .grad.")
GRAD_ERASED = Hint(
    "grad_erased",
    concept="Your function cleared the caller's .grad: the caller may be in the middle of a training step and needs it.",
    where="Look for zero_() or `= None` on a .grad.",
    code="Do not go through .grad at all: `torch.autograd.grad` returns the derivatives directly.")
INPUTS_CHANGED = Hint(
    "inputs_changed",
    concept="Computing derivatives must leave the parameters' values as they were.",
    where="Look for in-place updates of w or b.",
    code="Use out-of-place operations only; never `w -= ...` or `w.data`.")
NOT_A_SET = Hint(
    "not_a_set",
    concept="The answer is a collection of problem names, as strings.",
    where="Look at what the function returns.",
    code="`return {\"graph_freed\", ...}`")
UNKNOWN_NAME = Hint(
    "unknown_name",
    concept="The problems have fixed names, listed in the docstring.",
    where="Compare each name you return with the docstring's list.",
    code="Copy the names exactly from the docstring.")
NEEDS_NUMPY = Hint(
    "needs_numpy",
    concept="Second derivatives never leave torch: autograd differentiates a gradient like any other tensor, and NumPy "
            "has no autograd at all.",
    where="Drop that name from your answer.",
    code="Remove \"needs_numpy\".")
FLOAT64_ONLY = Hint(
    "float64_only",
    concept="Autograd differentiates float32 twice without trouble; every check here uses float32. float64 only "
            "matters for finite differences, which lose precision.",
    where="Drop that name from your answer.",
    code="Remove \"float64_only\".")
MISSING_PROBLEMS = Hint(
    "missing_problems",
    concept="Some of the real problems are missing; each one is something PyTorch does that you can watch happen.",
    where="Try it: differentiate a gradient computed without create_graph; call backward twice; read .grad after two "
          "backward calls; count the entries of a Hessian for a million weights; differentiate the derivative of 3x.",
    code="Return all five real ones: graph_not_built, graph_freed, grad_accumulates, hessian_memory, "
         "constant_first_derivative.")

ERROR_HINTS: list[ErrorHint] = [ErrorHint(NO_GRAPH_MESSAGE, NO_CREATE_GRAPH)]

Derivatives = Callable[[float], tuple[float, float]]
DERIVATIVES: dict[str, Derivatives] = {
    "cube": lambda x: (3 * x**2, 6 * x),
    "sin": lambda x: (math.cos(x), -math.sin(x)),
    "exp": lambda x: (math.exp(x), math.exp(x)),
    "tanh": lambda x: (1 - math.tanh(x) ** 2, -2 * math.tanh(x) * (1 - math.tanh(x) ** 2)),
    "linear3": lambda x: (3.0, 0.0),
    "abs": lambda x: (math.copysign(1.0, x), 0.0),
}
FORMULAS = {"cube": "x**3", "sin": "torch.sin(x)", "exp": "torch.exp(x)", "tanh": "torch.tanh(x)",
            "linear3": "3 * x", "abs": "torch.abs(x)"}


# ---- grad_and_hessian_wrt_w ---------------------------------------------------------------------

def random_problem(seed: int, purpose: str, n: int = 6, d: int = 3) -> dict[str, list[Any]]:
    """Fresh float32 data, w and b (as plain lists) from the run's seed."""
    draws = generator(seed, purpose)
    X = torch.randn(n, d, generator=draws)
    return {"X": X.tolist(), "y": torch.randn(n, 1, generator=draws).tolist(),
            "w": torch.randn(d, 1, generator=draws).tolist(), "b": torch.randn(1, generator=draws).tolist()}


def exact(problem: dict[str, list[Any]]) -> tuple[torch.Tensor, torch.Tensor]:
    """The judge's gradient X^T (X w + b - y) and Hessian X^T X, in float64."""
    X, y, w, b = (torch.tensor(problem[key], dtype=torch.float64) for key in ("X", "y", "w", "b"))
    return X.T @ (X @ w + b - y), X.T @ X


ON_PROBLEM = N_("{call} with X = {X}, w = {w}, b = {b}")


def _describe(problem: dict[str, list[Any]]) -> str:
    X, w, b = (torch.tensor(problem[key]) for key in ("X", "w", "b"))
    call = call_text("grad_and_hessian_wrt_w", *(shaped(key, problem[key]) for key in ("X", "y", "w", "b")))
    return _(ON_PROBLEM).format(call=call, X=show_values(X, 6), w=show_values(w), b=show_values(b))


def gradient_and_hessian(result: Any, d: int, called: str) -> tuple[TensorData, TensorData]:
    """The returned pair, with the shapes asserted: gradient (d, 1), Hessian (d, d)."""
    grad, hessian = expect_items(result, 2, called=called, hint=PAIR,
                                 expected=_("a tuple (gradient, Hessian) of two tensors"))
    grad = expect_tensor(grad, called=called, hint=PAIR,
                         expected=_("the gradient as a tensor of shape {shape}").format(shape=(d, 1)))
    hessian = expect_tensor(hessian, called=called, hint=PAIR,
                            expected=_("the Hessian as a tensor of shape {shape}").format(shape=(d, d)))
    expect_shape(grad, (d, 1), called=called, hint=GRAD_SHAPE)
    expect_shape(hessian, (d, d), called=called, hint=HESSIAN_SHAPE,
                 diagnoses=[((d, 1, d, 1), HESSIAN_4D), ((d + 1, d + 1), WITH_B)])
    return grad, hessian



# ---- second_derivative ----------------------------------------------------------------------------

def fresh_points(seed: int, purpose: str, count: int = 4) -> list[float]:
    """Random x in [-2, 2] with |x| >= 0.1 (so f'' of every function is clearly non-zero), 4 decimals."""
    draws = generator(seed, purpose)
    points = torch.rand(count, generator=draws) * 1.9 + 0.1
    signs = torch.randint(0, 2, (count,), generator=draws) * 2 - 1
    return [round(float(point * sign), 4) for point, sign in zip(points, signs)]


WITH_F = N_("{call} with f(x) = {formula}")


def _scalar_call(name: str, x: float) -> str:
    return _(WITH_F).format(call=call_text("second_derivative", Code("f"), x), formula=FORMULAS[name])


def scalar_pair(outcome: probes.ScalarOutcome, called: str) -> tuple[TensorData, TensorData]:
    """The returned (f'(x), f''(x)), both asserted to be 0-d tensors; a raise is the student's to explain."""
    result = outcome.result
    if isinstance(result, Raised):
        raise StudentRaised(result)
    d1, d2 = expect_items(result, 2, called=called, hint=PAIR,
                          expected=_("a tuple (f'(x), f''(x)) of two 0-d tensors"))
    pair = []
    for label, value in (("f'(x)", d1), ("f''(x)", d2)):
        value = expect_tensor(value, called=called, hint=ZERO_D, expected=_("{name} as a 0-d tensor").format(name=label))
        expect_shape(value, (), called=_(ITS).format(call=called, part=label), hint=ZERO_D)
        pair.append(value)
    return pair[0], pair[1]


ITS = N_("{call}, its {part}")


def expect_derivatives(outcome: probes.ScalarOutcome, name: str, x: float, hint: Hint) -> None:
    """f'(x) and f''(x) must match the judge's formulas; known wrong values get their own hint."""
    called = _scalar_call(name, x)
    d1, d2 = scalar_pair(outcome, called)
    e1, e2 = DERIVATIVES[name](x)
    accumulated = torch.tensor(e1 + e2)
    expect_close(d1, torch.tensor(e1), called=_(ITS).format(call=called, part="f'(x)"), hint=hint, rtol=1e-4,
                 atol=1e-5, diagnoses=[(accumulated, GRAD_ACCUMULATES)])
    expect_close(d2, torch.tensor(e2), called=_(ITS).format(call=called, part="f''(x)"), hint=hint, rtol=1e-4, atol=1e-5,
                 diagnoses=[(torch.tensor(0.0), DETACHED), (accumulated, GRAD_ACCUMULATES)])


# ---- the checks -----------------------------------------------------------------------------------

def problem_names(student: Student) -> set[str]:
    """second_derivative_problems() as a set, checked to hold only the docstring's names."""
    called = call_text("second_derivative_problems")
    got = student.probe(probes.problems)
    items = got.items
    if items is None or not all(isinstance(item, str) for item in items):
        fail(called=called, got=kind_of(got.value) if items is None else show(items),
             expected=_("a set (or list, tuple) of problem names as strings"), hint=NOT_A_SET)
    unknown = {str(item) for item in items} - set(NAMES)
    if unknown:
        fail(called=called, got=_("unknown names {names}").format(names=sorted(unknown)),
             expected=_("names from the docstring's list"), hint=UNKNOWN_NAME)
    return {item for item in items if isinstance(item, str)}


@check("grad_and_hessian_wrt_w returns a gradient shaped like w and a (d, d) Hessian, second_derivative two 0-d "
       "tensors, and second_derivative_problems names from its list", points=1, public=True)
def test_shapes(student: Student, seed: int) -> None:
    problem = random_problem(seed, "problem")
    got = student.probe(probes.grad_and_hessian, **problem)
    gradient_and_hessian(got.results[0], len(problem["w"]), _describe(problem))
    x = fresh_points(seed, "x")[0]
    outcome, = student.probe(probes.scalar_derivatives, cases=[["cube", x]])
    scalar_pair(outcome, _scalar_call("cube", x))
    problem_names(student)


SECOND_TIME = N_("{call}, a second time")
GRADIENT_AND_HESSIAN = {"gradient": N_("the gradient"), "Hessian": N_("the Hessian")}
SAME_FROM_BOTH = {"gradient": N_("the same gradient from both calls"), "Hessian": N_("the same Hessian from both calls")}


@check("a second call of grad_and_hessian_wrt_w on the same w and b returns the same gradient and Hessian",
       points=1, public=True)
def test_repeatable(student: Student, seed: int) -> None:
    problem = random_problem(seed, "problem to repeat")
    called = _describe(problem)
    got = student.probe(probes.grad_and_hessian, **problem, calls=2)
    d = len(problem["w"])
    first = gradient_and_hessian(got.results[0], d, called)
    second = gradient_and_hessian(got.results[1], d, _(SECOND_TIME).format(call=called))
    for label, once, twice in zip(("gradient", "Hessian"), first, second):
        if not close(twice.values, once.values, rtol=1e-6, atol=1e-6):
            what = _(GRADIENT_AND_HESSIAN[label])
            fail(called=_("{call}, twice on the same w and b").format(call=called),
                 got=_("{what} {first} from the first call, {second} from the second").format(
                     what=what, first=show_values(once.values), second=show_values(twice.values)),
                 expected=_(SAME_FROM_BOTH[label]), hint=NOT_REPEATABLE)


@check("grad_and_hessian_wrt_w matches D2L's fixture (gradient [[46], [67]]) and fresh random problems, "
       "with the Hessian X^T X", points=2)
def test_values(student: Student, seed: int) -> None:
    for problem in (FIXTURE, random_problem(seed, "values problem"), random_problem(seed, "larger problem", n=8, d=4)):
        called = _describe(problem)
        got = student.probe(probes.grad_and_hessian, **problem)
        grad, hessian = gradient_and_hessian(got.results[0], len(problem["w"]), called)
        expected_grad, expected_hessian = exact(problem)
        n = len(problem["X"])
        expect_close(grad, expected_grad, called=_("{call}, its gradient").format(call=called), hint=WRONG_VALUES,
                     rtol=1e-4, atol=1e-4, diagnoses=[(2 * expected_grad, MISSING_HALF), (expected_grad / n, MEAN_LOSS)])
        expect_close(hessian, expected_hessian, called=_("{call}, its Hessian").format(call=called), hint=WRONG_VALUES,
                     rtol=1e-4,
                     atol=1e-4, diagnoses=[(2 * expected_hessian, MISSING_HALF), (expected_hessian / n, MEAN_LOSS),
                                           (expected_hessian.cumsum(0), GRAD_ACCUMULATES)])


def expect_grad_kept(after: TensorData | None, before: list[Any] | None, name: str, called: str) -> None:
    """`<name>.grad` after the call must be what it was before: None, or the preset values."""
    if before is None:
        if after is not None:
            fail(called=called, got=_(AFTER_THE_CALL).format(name=f"{name}.grad", value=show(after)),
                 expected=_("{name} still None").format(name=f"{name}.grad"), hint=GRAD_POLLUTED)
        return
    expected = torch.tensor(before, dtype=torch.float64)
    if after is not None and close(after.values, expected, rtol=1e-6, atol=1e-7):
        return
    erased = after is None or not bool(after.values.any())
    fail(called=called, got=_(AFTER_THE_CALL).format(name=f"{name}.grad", value=show(after)),
         expected=_(UNCHANGED).format(name=f"{name}.grad", value=show_values(expected)),
         hint=GRAD_ERASED if erased else GRAD_POLLUTED)


AFTER_THE_CALL = N_("{name} = {value} after the call")
UNCHANGED = N_("{name} unchanged: {value}")
UNTOUCHED_CALL = {
    (False, False): N_("{call}; w and b leaf tensors with requires_grad=True, w.grad and b.grad None before the call"),
    (True, False): N_("{call}; w and b leaf tensors with requires_grad=True, w.grad = {w_grad} and b.grad = {b_grad} "
                      "before the call"),
    (False, True): N_("{call}; w and b nn.Parameters, w.grad and b.grad None before the call"),
    (True, True): N_("{call}; w and b nn.Parameters, w.grad = {w_grad} and b.grad = {b_grad} before the call"),
}


@check("grad_and_hessian_wrt_w leaves w, b and their .grad as they were, for leaf tensors and nn.Parameters",
       points=1)
def test_inputs_untouched(student: Student, seed: int) -> None:
    problem = random_problem(seed, "problem to leave untouched")
    draws = generator(seed, "preset gradients")
    preset = {"w_grad": torch.randn(len(problem["w"]), 1, generator=draws).tolist(),
              "b_grad": torch.randn(1, generator=draws).tolist()}
    for as_parameters, grads in ((False, {}), (True, preset)):
        shown = {name: show_values(torch.tensor(values)) for name, values in grads.items()}
        called = _(UNTOUCHED_CALL[bool(grads), as_parameters]).format(call=_describe(problem), **shown)
        got = student.probe(probes.grad_and_hessian, **problem, as_parameters=as_parameters, **grads)
        gradient_and_hessian(got.results[0], len(problem["w"]), called)
        for name, after, grad_after in (("w", got.w, got.w_grad), ("b", got.b, got.b_grad)):
            if not close(after.values, torch.tensor(problem[name]), rtol=0, atol=0):
                fail(called=called, got=_(AFTER_THE_CALL).format(name=name, value=show(after)),
                     expected=_(UNCHANGED).format(name=name, value=show_values(torch.tensor(problem[name]))),
                     hint=INPUTS_CHANGED)
            expect_grad_kept(grad_after, grads.get(f"{name}_grad"), name, called)


@check("second_derivative gives f'(x) and f''(x) for x**3, sin, exp and tanh at fixed and random points", points=2)
def test_scalar_values(student: Student, seed: int) -> None:
    cases: list[list[Any]] = [["cube", 2.0], ["sin", 0.5]]
    cases += [[name, x] for name, x in zip(("exp", "tanh", "sin", "cube"), fresh_points(seed, "points"))]
    outcomes = student.probe(probes.scalar_derivatives, cases=cases)
    for (name, x), outcome in zip(cases, outcomes):
        expect_derivatives(outcome, name, x, WRONG_DERIVATIVE)


@check("second_derivative returns f'' = 0 without raising where f' does not depend on x (3x, |x|)", points=1)
def test_constant_first_derivative(student: Student, seed: int) -> None:
    x_linear, x_abs = fresh_points(seed, "points for 3x and |x|", count=2)
    cases: list[list[Any]] = [["cube", 2.0], ["linear3", 1.5], ["abs", 1.5], ["linear3", x_linear],
                              ["abs", -abs(x_abs)]]
    outcomes = student.probe(probes.scalar_derivatives, cases=cases)
    if isinstance(outcomes[0].result, Raised):  # broken for every f: its own message says why
        raise StudentRaised(outcomes[0].result)
    for (name, x), outcome in zip(cases[1:], outcomes[1:]):
        raised = outcome.result
        if isinstance(raised, Raised) and NO_GRAPH_MESSAGE in raised.message:
            fail(called=_scalar_call(name, x), got=raised_text(raised),
                 expected=_("(f'(x), f''(x)) = ({first}, 0), returned without an error").format(
                     first=f"{DERIVATIVES[name](x)[0]:g}"), hint=CONSTANT_FIRST_DERIVATIVE)
        expect_derivatives(outcome, name, x, CONSTANT_FIRST_DERIVATIVE)


@check("second_derivative uses autograd: it evaluates f at most twice", points=1)
def test_uses_autograd(student: Student, seed: int) -> None:
    cases: list[list[Any]] = [["cube", 2.0], ["sin", fresh_points(seed, "point for sin", count=1)[0]]]
    outcomes = student.probe(probes.scalar_derivatives, cases=cases)
    for (name, x), outcome in zip(cases, outcomes):
        scalar_pair(outcome, _scalar_call(name, x))
        if outcome.calls > 2:
            fail(called=_scalar_call(name, x), got=_("f was evaluated {count} times").format(count=outcome.calls),
                 expected=_("at most 2 evaluations of f (autograd needs one)"), hint=FINITE_DIFFERENCES)


@check("second_derivative_problems names exactly the problems one really meets", points=1)
def test_problems(student: Student, seed: int) -> None:
    called = call_text("second_derivative_problems")
    names = problem_names(student)
    for distractor, hint in (("needs_numpy", NEEDS_NUMPY), ("float64_only", FLOAT64_ONLY)):
        if distractor in names:
            fail(called=called, got=_("{names}, with {name}").format(names=sorted(names), name=repr(distractor)),
                 expected=_("only problems that really occur; {name} does not").format(name=repr(distractor)),
                 hint=hint)
    missing = PROBLEMS - names
    if missing:
        fail(called=called, got=str(sorted(names)),
             expected=_("every problem that really occurs: {count} more of the docstring's names").format(
                 count=len(missing)), hint=MISSING_PROBLEMS)
