"""The conventions of check and probe modules are explicit and checked when they are loaded (issue 10, point 2).

Each fact has one home: the exercise id is the module's file name, points are declared by each
`@check`, ERROR_HINTS is declared by every check module; the checks' metadata is read by one reader;
check functions are typed; probe results are typed records; fresh inputs come from named streams.
"""

from __future__ import annotations

import ast
import importlib
import json
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TypeVar, cast

import pytest
import torch

from course_checks.harness.calls import Code, call_text, shaped
from course_checks.harness.exercise import read_checks
from course_checks.harness.inputs import derived_seed, generator
from course_checks.harness.marks import ConventionError
from course_checks.harness.session import InProcessFactory, Job
from course_checks.harness.student import TypedStudent, WorkerLost
from course_checks.harness.suite import CheckSuite, ExerciseInfo
from course_checks.probes import huber as huber_probes
from course_checks.probes import load_probes, probe_exercises
from course_checks.probes.encoding import TensorData, decode, encode

from autograder.build.release import public_checks_module
from autograder.judge import runner
from autograder.judge.suite import CHECKS_DIR, SUITE, exercise_checks
from autograder.manifest import REPO_ROOT, load_course

COURSE = load_course()
Loader = Callable[[str, str], ModuleType]
R = TypeVar("R")
HEADER = '''
from __future__ import annotations

from course_checks.harness import ErrorHint, Hint, Student, check, fail

PUBLIC = True
HINT = Hint("demo", concept="c", where="w", code="x")
'''
GOOD_CHECK = '''
@check("the demo check", points=2, public=PUBLIC)
def test_demo(student: Student, seed: int) -> None:
    fail(called="demo()", got="nothing", expected="something", hint=HINT)
'''


@pytest.fixture
def checks_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Loader]:
    """Write `conventions_demo/<name>.py` and import it, as the judge would find a check module."""
    package = tmp_path / "conventions_demo"
    package.mkdir()
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))

    def load(name: str, body: str) -> ModuleType:
        (package / f"{name}.py").write_text(textwrap.dedent(HEADER) + textwrap.dedent(body))
        importlib.invalidate_caches()
        sys.modules.pop(f"conventions_demo.{name}", None)
        return importlib.import_module(f"conventions_demo.{name}")

    yield load
    for name in [name for name in sys.modules if name.startswith("conventions_demo")]:
        del sys.modules[name]


def test_the_exercise_id_is_the_file_name_and_error_hints_are_declared(checks_package: Loader) -> None:
    module = checks_package("demo_exercise", "ERROR_HINTS: list[ErrorHint] = []\n" + GOOD_CHECK)
    checks = read_checks(module)
    assert checks.exercise_id == "demo_exercise" and checks.points == 2 and checks.error_hints == ()
    # The same spec object wherever it is read; a constant for public is read as Python reads it.
    assert [spec.public for spec in checks.checks] == [True]


@pytest.mark.parametrize(("body", "rule"), [
    ('EXERCISE_ID = "other"\nERROR_HINTS: list[ErrorHint] = []\n' + GOOD_CHECK,
     "remove EXERCISE_ID: the exercise id is the module's file name"),
    (GOOD_CHECK, "declare ERROR_HINTS"),
    ('ERROR_HINTS = [("fragment", HINT)]\n' + GOOD_CHECK, "ERROR_HINTS must be a list of ErrorHint"),
    ("ERROR_HINTS: list[ErrorHint] = []\n" + GOOD_CHECK + "\ndef test_forgotten(student, seed):\n    pass\n",
     "test_forgotten is not a check: decorate it with @check"),
    ("ERROR_HINTS: list[ErrorHint] = []\n", "declares no check"),
    ("ERROR_HINTS: list[ErrorHint] = []\n" + GOOD_CHECK + GOOD_CHECK.replace("test_demo", "test_again"),
     "two checks share the sentence 'the demo check'"),
])
def test_a_check_module_that_breaks_a_rule_says_which(checks_package: Loader, body: str, rule: str) -> None:
    module = checks_package("demo_exercise", body)
    with pytest.raises(ConventionError, match=rule.replace("(", r"\(").replace(")", r"\)")):
        read_checks(module)


@pytest.mark.parametrize(("decorated", "rule"), [
    ('@check("s", points=1)\ndef test_x(student, seed):\n    pass\n', "annotate the parameter as `student: Student`"),
    ('@check("s", points=1)\ndef test_x(student: Student, seed: int):\n    pass\n', "annotate it `-> None`"),
    ('@check("s", points=1)\ndef test_x(student: Student) -> None:\n    pass\n', "takes (student: Student, seed: int)"),
    ('@check("s", points=0)\ndef test_x(student: Student, seed: int) -> None:\n    pass\n', "points must be a positive"),
    ('@check("s", points=1, public=1)\ndef test_x(student: Student, seed: int) -> None:\n    pass\n',
     "public must be True or False"),
    ('@check("s", points=1)\ndef check_x(student: Student, seed: int) -> None:\n    pass\n', "starts with test_"),
])
def test_a_check_function_that_breaks_a_rule_fails_when_its_module_is_imported(checks_package: Loader,
                                                                              decorated: str, rule: str) -> None:
    with pytest.raises(ConventionError, match=rule.replace("(", r"\(").replace(")", r"\)").replace("`", ".")):
        checks_package("demo_exercise", "ERROR_HINTS: list[ErrorHint] = []\n" + decorated)


def test_no_check_function_of_the_course_carries_a_blanket_type_ignore() -> None:
    """Issue 10: 51 check functions carried `# type: ignore[no-untyped-def]`."""
    for exercise in COURSE.exercises:
        source = (CHECKS_DIR / exercise.module_file).read_text(encoding="utf-8")
        assert "type: ignore" not in source, exercise.module_file


def test_fresh_inputs_come_from_named_streams_not_seed_offsets() -> None:
    """Issue 10: each check module seeded its inputs with magic offsets (`_generator(seed, 51)`)."""
    for exercise in COURSE.exercises:
        source = (CHECKS_DIR / exercise.module_file).read_text(encoding="utf-8")
        for offset in ("Generator().manual_seed(seed", "_generator(seed", "random.Random(seed"):
            assert offset not in source, (exercise.module_file, offset)
    assert derived_seed(7, "hidden size") == derived_seed(7, "hidden size") != derived_seed(7, "batch")
    assert torch.equal(torch.rand(3, generator=generator(7, "x")), torch.rand(3, generator=generator(7, "x")))


def test_a_call_is_written_as_python_code() -> None:
    assert call_text("init_params", 5, mode="zeros", sigma=2.5, generator=None) == \
        "init_params(5, mode='zeros', sigma=2.5)"
    assert call_text("huber_loss", shaped("y_hat", torch.zeros(4, 1)), Code("y"), sigma=2.0) == \
        "huber_loss(y_hat (4, 1), y, sigma=2)"


def test_check_metadata_has_one_reader_for_the_session_the_notebooks_and_the_release() -> None:
    """Issue 10: two AST readers disagreed on what `public` means, and a third read the runtime markers."""
    checks = exercise_checks("huber")
    result = runner.run_checks([Job("reference", "huber", REPO_ROOT / "solutions" / "huber.py", 3)],
                               InProcessFactory())["reference"]
    assert [(record.check_id, record.name, record.max_score, record.public) for record in result.checks] == [
        (spec.function, spec.name, spec.points, spec.public) for spec in checks.checks]
    assert SUITE.catalog.info("huber").checks == checks.checks
    pruned = public_checks_module(COURSE.exercise("huber"))
    assert all((f"def {spec.function}(" in pruned) == spec.public for spec in checks.checks)


def _exercises_named(source: str, ids: set[str]) -> set[str]:
    """The exercise ids a module names as exercises: in a string, or as a module of course_checks.probes. (An id may
    also be the name of one of the book's functions, such as data_iter, which the zygote calls as d2l.data_iter.)"""
    named = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            named |= {exercise_id for exercise_id in ids if exercise_id in node.value.split()}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("course_checks.probes"):
            named |= {alias.name for alias in node.names} & ids
            named |= {part for part in (node.module or "").split(".")} & ids
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "probes":
            named |= {node.attr} & ids
    return named


def test_every_exercise_has_probes_that_name_their_own_warm_up() -> None:
    """Issue 10: zygote.warm_up listed each exercise's torch operations by hand."""
    assert probe_exercises() == sorted(exercise.id for exercise in COURSE.exercises)
    zygote = (REPO_ROOT / "autograder" / "sandbox" / "zygote.py").read_text(encoding="utf-8")
    ids = {exercise.id for exercise in COURSE.exercises}
    assert not _exercises_named(zygote, ids)
    assert _exercises_named('from course_checks.probes import huber\nprobes.zero_init.warm_up()\nrun("reshape")',
                            ids) == {"huber", "zero_init", "reshape"}
    for exercise in COURSE.exercises:
        load_probes(exercise.id).warm_up()
    assert "huber_loss" not in zygote and "smooth_l1_loss" not in zygote and "semilogy" not in zygote


# In a fresh interpreter: the zygote's warm-up, then one forked child per exercise (as the zygote forks an
# exercise's zygote) that runs the exercise's own warm-up and then what learners' answers do: an optimizer's
# step, torch.func, torch.broadcast_shapes (each imports torch._dynamo or part of it on first use).
FIRST_OPTIMIZER_IN_EACH_EXERCISE = """
import json, os, sys
import torch
from autograder.sandbox import zygote
from course_checks.probes import load_probes

zygote.warm_up()
for exercise_id in sys.argv[1:]:
    read_end, write_end = os.pipe()
    if os.fork() == 0:
        load_probes(exercise_id).warm_up()
        before = set(sys.modules)
        w = torch.zeros(2, 1, requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=0.1)
        w.sum().backward()
        optimizer.step()
        torch.broadcast_shapes((3, 1), (3,))
        if exercise_id == "second_derivatives":  # torch.func's forward mode: warmed where answers use it
            torch.func.hessian(lambda w: (w ** 3).sum())(torch.ones(2))
        os.write(write_end, json.dumps(sorted(set(sys.modules) - before)).encode())
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        print(exercise_id, answer.read())
    os.wait()
"""


def test_a_learners_first_optimizer_or_torch_func_imports_nothing_in_any_exercises_worker() -> None:
    """Constructing a torch.optim optimizer imports torch._dynamo on first use, and so does torch.func: about
    2.4 s of CPU on a slow machine, which a worker that had not inherited it paid from the call's budget
    (zero_init's correct answer with torch.optim.SGD used 2.45 s of its 5 s; second_derivatives' with
    torch.func.hessian, 2.05 s). Every exercise's worker inherits it."""
    exercise_ids = [exercise.id for exercise in COURSE.exercises]
    ran = subprocess.run([sys.executable, "-c", FIRST_OPTIMIZER_IN_EACH_EXERCISE, *exercise_ids], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=600, check=True)
    imported = {exercise_id: json.loads(modules) for exercise_id, modules in
                (line.split(" ", 1) for line in ran.stdout.splitlines())}
    assert sorted(imported) == sorted(exercise_ids), ran.stderr
    assert {exercise_id: modules for exercise_id, modules in imported.items() if modules} == {}


class _Answers:
    """A student whose probes answer with fixed plain data (what a worker sends)."""

    exercise_id = "huber"

    def __init__(self, sent: object) -> None:
        self.sent = sent

    def probe(self, probe: Callable[..., R], /, **inputs: object) -> R:
        return cast(R, decode(self.sent))


def test_a_probe_result_is_a_typed_record_and_an_answer_that_does_not_fit_is_garbled() -> None:
    """Issue 10: probe results were untyped dicts, read by key."""
    sent = huber_probes.LossValues.of(loss=torch.zeros(2, 1), y_hat_after=torch.ones(2, 1), y_after=torch.ones(2),
                                      builtins=["smooth_l1_loss"])
    got = TypedStudent(_Answers(encode(sent))).probe(huber_probes.loss_values)
    assert isinstance(got, huber_probes.LossValues) and isinstance(got.y_hat_after, TensorData)
    assert got.builtins == ["smooth_l1_loss"] and got.y_after.shape == (2,)
    tampered = {**encode(sent), "passed": True}  # what a worker may add is dropped: only declared fields are read
    again = TypedStudent(_Answers(tampered)).probe(huber_probes.loss_values)
    assert again.builtins == got.builtins and torch.equal(again.y_hat_after.values, got.y_hat_after.values)
    for garbled in ({"loss": 1.0, "y_hat_after": [1.0], "y_after": [1.0], "builtins": []},
                    {"loss": 1.0, "builtins": []}):
        with pytest.raises(WorkerLost, match="garbled"):
            TypedStudent(_Answers(garbled)).probe(huber_probes.loss_values)
    with pytest.raises(TypeError, match="has the fields"):
        huber_probes.LossValues.of(loss=1.0)


def test_a_suite_names_what_it_knows() -> None:
    suite = CheckSuite(CHECKS_DIR, SUITE.catalog)
    assert suite.module_path("huber") == CHECKS_DIR / "huber.py"
    info = suite.catalog.info("huber")
    assert ExerciseInfo.from_json("huber", info.to_json()) == info
    with pytest.raises(KeyError):
        suite.catalog.info("no_such_exercise")
