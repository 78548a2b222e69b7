"""`course demo`'s closing report: the grade table and where to find feedback and grades."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from autograder.manifest import Course
from autograder.nbgrader_plugin.demo import DemoResult


def print_demo_report(result: DemoResult, course: Course, console: Console) -> None:
    """One row per simulated student with a score per notebook, then the paths."""
    table = Table(title=f"{course.assignment}: autograded in the sandbox", title_justify="left")
    table.add_column("student", style="bold")
    graded = course.exercises_in(course.assignment)  # the demo's assignment, not the others of course.yml
    for exercise in graded:
        table.add_column(exercise.id, justify="right")
    table.add_column("total", justify="right")
    for student in result.students:
        scores = result.scores.get(student.student_id, {})
        cells = [("–" if scores.get(exercise.folder) is None else f"{scores[exercise.folder]:g}")
                 for exercise in graded]
        total = sum(score for score in scores.values() if score is not None)
        maximum = sum(result.max_scores.values())
        table.add_row(student.student_id, *cells, f"{total:g}/{maximum:g}")
    console.print(table)
    for student in result.students:
        console.print(f"  {student.student_id}: {student.description}")
    console.print("a notebook not handed in scores 0; –: the student has no submission in the gradebook")
    console.print(f"course directory: {result.course_dir}")
    console.print(f"feedback (HTML):  {result.feedback_dir}/<student>/{course.assignment}/<notebook>.html")
    console.print(f"grades (CSV):     {result.grades_csv}")
    timing = ", ".join(f"{name.split(' (')[0]} {seconds:.1f} s" for name, seconds in result.timings.items())
    console.print(f"timings: {timing}")
