"""Stock nbgrader versus the course's pipeline, on the same 60-notebook class, in one run.

Ten simulated students hand in the six notebooks (references, stubs, catalogued wrong answers
and one adversarial student). The class is autograded with `nbgrader autograde` three times, each on
its own copy: the course's pipeline, stock, the course's pipeline again:

- stock: nbgrader's default pipeline, which executes each notebook's grade cells in a Jupyter
  kernel (here they run the same checks, in-process, next to the student's code);
- course: the course's nbgrader_config.py, which grades the answer cells in the sandbox (in judge
  processes of the run, while nbgrader records the notebooks already graded).

Prints the wall times, the ratios and the machine's load average before each run (the machine is
shared: a loaded machine slows both, not always alike; the course's pipeline runs before and after
stock's minutes of load), and checks that the scores agree for every non-adversarial student.

    python benchmarks/nbgrader_throughput.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook

from autograder.manifest import load_course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader
from autograder.nbgrader_plugin.simulated_class import SimulatedStudent, simulated_class, wrong_answers, write_class

STOCK_CONFIG = '''from autograder.nbgrader_plugin.config import configure

configure(get_config(), sandboxed=False)  # noqa: F821
'''


def benchmark_class() -> list[SimulatedStudent]:
    """Ten students: the demo's six (minus the broken-notebook one) and more wrong answers."""
    students = [student for student in simulated_class() if student.student_id != "fay"]
    students += [SimulatedStudent(f"wrong{index}", f"catalogued wrong answers #{index}", wrong_answers(index))
                 for index in (1, 2, 4, 5, 6)]
    return students


def autograde_seconds(course_dir: Path, assignment: str) -> tuple[float, float]:
    """Wall time of one `nbgrader autograde` over the whole class, and the 1-minute load average before it."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    nbgrader(course_dir, "autograde", assignment, "--force", check=False)
    return time.perf_counter() - started, load


def scores(course_dir: Path, course_id: str, assignment: str, students: list[SimulatedStudent]) -> dict[str, float]:
    """Each student's total from the course directory's gradebook."""
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}", course_id=course_id) as gradebook:
        return {student.student_id: gradebook.find_submission(assignment, student.student_id).score
                for student in students}


def main() -> None:
    """Build the class once, grade it both ways (the course's pipeline before and after stock), print the comparison."""
    course = load_course()
    students = benchmark_class()
    with tempfile.TemporaryDirectory(prefix="course-nbgrader-bench-") as scratch:
        ours = init_course_directory(Path(scratch) / "course", course)
        nbgrader(ours, "generate_assignment", course.assignment, "--force")
        write_class(ours, course, students)
        stock, ours_after = Path(scratch) / "stock", Path(scratch) / "course-after"
        shutil.copytree(ours, stock)
        shutil.copytree(ours, ours_after)
        (stock / "nbgrader_config.py").write_text(STOCK_CONFIG, encoding="utf-8")
        notebooks = len(list((ours / "submitted").rglob("*.ipynb")))
        # The course's pipeline runs before and after stock's four minutes of load, each on its own copy.
        runs = [("course pipeline, before stock", ours, autograde_seconds(ours, course.assignment)),
                ("stock nbgrader (grade cells in a kernel)", stock, autograde_seconds(stock, course.assignment)),
                ("course pipeline, after stock", ours_after, autograde_seconds(ours_after, course.assignment))]
        graded = {name: scores(directory, course.course_id, course.assignment, students) for name, directory, _ in runs}
    print(f"{notebooks} notebooks from {len(students)} students, `nbgrader autograde`, this machine")
    for name, _, (seconds, load) in runs:
        print(f"  {name:42s} {seconds:7.1f} s  {seconds / notebooks:5.2f} s per notebook  (load average before: {load:.2f})")
    stock_seconds = runs[1][2][0]
    course_seconds = [runs[0][2][0], runs[2][2][0]]
    print(f"  ratio: the course pipeline is {stock_seconds / max(course_seconds):.1f} to {stock_seconds / min(course_seconds):.1f} "
          f"times as fast ({stock_seconds / (sum(course_seconds) / 2):.1f} on the mean of its two runs)")
    stock_scores = graded[runs[1][0]]
    adversarial = {"eve"}
    disagreements = {(run, name): (stock_scores[name], scores_of_run[name]) for run, scores_of_run in graded.items()
                     for name in stock_scores if name not in adversarial and stock_scores[name] != scores_of_run[name]}
    for name in sorted(adversarial):
        print(f"  adversarial {name}: stock {stock_scores[name]:g}, course {graded[runs[0][0]][name]:g} and "
              f"{graded[runs[2][0]][name]:g}")
    if disagreements:
        print(f"  scores differ (stock, course): {disagreements}")
        sys.exit(1)
    print("  every non-adversarial student got the same score in every run")


if __name__ == "__main__":
    main()
