"""Zygote versus a fresh Python process per submission, side by side in one run.

Grades the same 60 single-exercise submissions (per exercise: the reference, the stub and eight
catalogued wrong answers) twice with `course grade`'s engine: workers forked from the warmed
zygote, then workers that each start a new interpreter and import torch themselves. Prints
submissions per second for both and their ratio, and checks that both runs agree on every score.

    python benchmarks/grade_throughput.py [--workers N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from autograder.build.generate import render
from autograder.grading.engine import GradingRun, grade
from autograder.manifest import REPO_ROOT, load_course

WRONG_PER_EXERCISE = 8


def build_submissions(root: Path) -> list[Path]:
    """60 folders, each holding one `<id>.py`: references, stubs and wrong answers."""
    course = load_course()
    stubs = {file.path.name: file.content for file in render(course, REPO_ROOT)}
    submissions = []
    for exercise in course.exercises:
        sources = [REPO_ROOT / "solutions" / exercise.module_file]
        sources += sorted((REPO_ROOT / "tests" / "catalogue" / exercise.id / "wrong").glob("*.py"))[:WRONG_PER_EXERCISE]
        for number, source in enumerate(sources):
            target = root / f"{exercise.id}-{number:02d}" / exercise.module_file
            target.parent.mkdir(parents=True)
            shutil.copy(source, target)
            submissions.append(target)
        stub = root / f"{exercise.id}-stub" / exercise.module_file
        stub.parent.mkdir(parents=True)
        stub.write_text(stubs[exercise.module_file], encoding="utf-8")
        submissions.append(stub)
    return submissions


def timed(paths: list[Path], workers: int, fresh: bool) -> tuple[GradingRun, float]:
    """One grading run and its wall time, start-up included."""
    started = time.perf_counter()
    run = grade(paths, workers=workers, fresh_processes=fresh)
    return run, time.perf_counter() - started


def main() -> None:
    """Run both modes and print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="judge processes in both runs (default 2)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="course-bench-") as scratch:
        paths = build_submissions(Path(scratch))
        zygote_run, zygote_seconds = timed(paths, arguments.workers, fresh=False)
        fresh_run, fresh_seconds = timed(paths, arguments.workers, fresh=True)
    disagreements = [(a.path, a.score, b.score) for a, b in zip(zygote_run.submissions, fresh_run.submissions)
                     if a.score != b.score]
    count = len(paths)
    print(f"{count} single-exercise submissions, {arguments.workers} judge process(es), this machine")
    print(f"  zygote (fork per submission): {zygote_seconds:7.1f} s  {count / zygote_seconds:6.2f} submissions/s  "
          f"{1000 * zygote_seconds / count:7.0f} ms per submission (start-up included)")
    print(f"  fresh Python per submission:  {fresh_seconds:7.1f} s  {count / fresh_seconds:6.2f} submissions/s  "
          f"{1000 * fresh_seconds / count:7.0f} ms per submission")
    print(f"  ratio: the zygote grades {fresh_seconds / zygote_seconds:.1f} times as many submissions per second")
    if disagreements:
        print(f"  scores differ on {len(disagreements)} submission(s): {disagreements[:5]}")
        sys.exit(1)
    print("  both runs gave every submission the same score")


if __name__ == "__main__":
    main()
