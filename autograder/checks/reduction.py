"""Checks for the reduction exercise: how the learning rate follows the loss's reduction and its 1/2.

Plain SGD steps by lr times the gradient, and the mean's gradient is the sum's over the batch size,
so the answers are known in closed form (notes §7, Ex 12: mean at lr 0.03 is sum at lr 0.003 for
batch size 10; D2L's scratch loop at lr 0.06 is nn.MSELoss() at lr 0.03). Each direction is asked
both ways on the same (lr, batch size): a rule applied the same way in both directions (always
multiply, always divide) is told apart from the right rule turned round. The hidden checks draw
fresh learning rates and batch sizes and train one epoch each way here, in float64, from the same
start on the same minibatches, so that a message shows where the two runs end.
"""

from __future__ import annotations

import math

import torch
from torch.nn import functional as F

from course_checks.harness import (
    ErrorHint,
    Hint,
    Raised,
    Student,
    StudentRaised,
    call_text,
    check,
    expect_number,
    fail,
    generator,
    kind_of,
    number_close,
    raised_text,
    rng,
    show_values,
)
from course_checks.i18n import N_, _
from course_checks.probes import d2l
from course_checks.probes import reduction as probes

REDUCTIONS = ("sum", "mean")
BOOK_BATCH_SIZE = 10

# equivalent_lr
DIRECTION_INVERTED = Hint(
    "direction_inverted",
    concept="The mean's gradient is the sum's divided by the batch size, so at the same lr the mean takes steps "
            "batch_size times smaller; to keep the steps, its learning rate must be batch_size times larger. Going from "
            "the sum to the mean multiplies lr, going from the mean to the sum divides it: 'mean' sounds like dividing, "
            "but it is the gradient that is divided.",
    where="Write one step for each reduction, lr times the gradient, and make the two equal.",
    code="`lr * batch_size` from \"sum\" to \"mean\", `lr / batch_size` from \"mean\" to \"sum\"")
ONE_RULE_BOTH_WAYS = Hint(
    "one_rule_both_ways",
    concept="The direction decides: from sum to mean and back again must give lr again, so the two directions cannot "
            "follow the same rule. One of them multiplies by the batch size and the other divides.",
    where="Look at how from_reduction and to_reduction choose what your function does.",
    code="`lr * batch_size if to_reduction == \"mean\" else lr / batch_size` (for different reductions)")
UNCHANGED = Hint(
    "lr_unchanged",
    concept="With plain SGD the step is lr times the gradient, and the mean's gradient is the sum's divided by the batch "
            "size: changing the reduction changes the steps, so lr must change with it. (Adam would rescale the steps "
            "itself; plain SGD does not.)",
    where="Write the step for each reduction and compare them.",
    code="`lr * batch_size` from \"sum\" to \"mean\", `lr / batch_size` from \"mean\" to \"sum\"")
SQRT_SCALING = Hint(
    "sqrt_scaling",
    concept="The square-root rule is a rule of thumb for a bigger batch; here the batch stays the same and only the "
            "reduction changes, which scales the gradient by exactly the batch size.",
    where="Compare the gradient of the summed loss with that of the mean loss on the same minibatch.",
    code="`lr * batch_size` from \"sum\" to \"mean\", `lr / batch_size` from \"mean\" to \"sum\"")
WRONG_LR = Hint(
    "wrong_lr",
    concept="Equal steps mean equal lr times gradient, and the mean's gradient is the sum's divided by the batch size.",
    where="Write one step for each reduction, lr times the gradient, and solve for the new lr.",
    code="`lr * batch_size` from \"sum\" to \"mean\", `lr / batch_size` from \"mean\" to \"sum\"")
SAME_REDUCTION = Hint(
    "same_reduction_keeps_lr",
    concept="From a reduction to itself nothing changes: the same loss takes the same steps with the same lr.",
    where="Look at what your function does when from_reduction equals to_reduction.",
    code="`if from_reduction == to_reduction: return float(lr)`")
MUST_RAISE = Hint(
    "must_raise_value_error",
    concept="Only \"sum\" and \"mean\" have an answer; any other reduction (PyTorch's \"none\", a typo) must raise "
            "ValueError instead of returning a number that looks right.",
    where="Look at what your function does with a string it does not know.",
    code="`raise ValueError(...)` unless both reductions are \"sum\" or \"mean\"")
VALIDATE_FIRST = Hint(
    "validate_first",
    concept="An unknown reduction is an error even when it is the same on both sides: \"none\" to \"none\" has no "
            "learning rate either.",
    where="Look at the order of your tests: the check for unknown reductions must come before the shortcut for equal "
          "ones.",
    code="Check both strings first, then `if from_reduction == to_reduction: return float(lr)`.")
KEY_ERROR = Hint(
    "key_error_not_value_error",
    concept="A dictionary lookup raises KeyError for an unknown key, but the contract asks for ValueError, the error "
            "Python raises for a value of the right type that is not allowed.",
    where="Look at the dictionary lookup that picks the factor for a reduction.",
    code="`if reduction not in factors: raise ValueError(...)` before looking it up")
NOT_A_NUMBER = Hint(
    "python_float",
    concept="A learning rate is a plain Python number, not a tensor or a string.",
    where="Look at what the function returns.",
    code="Return `float(...)` of your answer.")

# scratch_lr_matching_mseloss
MISSING_HALF = Hint(
    "missing_half",
    concept="D2L's loss has a 1/2 and nn.MSELoss has none: the gradient of r squared is 2r, of half r squared only r. "
            "At the same lr the scratch loop's steps are half as big.",
    where="Compare the gradient of one example's loss in each: (y_hat - y)**2 against (y_hat - y)**2 / 2.",
    code="`return 2 * lr_mse`")
HALF_INVERTED = Hint(
    "half_inverted",
    concept="The 1/2 makes the scratch loss, and its gradient, smaller: to take the same steps its learning rate must "
            "be larger, not smaller.",
    where="Check the direction: which of the two gradients is the bigger one?",
    code="`return 2 * lr_mse`")
BATCH_CANCELS = Hint(
    "batch_size_cancels",
    concept="Both average over the minibatch: nn.MSELoss() takes the mean, and D2L's sgd divides the summed gradient "
            "by batch_size, which is a mean too. The batch size cancels; only the 1/2 is left.",
    where="Write one step of each for a minibatch of B examples and see that B is in both.",
    code="`return 2 * lr_mse`, whatever the batch size")
WRONG_SCRATCH_LR = Hint(
    "wrong_scratch_lr",
    concept="Equal steps mean equal lr times gradient: D2L's scratch step is lr times the mean of r x, nn.MSELoss's "
            "is lr_mse times the mean of 2 r x.",
    where="Write one step of each for the same minibatch and solve for the scratch lr.",
    code="`return 2 * lr_mse`")
MODULE_CALLED_WITH_TENSORS = Hint(
    "module_called_with_tensors",
    concept="nn.MSELoss is a class: creating one takes its options, and the object it gives is then called on tensors.",
    where="Look at the line that passes tensors to nn.MSELoss(...).",
    code="`loss = nn.MSELoss()`, then `loss(y_hat, y)`, or the functional `F.mse_loss(y_hat, y)`.")

ERROR_HINTS: list[ErrorHint] = [
    ErrorHint("legacy_get_string", MODULE_CALLED_WITH_TENSORS),
]

# ---------------------------------------------------------------------------------------------
# Answers and the mistakes they may be


def right_lr(lr: float, batch_size: int, source: str, target: str) -> float:
    """The learning rate on the target reduction with the steps of lr on the source one."""
    if source == target:
        return lr
    return lr * batch_size if target == "mean" else lr / batch_size


def _close(actual: float, expected: float) -> bool:
    return number_close(actual, expected, rtol=1e-6, atol=1e-12)


def lr_hint(lr: float, batch_size: int, answers: dict[tuple[str, str], float]) -> Hint:
    """Name the mistake behind wrong answers for both directions on the same (lr, batch_size)."""
    bigger, smaller = lr * batch_size, lr / batch_size
    down, up = answers[("mean", "sum")], answers[("sum", "mean")]  # right: down is smaller, up is bigger
    if _close(down, bigger) and _close(up, smaller):
        return DIRECTION_INVERTED
    if _close(down, up) and (_close(down, bigger) or _close(down, smaller)):
        return ONE_RULE_BOTH_WAYS
    root = math.sqrt(batch_size)
    for answer in (answer for answer, right in ((down, smaller), (up, bigger)) if not _close(answer, right)):
        if _close(answer, lr):
            return UNCHANGED
        if _close(answer, lr * root) or _close(answer, lr / root):
            return SQRT_SCALING
    if _close(down, bigger) or _close(up, smaller):
        return DIRECTION_INVERTED
    return WRONG_LR


def expect_lr(result: object, called: str) -> float:
    """An answer must be a Python number; a raise is explained as the student's error."""
    if isinstance(result, Raised):
        raise StudentRaised(result)
    return expect_number(result, called=called, hint=NOT_A_NUMBER, expected=_("a Python float"))


def _lr_called(lr: float, batch_size: int, source: str, target: str) -> str:
    return call_text("equivalent_lr", lr, batch_size, source, target)


def ask_both_ways(student: Student, lr: float, batch_size: int) -> dict[tuple[str, str], float]:
    """equivalent_lr from mean to sum and from sum to mean, each a Python number."""
    directions = [("mean", "sum"), ("sum", "mean")]
    results = student.probe(probes.lr_answers, cases=[[lr, batch_size, *pair] for pair in directions])
    return {pair: expect_lr(result, _lr_called(lr, batch_size, *pair)) for pair, result in zip(directions, results)}


BOTH_CALLS = N_("{first} and {second}")
BOTH_ANSWERS = N_("{first:g} and {second:g}")
BOTH_EXPECTED = N_("{first:g} and {second:g}: the learning rates whose steps on the other reduction's loss equal those "
                   "of lr {lr:g}")


def fail_both_ways(lr: float, batch_size: int, answers: dict[tuple[str, str], float], hint: Hint) -> None:
    """Fail with both directions' calls, answers and right answers."""
    fail(called=_(BOTH_CALLS).format(first=_lr_called(lr, batch_size, "mean", "sum"),
                                     second=_lr_called(lr, batch_size, "sum", "mean")),
         got=_(BOTH_ANSWERS).format(first=answers[("mean", "sum")], second=answers[("sum", "mean")]),
         expected=_(BOTH_EXPECTED).format(first=right_lr(lr, batch_size, "mean", "sum"),
                                          second=right_lr(lr, batch_size, "sum", "mean"), lr=lr),
         hint=hint)


def fresh_lr(seed: int, purpose: str, low: float, high: float) -> float:
    """A learning rate with four significant digits, drawn from the run's seed."""
    value = rng(seed, purpose).uniform(low, high)
    return float(f"{value:.4g}")


def all_right(lr: float, batch_size: int, answers: dict[tuple[str, str], float]) -> bool:
    return all(_close(answer, right_lr(lr, batch_size, *pair)) for pair, answer in answers.items())


# ---------------------------------------------------------------------------------------------
# One epoch, each way, trained here


def one_epoch(features: torch.Tensor, labels: torch.Tensor, batch_size: int, lr: float, loss: str) -> torch.Tensor:
    """[w..., b] after one epoch in order from w = 0, b = 0, in float64: plain SGD (each step lr times the
    gradient, the step torch.optim.SGD takes, written out: torch.optim costs a second to import) on the
    squared error reduced by "sum" or "mean" (nn.MSELoss's reductions, no 1/2), or D2L's "scratch" loop
    (the 1/2 squared loss summed, sgd dividing by batch_size)."""
    w = torch.zeros(features.shape[1], 1, dtype=torch.float64, requires_grad=True)
    b = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    for start in range(0, len(features), batch_size):
        X, y = features[start:start + batch_size], labels[start:start + batch_size]
        if loss == "scratch":
            d2l.squared_loss(d2l.linreg(X, w, b), y).sum().backward()
            d2l.sgd([w, b], lr, batch_size)
        else:
            F.mse_loss(d2l.linreg(X, w, b), y, reduction=loss).backward()
            d2l.sgd([w, b], lr, 1)  # dividing by 1: plain SGD
    return torch.cat([w.detach().reshape(-1), b.detach()])


def epoch_data(seed: int, purpose: str, n: int = 100) -> tuple[torch.Tensor, torch.Tensor]:
    """D2L's kind of data (w = [2, -3.4], b = 4.2), in float64, drawn from the run's seed."""
    features, labels = d2l.synthetic_data(torch.tensor(d2l.TRUE_W), d2l.TRUE_B, n, generator=generator(seed, purpose))
    return features.to(torch.float64), labels.to(torch.float64)


def _fit_text(parameters: torch.Tensor) -> str:
    return FIT_TEXT.format(w=show_values(parameters[:-1]), b=show_values(parameters[-1:]))


FIT_TEXT = "w = {w}, b = {b}"
SAME_RUNS = N_("the same (w, b) from both runs, which lr {right:g} gives")


# ---------------------------------------------------------------------------------------------
# Checks


@check("equivalent_lr turns a learning rate for one reduction into the one for the other, from mean to sum and from "
       "sum to mean", points=3, public=True)
def test_direction(student: Student, seed: int) -> None:
    pairs = [(0.03, BOOK_BATCH_SIZE), (fresh_lr(seed, "learning rate", 0.001, 0.5),
                                       rng(seed, "batch size").choice((4, 8, 16, 25, 32, 64, 100)))]
    for lr, batch_size in pairs:
        answers = ask_both_ways(student, lr, batch_size)
        if not all_right(lr, batch_size, answers):
            fail_both_ways(lr, batch_size, answers, lr_hint(lr, batch_size, answers))


ONE_EPOCH_CALLED = N_("one epoch of plain SGD (the steps of torch.optim.SGD) on F.mse_loss(..., reduction={source!r}) "
                      "at lr {lr:g}, and on reduction={target!r} at lr = {call}, from w = 0, b = 0 on the same {n} "
                      "examples in the same order")
ONE_EPOCH_GOT = N_("your lr {answer:g}: the {target} run ends at {target_fit}, the {source} run at {source_fit}")


@check("the learning rate equivalent_lr gives takes, on fresh data and batch sizes, the same steps as the original "
       "(one epoch each way)", points=2)
def test_epoch_equivalence(student: Student, seed: int) -> None:
    draws = rng(seed, "epochs")
    lr, batch_size = fresh_lr(seed, "learning rate for an epoch", 0.002, 0.05), draws.choice((4, 5, 20, 25, 50))
    answers = ask_both_ways(student, lr, batch_size)
    if all_right(lr, batch_size, answers):
        return
    features, labels = epoch_data(seed, "epoch data")
    source, target = next(pair for pair, answer in answers.items() if not _close(answer, right_lr(lr, batch_size, *pair)))
    original = one_epoch(features, labels, batch_size, lr, source)
    answer = answers[(source, target)]
    yours = one_epoch(features, labels, batch_size, answer, target)
    fail(called=_(ONE_EPOCH_CALLED).format(source=source, lr=lr, target=target, n=len(features),
                                           call=_lr_called(lr, batch_size, source, target)),
         got=_(ONE_EPOCH_GOT).format(answer=answer, target=target, target_fit=_fit_text(yours), source=source,
                                     source_fit=_fit_text(original)),
         expected=_(SAME_RUNS).format(right=right_lr(lr, batch_size, source, target)),
         hint=lr_hint(lr, batch_size, answers))


NUMBER = "{value:g}"
KEEPS_LR = N_("{lr:g}, lr itself")
ASKED_FOR_VALUE_ERROR = N_("ValueError: {reduction!r} is not a reduction with a learning rate")
RETURNED = N_("it returned {value}")


@check("equivalent_lr keeps lr for the same reduction, and raises ValueError for any reduction but \"sum\" and "
       "\"mean\"", points=1)
def test_same_and_unknown(student: Student, seed: int) -> None:
    lr, batch_size = fresh_lr(seed, "learning rate kept", 0.001, 0.5), rng(seed, "batch size kept").choice((5, 10, 32))
    same = [[lr, batch_size, reduction, reduction] for reduction in REDUCTIONS]
    for case, result in zip(same, student.probe(probes.lr_answers, cases=same)):
        called = _lr_called(*case)
        answer = expect_lr(result, called)
        if not _close(answer, lr):
            fail(called=called, got=NUMBER.format(value=answer), expected=_(KEEPS_LR).format(lr=lr),
                 hint=SAME_REDUCTION)
    unknown = [[lr, batch_size, "none", "sum"], [lr, batch_size, "mean", "average"], [lr, batch_size, "none", "none"]]
    results = student.probe(probes.lr_answers, cases=unknown)
    for index, (case, result) in enumerate(zip(unknown, results)):
        if isinstance(result, Raised) and result.type == "ValueError":
            continue
        bad = "none" if index != 1 else "average"
        earlier_raised = all(isinstance(other, Raised) and other.type == "ValueError" for other in results[:2])
        if isinstance(result, Raised):
            got = raised_text(result)
            hint = KEY_ERROR if result.type == "KeyError" else MUST_RAISE
        else:
            got = _(RETURNED).format(value=kind_of(result))
            hint = VALIDATE_FIRST if index == 2 and earlier_raised else MUST_RAISE
        fail(called=_lr_called(*case), got=got, expected=_(ASKED_FOR_VALUE_ERROR).format(reduction=bad), hint=hint)


def scratch_hint(lr_mse: float, answer: float) -> Hint:
    """Name the mistake behind a wrong answer of scratch_lr_matching_mseloss."""
    diagnoses = [(lr_mse, MISSING_HALF), (lr_mse / 2, HALF_INVERTED)]
    diagnoses += [(lr_mse * factor * scale, BATCH_CANCELS) for factor in (1, 2) for scale in (10, 0.1)]
    return next((hint for wrong, hint in diagnoses if _close(answer, wrong)), WRONG_SCRATCH_LR)


SCRATCH_EXPECTED = N_("{right:g}: the learning rate whose scratch steps equal those of torch.optim.SGD(lr={lr:g}) on "
                      "nn.MSELoss()")


@check("scratch_lr_matching_mseloss gives the scratch loop's learning rate that matches nn.MSELoss() with "
       "torch.optim.SGD", points=2, public=True)
def test_scratch_lr(student: Student, seed: int) -> None:
    rates = [0.03, fresh_lr(seed, "lr for MSELoss", 0.001, 0.3)]
    for lr_mse, result in zip(rates, student.probe(probes.scratch_answers, rates=rates)):
        called = call_text("scratch_lr_matching_mseloss", lr_mse)
        answer = expect_lr(result, called)
        if not _close(answer, 2 * lr_mse):
            fail(called=called, got=NUMBER.format(value=answer),
                 expected=_(SCRATCH_EXPECTED).format(right=2 * lr_mse, lr=lr_mse), hint=scratch_hint(lr_mse, answer))


SCRATCH_EPOCH_CALLED = N_("one epoch of D2L's scratch loop (1/2 squared loss summed, sgd dividing by batch_size "
                          "{batch_size}) at lr = {call}, and of plain SGD at lr {lr:g} (the steps of "
                          "torch.optim.SGD(lr={lr:g})) on nn.MSELoss(), from w = 0, b = 0 on the same {n} examples in "
                          "the same order")
SCRATCH_EPOCH_GOT = N_("your lr {answer:g}: the scratch run ends at {scratch_fit}, the nn.MSELoss() run at {mse_fit}")


@check("the scratch learning rate takes, on fresh data and batch sizes, the steps of nn.MSELoss() with "
       "torch.optim.SGD (one epoch each way)", points=2)
def test_scratch_epoch(student: Student, seed: int) -> None:
    lr_mse = fresh_lr(seed, "lr for an MSELoss epoch", 0.002, 0.05)
    batch_size = rng(seed, "batch size for an MSELoss epoch").choice((4, 5, 20, 25, 50))
    called_function = call_text("scratch_lr_matching_mseloss", lr_mse)
    (result,) = student.probe(probes.scratch_answers, rates=[lr_mse])
    answer = expect_lr(result, called_function)
    if _close(answer, 2 * lr_mse):
        return
    features, labels = epoch_data(seed, "MSELoss epoch data")
    scratch = one_epoch(features, labels, batch_size, answer, "scratch")
    mse = one_epoch(features, labels, batch_size, lr_mse, "mean")
    fail(called=_(SCRATCH_EPOCH_CALLED).format(batch_size=batch_size, call=called_function, lr=lr_mse, n=len(features)),
         got=_(SCRATCH_EPOCH_GOT).format(answer=answer, scratch_fit=_fit_text(scratch), mse_fit=_fit_text(mse)),
         expected=_(SAME_RUNS).format(right=2 * lr_mse), hint=scratch_hint(lr_mse, answer))
