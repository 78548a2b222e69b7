"""Checks for the bias_update exercise: minibatch gradients are sums, hence sgd's / batch_size.

End-to-end training hides most of these mistakes (without / batch_size the book's run still
converges), so every value check looks at one gradient or one or two update steps, on D2L's worked
example and on a fresh random batch from the run's seed, half of them with nn.Parameters.
"""

from __future__ import annotations

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
    expect_close,
    expect_items,
    expect_shape,
    expect_tensor,
    fail,
    generator,
    show,
    show_values,
    tensor_of_shape,
)
from course_checks.i18n import N_, _
from course_checks.probes import bias_update as probes

Batch = dict[str, list[Any]]

# D2L's worked example (notes §5): residuals [5, 7, 9], w.grad [[46], [67]], b.grad [21].
EXAMPLE: Batch = {"X": [[1.0, 2.0], [2.0, 3.0], [3.0, 4.0]], "y": [[0.0], [1.0], [2.0]], "w": [[1.0], [2.0]],
                  "b": [0.0]}
EXAMPLE_LR = 0.1

LIKE_PARAM = Hint(
    "grad_shape_like_param",
    concept="A gradient always has the shape of its parameter: w is (d, 1) and b is (1,), however many examples the "
            "batch has.",
    where="Return what the summed loss's backward leaves in w.grad and b.grad; in a closed form, look at how the "
          "residuals are summed (over the examples only, keeping one dimension).",
    code="`torch.autograd.grad(l.sum(), [w, b])`, or in closed form `X.T @ r` and `r.sum(0)` (not `r.sum()`, "
         "`.item()` or `.squeeze()`).")
PER_EXAMPLE_B = Hint(
    "per_example_b",
    concept="b is one number shared by every example, so its gradient is one number too: each example contributes its "
            "residual, and backward adds them up (5 + 7 + 9 = 21 on the worked example).",
    where="The per-example values belong in per_example_b_grads; minibatch_grads returns b's gradient, shape (1,).",
    code="Return the gradient of the summed loss with respect to b, e.g. from `torch.autograd.grad(l.sum(), [w, b])`.")
MEAN_NOT_SUM = Hint(
    "mean_not_sum",
    concept="These are the gradients of the MEAN loss (the new edition's), n times too small: the book sums the "
            "per-example losses, and that sum is exactly why its sgd divides by batch_size.",
    where="Look at how the per-example losses are reduced before differentiating.",
    code="Differentiate the sum: `l.sum()`, not `l.mean()`.")
MISSING_HALF = Hint(
    "missing_half",
    concept="Twice the expected values: D2L's loss is half the squared error, and the half cancels the 2 of the "
            "derivative, so each example's slope is just its residual. (nn.MSELoss has no half.)",
    where="Look at the loss you differentiate.",
    code="`l = (X @ w + b - y) ** 2 / 2`")
MSE_LOSS = Hint(
    "mse_loss",
    concept="These are the gradients of nn.MSELoss / F.mse_loss: a mean with no half, 2 / n times the book's.",
    where="Look at the loss you differentiate: D2L's squared loss, summed over the batch.",
    code="`l = (X @ w + b - y) ** 2 / 2`, then differentiate `l.sum()`.")
SIGN = Hint(
    "sign",
    concept="The sign is flipped: with the residual r = y_hat - y (prediction minus label), each example's slope is "
            "+r, so the gradients point uphill and sgd subtracts them.",
    where="Look at which way round the residual is computed.",
    code="`r = X @ w + b - y`; the gradients are `X.T @ r` and `r.sum(0)`.")
WRONG_GRADS = Hint(
    "wrong_grads",
    concept="The gradients asked for are those of the batch's SUMMED half squared loss, with respect to w and to b; on "
            "the worked example they are [[46], [67]] and [21].",
    where="Build the batch's loss, one value per example, and differentiate its sum with respect to both parameters.",
    code="`l = (X @ w + b - y) ** 2 / 2` and `torch.autograd.grad(l.sum(), [w, b])`")
FLATTEN = Hint(
    "per_example_shape",
    concept="One number per example is a 1-D tensor of shape (n,), not a column.",
    where="Look at the shape of what you return: the residuals come as an (n, 1) column.",
    code="Flatten the column with `.reshape(-1)`.")
SUM_NOT_EACH = Hint(
    "sum_not_each",
    concept="That is the gradient of the whole batch, the sum; this function asks for each example's own contribution, "
            "one per example.",
    where="Differentiate each example's loss with respect to b, not the batch's total.",
    code="Give each example its own copy of b (`b.detach().expand(n).clone().requires_grad_()`) and differentiate the "
         "sum with respect to those copies; or return the residuals `(X @ w + b - y).reshape(-1)`.")
CHAIN_RULE = Hint(
    "chain_rule",
    concept="All ones is the derivative of the MODEL's output with respect to b; the loss needs the chain rule: the "
            "loss's slope times the model's, the residual times 1. That is why b moves: its gradient is zero only when "
            "the residuals cancel.",
    where="Multiply by the derivative of the half squared loss, y_hat - y.",
    code="Each example's d l_i / d b is its residual: `(X @ w + b - y).reshape(-1)`.")
WRONG_EACH = Hint(
    "wrong_per_example",
    concept="For one example's loss, half its squared residual, the derivative with respect to b is the residual "
            "itself; on the worked example [5, 7, 9], which add up to b's gradient 21.",
    where="Compute each example's residual, prediction minus label.",
    code="`(X @ w + b - y).reshape(-1)`")
PARTS_ADD_UP = Hint(
    "parts_add_up",
    concept="b is shared by every example, so backward adds the examples' contributions: b's gradient must equal the "
            "sum of the per-example gradients ([5, 7, 9] and 21 on the worked example).",
    where="Check both functions by hand on three examples: one of them does not match its definition.",
    code="b's gradient is `r.sum(0)` and the per-example gradients are `r.reshape(-1)`, for `r = X @ w + b - y`.")
CHANGED_INPUTS = Hint(
    "changed_inputs",
    concept="Computing gradients must leave X, y, w and b as they were; the update is sgd's job.",
    where="Look for in-place operations on the inputs (-=, sub_, zero_).",
    code="Compute with out-of-place operations only, e.g. `torch.autograd.grad(l.sum(), [w, b])`.")
NOT_IN_PLACE = Hint(
    "not_in_place",
    concept="The caller's w and b did not move: rebinding a name or replacing a list entry leaves the training loop's "
            "own tensors untouched; the tensors themselves must change.",
    where="Look at the update line: it must change each parameter in place, inside no_grad, before .grad is cleared.",
    code="`p -= lr * p.grad / batch_size` (or `p.sub_(...)`) inside `with torch.no_grad():`")
STAYS_LEAF = Hint(
    "stays_leaf",
    concept="After the update w and b must still be leaves that require grad, or the next backward cannot fill their "
            ".grad.",
    where="Look for an update that builds new tensors (p - ..., .detach()) instead of changing the old ones.",
    code="Update in place inside `with torch.no_grad():`: `p -= lr * p.grad / batch_size`.")
GRADS_ACCUMULATE = Hint(
    "grads_accumulate",
    concept="backward ADDS into .grad: without clearing it, the next step uses the sum of all gradients so far (on the "
            "worked example a second backward gives [[92], [134]] and [42]).",
    where="Look at what happens to each .grad after the update.",
    code="After the update, `p.grad.zero_()` (or `p.grad = None`).")
NO_BATCH_DIVISION = Hint(
    "no_batch_division",
    concept=".grad holds the gradient of the loss SUMMED over the batch, so it grows with the batch size; D2L's step "
            "uses the average per example. (In the book's run, lr 0.03 and batch 10, forgetting this still converges, "
            "like lr 0.3: that is why it is checked on one step.)",
    where="Look at the size of the step in your update: what turns a summed gradient into a per-example one?",
    code="`p -= lr * p.grad / batch_size`")
MULTIPLIED = Hint(
    "multiplied_by_batch",
    concept="The summed gradient must shrink to the average per example, not grow: the batch size belongs below the "
            "gradient, not beside it.",
    where="Look at the batch_size in your update.",
    code="`p -= lr * p.grad / batch_size`")
ASCENT = Hint(
    "ascent",
    concept="The parameters moved uphill: the gradient points to where the loss grows, so a descent step goes against "
            "it.",
    where="Look at the sign of the update.",
    code="Subtract: `p -= lr * p.grad / batch_size`.")
WRONG_STEP = Hint(
    "wrong_step",
    concept="One SGD step moves every parameter, w and b alike, by the learning rate times its gradient averaged over "
            "the batch, then clears the gradient.",
    where="Compare your update with p <- p - lr * p.grad / batch_size, for both parameters.",
    code="`with torch.no_grad():` then for each p: `p -= lr * p.grad / batch_size` and `p.grad.zero_()`")
FIRST_STEP_OFF = Hint(
    "first_step_off",
    concept="The first step is already off, so the second cannot match: fix a single step first.",
    where="See the check of one sgd step, and its message.",
    code="`p -= lr * p.grad / batch_size`, then `p.grad.zero_()`")
NO_GRAD_FILLED = Hint(
    "no_grad_filled",
    concept="backward_vector_loss returns nothing: its whole work is the .grad it leaves on the parameters l was built "
            "from.",
    where="Call backward on l itself, telling it how to weight each element of l.",
    code="`l.backward(gradient=torch.ones_like(l))`")
VJP = Hint(
    "vector_jacobian_product",
    concept="backward of a non-scalar l takes a vector v of l's shape and computes the gradient of the sum of v_i l_i "
            "(a vector-Jacobian product): with every v_i equal to 1, that is the gradient of the sum.",
    where="Look at the argument you pass to l.backward: its shape, and its values.",
    code="`l.backward(gradient=torch.ones_like(l))`")
VJP_NOT_SUM = Hint(
    "vjp_not_sum",
    concept="backward of a vector needs to know how to weight each element, and here you may not sum first: this "
            "function is about doing without sum().",
    where="Look at l.backward(): give it the weights, a vector of l's shape.",
    code="`l.backward(gradient=torch.ones_like(l))`: the vector-Jacobian product with ones is the gradient of the sum.")

ERROR_HINTS: list[ErrorHint] = [
    ErrorHint(probes.SUM_DISABLED, Hint(
        "sum_switched_off",
        concept="This function must get the gradient of the sum WITHOUT summing: backward of a non-scalar takes a "
                "vector v and computes the gradient of the sum of v_i l_i.",
        where="Remove the sum: give backward the weights of each element of l instead.",
        code="`l.backward(gradient=torch.ones_like(l))`")),
    ErrorHint("grad can be implicitly created only for scalar outputs", VJP_NOT_SUM, only=frozenset({"backward_vector_loss"})),
    ErrorHint("Mismatch in shape: grad_output[0] has a shape of", Hint(
        "vjp_shape",
        concept="The vector you give backward must have exactly l's shape, (n, 1), not (n,).",
        where="Look at how the vector passed to backward is made.",
        code="A `*_like` constructor gets the shape right: `torch.ones_like(l)`.")),
]


def random_batch(seed: int, purpose: str, n: int, d: int = 3) -> Batch:
    """Fresh float32 data and parameters from the run's seed, as plain lists."""
    draws = generator(seed, purpose)
    return {"X": torch.randn(n, d, generator=draws).tolist(), "y": torch.randn(n, 1, generator=draws).tolist(),
            "w": torch.randn(d, 1, generator=draws).tolist(), "b": torch.randn(1, generator=draws).tolist()}


def batches(seed: int, purpose: str) -> list[tuple[Batch, bool]]:
    """D2L's worked example with plain leaf tensors, and a fresh random batch with nn.Parameters."""
    return [(EXAMPLE, False), (random_batch(seed, purpose, n=8), True)]


def residuals(batch: Batch, w: torch.Tensor | None = None, b: torch.Tensor | None = None) -> torch.Tensor:
    """r = X w + b - y in float64, shape (n, 1), at the batch's parameters or at the given ones."""
    X, y = torch.tensor(batch["X"], dtype=torch.float64), torch.tensor(batch["y"], dtype=torch.float64)
    w = torch.tensor(batch["w"], dtype=torch.float64) if w is None else w
    b = torch.tensor(batch["b"], dtype=torch.float64) if b is None else b
    return X @ w + b - y


def summed_grads(batch: Batch, w: torch.Tensor | None = None,
                 b: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    """(X^T r, sum r): the gradients of the summed ½ squared loss, shapes (d, 1) and (1,)."""
    r = residuals(batch, w, b)
    return torch.tensor(batch["X"], dtype=torch.float64).T @ r, r.sum(0)


def initial(batch: Batch) -> tuple[torch.Tensor, torch.Tensor]:
    """The batch's w and b in float64."""
    return torch.tensor(batch["w"], dtype=torch.float64), torch.tensor(batch["b"], dtype=torch.float64)


def atol_for(expected: torch.Tensor) -> float:
    """float32 arithmetic in another order: absolute slack that grows with the values' size."""
    return 1e-6 + 1e-5 * float(expected.abs().max())


ON_BATCH = {
    (True, False): N_("{call} on D2L's worked example X = [[1, 2], [2, 3], [3, 4]], y = [[0], [1], [2]], w = [[1], "
                      "[2]], b = [0]; w and b are leaf tensors with requires_grad=True"),
    (True, True): N_("{call} on D2L's worked example X = [[1, 2], [2, 3], [3, 4]], y = [[0], [1], [2]], w = [[1], "
                     "[2]], b = [0]; w and b are nn.Parameters"),
    (False, False): N_("{call} on a random batch X ({n}, {d}), y ({n}, 1), w ({d}, 1), b (1,) (replay with "
                       "--check-seed); w and b are leaf tensors with requires_grad=True"),
    (False, True): N_("{call} on a random batch X ({n}, {d}), y ({n}, 1), w ({d}, 1), b (1,) (replay with "
                      "--check-seed); w and b are nn.Parameters"),
}
# Which part of a result a message is about, after what was called.
PART = {"grad w": N_("{call} (the gradient for w)"), "grad b": N_("{call} (the gradient for b)"),
        "w after": N_("{call} (w afterwards)"), "b after": N_("{call} (b afterwards)"),
        "w first": N_("{call} (w after the first step)"), "b first": N_("{call} (b after the first step)"),
        "w second": N_("{call} (w after the second step)"), "b second": N_("{call} (b after the second step)")}


def part(called: str, which: str) -> str:
    """What was called, and which part of its result is meant: `sgd(...) ... (w afterwards)`."""
    return _(PART[which]).format(call=called)
ON_PARAMETERS = (Code("X"), Code("y"), Code("w"), Code("b"))


def describe(call: str, batch: Batch, as_parameter: bool) -> str:
    """What was called, on which batch, in the learner's terms."""
    return _(ON_BATCH[batch is EXAMPLE, as_parameter]).format(call=call, n=len(batch["X"]), d=len(batch["w"]))


def grad_pair(student: Student, batch: Batch,
              as_parameter: bool) -> tuple[str, TensorData, TensorData, list[TensorData]]:
    """minibatch_grads' two gradients, each checked to be a tensor shaped like its parameter, and X, y, w, b after."""
    called = describe(call_text("minibatch_grads", *ON_PARAMETERS), batch, as_parameter)
    got = student.probe(probes.gradients, function="minibatch_grads", **batch, as_parameter=as_parameter)
    items = expect_items(got.result, 2, called=called, hint=WRONG_GRADS,
                         expected=_("a tuple (gradient for w, gradient for b)"))
    grad_w = expect_tensor(items[0], called=called, hint=WRONG_GRADS, expected=_("the gradient for w as a tensor"))
    grad_b = expect_tensor(items[1], called=called, hint=WRONG_GRADS, expected=_("the gradient for b as a tensor"))
    n, d = len(batch["X"]), len(batch["w"])
    expect_shape(grad_w, (d, 1), called=part(called, "grad w"), hint=LIKE_PARAM)
    expect_shape(grad_b, (1,), called=part(called, "grad b"), hint=LIKE_PARAM,
                 diagnoses=[((n,), PER_EXAMPLE_B), ((n, 1), PER_EXAMPLE_B)])
    return called, grad_w, grad_b, got.inputs_after


def expect_gradient(got: TensorData, expected: torch.Tensor, n: int, *, called: str, hint: Hint) -> None:
    """Values of a summed-loss gradient; the catalogued reductions and factors get their own hint."""
    expect_close(got, expected, called=called, hint=hint, atol=atol_for(expected), diagnoses=[
        (expected / n, MEAN_NOT_SUM), (expected * 2, MISSING_HALF), (expected * 2 / n, MSE_LOSS), (-expected, SIGN)])


def per_example(student: Student, batch: Batch, as_parameter: bool) -> tuple[str, TensorData]:
    """per_example_b_grads' result, checked to be a tensor of shape (n,)."""
    called = describe(call_text("per_example_b_grads", *ON_PARAMETERS), batch, as_parameter)
    got = student.probe(probes.gradients, function="per_example_b_grads", **batch, as_parameter=as_parameter)
    n = len(batch["X"])
    each = expect_tensor(got.result, called=called, hint=WRONG_EACH, expected=tensor_of_shape((n,)))
    expect_shape(each, (n,), called=called, hint=FLATTEN, diagnoses=[((1,), SUM_NOT_EACH), ((), SUM_NOT_EACH)])
    return called, each


@check("minibatch_grads returns gradients shaped like w and b, and per_example_b_grads one value per example "
       "that add up to b's gradient", points=1, public=True)
def test_shapes_and_parts(student: Student, seed: int) -> None:
    batch = random_batch(seed, "batch", n=6)
    called, _grad_w, grad_b, after = grad_pair(student, batch, as_parameter=False)
    for name, value in zip(("X", "y", "w", "b"), after):
        expect_close(value, torch.tensor(batch[name], dtype=torch.float64), called=called, hint=CHANGED_INPUTS,
                     rtol=0, atol=0)
    called_each, each = per_example(student, batch, as_parameter=False)
    total, n = each.values.sum(), len(batch["X"])
    if not torch.allclose(grad_b.values.sum(), total, rtol=1e-5, atol=atol_for(each.values)):
        # With correct per-example gradients, the ratio names the reduction behind b's gradient.
        hint = next((specific for factor, specific in ((1 / n, MEAN_NOT_SUM), (2 / n, MSE_LOSS), (-1, SIGN))
                     if torch.allclose(grad_b.values.sum(), factor * total, rtol=1e-4, atol=atol_for(each.values))),
                    PARTS_ADD_UP)
        fail(called=_("{call}, and minibatch_grads on the same batch").format(call=called_each),
             got=_("per_example_b_grads {each} (they add up to {total}); minibatch_grads' b gradient {grad_b}").format(
                 each=show_values(each.values), total=f"{float(total):.6g}", grad_b=show_values(grad_b.values)),
             expected=_("the per-example gradients to add up to b's gradient"), hint=hint)


@check("minibatch_grads gives the summed loss's gradients X^T r and sum(r), on D2L's example and a random batch",
       points=2)
def test_minibatch_grads(student: Student, seed: int) -> None:
    for batch, as_parameter in batches(seed, "batch of 8"):
        called, grad_w, grad_b, _after = grad_pair(student, batch, as_parameter)
        expected_w, expected_b = summed_grads(batch)
        n = len(batch["X"])
        expect_gradient(grad_w, expected_w, n, called=part(called, "grad w"), hint=WRONG_GRADS)
        expect_gradient(grad_b, expected_b, n, called=part(called, "grad b"), hint=WRONG_GRADS)


@check("per_example_b_grads gives each example's residual r_i = d l_i / d b, on D2L's example and a random batch",
       points=1)
def test_per_example_b_grads(student: Student, seed: int) -> None:
    for batch, as_parameter in batches(seed, "batch for per-example gradients"):
        called, each = per_example(student, batch, as_parameter)
        r = residuals(batch).reshape(-1)
        n = len(r)
        expect_close(each, r, called=called, hint=WRONG_EACH, atol=atol_for(r), diagnoses=[
            (torch.ones(n, dtype=torch.float64), CHAIN_RULE), (r.sum().expand(n), SUM_NOT_EACH),
            (-r, SIGN), (2 * r, MISSING_HALF), (r / n, MEAN_NOT_SUM)])


def sgd_batches(seed: int, purpose: str) -> list[tuple[Batch, float, bool]]:
    """(batch, lr, nn.Parameters?): the worked example at lr 0.1, and a random batch whose size is the batch_size."""
    draws = generator(seed, f"{purpose}: batch size and lr")
    batch_size = (2, 4, 5, 8)[int(torch.randint(4, (1,), generator=draws))]
    lr = round(0.01 + 0.2 * float(torch.rand(1, generator=draws)), 3)
    return [(EXAMPLE, EXAMPLE_LR, False), (random_batch(seed, f"{purpose}: batch", n=batch_size), lr, True)]


AFTER_BACKWARD = {1: N_("{described}, after l.sum().backward() on that batch"),
                  2: N_("{described}, 2 rounds of `l.sum().backward(); sgd([w, b], lr, batch_size)`")}


def run_sgd(student: Student, batch: Batch, lr: float, as_parameter: bool,
            steps: int) -> tuple[str, list[probes.SgdState]]:
    """The states after `steps` (1 or 2) rounds of (book's l.sum().backward(), student's sgd)."""
    n = len(batch["X"])
    described = describe(call_text("sgd", Code("[w, b]"), lr=lr, batch_size=n), batch, as_parameter)
    called = _(AFTER_BACKWARD[steps]).format(described=described)
    states = student.probe(probes.sgd_steps, **batch, lr=lr, batch_size=n, steps=steps, as_parameter=as_parameter)
    return called, states


def updated(state: probes.SgdState, batch: Batch, *, called: str) -> tuple[TensorData, TensorData]:
    """w and b after a step, checked to be tensors of their original shapes."""
    w = expect_tensor(state.w, called=called, hint=WRONG_STEP, expected=_("{name} to stay a tensor").format(name="w"))
    b = expect_tensor(state.b, called=called, hint=WRONG_STEP, expected=_("{name} to stay a tensor").format(name="b"))
    expect_shape(w, (len(batch["w"]), 1), called=part(called, "w after"), hint=STAYS_LEAF)
    expect_shape(b, (1,), called=part(called, "b after"), hint=STAYS_LEAF)
    return w, b


@check("sgd updates w and b in place: the same tensor objects, still leaves that require grad, with .grad cleared",
       points=1, public=True)
def test_sgd_in_place(student: Student, seed: int) -> None:
    for as_parameter in (False, True):
        batch = random_batch(seed, f"batch for sgd, nn.Parameters: {as_parameter}", n=4)
        called, (state,) = run_sgd(student, batch, 0.1, as_parameter, steps=1)
        w, b = updated(state, batch, called=called)
        if not state.same_objects:
            fail(called=called, got=_("the list passed in holds different tensors afterwards"),
                 expected=_("the same w and b objects, changed in place"), hint=NOT_IN_PLACE)
        w0, b0 = initial(batch)
        if torch.equal(w.values, w0) or torch.equal(b.values, b0):
            fail(called=called, got=_("w {w}, b {b}: unchanged").format(w=show_values(w.values), b=show_values(b.values)),
                 expected=_("w and b to move against their gradients"), hint=NOT_IN_PLACE)
        if not state.leaves:
            fail(called=called, got=_("w or b is no longer a leaf tensor that requires grad"),
                 expected=_("leaves with requires_grad=True, ready for the next backward"), hint=STAYS_LEAF)
        for name, grad in (("w.grad", state.w_grad), ("b.grad", state.b_grad)):
            if grad is not None and bool(grad.values.abs().max() > 0):
                fail(called=called, got=_("{name} still holds {value}").format(name=name, value=show(grad)),
                     expected=_(".grad zeroed or set to None"), hint=GRADS_ACCUMULATE)


@check("one sgd step moves each parameter by lr * grad / batch_size, on D2L's example and a random batch", points=2,
       public=True)
def test_one_step(student: Student, seed: int) -> None:
    for batch, lr, as_parameter in sgd_batches(seed, "one step"):
        called, (state,) = run_sgd(student, batch, lr, as_parameter, steps=1)
        w, b = updated(state, batch, called=called)
        n = len(batch["X"])
        for got, start, grad, name in zip((w, b), initial(batch), summed_grads(batch), ("w", "b")):
            expected = start - lr * grad / n
            expect_close(got, expected, called=part(called, f"{name} after"), hint=WRONG_STEP,
                         atol=atol_for(start), diagnoses=[
                             (start, NOT_IN_PLACE), (start - lr * grad, NO_BATCH_DIVISION),
                             (start - lr * grad * n, MULTIPLIED), (start + lr * grad / n, ASCENT)])


@check("two sgd steps in a row: the second uses only the gradient of the second backward", points=1)
def test_two_steps(student: Student, seed: int) -> None:
    for batch, lr, as_parameter in sgd_batches(seed, "two steps"):
        called, states = run_sgd(student, batch, lr, as_parameter, steps=2)
        n = len(batch["X"])
        w0, b0 = initial(batch)
        g_w1, g_b1 = summed_grads(batch)
        w1, b1 = w0 - lr * g_w1 / n, b0 - lr * g_b1 / n
        got_w1, got_b1 = updated(states[0], batch, called=called)
        for got, expected, name in ((got_w1, w1, "w"), (got_b1, b1, "b")):
            expect_close(got, expected, called=part(called, f"{name} first"), hint=FIRST_STEP_OFF,
                         atol=atol_for(expected))
        g_w2, g_b2 = summed_grads(batch, w1, b1)
        got_w2, got_b2 = updated(states[1], batch, called=called)
        for got, start, g1, g2, name in ((got_w2, w1, g_w1, g_w2, "w"), (got_b2, b1, g_b1, g_b2, "b")):
            expected = start - lr * g2 / n
            expect_close(got, expected, called=part(called, f"{name} second"), hint=WRONG_STEP,
                         atol=atol_for(expected), diagnoses=[(start - lr * (g1 + g2) / n, GRADS_ACCUMULATE)])


VECTOR_LOSS = N_("{described}; l = ½ (X @ w + b - y)**2 of shape (n, 1), sum() switched off")


@check("backward_vector_loss leaves the same .grad as l.sum().backward() without calling sum(), on D2L's example "
       "and a random batch", points=2, public=True)
def test_backward_vector_loss(student: Student, seed: int) -> None:
    for batch, as_parameter in batches(seed, "batch for the vector-Jacobian product"):
        called = _(VECTOR_LOSS).format(described=describe(call_text("backward_vector_loss", Code("l")), batch,
                                                       as_parameter))
        got = student.probe(probes.vector_backward, **batch, as_parameter=as_parameter)
        n, d = len(batch["X"]), len(batch["w"])
        for name, shape, expected, left in zip(("w", "b"), ((d, 1), (1,)), summed_grads(batch), (got.w_grad, got.b_grad)):
            grad = expect_tensor(left, called=called, hint=NO_GRAD_FILLED,
                                 expected=_("{name} filled with a tensor of shape {shape}").format(
                                     name=f"{name}.grad", shape=shape))
            expect_shape(grad, shape, called=f"{called} ({name}.grad)", hint=VJP)
            expect_close(grad, expected, called=f"{called} ({name}.grad)", hint=VJP, atol=atol_for(expected),
                         diagnoses=[(expected / n, MEAN_NOT_SUM)])
