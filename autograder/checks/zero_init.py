"""Checks for the zero_init exercise: linear regression trains from w = 0, a two-layer net does not.

init_params is judged by the properties of what it returns (shapes, dtype, leaf tensors that
require grad, exact zeros) and, in mode "normal", by statistics of 20000 draws and by
reproducibility from its own generator, never by its random stream. The gradients are compared
with closed forms computed here in float64: -X^T y and -sum(y) at w = 0, and for the two-layer
net exact zeros everywhere except the output bias, whose gradient is -mean(y).
"""

from __future__ import annotations

import math

import torch

from course_checks.harness import (
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
    expect_number,
    expect_shape,
    expect_tensor,
    fail,
    fresh_int,
    generator,
    kind_of,
    number_close,
    raised_text,
    rng,
    seeded_generator,
    shaped,
    show,
    show_values,
    tensor_of_shape,
)
from course_checks.i18n import N_, _
from course_checks.probes import d2l
from course_checks.probes import zero_init as probes

FIXTURE_X = [[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]]
FIXTURE_Y = [[0.0], [1.0], [2.0]]  # at w = 0, b = 0: dL/dw = [[-8], [-11]], dL/db = [-3]
TWO_LAYER_KEYS = ("W1", "b1", "W2", "b2")
DRAWS = 20000  # enough for the sample std to land within 5 % of sigma (10 standard errors)

PAIR = Hint(
    "pair",
    concept="init_params returns two parameters, as D2L builds them: a column of weights w and a bias b.",
    where="Look at the return statement.",
    code="`return w, b`")
W_SHAPE = Hint(
    "w_shape",
    concept="w holds one weight per input feature, as a column, so that X (n, num_inputs) times w gives one prediction "
            "per example.",
    where="Look at the size you give w.",
    code="w has shape `(num_inputs, 1)`.")
B_SHAPE = Hint(
    "b_shape",
    concept="b is one offset shared by every example; broadcasting adds it to every prediction.",
    where="Look at the size you give b.",
    code="`torch.zeros(1, requires_grad=True)` for b: shape (1,).")
DTYPE = Hint(
    "dtype",
    concept="Parameters must have the dtype of D2L's data, float32: with float64 (NumPy's default) the model's matrix "
            "product fails with 'expected m1 and m2 to have the same dtype'.",
    where="Look at how the tensor is created: a NumPy array, or an explicit dtype.",
    code="Create it with torch's default dtype, e.g. `torch.zeros((num_inputs, 1), requires_grad=True)`.")
NO_REQUIRES_GRAD = Hint(
    "no_requires_grad",
    concept="A tensor that does not require grad never gets a .grad from backward, so D2L's sgd then computes lr times "
            "None (\"TypeError: unsupported operand type(s) for *: 'float' and 'NoneType'\").",
    where="Look at how w and b are created: gradients must be switched on for both.",
    code="`torch.zeros((num_inputs, 1), requires_grad=True)`, or call `.requires_grad_()` on the finished tensor.")
NON_LEAF = Hint(
    "non_leaf",
    concept="This tensor is the result of an operation on a tensor that requires grad, not a leaf, so PyTorch keeps no "
            ".grad for it (you may have seen a warning about the .grad of a non-leaf tensor).",
    where="Look for a reshape, a multiplication or an addition applied after gradients were switched on: give the "
          "tensor its final shape and values first.",
    code="`(torch.randn(num_inputs, 1, generator=generator) * sigma).requires_grad_()`, or "
         "`torch.zeros((num_inputs, 1), requires_grad=True)`")
ZEROS_NOT_ZERO = Hint(
    "zeros_not_zero",
    concept="Mode 'zeros' means every weight is exactly 0.",
    where="Look at the branch for mode 'zeros'.",
    code="`torch.zeros((num_inputs, 1), requires_grad=True)`")
B_NOT_ZERO = Hint(
    "b_not_zero",
    concept="b starts at 0 in both modes, as in D2L; only w is drawn at random.",
    where="Look at how b is created.",
    code="`torch.zeros(1, requires_grad=True)` for b, in both modes")
UNKNOWN_MODE = Hint(
    "unknown_mode",
    concept="Only 'zeros' and 'normal' exist; any other string is a mistake of the caller and must be reported, not "
            "silently trained (a typo such as 'zero').",
    where="Look at what happens when mode is neither: a final else that falls back to one of the modes.",
    code="End with `else: raise ValueError(f'unknown mode {mode!r}')`.")
MODE_ERROR_TYPE = Hint(
    "mode_error_type",
    concept="A bad argument value is reported with ValueError; a dict lookup raises KeyError instead.",
    where="Look at how the mode is checked before it is used.",
    code="`if mode not in ('zeros', 'normal'): raise ValueError(...)` before the lookup.")
SIGMA_IS_STD = Hint(
    "sigma_is_std",
    concept="sigma is a standard deviation, like the second argument of torch.normal: N(0, sigma**2) names the "
            "variance, sigma**2, but the function takes sigma itself.",
    where="Look at what you pass as torch.normal's std (or multiply standard normal draws by): neither its square nor "
          "its square root.",
    code="`torch.normal(0, sigma, (num_inputs, 1), generator=generator)`")
IGNORED_SIGMA = Hint(
    "ignored_sigma",
    concept="Your weights have the same spread whatever sigma is: the argument never reaches the random draw.",
    where="Look at the random draw in mode 'normal': where does sigma go?",
    code="`torch.randn(num_inputs, 1, generator=generator) * sigma`, or pass sigma as torch.normal's std.")
WRONG_SPREAD = Hint(
    "wrong_spread",
    concept="w's standard deviation must be sigma.",
    where="Look at the random draw in mode 'normal' and how sigma enters it.",
    code="`torch.normal(0, sigma, (num_inputs, 1), generator=generator)`")
NOT_NORMAL = Hint(
    "not_normal",
    concept="w is drawn from a normal distribution centred at 0 (a uniform draw on [0, 1) has the wrong shape and "
            "centre).",
    where="Look at which random function draws w.",
    code="`torch.normal(0, sigma, ...)` or `torch.randn(...) * sigma`, not `torch.rand`.")
IGNORED_GENERATOR = Hint(
    "ignored_generator",
    concept="With the same seeded generator w must come out the same, and another seed must give other weights: every "
            "draw must come from the generator you were given.",
    where="Look at the random draw: the generator argument must be passed through.",
    code="`torch.normal(0, sigma, (num_inputs, 1), generator=generator)`")
GLOBAL_GENERATOR = Hint(
    "global_generator",
    concept="With generator=None, the draw must come from torch's global generator, so that torch.manual_seed decides "
            "w.",
    where="Look at what you do when generator is None: a fresh generator of your own ignores the global seed.",
    code="Pass `generator=generator` through, None included.")

GRADS_PAIR = Hint(
    "grads_pair",
    concept="first_step_grads returns the two gradients, dL/dw and dL/db, as a pair.",
    where="Look at the return statement: after backward, the gradients are in the parameters' .grad.",
    code="`return w.grad, b.grad`")
GRAD_NONE = Hint(
    "grad_none",
    concept="A gradient came back as None: backward fills .grad only for leaf tensors that require grad, and a tensor "
            "made from one (by reshape, * 0, .T) is not a leaf.",
    where="Look at how each parameter is created: with its final shape, and gradients switched on.",
    code="`torch.zeros((d, 1), requires_grad=True)`")
W_GRAD_SHAPE = Hint(
    "w_grad_shape",
    concept="A gradient has the shape of its parameter: dL/dw is (d, 1), like w.",
    where="Look at the shape of w, or at how you reshape its gradient.",
    code="Return `w.grad` of a w made with shape `(d, 1)`.")
B_GRAD_SHAPE = Hint(
    "b_grad_shape",
    concept="A gradient has the shape of its parameter, and b is (1,): every example contributes its residual to b's "
            "gradient, and backward ADDS them (that sum is why sgd divides by batch_size).",
    where="Return b's gradient itself, not the per-example residuals or a 0-d number.",
    code="`return w.grad, b.grad`, with b made by `torch.zeros(1, requires_grad=True)`")
WRONG_GRADIENT = Hint(
    "wrong_gradient",
    concept="At w = 0, b = 0 every prediction is 0, so the residual is -y: dL/dw = X^T r = -X^T y and dL/db = sum(r) = "
            "-sum(y).",
    where="Build zero parameters that require grad, D2L's summed half squared loss, and call backward.",
    code="`((X @ w + b - y) ** 2 / 2).sum().backward()` with zero `w` and `b`, then `return w.grad, b.grad`")
ZERO_GRADIENT = Hint(
    "zero_gradient",
    concept="The gradient at w = 0 is not zero: each weight's gradient is the sum of x_ij times r_i, with r_i = -y_i, "
            "non-zero as soon as the labels are (on D2L's fixture [[-8], [-11]] and [-3]). There is no symmetry to "
            "break in linear regression.",
    where="Compute the gradient with autograd instead of assuming it.",
    code="`((X @ w + b - y) ** 2 / 2).sum().backward()` with zero `w` and `b` that require grad")
MEAN_LOSS = Hint(
    "mean_loss",
    concept="You differentiated the MEAN loss; D2L's loop differentiates the SUM over the batch, which is why its sgd "
            "divides by batch_size. Your values are the right ones divided by n.",
    where="Look at how the per-example losses are reduced before backward.",
    code="`l.sum().backward()`, not `l.mean().backward()`")
NO_HALF = Hint(
    "no_half",
    concept="D2L's squared loss is half the squared error, whose gradient is the residual itself; without the half "
            "every gradient doubles.",
    where="Look at the loss you differentiate (nn.MSELoss has no half).",
    code="`((X @ w + b - y) ** 2 / 2).sum()`")
MSE_LOSS = Hint(
    "mse_loss",
    concept="nn.MSELoss / F.mse_loss averages over the batch and has no half, so its gradient is 2 / n times D2L's.",
    where="Look at the loss you differentiate: D2L's summed half squared loss.",
    code="`((y_hat - y) ** 2 / 2).sum()`")
GRADIENT_SIGN = Hint(
    "gradient_sign",
    concept="The residual is y_hat - y = -y at w = 0, so the gradient is -X^T y: it points uphill, and sgd's step goes "
            "against it. You returned +X^T y, the direction of the step, not the gradient.",
    where="Look at which way round the residual is taken.",
    code="`r = X @ w + b - y` (prediction minus label)")
NOT_AT_ZERO = Hint(
    "not_at_zero",
    concept="This is the gradient at w = 0, b = 0, but yours changes from call to call: your w was drawn at random.",
    where="Look at how w is created: init_params uses mode 'normal' by default.",
    code="`init_params(d, mode='zeros')`, or `torch.zeros((d, 1), requires_grad=True)`")
GRAD_ACCUMULATES = Hint(
    "grad_accumulates",
    concept="A second call with the same inputs gave another result: .grad accumulates across backward calls, so "
            "parameters kept between calls add every new gradient to the old one.",
    where="Look at where the parameters are created: once, at module level, instead of inside the function.",
    code="Create fresh zero parameters inside first_step_grads, on every call.")

STD_NOT_FLOAT = Hint(
    "std_not_float",
    concept="sigma is passed on to init_params as a plain Python number, not as a tensor.",
    where="Look at what you return: a tensor.",
    code="`return float(...)`, or use the math module instead of torch.")
VARIANCE_NOT_STD = Hint(
    "variance_not_std",
    concept="sigma is a standard deviation, and a variance is a standard deviation squared: variance 1000 is not sigma "
            "= 1000 (that is variance 10**6, the forum's 'training error starts with a huge quantity').",
    where="Look at how you turn the variance into a standard deviation.",
    code="`math.sqrt(variance)`")
POWER_PRECEDENCE = Hint(
    "power_precedence",
    concept="In Python, ** binds tighter than /, so variance ** 1/2 is (variance ** 1) / 2.",
    where="Look at the exponent in your expression.",
    code="`variance ** 0.5`, or `math.sqrt(variance)`")
WRONG_STD = Hint(
    "wrong_std",
    concept="The standard deviation is the square root of the variance.",
    where="Look at the formula you return.",
    code="`math.sqrt(variance)`")

SYMMETRY_MYTH = Hint(
    "symmetry_myth",
    concept="Zero initialisation fails when several hidden units see the same inputs and feed the same outputs: that "
            "is the symmetry argument. Linear regression has no hidden units, and each weight's gradient at zero is "
            "different per feature and non-zero (first_step_grads shows it).",
    where="Run D2L's loop from init_params(2, 'zeros') and look at where w and b end; two_layer_zero_init_grads shows "
          "where zero initialisation really breaks.",
    code="Answer with the experiment's outcome: from zeros the loop ends at w = [1.99966, -3.39960], b = 4.19908, like "
         "the normal init.")

TWO_LAYER_DICT = Hint(
    "two_layer_dict",
    concept="The answer is a dict with exactly the keys 'W1', 'b1', 'W2', 'b2', each mapped to that parameter's "
            "gradient.",
    where="Look at the keys of the dict you return and at what each one holds.",
    code="`{'W1': W1.grad, 'b1': b1.grad, 'W2': W2.grad, 'b2': b2.grad}` after `loss.backward()` on the mean loss")
TWO_LAYER_SHAPE = Hint(
    "two_layer_shape",
    concept="Each gradient has its parameter's shape: W1 (d, hidden), b1 (hidden,), W2 (hidden, 1), b2 (1,).",
    where="Look at the shapes you create the four parameters with.",
    code="`torch.zeros((d, hidden), requires_grad=True)` for W1, and so on; `(X @ W1 + b1) @ W2 + b2` is then (n, 1).")
NOT_ALL_ZERO = Hint(
    "not_all_zero",
    concept="With every parameter exactly 0 the hidden layer outputs 0, so W2's gradient is 0, and the gradients of W1 "
            "and b1 pass back through W2 = 0 and are 0 too. Yours are not, so some parameter did not start at zero.",
    where="Look at how each of the four parameters is created.",
    code="`torch.zeros(..., requires_grad=True)` for W1, b1, W2 and b2 alike")
OUTPUT_BIAS_LEARNS = Hint(
    "output_bias_learns",
    concept="Not every gradient is zero: the output is 0, so the residual is -y, and b2, which is added straight to "
            "the output, gets the mean residual, -mean(y). That is why, trained from zeros, only b2 moves (to the mean "
            "label).",
    where="Compute the four gradients with autograd instead of writing them down.",
    code="`loss = ((out - y.reshape(out.shape)) ** 2 / 2).mean()`, `loss.backward()`, then read each .grad")
SUM_NOT_MEAN = Hint(
    "sum_not_mean",
    concept="This function uses the MEAN half squared loss (the new edition's convention); your b2 gradient is n times "
            "too big: it is the summed loss's.",
    where="Look at how the per-example losses are reduced.",
    code="`((out - y) ** 2 / 2).mean()`")
MSE_NO_HALF = Hint(
    "mse_no_half",
    concept="nn.MSELoss / F.mse_loss has no half, so its gradients are twice those of the half squared loss.",
    where="Look at the loss you differentiate.",
    code="`((out - y) ** 2 / 2).mean()`, or `F.mse_loss(out, y) / 2`")
TWO_LAYER_SIGN = Hint(
    "two_layer_sign",
    concept="The residual is out - y = -y, so b2's gradient is -mean(y): negative for positive labels (gradient descent "
            "then raises b2 towards them).",
    where="Look at which way round the residual is taken.",
    code="`out - y`, prediction minus label")
TWO_LAYER_WRONG = Hint(
    "two_layer_wrong",
    concept="With every parameter zero, out = 0 and the residual is -y: the mean half squared loss has gradient 0 for "
            "W1, b1 and W2, and -mean(y) for b2.",
    where="Build the four zero parameters with gradients switched on, compute the mean loss, and call backward.",
    code="`loss = ((out - y.reshape(out.shape)) ** 2 / 2).mean()` then `loss.backward()`")

TRAINING_FAILED = Hint(
    "training_failed",
    concept="Started from your init_params(2, 'zeros'), D2L's loop should reach w = [2, -3.4], b = 4.2, as from the "
            "normal init.",
    where="Check that w and b are tensors the loop can update: leaves, float32, with gradients switched on.",
    code="`torch.zeros((num_inputs, 1), requires_grad=True)` and `torch.zeros(1, requires_grad=True)`")


ERROR_HINTS: list[ErrorHint] = []


def _fresh_problem(seed: int, purpose: str) -> tuple[list[list[float]], list[list[float]]]:
    """A random regression problem: X (n, d) standard normal, labels centred near 1 (so their mean is not 0)."""
    draws = generator(seed, purpose)
    n, d = int(torch.randint(4, 13, (1,), generator=draws)), int(torch.randint(2, 6, (1,), generator=draws))
    X = torch.randn(n, d, generator=draws)
    y = 1.0 + 3.0 * torch.randn(n, 1, generator=draws)
    return X.tolist(), y.tolist()


def _unexpected_raise(raised: Raised) -> None:
    """A NotImplementedError goes to the harness, so a stub gets its 'not implemented yet' message."""
    if raised.type == "NotImplementedError":
        raise StudentRaised(raised)


def _init_called(num_inputs: int, mode: str | None = None, sigma: float | None = None,
                 generator_seed: int | None = None) -> str:
    seeded = seeded_generator(generator_seed) if generator_seed is not None else None
    return call_text("init_params", num_inputs, mode=mode, sigma=sigma, generator=seeded)


def _expect_parameters(got: object, num_inputs: int, called: str) -> tuple[TensorData, TensorData]:
    """(w, b) with shapes, dtype and leaf-ness asserted, each failure with its own hint."""
    pair = expect_items(got, 2, called=called, hint=PAIR, expected=_("a pair (w, b)"))
    w = expect_tensor(pair[0], called=called, hint=PAIR, expected=_named("w", tensor_of_shape((num_inputs, 1))))
    b = expect_tensor(pair[1], called=called, hint=PAIR, expected=_named("b", tensor_of_shape((1,))))
    expect_shape(w, (num_inputs, 1), called=f"{called}, w", hint=W_SHAPE)
    expect_shape(b, (1,), called=f"{called}, b", hint=B_SHAPE)
    for name, value in (("w", w), ("b", b)):
        if value.dtype != "float32":
            fail(called=called, got=_("{name} is {kind}").format(name=name, kind=value.describe()),
                 expected=_("{name} in float32").format(name=name), hint=DTYPE)
        if not value.requires_grad:
            fail(called=called, got=_("{name} with requires_grad=False").format(name=name),
                 expected=_("{name} a leaf tensor with requires_grad=True").format(name=name), hint=NO_REQUIRES_GRAD)
        if not value.is_leaf:
            fail(called=called, got=_("{name} is not a leaf tensor (it has grad_fn={grad_fn})").format(
                     name=name, grad_fn=value.grad_fn),
                 expected=_("{name} a leaf tensor with requires_grad=True").format(name=name), hint=NON_LEAF)
    return w, b


def _named(name: str, what: str) -> str:
    """`w: a tensor of shape (3, 1)`."""
    return _("{name}: {what}").format(name=name, what=what)


def _expect_b_zero(b: TensorData, called: str) -> None:
    if b.values.count_nonzero().item() != 0:
        fail(called=called, got=f"b = {show(b.values)}", expected="b = [0.]", hint=B_NOT_ZERO)


@check("init_params returns float32 leaf tensors w of shape (d, 1) and b of shape (1,) that require grad, in both "
       "modes", points=1, public=True)
def test_parameter_properties(student: Student, seed: int) -> None:
    num_inputs = fresh_int(seed, "num_inputs", 2, 10)
    for mode in ("zeros", "normal"):
        called = _init_called(num_inputs, mode, generator_seed=seed)
        _expect_parameters(student.probe(probes.params, num_inputs=num_inputs, mode=mode, generator_seed=seed),
                           num_inputs, called)


@check("init_params(mode='zeros') gives exactly zero w and b, ready for training, and an unknown mode raises "
       "ValueError", points=1)
def test_zeros_mode_and_unknown_modes(student: Student, seed: int) -> None:
    num_inputs = fresh_int(seed, "num_inputs in mode zeros", 2, 10)
    called = _init_called(num_inputs, "zeros")
    w, b = _expect_parameters(student.probe(probes.params, num_inputs=num_inputs, mode="zeros"), num_inputs, called)
    if w.values.count_nonzero().item() != 0:
        fail(called=called, got=f"w = {show(w.values)}", expected=_("every weight exactly 0"), hint=ZEROS_NOT_ZERO)
    _expect_b_zero(b, called)
    for mode in ("zero", "uniform"):
        called = _init_called(num_inputs, mode)
        got = student.probe(probes.params_attempt, num_inputs=num_inputs, mode=mode)
        if not isinstance(got, Raised):
            fail(called=called, got=_("{value}, and no error").format(value=kind_of(got)),
                 expected=_("ValueError: {mode} is neither 'zeros' nor 'normal'").format(mode=repr(mode)),
                 hint=UNKNOWN_MODE)
        _unexpected_raise(got)
        if got.type != "ValueError":
            fail(called=called, got=raised_text(got), expected="ValueError", hint=MODE_ERROR_TYPE)


def _spread_hint(std: float, sigma: float) -> Hint:
    """Name the mistake behind a sample standard deviation that is not sigma."""
    def near(target: float) -> bool:
        return abs(std - target) < 0.1 * target

    if near(sigma**2) or near(math.sqrt(sigma)):
        return SIGMA_IS_STD
    if near(1.0) or near(0.01):
        return IGNORED_SIGMA
    return WRONG_SPREAD


def _same(first: TensorData, second: TensorData) -> bool:
    return torch.equal(first.values, second.values)


@check("init_params(mode='normal') draws w from N(0, sigma**2), sigma a standard deviation, reproducibly from its "
       "generator", points=1)
def test_normal_mode(student: Student, seed: int) -> None:
    fresh_sigma = round(2.0 + 4.0 * torch.rand(1, generator=generator(seed, "sigma")).item(), 3)
    # The defaults first (mode "normal", sigma 0.01), then a fresh sigma far from 1, where
    # sigma, sigma**2 and sqrt(sigma) are all different.
    for k, (mode, sigma) in enumerate(((None, None), ("normal", fresh_sigma))):
        called = _init_called(DRAWS, mode, sigma, generator_seed=seed + k)
        got = student.probe(probes.params, num_inputs=DRAWS, mode=mode, sigma=sigma, generator_seed=seed + k)
        w, b = _expect_parameters(got, DRAWS, called)
        _expect_b_zero(b, called)
        target = 0.01 if sigma is None else sigma
        mean, std = w.values.mean().item(), w.values.std().item()
        # The standard error of the mean is std / sqrt(DRAWS) = 0.007 std; 0.05 std is 7 of them.
        if abs(mean) > 0.05 * std:
            fail(called=called, got=_("w with mean {mean} and standard deviation {std}").format(
                     mean=f"{mean:.4g}", std=f"{std:.4g}"),
                 expected=_("N(0, {sigma}**2): mean near 0").format(sigma=f"{target:g}"), hint=NOT_NORMAL)
        if not 0.95 * target < std < 1.05 * target:
            fail(called=called, got=_("w with standard deviation {std}").format(std=f"{std:.4g}"),
                 expected=_("standard deviation close to sigma = {sigma}").format(sigma=f"{target:g}"),
                 hint=_spread_hint(std, target))
        # A normal sample has 68.3 % within one standard deviation of its mean (standard error 0.33 %).
        within_one_std = ((w.values - mean).abs() < std).double().mean().item()
        if not 0.66 < within_one_std < 0.705:
            fail(called=called, got=_("w with {percent} % of its values within one standard deviation of the "
                                      "mean").format(percent=f"{100 * within_one_std:.1f}"),
                 expected=_("a normal distribution: about 68.3 %"), hint=NOT_NORMAL)
    for key, hint in (("generator_seed", IGNORED_GENERATOR), ("global_seed", GLOBAL_GENERATOR)):
        first, again, other = (_seeded_weights(student, key, s) for s in (seed, seed, seed + 1))
        if not _same(first, again):
            fail(called=_(TWICE_SEEDED).format(call=SEEDED_CALL, seeding=_seeding(key, seed)),
                 got=_("different weights the second time"), expected=_("the same w"), hint=hint)
        if _same(first, other):
            fail(called=_(RESEEDED).format(call=SEEDED_CALL, seeding=_seeding(key, seed),
                                           other=_seeding(key, seed + 1)),
                 got=_("the same w both times"), expected=_("other weights for another seed"), hint=hint)


SEEDED_CALL = "init_params(50, mode='normal')"
TWICE_SEEDED = N_("{call} twice, with {seeding} each time")
RESEEDED = N_("{call} with {seeding}, then {other}")
SEEDED_WITH = N_("{call} with {seeding}")


def _seeding(key: str, s: int) -> str:
    if key == "generator_seed":
        return f"generator=torch.Generator().manual_seed({s})"
    return f"torch.manual_seed({s}), generator=None"


def _seeded_weights(student: Student, key: str, s: int) -> TensorData:
    """w from init_params(50, mode='normal') with a generator seeded s, or torch's global generator seeded s."""
    got = student.probe(probes.params, num_inputs=50, mode="normal", **{key: s})
    return _expect_parameters(got, 50, _(SEEDED_WITH).format(call=SEEDED_CALL, seeding=_seeding(key, s)))[0]


def _expect_grad_pair(got: object, d: int, called: str) -> tuple[TensorData, TensorData]:
    pair = expect_items(got, 2, called=called, hint=GRADS_PAIR, expected=_("a pair (dL/dw, dL/db)"))
    grads = []
    for name, value in zip(("dL/dw", "dL/db"), pair):
        if value is None:
            fail(called=called, got=_("{name} is None").format(name=name), expected=_named(name, _("a tensor")),
                 hint=GRAD_NONE)
        grads.append(expect_tensor(value, called=called, hint=GRADS_PAIR, expected=_named(name, _("a tensor"))))
    grad_w, grad_b = grads
    expect_shape(grad_w, (d, 1), called=f"{called}, dL/dw", hint=W_GRAD_SHAPE)
    expect_shape(grad_b, (1,), called=f"{called}, dL/db", hint=B_GRAD_SHAPE)
    return grad_w, grad_b


def _grad_diagnoses(expected: torch.Tensor, n: int) -> list[tuple[torch.Tensor, Hint]]:
    """The values the catalogued mistakes give, from the right gradient at w = 0."""
    return [(torch.zeros_like(expected), ZERO_GRADIENT), (expected / n, MEAN_LOSS), (2 * expected, NO_HALF),
            (2 * expected / n, MSE_LOSS), (-expected, GRADIENT_SIGN)]


SECOND_TIME = N_("{call} a second time")
FIRST_STEP_INPUTS = {False: N_("first_step_grads(X, y) with X = {X} ({n}, {d}) and y = {y} ({n}, 1), plain tensors"),
                     True: N_("first_step_grads(X, y) with X = {X} ({n}, {d}) and y = {y} ({n}, 1), leaves with "
                              "requires_grad=True")}
FIRST_STEP_TWICE = {False: N_("first_step_grads(X, y) twice, with X = {X} ({n}, {d}) and y = {y} ({n}, 1), plain "
                              "tensors"),
                    True: N_("first_step_grads(X, y) twice, with X = {X} ({n}, {d}) and y = {y} ({n}, 1), leaves "
                             "with requires_grad=True")}


@check("first_step_grads gives -X^T y and -sum(y), the gradients at w = 0, shaped like w and b", points=2,
       public=True)
def test_first_step_grads(student: Student, seed: int) -> None:
    for leaves, (X, y) in ((False, (FIXTURE_X, FIXTURE_Y)), (True, _fresh_problem(seed, "first-step problem"))):
        n, d = len(X), len(X[0])
        shown = {"X": show(X), "y": show(y), "n": n, "d": d}
        called = _(FIRST_STEP_INPUTS[leaves]).format(**shown)
        got = student.probe(probes.first_grads, X=X, y=y, leaves=leaves)
        grad_w, grad_b = _expect_grad_pair(got.first, d, called)
        again_w, again_b = _expect_grad_pair(got.second, d, _(SECOND_TIME).format(call=called))
        X64 = torch.tensor(X, dtype=torch.float32).to(torch.float64)
        y64 = torch.tensor(y, dtype=torch.float32).to(torch.float64)
        expected_w, expected_b = -X64.T @ y64, -y64.sum(0)
        if not (_same(grad_w, again_w) and _same(grad_b, again_b)):
            doubled = close(again_w.values, 2 * grad_w.values) and close(again_b.values, 2 * grad_b.values)
            fail(called=_(FIRST_STEP_TWICE[leaves]).format(**shown),
                 got=_("the first time {w} and {b}, the second time {w_again} and {b_again}").format(
                     w=show(grad_w.values), b=show(grad_b.values), w_again=show(again_w.values),
                     b_again=show(again_b.values)),
                 expected=_("{w} and {b} both times").format(w=show_values(expected_w), b=show_values(expected_b)),
                 hint=GRAD_ACCUMULATES if doubled else NOT_AT_ZERO)
        for name, grad, expected in (("dL/dw", grad_w, expected_w), ("dL/db", grad_b, expected_b)):
            expect_close(grad, expected, called=f"{called}, {name}", hint=WRONG_GRADIENT,
                         diagnoses=_grad_diagnoses(expected, n), rtol=1e-5, atol=1e-5)


# 300 examples at lr 0.1 (30 steps per epoch) end as close to the true parameters as the book's 1000
# at lr 0.03, for a third of the steps.
BOOK_LOOP = {"num_examples": 300, "lr": 0.1, "batch_size": 10, "num_epochs": 3}
TRAINED_FROM_ZEROS = N_("D2L's loop ({num_examples} examples of the book's data, lr {lr:g}, batch size {batch_size}, "
                        "{num_epochs} epochs, seed {seed}) from w, b = init_params(2, mode='zeros')")


def _book_loop(w: TensorData, b: TensorData, seed: int) -> tuple[torch.Tensor, torch.Tensor, list[float]]:
    """D2L's loop on the book's data from the parameters init_params returned (whose properties the
    check asserted first), trained here: the loop is what learning_rate's learners write, so it never
    ships with a release. Returns w, b and the mean loss after each epoch."""
    features, labels = d2l.synthetic_data(torch.tensor(d2l.TRUE_W), d2l.TRUE_B, BOOK_LOOP["num_examples"],
                                          generator=generator(seed, "data"))
    lr, batch_size = BOOK_LOOP["lr"], BOOK_LOOP["batch_size"]
    w_leaf = w.values.to(torch.float32).reshape(2, 1).clone().requires_grad_()
    b_leaf = b.values.to(torch.float32).reshape(1).clone().requires_grad_()
    shuffle, history = rng(seed, "shuffling"), []
    for _epoch in range(BOOK_LOOP["num_epochs"]):
        order = list(range(len(features)))
        shuffle.shuffle(order)
        for start in range(0, len(order), batch_size):
            batch = torch.tensor(order[start:start + batch_size])
            d2l.squared_loss(d2l.linreg(features[batch], w_leaf, b_leaf), labels[batch]).sum().backward()
            d2l.sgd([w_leaf, b_leaf], lr, batch_size)
        with torch.no_grad():
            history.append(float(d2l.squared_loss(d2l.linreg(features, w_leaf, b_leaf), labels).mean()))
    return w_leaf.detach(), b_leaf.detach(), history


@check("D2L's loop trains w and b from init_params(2, 'zeros') to the true parameters", points=1)
def test_training_from_zeros(student: Student, seed: int) -> None:
    called = _init_called(2, "zeros")
    start_w, start_b = _expect_parameters(student.probe(probes.params, num_inputs=2, mode="zeros"), 2, called)
    called = _(TRAINED_FROM_ZEROS).format(seed=seed, **BOOK_LOOP)
    w, b, history = _book_loop(start_w, start_b, seed)
    w_error = (w.reshape(-1).double() - torch.tensor(d2l.TRUE_W, dtype=torch.float64)).abs().max().item()
    b_error = abs(b.reshape(-1)[0].item() - d2l.TRUE_B)
    # Verified over 30 seeds: errors at most 2.6e-3 (w) and 2.4e-3 (b), final loss below 6e-5; the bounds
    # are 4x and more away.
    if not (w_error < 1e-2 and b_error < 1e-2 and math.isfinite(history[-1]) and history[-1] < 1e-3):
        fail(called=called, got=_("w = {w}, b = {b}, loss after each epoch {history}").format(
                 w=show(w), b=show(b), history=show(history)),
             expected=_("w within 0.01 of [2, -3.4], b within 0.01 of 4.2, final loss below 1e-3"), hint=TRAINING_FAILED)


@check("std_for_variance(variance) is the standard deviation to pass as sigma, as a Python float", points=1,
       public=True)
def test_std_for_variance(student: Student, seed: int) -> None:
    fresh = round(10 ** (-2 + 6 * torch.rand(1, generator=generator(seed, "variance")).item()), 4)
    for variance in (1000.0, 0.25, fresh):
        called = call_text("std_for_variance", variance)
        got = student.probe(probes.std, variance=variance)
        value = expect_number(got, called=called, hint=STD_NOT_FLOAT if isinstance(got, TensorData) else WRONG_STD,
                              expected=_("a Python float, {value}").format(value=f"{math.sqrt(variance):.6g}"))
        if not number_close(value, math.sqrt(variance), rtol=1e-6, atol=0.0):
            hint = (VARIANCE_NOT_STD if number_close(value, variance, rtol=1e-6)
                    else POWER_PRECEDENCE if number_close(value, variance / 2, rtol=1e-6) else WRONG_STD)
            fail(called=called, got=f"{value:.6g}",
                 expected=_("sqrt({variance}) = {std}, the standard deviation of variance {variance}").format(
                     variance=f"{variance:g}", std=f"{math.sqrt(variance):.6g}"), hint=hint)


@check("zero_init_works() says that linear regression still trains from w = 0", points=1, public=True)
def test_zero_init_works(student: Student, seed: int) -> None:
    if not student.probe(probes.works):
        fail(called="zero_init_works()", got="False", expected=_("the answer to D2L's question, found by experiment"),
             hint=SYMMETRY_MYTH)


def _two_layer_called(X: list[list[float]], y: list[list[float]], hidden: int | None) -> str:
    return call_text("two_layer_zero_init_grads", shaped("X", X), shaped("y", y), hidden=hidden)


def _expect_two_layer(got: object, d: int, hidden: int, called: str) -> dict[str, TensorData]:
    """The four gradients, keys and shapes asserted."""
    if not isinstance(got, dict) or sorted(got) != sorted(TWO_LAYER_KEYS):
        shown = (_("a dict with keys {keys}").format(keys=sorted(got)) if isinstance(got, dict) else kind_of(got))
        fail(called=called, got=shown, expected=_("a dict with keys {keys}").format(keys="'W1', 'b1', 'W2', 'b2'"),
             hint=TWO_LAYER_DICT)
    shapes = {"W1": (d, hidden), "b1": (hidden,), "W2": (hidden, 1), "b2": (1,)}
    grads = {}
    for key in TWO_LAYER_KEYS:
        if got[key] is None:
            fail(called=called, got=_("the gradient of {key} is None").format(key=key),
                 expected=tensor_of_shape(shapes[key]), hint=GRAD_NONE)
        grads[key] = expect_tensor(got[key], called=called, hint=TWO_LAYER_DICT,
                                   expected=_named(key, tensor_of_shape(shapes[key])))
        expect_shape(grads[key], shapes[key], called=f"{called}, {key}", hint=TWO_LAYER_SHAPE)
    return grads


@check("two_layer_zero_init_grads returns a gradient for W1, b1, W2 and b2, each shaped like its parameter",
       points=1, public=True)
def test_two_layer_shapes(student: Student, seed: int) -> None:
    X, y = _fresh_problem(seed, "two-layer problem")
    hidden = fresh_int(seed, "hidden size", 2, 7)
    for chosen in (None, hidden):
        called = _two_layer_called(X, y, chosen)
        got = student.probe(probes.two_layer, X=X, y=y, hidden=chosen, leaves=False)
        _expect_two_layer(got, len(X[0]), 3 if chosen is None else chosen, called)


WITH_LABELS = N_("{call} with y = {labels}")


@check("with every parameter zero, a two-layer net's W1, b1 and W2 get exactly zero gradient and only b2 learns",
       points=1)
def test_two_layer_values(student: Student, seed: int) -> None:
    fresh_X, fresh_y = _fresh_problem(seed, "two-layer values problem")
    for X, y, hidden, leaves in ((FIXTURE_X, FIXTURE_Y, None, False),
                                 (fresh_X, fresh_y, fresh_int(seed, "hidden size for the values", 2, 7), True)):
        called = _(WITH_LABELS).format(call=_two_layer_called(X, y, hidden), labels=show(y))
        got = student.probe(probes.two_layer, X=X, y=y, hidden=hidden, leaves=leaves)
        grads = _expect_two_layer(got, len(X[0]), 3 if hidden is None else hidden, called)
        for key in ("W1", "b1", "W2"):
            if grads[key].values.count_nonzero().item() != 0:
                fail(called=called, got=_("the gradient of {key} is {value}").format(key=key,
                                                                                     value=show(grads[key].values)),
                     expected=_("exactly 0 for {key}").format(key=key), hint=NOT_ALL_ZERO)
        y64 = torch.tensor(y, dtype=torch.float32).to(torch.float64)
        expected = -y64.mean().reshape(1)
        expect_close(grads["b2"], expected, called=f"{called}, b2", hint=TWO_LAYER_WRONG, rtol=1e-5, atol=1e-6,
                     diagnoses=[(torch.zeros(1), OUTPUT_BIAS_LEARNS), (expected * len(y), SUM_NOT_MEAN),
                                (2 * expected, MSE_NO_HALF), (-expected, TWO_LAYER_SIGN)])
