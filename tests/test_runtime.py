"""The student runtime is a real package (issue 10, point 3): `course_checks/` imports nothing of the
engine, a release carries it verbatim (never a copy committed under source/), and the release's
visible checks run in a clean environment that has only what a student's JupyterLab has.

The clean environment is a virtual environment made from this environment's base interpreter,
without system site-packages and without pip. It reuses this environment's site-packages for torch
(exactly torch==2.13.0) and the other libraries through a .pth file: a directory added that way is
only put on sys.path, its own .pth files are not processed, so the course's editable install (a
.pth hook there) stays out and neither `autograder` nor the repository's `course_checks` can be
imported. Installing torch afresh into every test run would add minutes and test nothing more.
"""

from __future__ import annotations

import ast
import filecmp
import json
import os
import re
import site
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.build.release import RUNTIME_ROOT, runtime_files
from autograder.manifest import REPO_ROOT, load_course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader
from course_checks.harness.suite import BUNDLE

COURSE = load_course()
# What the runtime may import besides the standard library: what a student's JupyterLab has.
STUDENT_LIBRARIES = {"torch", "numpy", "matplotlib", "pytest", "_pytest", "pluggy", "IPython"}
# Libraries of the engine only: none of them may be loaded by a release's checks.
ENGINE_ONLY = {"linreg-course", "nbgrader", "typer", "click", "pydantic", "pyyaml", "rich", "jupytext", "dask",
               "distributed", "playwright"}


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_runtime_imports_nothing_but_itself_the_standard_library_and_a_student_s_libraries() -> None:
    for path in RUNTIME_ROOT.rglob("*.py"):
        foreign = _imports(path) - sys.stdlib_module_names - STUDENT_LIBRARIES - {"course_checks"}
        assert not foreign, f"{path.relative_to(REPO_ROOT)} imports {sorted(foreign)}"


def test_nothing_of_the_runtime_is_committed_again_under_source() -> None:
    """Issue 10: source/linreg/course_checks/ was a 2,229-line textual copy of engine modules."""
    # What git tracks, or would on `git add -A`: the checkout's files minus the ignored ones.
    tracked = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "source"], cwd=REPO_ROOT,
                             capture_output=True, text=True, check=True).stdout.splitlines()
    assert tracked and not [path for path in tracked if f"/{RUNTIME_ROOT.name}/" in path]
    generated = {Path(path).name for path in tracked if f"/{BUNDLE}/" in path}
    assert generated == {"__init__.py", "catalog.json", *(exercise.module_file for exercise in COURSE.exercises)}


def test_every_course_checks_name_the_runtime_mentions_exists() -> None:
    """Issue 10: the copy's harness/student.py pointed at `course_checks.sandbox`, which does not exist."""
    for path in RUNTIME_ROOT.rglob("*.py"):
        for dotted in re.findall(r"\bcourse_checks(?:\.\w+)+", path.read_text(encoding="utf-8")):
            parts = dotted.split(".")[1:]
            target = RUNTIME_ROOT.joinpath(*parts)
            module = target.with_suffix(".py").is_file() or (target / "__init__.py").is_file()
            attribute = RUNTIME_ROOT.joinpath(*parts[:-1]).with_suffix(".py").is_file()
            assert module or attribute, f"{path.relative_to(REPO_ROOT)} names {dotted}, which does not exist"


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every assignment of course.yml, released by nbgrader from one course directory."""
    course_dir = init_course_directory(tmp_path_factory.mktemp("course"), COURSE)
    for assignment in COURSE.assignments:
        nbgrader(course_dir, "generate_assignment", assignment, "--force")
    return {assignment: course_dir / "release" / assignment for assignment in COURSE.assignments}


def test_the_runtime_holds_no_solution_line() -> None:
    """Everything in course_checks/ ships with every release: no line a learner is meant to write may be in it
    (the book's training loop, which learning_rate's learners write, is the judge's, in the checks)."""
    from autograder.build.authored import read_authored, solution_lines, strip_solutions

    runtime = "\n".join(path.read_text(encoding="utf-8") for path in RUNTIME_ROOT.rglob("*.py"))
    for exercise in COURSE.exercises:
        authored = read_authored(exercise.id, REPO_ROOT / "solutions" / exercise.module_file)
        given = {line.strip() for cell in authored.code_cells for line in strip_solutions(cell.source).splitlines()}
        written = {line.strip() for line in solution_lines(authored) if len(line.strip()) >= 30}
        stubs = "\n".join((REPO_ROOT / "exercises" / other.folder / other.module_file).read_text(encoding="utf-8")
                          for other in COURSE.exercises)
        leaked = [line for line in written - given if line in runtime and line not in stubs]
        assert not leaked, f"{exercise.id}: {leaked}"


@pytest.mark.parametrize("assignment", COURSE.assignments)
def test_the_release_carries_the_runtime_verbatim_and_the_visible_checks_the_build_wrote(
        releases: dict[str, Path], assignment: str) -> None:
    """No hand-kept list of files: the whole package, byte for byte, and nothing else under its name."""
    release = releases[assignment]
    copied = release / RUNTIME_ROOT.name
    shipped = sorted(path.relative_to(copied) for path in copied.rglob("*") if path.is_file()
                     and "__pycache__" not in path.parts)
    assert shipped == runtime_files()
    assert all(filecmp.cmp(RUNTIME_ROOT / relative, copied / relative, shallow=False) for relative in shipped)
    source_bundle = REPO_ROOT / "source" / assignment / BUNDLE
    assert sorted(path.name for path in (release / BUNDLE).glob("*") if path.is_file()) == sorted(
        path.name for path in source_bundle.glob("*") if path.is_file())


CLEAN_RUN = r'''
import importlib.metadata, importlib.util, json, sys
from packaging.requirements import Requirement
assert importlib.util.find_spec("autograder") is None, "the course's engine is importable"
import course_checks
from course_checks import check
report = {"runtime": course_checks.__file__, "torch": importlib.metadata.version("torch"), "checks": {}}
for exercise_id, source in json.loads(sys.argv[1]).items():
    namespace = {"__name__": "answers"}  # a notebook's cells, without its plot cell (which runs only as __main__)
    exec(compile(source, exercise_id, "exec"), namespace)
    result = check(exercise_id, namespace)
    report["checks"][exercise_id] = [record.status for record in result.records]

def normal(name):
    return name.lower().replace("_", "-").replace(".", "-")

def closure(names):
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if normal(name) in seen:
            continue
        seen.add(normal(name))
        for text in importlib.metadata.requires(name) or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return seen

allowed = closure(["torch", "numpy", "matplotlib", "pytest"])
owners = importlib.metadata.packages_distributions()
loaded = {module.split(".")[0] for module in sys.modules} - {"course_checks"}  # the release's own copy
report["foreign"] = sorted({dist for module in loaded for dist in owners.get(module, [])
                            if normal(dist) not in allowed})
print(json.dumps(report))
'''


def _clean_environment(folder: Path) -> Path:
    """A venv of the base interpreter with only this environment's libraries (not its .pth hooks) on its path."""
    base = getattr(sys, "_base_executable", sys.executable)
    clean = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONHOME")}
    subprocess.run([base, "-m", "venv", "--without-pip", str(folder)], check=True, capture_output=True, env=clean)
    python = folder / "bin" / "python"
    inner = subprocess.run([str(python), "-c", "import site; print(site.getsitepackages()[0])"], check=True,
                           capture_output=True, text=True).stdout.strip()
    (Path(inner) / "student_libraries.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    return python


@pytest.mark.slow
@pytest.mark.parametrize("assignment", COURSE.assignments)
def test_the_release_runs_its_visible_checks_in_a_clean_environment(releases: dict[str, Path], assignment: str,
                                                                    tmp_path: Path) -> None:
    release = releases[assignment]
    python = _clean_environment(tmp_path / "venv")
    exercises = COURSE.exercises_in(assignment)
    sources = {exercise.id: (REPO_ROOT / "solutions" / exercise.module_file).read_text(encoding="utf-8")
               for exercise in exercises}
    environment = {name: value for name, value in os.environ.items() if name not in ("PYTHONPATH", "PYTHONHOME")}
    done = subprocess.run([str(python), "-c", CLEAN_RUN, json.dumps(sources)], cwd=release, capture_output=True,
                          text=True, timeout=600, env=environment)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.splitlines()[-1])
    assert Path(report["runtime"]).parent == release / RUNTIME_ROOT.name
    assert report["torch"].split("+")[0] == "2.13.0"  # the pin torch==2.13.0 (a CPU build: 2.13.0+cpu)
    assert set(report["checks"]) == {exercise.id for exercise in exercises}
    for exercise_id, statuses in report["checks"].items():
        assert statuses and set(statuses) == {"passed"}, (exercise_id, statuses)
    assert not set(report["foreign"]) & ENGINE_ONLY, report["foreign"]
    assert not report["foreign"], f"the release's checks loaded libraries a student need not have: {report['foreign']}"


def test_a_release_that_cannot_get_the_runtime_stops_nbgrader_naming_why(tmp_path: Path) -> None:
    """nbgrader only logs an exception from a hook; a release without its runtime could not run a check."""
    from autograder.build.release import bundle_runtime

    folder = tmp_path / "source" / "linreg"
    folder.mkdir(parents=True)
    (folder / RUNTIME_ROOT.name).write_text("a file where the package must go")  # replacing it fails, even as root
    with pytest.raises(SystemExit, match=r"^course: cannot put the student runtime into .*course_checks for linreg"):
        bundle_runtime(assignment="linreg", student=".", notebooks=[str(folder / "01_zero_init.ipynb")])
