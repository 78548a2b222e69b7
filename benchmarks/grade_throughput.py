"""Zygote versus a fresh Python process per submission, side by side in one run.

Grades the same 60 single-exercise submissions (per exercise: the reference, eight catalogued
wrong answers and the stub) in this process, one judge, twice: with workers forked from the
warmed zygote, and with workers that each start a new interpreter and import torch themselves.
Prints the one-off start-up of the zygote, submissions per second for both, their ratio, the
time per submission for each exercise, and checks that both runs agree on every score.

    python benchmarks/grade_throughput.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from autograder.build.generate import render
from autograder.grading.engine import grade_jobs
from course_checks.harness.records import ExerciseResult
from autograder.judge.runner import Job
from autograder.manifest import REPO_ROOT, load_course

WRONG_PER_EXERCISE = 8


def build_jobs(root: Path) -> list[Job]:
    """60 jobs, each one `<id>.py` in its own folder: references, wrong answers and stubs."""
    course = load_course()
    stubs = {file.path.name: file.content for file in render(course, REPO_ROOT)}
    seed = int.from_bytes(os.urandom(4), "little")
    jobs = []
    for exercise in course.exercises:
        texts = [(REPO_ROOT / "solutions" / exercise.module_file).read_text(encoding="utf-8")]
        texts += [path.read_text(encoding="utf-8") for path in
                  sorted((REPO_ROOT / "tests" / "catalogue" / exercise.id / "wrong").glob("*.py"))[:WRONG_PER_EXERCISE]]
        texts.append(stubs[exercise.module_file])
        for number, text in enumerate(texts):
            target = root / f"{exercise.id}-{number:02d}" / exercise.module_file
            target.parent.mkdir(parents=True)
            target.write_text(text, encoding="utf-8")
            jobs.append(Job(f"{exercise.id}-{number:02d}", exercise.id, target, seed + number))
    return jobs


def timed(jobs: list[Job], fresh: bool) -> tuple[dict[str, ExerciseResult], dict[str, float], float]:
    """Results, seconds per exercise id, and the total, grading one exercise's jobs at a time."""
    per_exercise: dict[str, float] = defaultdict(float)
    results: dict[str, ExerciseResult] = {}
    for exercise_id in dict.fromkeys(job.exercise_id for job in jobs):
        batch = [job for job in jobs if job.exercise_id == exercise_id]
        started = time.perf_counter()
        results |= grade_jobs(batch, fresh_processes=fresh)
        per_exercise[exercise_id] = time.perf_counter() - started
    return results, per_exercise, sum(per_exercise.values())


def main() -> None:
    """Warm the zygote, grade the 60 both ways, print the comparison."""
    scratch = Path(tempfile.mkdtemp(prefix="course-bench-"))
    try:
        jobs = build_jobs(scratch)
        started = time.perf_counter()
        grade_jobs(jobs[:1])  # starts the zygote: torch imported, one training step warmed
        startup = time.perf_counter() - started
        zygote_results, zygote_each, zygote_total = timed(jobs, fresh=False)
        fresh_results, fresh_each, fresh_total = timed(jobs, fresh=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    count = len(jobs)
    per_job = defaultdict(int)
    for job in jobs:
        per_job[job.exercise_id] += 1
    print(f"{count} single-exercise submissions, one judge process, this machine")
    print(f"  zygote start-up (once):        {startup:6.1f} s")
    print(f"  zygote, a fork per submission: {zygote_total:6.1f} s  {count / zygote_total:6.2f} submissions/s  "
          f"{1000 * zygote_total / count:5.0f} ms each ({1000 * (zygote_total + startup) / count:.0f} ms with start-up)")
    print(f"  fresh Python per submission:   {fresh_total:6.1f} s  {count / fresh_total:6.2f} submissions/s  "
          f"{1000 * fresh_total / count:5.0f} ms each")
    print(f"  ratio: {fresh_total / zygote_total:.1f} times the fresh-process rate "
          f"({fresh_total / (zygote_total + startup):.1f} counting the zygote's start-up)")
    print("  per exercise, ms per submission (zygote / fresh):")
    for exercise_id, seconds in zygote_each.items():
        print(f"    {exercise_id:<20} {1000 * seconds / per_job[exercise_id]:6.0f} / "
              f"{1000 * fresh_each[exercise_id] / per_job[exercise_id]:6.0f}")
    disagreements = [(key, result.score, fresh_results[key].score) for key, result in zygote_results.items()
                     if result.score != fresh_results[key].score]
    if disagreements:
        print(f"  scores differ (zygote, fresh): {disagreements[:5]}")
        sys.exit(1)
    print("  both runs gave every submission the same score")


if __name__ == "__main__":
    main()
