"""Stock nbgrader versus the course's pipeline, on the same 60-notebook class, in one run.

Ten simulated students hand in the six notebooks (references, stubs, catalogued wrong answers
and one adversarial student). The class is autograded twice with `nbgrader autograde`:

- stock: nbgrader's default pipeline, which executes each notebook's grade cells in a Jupyter
  kernel (here they run the same checks, in-process, next to the student's code);
- course: the course's nbgrader_config.py, which grades the answer cells in the sandbox (in judge
  processes of the run, while nbgrader records the notebooks already graded).

Prints both wall times, their ratio and the machine's load average before each run (the machine
is shared: a loaded machine slows both, not always alike), and checks that the scores agree for
every non-adversarial student.

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
    """Build the class once, grade it both ways, print the comparison."""
    course = load_course()
    students = benchmark_class()
    with tempfile.TemporaryDirectory(prefix="course-nbgrader-bench-") as scratch:
        ours = init_course_directory(Path(scratch) / "course", course)
        nbgrader(ours, "generate_assignment", course.assignment, "--force")
        write_class(ours, course, students)
        stock = Path(scratch) / "stock"
        shutil.copytree(ours, stock)
        (stock / "nbgrader_config.py").write_text(STOCK_CONFIG, encoding="utf-8")
        notebooks = len(list((ours / "submitted").rglob("*.ipynb")))
        stock_seconds, stock_load = autograde_seconds(stock, course.assignment)
        course_seconds, course_load = autograde_seconds(ours, course.assignment)
        stock_scores = scores(stock, course.course_id, course.assignment, students)
        course_scores = scores(ours, course.course_id, course.assignment, students)
    print(f"{notebooks} notebooks from {len(students)} students, `nbgrader autograde` each way, this machine")
    print(f"  stock nbgrader (grade cells in a kernel): {stock_seconds:7.1f} s  {stock_seconds / notebooks:5.2f} s per notebook"
          f"  (load average before: {stock_load:.2f})")
    print(f"  course pipeline (sandboxed checks):       {course_seconds:7.1f} s  {course_seconds / notebooks:5.2f} s per notebook"
          f"  (load average before: {course_load:.2f})")
    print(f"  ratio: the course pipeline is {stock_seconds / course_seconds:.1f} times as fast")
    adversarial = {"eve"}
    disagreements = {name: (stock_scores[name], course_scores[name]) for name in stock_scores
                     if name not in adversarial and stock_scores[name] != course_scores[name]}
    for name in sorted(adversarial):
        print(f"  adversarial {name}: stock {stock_scores[name]:g}, course {course_scores[name]:g}")
    if disagreements:
        print(f"  scores differ (stock, course): {disagreements}")
        sys.exit(1)
    print("  every non-adversarial student got the same score both ways")


if __name__ == "__main__":
    main()
