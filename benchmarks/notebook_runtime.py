"""How long each released notebook takes to run top to bottom with the reference answers.

Makes a course directory (`course init`), releases every assignment with `nbgrader
generate_assignment`, puts the reference answers into each released notebook's answer cells and
runs it with nbclient in a fresh kernel, as a student's "Run All" would (kernel start included).
Prints the seconds per notebook and whether it is under the 10-second budget; exits 1 if a
notebook errs, a visible check fails, or the budget is missed.

    python benchmarks/notebook_runtime.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from autograder.manifest import load_course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader
from autograder.nbgrader_plugin.simulated_class import fill_reference_answers

BUDGET_SECONDS = 10.0


def _problems(notebook: nbformat.NotebookNode) -> list[str]:
    """Errors and stderr anywhere, and a visible-check total that is not "n of n"."""
    problems = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                problems.append(f"{output.ename}: {output.evalue}")
            elif output.output_type == "stream" and output.name == "stderr":
                problems.append(f"stderr: {output.text.strip()[:200]}")
        if cell.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_visible_checks"):
            text = " ".join(str(output.get("data", {}).get("text/plain", "")) for output in cell.outputs)
            total = next((line for line in text.splitlines() if "visible checks passed" in line), "no total line")
            passed, _, rest = total.partition(" of ")
            if not rest.startswith(passed + " "):
                problems.append(f"visible checks: {total}")
    return problems


def main() -> int:
    course = load_course()
    failed = False
    with tempfile.TemporaryDirectory(prefix="notebook-runtime-") as scratch:
        directory = init_course_directory(Path(scratch), course)
        for assignment in course.assignments:
            nbgrader(directory, "generate_assignment", assignment, "--force")
        print(f"{'notebook':<28}{'seconds':>9}  under {BUDGET_SECONDS:g} s")
        for exercise in course.exercises:
            release = directory / "release" / course.assignment_of(exercise)
            notebook = nbformat.read(release / f"{exercise.folder}.ipynb", as_version=4)
            fill_reference_answers(notebook, exercise)
            client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                                    resources={"metadata": {"path": str(release)}})
            started = time.perf_counter()
            client.execute()
            seconds = time.perf_counter() - started
            problems = _problems(notebook)
            within = seconds < BUDGET_SECONDS
            failed |= bool(problems) or not within
            print(f"{exercise.folder + '.ipynb':<28}{seconds:>9.2f}  {'yes' if within else 'NO'}"
                  + "".join(f"\n    {problem}" for problem in problems))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
