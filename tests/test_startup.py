"""What grading costs before it starts: the processes that only plan and collect never import torch.

`course grade` hands its submissions to judge processes and an nbgrader run to a grading process; the
process that does so needs the jobs and the result records, never the checks' machinery. Importing
torch there (1.2 s of CPU) used to delay every judge's start by as much.
"""

from __future__ import annotations

import ast
import subprocess
import sys

import course_checks.harness as harness
from autograder.manifest import REPO_ROOT

PLANNING_SIDE = ["autograder.cli", "autograder.grading.engine", "autograder.grading.distributed",
                 "autograder.nbgrader_plugin.judges", "course_checks.harness.jobs", "course_checks.harness.records"]


def _imports_in_fresh_interpreter(modules: list[str]) -> set[str]:
    code = (f"import sys\nfor name in {modules!r}:\n    __import__(name)\n"
            "print(' '.join(sorted(name for name in ('torch', 'matplotlib', 'sympy') if name in sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    return set(result.stdout.split())


def test_the_planning_side_of_grading_imports_neither_torch_nor_matplotlib() -> None:
    assert _imports_in_fresh_interpreter(PLANNING_SIDE) == set()


def test_an_nbgrader_command_starts_without_building_a_grammar() -> None:
    """jsonschema 4.25 made its format checker import rfc3987-syntax, which builds a Lark grammar at import:
    3 s of CPU on a slow machine, before every nbgrader command (nbformat imports jsonschema) and on the
    critical path of an autograde run. requirements.txt keeps jsonschema below 4.25."""
    code = "import sys, nbgrader.apps\nprint(sorted(name for name in ('rfc3987_syntax', 'lark') if name in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert result.stdout.strip() == "[]"


def test_unpickling_a_result_record_imports_no_torch() -> None:
    code = ("import pickle, sys\n"
            "from course_checks.harness.records import ExerciseResult\n"
            "data = pickle.dumps(ExerciseResult(exercise_id='huber', checks=[]))\n"
            "del sys.modules['course_checks.harness.records']\n"
            "pickle.loads(data)\n"
            "print('torch' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert result.stdout.strip() == "False"


def _typed_imports() -> dict[str, set[str]]:
    """The facade's `if TYPE_CHECKING:` imports, by module."""
    tree = ast.parse((REPO_ROOT / "course_checks" / "harness" / "__init__.py").read_text(encoding="utf-8"))
    block = next(node for node in tree.body if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING")
    imports: dict[str, set[str]] = {}
    for statement in block.body:
        assert isinstance(statement, ast.ImportFrom) and statement.module is not None
        imports.setdefault(statement.module, set()).update(alias.name for alias in statement.names)
    return imports


def test_the_facade_loads_each_name_from_the_module_its_typed_import_names() -> None:
    loaded = {module: set(names) for module, names in harness._SOURCES.items()}
    assert loaded == _typed_imports()
    for name in harness.__all__:
        assert getattr(harness, name) is getattr(sys.modules[harness._SOURCE_OF[name]], name)


def test_a_judge_that_ends_now_flushes_what_it_printed_and_exits_zero() -> None:
    code = ("from autograder.grading.judge_process import end_now\n"
            "print('answered', end='')\nend_now()\nprint('never')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT)
    assert (result.returncode, result.stdout) == (0, "answered")
