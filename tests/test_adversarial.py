"""Adversarial submissions against the sandboxed grader (the attack catalogue in sandbox.md).

One grading run (one zygote per judge process) grades, side by side: the reference, every attack in
tests/adversarial/, the plain wrong answer each attack hides (its `# hides:` line) and the bad inputs
in tests/adversarial/bad_input/. Each attack must score exactly what its plain wrong answer scores,
the reference keeps full marks, every submission gets a result, bad inputs get a clear status and
message, no file outside the scratch directories changes, and no sandboxed process survives.

Attacks on the course aim at a throwaway copy of it, never at the checkout; where this machine
cannot confine submitted code the grader refuses, and the whole module is skipped with its reason.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder.grading.engine import GradingRun, SubmissionResult, grade
from autograder.manifest import REPO_ROOT, load_course
from autograder.sandbox.protections import IsolationMissing, Protection

HERE = Path(__file__).resolve().parent
ATTACKS_DIR = HERE / "adversarial"
REPOSITORY_PLACEHOLDER = "@REPOSITORY@"  # attacks on the course get the path of a throwaway copy at run time
COPIED_FOR_ATTACKS = ("solutions", "autograder", "course_checks", "course.yml")
BAD_DIR = ATTACKS_DIR / "bad_input"
WRONG_DIR = HERE / "catalogue" / "huber" / "wrong"
STUB = REPO_ROOT / "exercises" / "06_huber" / "huber.py"
REFERENCE = REPO_ROOT / "solutions" / "huber.py"
FULL_MARKS = 10.0
TIME_LIMIT = 5.0  # seconds per exercise: short, so the hangs cost little
HIJACK_NAMES = {"conftest.py", "sitecustomize.py", "usercustomize.py", "zz_hijack.pth", "pytest.ini", "tox.ini",
                "setup.cfg", "pwned.txt", "pwned", "scratch_file.txt", "flood.bin"}
ATTACK_MARKERS = (b"# pwned", b"HIJACKED", b'report.outcome = "passed"', b"addopts = -p no:terminal")

# Attacks that are known to gain points: a hole in the grader (see each reason).


def _attacks() -> list[Path]:
    return sorted(path for path in ATTACKS_DIR.glob("*.py") if not path.name.startswith("_"))


def _hidden_answer(attack: Path) -> str:
    match = re.search(r"^# hides: (\w+)\s*$", attack.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, f"{attack.name} has no `# hides: <wrong answer>` line"
    return match.group(1)


def _plain_source(stem: str) -> Path:
    return STUB if stem == "stub" else WRONG_DIR / f"{stem}.py"


# Bad inputs: case -> (path inside bad_input/, or None for the runtime empty directory)
BAD_INPUTS = {
    "syntax_error": "syntax_error/huber.py",
    "missing_function": "missing_function/huber.py",
    "wrong_signature": "wrong_signature/huber.py",
    "missing_module": "missing_module/huber.py",
    "infinite_loop": "infinite_loop/huber.py",
    "sleep_forever": "sleep_forever/huber.py",
    "input_call": "input_call/huber.py",
    "print_200mb": "print_200mb/huber.py",
    "not_utf8": "not_utf8/huber.py",
    "nb_valid": "nb_valid/huber.ipynb",
    "nb_truncated": "nb_truncated/huber.ipynb",
    "nb_not_json": "nb_not_json/huber.ipynb",
    "nb_missing_cell": "nb_missing_cell/huber.ipynb",
    "nb_duplicated_cell": "nb_duplicated_cell/huber.ipynb",
    "empty_directory": None,
}


# ------------------------------------------------------------------------------------------- canary
def _digest(path: Path) -> tuple[int, int, str]:
    stat = path.stat()
    with path.open("rb") as handle:
        return stat.st_size, stat.st_mtime_ns, hashlib.sha256(handle.read()).hexdigest()


def _walk(root: Path, skip: set[Path]) -> dict[str, tuple[int, int, str]]:
    files: dict[str, tuple[int, int, str]] = {}
    for directory, subdirectories, names in os.walk(root):
        here = Path(directory)
        subdirectories[:] = [name for name in subdirectories
                             if name not in (".venv", ".git", "__pycache__", ".pyenv", ".cache", ".mypy_cache",
                                             ".pytest_cache", ".ruff_cache")
                             and (here / name) not in skip]
        for name in names:
            path = here / name
            try:
                if path.is_file() and not path.is_symlink():
                    files[str(path)] = _digest(path)
            except OSError:
                pass
    return files


def _snapshot(skip: set[Path]) -> dict[str, tuple[int, int, str]]:
    """The checkout, plus $HOME's top-level files and the directories Python or pytest read from it."""
    files = _walk(REPO_ROOT, skip)
    home = Path.home()
    for entry in home.iterdir() if home.is_dir() else []:
        if entry.is_file() and not entry.is_symlink():
            files[str(entry)] = _digest(entry)
    for name in (".local", ".config/pip", ".ipython", ".jupyter", ".pytest_cache"):
        if (home / name).is_dir() and home / name != REPO_ROOT:
            files |= _walk(home / name, skip)
    return files


def _suspicious(path: str) -> bool:
    """Whether a changed or new file looks like one of the attacks' doing (name or content)."""
    if Path(path).name in HIJACK_NAMES:
        return True
    try:
        with open(path, "rb") as handle:
            content = handle.read(1 << 20)
    except OSError:
        return False
    return any(marker in content for marker in ATTACK_MARKERS)


def _sandbox_processes(uids: list[int]) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        uid = re.search(r"^Uid:\s+(\d+)", status, re.MULTILINE)
        if uid and int(uid.group(1)) in uids:
            found.append(f"pid {entry.name} uid {uid.group(1)}: {status.splitlines()[0]}")
    return found


# ------------------------------------------------------------------------------------------- the run
class Graded:
    """The one grading run, with the case each result belongs to."""

    def __init__(self, run: GradingRun, cases: dict[str, Path],
                 before: dict[str, tuple[int, int, str]], after: dict[str, tuple[int, int, str]],
                 canary: Path, canary_digest: tuple[int, int, str], leftover_processes: list[str],
                 course_copy: Path) -> None:
        self.run = run
        self.by_case = {case: result for case, result in zip(cases, run.submissions, strict=True)}
        self.course_copy = course_copy
        self.before, self.after = before, after
        self.canary, self.canary_digest = canary, canary_digest
        self.leftover_processes = leftover_processes

    def __getitem__(self, case: str) -> SubmissionResult:
        return self.by_case[case]


def _throwaway_course(directory: Path) -> Path:
    """A copy of the parts of the course the attacks aim at, standing in for the checkout."""
    for name in COPIED_FOR_ATTACKS:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, directory / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copyfile(source, directory / name)
    return directory


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> Graded:
    scratch = tmp_path_factory.mktemp("adversarial")
    course_copy = _throwaway_course(tmp_path_factory.mktemp("course-copy"))
    cases: dict[str, Path] = {}

    def case_file(case: str, source: Path, name: str = "huber.py") -> None:
        target = scratch / case / name
        target.parent.mkdir(parents=True, exist_ok=True)
        raw = source.read_bytes()
        placeholder = REPOSITORY_PLACEHOLDER.encode()
        target.write_bytes(raw.replace(placeholder, str(course_copy).encode()) if placeholder in raw else raw)
        cases[case] = target

    case_file("reference", REFERENCE)
    for attack in _attacks():
        case_file(f"attack:{attack.stem}", attack)
        stem = _hidden_answer(attack)
        if f"plain:{stem}" not in cases:
            case_file(f"plain:{stem}", _plain_source(stem))
    for case, relative in BAD_INPUTS.items():
        if relative is None:
            (scratch / case).mkdir()
            cases[f"bad:{case}"] = scratch / case
        else:
            case_file(f"bad:{case}", BAD_DIR / relative, Path(relative).name)
    # the reference again at the very end: the grader must still work after every attack
    case_file("reference_last", REFERENCE)

    canary = Path("/tmp") / f"adversarial-canary-{os.getpid()}.txt"
    canary.write_text("canary: nothing may touch this file\n")
    canary_digest = _digest(canary)
    skip = {scratch, Path(str(scratch)).parent}
    before = _snapshot(skip) | _walk(course_copy, set())
    course = load_course()
    try:
        run = grade(list(cases.values()), workers=2, course=course,
                    time_limits={exercise.id: TIME_LIMIT for exercise in course.exercises})
    except IsolationMissing as refusal:
        canary.unlink()
        pytest.skip(f"the attacks need a confined worker: {refusal}")
    time.sleep(0.5)  # a keeper that was just released kills its worker asynchronously
    leftover = _sandbox_processes(run.sandbox_uids)
    after = _snapshot(skip) | _walk(course_copy, set())
    try:
        return Graded(run, cases, before, after, canary, canary_digest, leftover, course_copy)
    finally:
        pass


@pytest.fixture(scope="module", autouse=True)
def _remove_canary(graded: Graded):  # type: ignore[no-untyped-def]
    yield
    graded.canary.unlink(missing_ok=True)


def _describe(result: SubmissionResult) -> str:
    lines = [f"{result.path}: {result.score}/{result.max_score} {result.error}"]
    for exercise in result.exercises:
        for check in exercise.checks:
            lines.append(f"  {check.check_id}: {check.status} {check.score}/{check.max_score} {check.message[:300]!r}")
    return "\n".join(lines)


def _huber(result: SubmissionResult):  # type: ignore[no-untyped-def]
    assert len(result.exercises) == 1 and result.exercises[0].exercise_id == "huber", _describe(result)
    return result.exercises[0]


# ------------------------------------------------------------------------------------------- tests
def test_every_submission_has_a_result(graded: Graded) -> None:
    assert len(graded.run.submissions) == len(graded.by_case)
    for case, result in graded.by_case.items():
        if case != "bad:empty_directory":
            assert result.exercises or result.error, f"{case}: no result\n{_describe(result)}"


@pytest.mark.skipif(os.geteuid() != 0, reason="as root every protection is available (CI runs as root); "
                    "`course doctor` says what is missing elsewhere")
def test_isolation_was_complete(graded: Graded) -> None:
    # cgroup caps depend on the host's hierarchy being writable; every other protection must hold
    missing = [protection for protection in graded.run.missing_protections
               if protection not in (Protection.MEMORY_CGROUP, Protection.PROCESS_CGROUP)]
    assert missing == [], graded.run.missing_protections


@pytest.mark.parametrize("case", ["reference", "reference_last"])
def test_reference_keeps_full_marks(graded: Graded, case: str) -> None:
    exercise = _huber(graded[case])
    assert exercise.score == FULL_MARKS and exercise.status == "passed", _describe(graded[case])


@pytest.mark.parametrize("attack", [attack.stem for attack in _attacks()])
def test_attack_scores_exactly_the_wrong_answer_it_hides(graded: Graded, attack: str) -> None:
    hidden = _hidden_answer(ATTACKS_DIR / f"{attack}.py")
    tricked, plain = _huber(graded[f"attack:{attack}"]), _huber(graded[f"plain:{hidden}"])
    report = f"\nattack:\n{_describe(graded[f'attack:{attack}'])}\nplain:\n{_describe(graded[f'plain:{hidden}'])}"
    assert plain.score < FULL_MARKS, f"the plain wrong answer {hidden} is not wrong{report}"
    assert tricked.score == plain.score, f"{attack} scored {tricked.score}, {hidden} alone {plain.score}{report}"
    per_check = {check.check_id: check.score for check in plain.checks}
    assert {check.check_id: check.score for check in tricked.checks} == per_check, report


def test_no_attack_leaks_anything_into_its_messages(graded: Graded) -> None:
    for case, result in graded.by_case.items():
        for exercise in result.exercises:
            for check in exercise.checks:
                assert "LEAK:" not in check.message, f"{case}: {check.check_id}: {check.message}"


def test_the_attacks_failed_in_the_expected_ways(graded: Graded) -> None:
    def messages(case: str) -> str:
        return "\n".join(check.message for check in _huber(graded[case]).checks)

    # hangs and exits are reported as such, and only where they happened
    cpu = _huber(graded["attack:cpu_loop"])
    assert cpu.status == "timeout" and [c.status for c in cpu.checks][-1] == "timeout", _describe(graded["attack:cpu_loop"])
    assert "CPU time" in messages("attack:cpu_loop")
    assert "exited" in messages("attack:exit_in_function") or "stopped" in messages("attack:exit_in_function")
    for case in ("attack:exit_at_import", "attack:sysexit_at_import", "attack:keyboard_interrupt_at_import"):
        assert _huber(graded[case]).score == 0 and _huber(graded[case]).status in ("error", "failed"), _describe(graded[case])
    assert "SystemExit" in messages("attack:sysexit_at_import")
    assert "KeyboardInterrupt" in messages("attack:keyboard_interrupt_in_function")
    assert "GeneratorExit" in messages("attack:generator_exit_in_function")


def test_no_sandboxed_process_survives(graded: Graded) -> None:
    assert graded.leftover_processes == []


def test_nothing_outside_scratch_changed(graded: Graded) -> None:
    assert graded.canary.read_text() == "canary: nothing may touch this file\n"
    assert _digest(graded.canary) == graded.canary_digest
    # Others may edit the checkout while this runs, so a change counts as the attacks' doing when the
    # file is one they target, or its name or content is one of theirs. Set ADVERSARIAL_STRICT_CANARY=1
    # on a quiet checkout to fail on any change at all.
    targets = {str(root / name) for root in (REPO_ROOT, graded.course_copy)
               for name in ("solutions/huber.py", "autograder/checks/huber.py", "course.yml",
                            "course_checks/probes/huber.py", "autograder/sandbox/worker.py")}
    targets |= {str(Path.home() / name) for name in (".bashrc", ".profile")}
    changed = sorted(path for path in set(graded.before) | set(graded.after)
                     if graded.before.get(path) != graded.after.get(path))
    strict = os.environ.get("ADVERSARIAL_STRICT_CANARY") == "1"
    blamed = [path for path in changed
              if strict or (path in targets and graded.before.get(path, (0, 0, ""))[2] != graded.after.get(path, (0, 0, ""))[2])
              or (path not in graded.before and _suspicious(path))]
    assert blamed == [], f"files changed during the grading run: {blamed}"
    dropped = [str(path) for directory in {Path("/tmp"), Path.home(), REPO_ROOT, Path.cwd(), graded.course_copy}
               for path in directory.iterdir() if path.name in HIJACK_NAMES]
    assert dropped == [], f"attack files outside the case directories: {dropped}"


# ------------------------------------------------------------------------------------------- bad input
def _checks_text(result: SubmissionResult) -> str:
    return "\n".join(f"{check.status}: {check.message}" for exercise in result.exercises for check in exercise.checks)


@pytest.mark.parametrize(("case", "status", "message"), [
    ("syntax_error", "error", "syntax error on line 11"),
    ("missing_module", "error", "ModuleNotFoundError: No module named 'torch_extras_not_installed'"),
    ("infinite_loop", "timeout", "CPU time"),
    ("sleep_forever", "timeout", "without computing"),
    ("input_call", "error", "EOFError"),
    ("not_utf8", "error", "not UTF-8"),
    ("nb_truncated", "error", "not a valid notebook"),
    ("nb_not_json", "error", "not a valid notebook"),
])
def test_bad_input_fails_the_whole_exercise_clearly(graded: Graded, case: str, status: str, message: str) -> None:
    result = graded[f"bad:{case}"]
    exercise = _huber(result)
    assert exercise.score == 0 and exercise.status == status, _describe(result)
    assert all(check.status == status and message in check.message for check in exercise.checks), _describe(result)


def test_missing_function_fails_only_its_checks(graded: Graded) -> None:
    exercise = _huber(graded["bad:missing_function"])
    scale = [check for check in exercise.checks if check.check_id == "test_scale"]
    assert scale[0].status == "failed" and "no function named builtin_huber_scale" in scale[0].message
    assert exercise.score == FULL_MARKS - scale[0].max_score, _describe(graded["bad:missing_function"])


def test_wrong_signature_names_the_parameter(graded: Graded) -> None:
    exercise = _huber(graded["bad:wrong_signature"])
    text = _checks_text(graded["bad:wrong_signature"])
    assert exercise.status == "failed" and "unexpected keyword argument 'sigma'" in text, text
    assert exercise.score == 3.0, _describe(graded["bad:wrong_signature"])  # builtin (2) + scale (1)


def test_a_200_mb_print_goes_nowhere_and_costs_nothing(graded: Graded) -> None:
    assert _huber(graded["bad:print_200mb"]).score == FULL_MARKS, _describe(graded["bad:print_200mb"])


def test_notebooks(graded: Graded) -> None:
    assert _huber(graded["bad:nb_valid"]).score == FULL_MARKS, _describe(graded["bad:nb_valid"])
    missing = _huber(graded["bad:nb_missing_cell"])
    assert "no function named huber_loss" in _checks_text(graded["bad:nb_missing_cell"])
    assert missing.score == 3.0, _describe(graded["bad:nb_missing_cell"])  # only builtin and scale remain
    # a duplicated answer cell: the last copy (quadratic_missing_half's formula) is graded
    assert (_huber(graded["bad:nb_duplicated_cell"]).score == _huber(graded["plain:quadratic_missing_half"]).score
            < FULL_MARKS), _describe(graded["bad:nb_duplicated_cell"])


def test_empty_directory_is_missing_everything(graded: Graded) -> None:
    result = graded["bad:empty_directory"]
    assert result.score == 0 and len(result.exercises) == len(load_course().exercises), _describe(result)
    assert all(exercise.status == "missing" for exercise in result.exercises), _describe(result)
    assert all("huber.py" in check.message or exercise.exercise_id != "huber"
               for exercise in result.exercises for check in exercise.checks)


# ------------------------------------------------------------------------------------------- CLI
def test_cli_grades_attacks_and_bad_input_end_to_end(tmp_path: Path) -> None:
    paths = []
    for case, source in (("ref", REFERENCE), ("attack", ATTACKS_DIR / "patch_torch_allclose.py"),
                         ("bad", BAD_DIR / "syntax_error" / "huber.py")):
        (tmp_path / case).mkdir()
        shutil.copyfile(source, tmp_path / case / "huber.py")
        paths.append(str(tmp_path / case / "huber.py"))
    course = Path(sys.executable).parent / "course"
    done = subprocess.run([str(course), "grade", "--json", "--workers", "1", *paths], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)  # exactly one JSON document: json.loads rejects trailing data
    assert set(document) >= {"submissions"} and [s["path"] for s in document["submissions"]] == paths
    for submission in document["submissions"]:
        assert {"path", "score", "max_score", "exercises"} <= set(submission)
        (exercise,) = submission["exercises"]
        assert {"id", "score", "max_score", "status", "checks"} <= set(exercise) and exercise["id"] == "huber"
        assert exercise["status"] in ("passed", "failed", "error", "timeout", "missing")
        for check in exercise["checks"]:
            assert {"name", "status", "score", "max_score", "message"} <= set(check)
            assert check["status"] in ("passed", "failed", "error", "timeout")
    ref, attack, bad = document["submissions"]
    assert ref["score"] == ref["max_score"] == FULL_MARKS
    assert attack["score"] < FULL_MARKS
    assert bad["score"] == 0 and bad["exercises"][0]["status"] == "error"
    assert "syntax error on line" in bad["exercises"][0]["checks"][0]["message"]
