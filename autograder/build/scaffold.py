"""`course new ID --title "..."`: everything an exercise needs, as a small working example to replace.

It adds the exercise to course.yml and writes its three authored files and its catalogue folders:

- solutions/<id>.py: the instructions (markdown cells, with the prediction questions and the book's
  numbers in a collapsed block) and the reference, each answer between ### BEGIN/END SOLUTION;
- course_checks/probes/<id>.py: the probes, which call the student's functions where their code
  runs, return typed records, and name the torch operations to warm up;
- autograder/checks/<id>.py: the checks (one public check to start with), their hints and ERROR_HINTS;
- tests/catalogue/<id>/wrong/ and correct/: where the wrong answers and the correct alternatives go
  (each folder starts with a README.md saying how an entry is written).

The example is D2L's linear model, so the new exercise builds, its reference passes, its stub fails
with "not implemented yet", and `course verify` lists what is still missing. Every place to rewrite
is marked TODO(course new), which `course verify` counts. Nothing is written when any of it cannot be.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from autograder.build.authored import AuthoringError
from autograder.manifest import Course, ManifestError, parse_course

PLACEHOLDER = "TODO(course new)"
EXERCISE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
DEFAULT_TIME_LIMIT = 15  # CPU seconds; the core exercises, measured, need 9 (a call gets a third)

SOLUTION = '''# %% [markdown]
# # {title}
#
# {todo}: the instructions. Which of D2L's exercises this is (EN §?, ZH §?), what the learner
# writes, and what it teaches. The first paragraph of each function's docstring below is what the
# checks say the function must do ("expected: {id} to return ...").
#
# **Predict before you run anything**, and write your answers down:
# 1. {todo}: a question the learner answers before running anything.
#
# <details>
# <summary>The book's numbers (open this after you have predicted)</summary>
#
# - {todo}: the answers, verified.
#
# </details>
#
# Implement:
# 1. `{id}(X, w, b)`: {todo}: this example (D2L's linear model) stands for the exercise's functions.

# %%
import torch


# %%
def {id}(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Return the linear model's predictions X @ w + b, one per example, as a column (n, 1).

    {todo}: replace this example function with the exercise's own (the stub keeps its signature and
    docstring; the solution region becomes `raise NotImplementedError`).
    """
    ### BEGIN SOLUTION
    return X @ w + b
    ### END SOLUTION
'''

PROBES = '''"""Probes for the {id} exercise: what runs next to the student's code (in the sandbox when grading).

{todo}: one probe per way the checks call the student's functions. A probe gets plain inputs from
the judge (lists, numbers, seeds: never an expected value), builds fresh tensors, calls the
student's function with `call` (which names what was called if it raises), and returns what came
back; more than one value goes back as a record declared here, its fields annotated as the judge
reads them (see course_checks/probes/records.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from course_checks.probes import ProbeResult, TensorData, call, tensor


@dataclass(frozen=True)
class Predictions(ProbeResult):
    """What {id} returned, and X as it is after the call (to see an in-place change)."""

    y_hat: object  # whatever the student's function returned: the check finds out what it is
    X_after: TensorData  # a tensor the probe made: the judge gets it as TensorData


def warm_up() -> None:
    """The torch operations this exercise uses beyond D2L's loop, run once in the sandbox's zygote so that
    no worker pays for their first call. {todo}: add them, or leave it empty."""


def predictions(module: ModuleType, X: list[Any], w: list[Any], b: list[Any]) -> Predictions:
    """`{id}(X, w, b)` on fresh tensors, and X as it is afterwards."""
    X_tensor = tensor(X)
    y_hat = call(module, "{id}", X_tensor, tensor(w), tensor(b))
    return Predictions.of(y_hat=y_hat, X_after=X_tensor)
'''

CHECKS = '''"""Checks for the {id} exercise: {title}.

{todo}: what the checks judge and how: the verified fixtures (exercises-notes.md), the fresh inputs
drawn from the run's seed, and the mistakes they tell apart. A public check runs in the notebook and
should catch the exercise's headline misconception; the hidden ones (no public=True) grade on fresh
inputs. An exercise is worth the points of its checks.
"""

from __future__ import annotations

import torch

from course_checks.harness import (
    ErrorHint,
    Hint,
    Student,
    call_text,
    check,
    expect_close,
    expect_shape,
    expect_tensor,
    fail,
    generator,
    shaped,
    show,
)
from course_checks.i18n import N_, _
from course_checks.probes import {id} as probes

# A hint is a ladder aimed at one misconception: the concept (no code), where to look, then the line of code.
ONE_PER_EXAMPLE = Hint(
    "one_per_example",
    concept="The model gives one prediction per example, as a column: X of shape (n, d) times w of shape (d, 1) "
            "is (n, 1).",
    where="Look at the shapes of X, w and of what you return.",
    code="`X @ w + b`")
NO_BIAS = Hint(
    "no_bias",
    concept="Every prediction is shifted by the same b: without it, the model's line goes through the origin.",
    where="Look at what is added after the matrix product.",
    code="`X @ w + b`")
WRONG_PREDICTIONS = Hint(
    "wrong_predictions",
    concept="The linear model's prediction for an example is its features weighted by w, plus b.",
    where="Compare your formula with the linear model in the instructions.",
    code="`X @ w + b`")
INPUT_CHANGED = Hint(
    "input_changed",
    concept="The model reads its inputs: the caller uses X again, so it must stay as it was.",
    where="Look for an in-place operation on X (a trailing underscore, or -=).",
    code="Compute into a new tensor: `X @ w + b`.")

# Hints for errors of this exercise's own, matched by a fragment of the error's message and tried before
# the lesson's common ones: ErrorHint("fragment", HINT), or ErrorHint(..., only=frozenset({{"function"}})).
ERROR_HINTS: list[ErrorHint] = []

# What a message says, as whole sentences with named placeholders: N_() marks each for translation (the
# check's sentence and the hints need no mark), _() shows it in the learner's language, then .format fills it.
COLUMN_OF = N_("a tensor of shape ({{n}}, 1): one prediction per example")
LEFT_AS_IT_WAS = N_("X left as it was: {{values}}")
CHANGED_TO = N_("X changed by the call: now {{values}}")


def random_batch(seed: int, purpose: str) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """X (n, 3), w (3, 1) and b (1,), fresh from the run's seed: `purpose` names a stream of their own."""
    draws = generator(seed, purpose)
    n = int(torch.randint(4, 9, (1,), generator=draws))
    return torch.randn(n, 3, generator=draws), torch.randn(3, 1, generator=draws), torch.randn(1, generator=draws)


@check("{todo}: {id} returns one prediction per example, X @ w + b, as a column", points=1, public=True)
def test_predictions(student: Student, seed: int) -> None:
    X, w, b = random_batch(seed, "batch")
    called = call_text("{id}", shaped("X", X), shaped("w", w), shaped("b", b))
    got = student.probe(probes.predictions, X=X.tolist(), w=w.tolist(), b=b.tolist())
    expected_shape = _(COLUMN_OF).format(n=len(X))
    y_hat = expect_tensor(got.y_hat, called=called, hint=ONE_PER_EXAMPLE, expected=expected_shape)
    expect_shape(y_hat, (len(X), 1), called=called, hint=ONE_PER_EXAMPLE)
    if not torch.equal(got.X_after.values, X.to(torch.float64)):
        fail(called=called, got=_(CHANGED_TO).format(values=show(got.X_after)),
             expected=_(LEFT_AS_IT_WAS).format(values=show(X)), hint=INPUT_CHANGED)
    X64, w64, b64 = (tensor.to(torch.float64) for tensor in (X, w, b))
    # When the values are wrong, the values a catalogued mistake gives name it (here: b left out).
    expect_close(y_hat, X64 @ w64 + b64, called=called, hint=WRONG_PREDICTIONS, diagnoses=[(X64 @ w64, NO_BIAS)])
'''

WRONG_README = '''# Wrong answers for {id}

One realistic wrong answer per file, a whole `{id}.py` as a learner would hand it in, at least
{min_wrong}. `course verify --exercise {id}` grades each one and checks that it loses points with
exactly the hint it declares. Each file starts with a docstring: its first line says what the
mistake is, the rest where it comes from (exercises-notes.md, the forum). Then one line per check it
must fail, with the hint key that check must give:

    # expect: test_predictions -> no_bias

and `# headline` on the answers that make the exercise's headline misconception: a visible check
must catch those, so that a notebook's own checks do. For example, `no_bias.py`:

    """{id} leaves out b: the model's line goes through the origin."""

    import torch

    # expect: test_predictions -> no_bias
    # headline


    def {id}(X: torch.Tensor, w: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        return X @ w

When a check cannot name a mistake yet, give it a diagnosis (the values or the shape that mistake
gives, with its own Hint) in autograder/checks/{id}.py.
'''

CORRECT_README = '''# Correct alternatives for {id}

Answers that are right but written otherwise than the reference, at least {min_correct}, one
`{id}.py` per file with a docstring saying what is unusual about it. `course verify` grades each
twice (other seeds, 1 and 2 torch threads): every one must score full marks, so the checks judge
what the contract asks, not how the reference computes it.
'''


@dataclass(frozen=True)
class Scaffold:
    """What `course new` wrote: the course.yml entry's position and the files, relative to the repository."""

    number: int
    folder: str
    files: list[Path]


def _manifest_entry(exercise_id: str, title: str, folder: str, time_limit: float, assignment: str | None) -> str:
    # A JSON string is a YAML double-quoted scalar: any title survives.
    return (f"  - id: {exercise_id}\n    title: {json.dumps(title, ensure_ascii=False)}\n    folder: {folder}\n"
            f"    time_limit: {time_limit:g}  # a generous guess: measure it with benchmarks/call_budgets.py once "
            "the catalogue is in\n" + (f"    assignment: {assignment}\n" if assignment else ""))


def new_exercise(root: Path, course: Course, exercise_id: str, title: str,
                 time_limit: float = DEFAULT_TIME_LIMIT, assignment: str | None = None) -> Scaffold:
    """Add the exercise to `root`'s course.yml and write its files; AuthoringError (nothing written) if it cannot."""
    from autograder.verify import MIN_CORRECT, MIN_WRONG

    if not EXERCISE_ID.match(exercise_id):
        raise AuthoringError(f"{exercise_id!r} cannot be an exercise id: lower case letters, digits and _, "
                             "starting with a letter (it is also the name of the student's module)")
    if exercise_id in course.by_id:
        raise AuthoringError(f"course.yml already has an exercise {exercise_id!r}")
    if not title.strip():
        raise AuthoringError("--title is empty: give the exercise's title, as learners will read it")
    if assignment is not None and not EXERCISE_ID.match(assignment):
        raise AuthoringError(f"{assignment!r} cannot be an assignment name: lower case letters, digits and _, "
                             "starting with a letter (it is also the folder of its nbgrader source)")
    if assignment == course.assignment:
        assignment = None  # the core assignment is the default: course.yml does not repeat it
    number = max(int(exercise.folder[:2]) for exercise in course.exercises) + 1
    folder = f"{number:02d}_{exercise_id}"
    values = {"id": exercise_id, "title": title.strip(), "todo": PLACEHOLDER, "min_wrong": MIN_WRONG,
              "min_correct": MIN_CORRECT}
    catalogue = Path("tests") / "catalogue" / exercise_id
    files = {
        Path("solutions") / f"{exercise_id}.py": SOLUTION.format(**values),
        Path("course_checks") / "probes" / f"{exercise_id}.py": PROBES.format(**values),
        Path("autograder") / "checks" / f"{exercise_id}.py": CHECKS.format(**values),
        catalogue / "wrong" / "README.md": WRONG_README.format(**values),
        catalogue / "correct" / "README.md": CORRECT_README.format(**values),
    }
    existing = [path for path in [*files, catalogue] if (root / path).exists()]
    if existing:
        raise AuthoringError(f"{existing[0]} exists already: remove it, or choose another id")
    manifest = root / "course.yml"
    text = manifest.read_text(encoding="utf-8")
    entry = _manifest_entry(exercise_id, title.strip(), folder, time_limit, assignment)
    updated = text + ("" if text.endswith("\n") else "\n") + entry
    try:
        added = parse_course(updated).exercises[-1]
    except ManifestError as exc:
        raise AuthoringError(f"the new entry would make course.yml invalid: {exc}") from None
    if added.id != exercise_id:
        raise AuthoringError("course.yml does not end with its list of exercises; add the entry by hand:\n"
                             + entry)
    for path, content in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(content, encoding="utf-8")
    manifest.write_text(updated, encoding="utf-8")
    return Scaffold(number, folder, [Path("course.yml"), *files])
