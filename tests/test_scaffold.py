"""Adding an exercise (issue 10, points 1, 4 and 6): `course new` scaffolds everything it needs, the
course builds and grades it, `course verify` names what is still missing, and the course's own tests,
which follow course.yml, still pass.

Everything runs in a throwaway copy of the repository (its files as git sees them), never in the
checkout: `course new scaffold_demo`, then `course build`. In the copy, a part of the suite runs again,
with the new exercise in course.yml: the tests of the manifest, the build, the conventions, the hints,
the visible checks, the release (in a clean environment) and the self-learner's path. Left out: the
catalogue test, which must fail for a new exercise until its wrong answers and alternatives exist
(`course verify` saying so is checked here), and the sandbox, nbgrader and load tests, which do not
depend on the list of exercises and take most of the suite's time (the sandbox grades the new
exercise here, through `course grade`).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import CourseCli

from autograder.manifest import load_course

NEW = "scaffold_demo"
TITLE = "A scaffolded exercise: D2L's linear model"
IN_THE_COPY = ["tests/test_manifest.py", "tests/test_build.py", "tests/test_conventions.py", "tests/test_hints.py",
               "tests/test_visible_checks.py", "tests/test_runtime.py", "tests/test_selfstudy.py"]


def _tree(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in root.rglob("*") if path.is_file() and "__pycache__" not in path.parts}


class Copy:
    """A copy of the repository, and the `course` command run in it."""

    def __init__(self, root: Path, cli: CourseCli) -> None:
        self.root = root
        self.cli = cli
        self.env = {"PYTHONPATH": str(root)}
        self.before: dict[str, str] = {}
        self.new: subprocess.CompletedProcess[str] | None = None

    def course(self, *arguments: str) -> subprocess.CompletedProcess[str]:
        return self.cli(*arguments, cwd=self.root, env=self.env)


def _copy_with_new_exercise(root: Path, cli: CourseCli, copy_repository: Callable[[Path], Path],
                            *options: str) -> Copy:
    """A copy of the repository's files (as git sees them) in `root`, after `course new NEW ...` and `course build`."""
    repository = Copy(copy_repository(root), cli)
    repository.before = _tree(root)
    repository.new = repository.course("new", NEW, "--title", TITLE, *options)
    assert repository.new.returncode == 0, repository.new.stderr
    built = repository.course("build")
    assert built.returncode == 0, built.stderr
    return repository


@pytest.fixture(scope="module")
def copy(tmp_path_factory: pytest.TempPathFactory, course_cli: CourseCli,
         copy_repository: Callable[[Path], Path]) -> Copy:
    return _copy_with_new_exercise(tmp_path_factory.mktemp("repository"), course_cli, copy_repository)


def test_course_new_says_what_it_wrote_and_what_to_run_next(copy: Copy) -> None:
    assert copy.new is not None
    output = copy.new.stdout
    number = max(int(exercise.folder[:2]) for exercise in load_course().exercises) + 1
    assert f"added exercise {number}, {NEW}, to course.yml (folder {number:02d}_{NEW})" in output
    for path in (f"solutions/{NEW}.py", f"course_checks/probes/{NEW}.py", f"autograder/checks/{NEW}.py",
                 f"tests/catalogue/{NEW}/wrong/README.md", f"tests/catalogue/{NEW}/correct/README.md"):
        assert f"  {path}\n" in output
    assert output.strip().splitlines()[-1] == (f"next: `course build` (the stub, the notebook, the release's visible "
                                               f"checks), then `course verify --exercise {NEW}` (it names what the "
                                               "exercise still lacks).")


def test_adding_an_exercise_touches_only_its_own_files_and_three_generated_indexes(copy: Copy) -> None:
    """Issue 10, point 6: the files adding an exercise touches. Before: 4 authored files, the catalogue,
    a hand-kept list in the sandbox's zygote and 2 test edits (see docs/architecture.md)."""
    after = _tree(copy.root)
    touched = sorted(path for path in after if copy.before.get(path) != after[path])
    course = load_course(copy.root / "course.yml")
    exercise = course.exercise(NEW)
    releases = [f"source/{course.assignment}", f"source/{course.assignment}_zh"]  # English, Chinese
    expected = sorted([
        "course.yml",  # shared, one entry appended
        f"solutions/{NEW}.py", f"autograder/checks/{NEW}.py", f"course_checks/probes/{NEW}.py",  # authored
        f"tests/catalogue/{NEW}/wrong/README.md", f"tests/catalogue/{NEW}/correct/README.md",  # the catalogue
        f"exercises/{exercise.folder}/{NEW}.py", f"exercises/{exercise.folder}/test_{NEW}.py",  # generated
        f"exercises/{exercise.folder}/README.md", f"exercises/{exercise.folder}/README.zh.md",
        *(f"{release}/{exercise.folder}.ipynb" for release in releases),
        *(f"{release}/visible_checks/{NEW}.py" for release in releases),
        "exercises/README.md", "exercises/README.zh.md",  # generated indexes of every exercise
        *(f"{release}/visible_checks/catalog.json" for release in releases),
    ])
    assert touched == expected
    assert not (set(copy.before) - set(after))


def test_a_scaffolded_exercise_builds_and_its_stub_fails_with_not_implemented_yet(copy: Copy) -> None:
    assert copy.course("build", "--check").returncode == 0
    folder = load_course(copy.root / "course.yml").exercise(NEW).folder
    learner = subprocess.run([sys.executable, "-m", "pytest", f"exercises/{folder}", "-p", "no:cacheprovider"],
                             cwd=copy.root, env={**os.environ, **copy.env}, capture_output=True, text=True, timeout=300)
    assert learner.returncode == 1
    assert f"got:      NotImplementedError: {NEW} is not implemented yet" in learner.stdout
    assert f"expected: {NEW} to return the linear model's predictions X @ w + b" in learner.stdout


def test_verify_names_what_the_scaffolded_exercise_still_lacks(copy: Copy) -> None:
    verified = copy.course("verify", "--exercise", NEW, "--reference-seeds", "2")
    assert verified.returncode == 1
    problems = [line.strip().removeprefix("problem: ") for line in verified.stdout.splitlines()
                if line.strip().startswith("problem:")]
    assert problems == [
        f"no wrong answers yet: add at least 8 to tests/catalogue/{NEW}/wrong/ (see its README.md)",
        f"no correct alternatives yet: add at least 3 to tests/catalogue/{NEW}/correct/",
        "no hidden check: grading would only repeat what students already run (add a @check without public=True, "
        "on fresh inputs)",
        f"solutions/{NEW}.py still holds 5 placeholder(s) of `course new` (TODO(course new)) to replace",
        f"autograder/checks/{NEW}.py still holds 2 placeholder(s) of `course new` (TODO(course new)) to replace",
        f"course_checks/probes/{NEW}.py still holds 2 placeholder(s) of `course new` (TODO(course new)) to replace",
        "no wrong answer is marked '# headline': which misconception must the visible checks catch?",
    ]  # and nothing about the reference or the stub: the reference scores full marks, the stub zero


def test_the_sandbox_grades_the_scaffolded_exercise(copy: Copy) -> None:
    graded = copy.course("grade", f"solutions/{NEW}.py", "--json")
    if graded.returncode == 4:
        pytest.skip(f"this machine cannot confine submitted code: {graded.stderr.strip()}")
    assert graded.returncode == 0, graded.stderr
    exercise, = json.loads(graded.stdout)["submissions"][0]["exercises"]
    assert exercise["id"] == NEW and exercise["score"] == exercise["max_score"] == 1.0


def test_the_suite_still_passes_with_the_scaffolded_exercise(copy: Copy) -> None:
    suite = subprocess.run([sys.executable, "-m", "pytest", *IN_THE_COPY, "-q", "-p", "no:cacheprovider"],
                           cwd=copy.root, env={**os.environ, **copy.env}, capture_output=True, text=True,
                           timeout=1800)
    assert suite.returncode == 0, suite.stdout[-4000:]


@pytest.mark.parametrize(("arguments", "message"), [
    (["new", "Huber2", "--title", "t"], "course: 'Huber2' cannot be an exercise id"),
    (["new", "huber", "--title", "t"], "course: course.yml already has an exercise 'huber'"),
    (["new", "fresh", "--title", "  "], "course: --title is empty"),
    (["new", NEW, "--title", "again"], f"course: course.yml already has an exercise '{NEW}'"),
])
def test_course_new_refuses_in_one_line_and_writes_nothing(copy: Copy, arguments: list[str], message: str) -> None:
    before = _tree(copy.root)
    result = copy.course(*arguments)
    assert result.returncode == 1 and result.stderr.startswith(message) and result.stderr.count("\n") == 1
    assert _tree(copy.root) == before


def test_course_new_refuses_a_manifest_it_cannot_append_to(copy: Copy, tmp_path: Path) -> None:
    """An entry appended after another top-level block would not be an exercise: say so, write nothing."""
    from autograder.build.authored import AuthoringError
    from autograder.build.scaffold import new_exercise

    (tmp_path / "course.yml").write_text((copy.root / "course.yml").read_text() + "extra: 1\n")
    course = load_course(copy.root / "course.yml")
    with pytest.raises(AuthoringError):
        new_exercise(tmp_path, course, "appended", "Appended")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["course.yml"]


def test_a_new_exercise_speaks_chinese_with_catalog_entries_only(copy: Copy) -> None:
    """Issue 11: `course translations` puts the new exercise's prose into the catalog (untranslated, so its
    Chinese files fall back to English and the catalog test names what is left); a translation entry, and
    nothing else, puts it into the Chinese README and notebook."""
    from babel.messages.pofile import read_po, write_po

    assert copy.course("translations").returncode == 0
    po = copy.root / "course_checks" / "locale" / "zh_CN" / "LC_MESSAGES" / "course.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN", domain="course")
    new = [message for message in catalog if message.id and {where for where, _ in message.locations} <= {
        f"solutions/{NEW}.py", "course.yml"} and any(where == f"solutions/{NEW}.py" for where, _ in message.locations)]
    # untranslated, or only a suggestion Babel found in a similar message (fuzzy: gettext leaves it out)
    assert TITLE in [message.id for message in catalog] and new
    assert not any(message.string and not message.fuzzy for message in new)
    checked = copy.course("translations", "--check")
    assert checked.returncode == 1 and "no translation" in checked.stderr

    catalog[TITLE].string = "脚手架生成的练习：D2L 的线性模型"
    with po.open("wb") as handle:
        write_po(handle, catalog, width=100, include_lineno=False)
    assert copy.course("build").returncode == 0
    folder = load_course(copy.root / "course.yml").exercise(NEW).folder
    readme = (copy.root / "exercises" / folder / "README.zh.md").read_text(encoding="utf-8")
    assert readme.startswith("# 脚手架生成的练习：D2L 的线性模型\n")
    assert "**Predict before you run anything**" not in readme  # a paragraph other exercises share is translated
    notebook = json.loads((copy.root / "source" / "linreg_zh" / f"{folder}.ipynb").read_text(encoding="utf-8"))
    assert notebook["cells"][0]["source"].startswith("# 脚手架生成的练习：D2L 的线性模型")
    assert "| 脚手架生成的练习：D2L 的线性模型 |" in (copy.root / "exercises" / "README.zh.md").read_text(encoding="utf-8")


def test_course_new_can_start_a_second_nbgrader_assignment(tmp_path: Path, course_cli: CourseCli,
                                                           copy_repository: Callable[[Path], Path],
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """`--assignment extra` releases the exercise in its own assignment; the others' files stay as they were."""
    from autograder.nbgrader_plugin.course_dir import nbgrader

    repository = _copy_with_new_exercise(tmp_path / "repository", course_cli, copy_repository, "--assignment", "extra")
    course = load_course(repository.root / "course.yml")
    assert course.assignments == [*load_course().assignments, "extra"]
    assert [exercise.id for exercise in course.exercises_in("extra")] == [NEW]
    assert "    assignment: extra\n" in (repository.root / "course.yml").read_text()
    after = _tree(repository.root)
    touched = {path for path in after if repository.before.get(path) != after[path]}
    folder = course.exercise(NEW).folder
    assert {f"source/{extra}/{folder}.ipynb" for extra in ("extra", "extra_zh")} | {
        f"source/{extra}/visible_checks/{name}" for extra in ("extra", "extra_zh") for name in ("catalog.json", f"{NEW}.py")
    } <= touched  # the new assignment, in English and in Chinese
    assert not {path for path in touched if path.startswith((f"source/{course.assignment}/",
                                                             f"source/{course.assignment}_zh/"))}
    assert repository.course("build", "--check").returncode == 0

    course_dir = tmp_path / "nbgrader"
    monkeypatch.setenv("PYTHONPATH", str(repository.root))  # nbgrader's plug-in is the copy's, with its course.yml
    initialised = repository.course("init", str(course_dir))
    assert initialised.returncode == 0, initialised.stderr
    assert "(assignments: linreg, linreg_zh, " in initialised.stdout and ", extra, extra_zh)" in initialised.stdout
    nbgrader(course_dir, "generate_assignment", "extra", "--force")
    release = course_dir / "release" / "extra"
    assert sorted(path.name for path in release.glob("*.ipynb")) == [f"{folder}.ipynb"]
    assert sorted(path.name for path in (release / "visible_checks").glob("*.py")) == ["__init__.py", f"{NEW}.py"]
    assert (release / "course_checks" / "harness" / "session.py").is_file()
