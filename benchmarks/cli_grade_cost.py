"""One `course grade` call of 48 submissions against a bare torch start, side by side in one run.

Issue 12 asks that a 48-submission `course grade` call (8 per exercise of the core assignment,
references and catalogued wrong answers alternating) cost at most 0.1 of a bare
`python -c "import torch"` per submission, start-up included. Both are timed here, alternately,
`--runs` times each; the medians and their ratio are printed, with the CPU the machine spent
during the grade call (on a quiet machine, the call's own).

    python benchmarks/cli_grade_cost.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from submission_set import write_submissions

from autograder.manifest import load_course

PER_EXERCISE = 8
COURSE = Path(sys.executable).parent / "course"


def _busy_seconds() -> float:
    """CPU seconds the whole machine has spent busy since boot (/proc/stat: all but idle and iowait).

    The command's own rusage would miss its sandboxed processes: bubblewrap's init reaps them inside
    their pid namespace, so their CPU time never reaches this process's children's account."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields[:8]) - idle - iowait) / os.sysconf("SC_CLK_TCK")


def _timed(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Wall seconds, the machine's busy CPU seconds meanwhile (the command's and anything else's), and its result."""
    before = _busy_seconds()
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    return wall, _busy_seconds() - before, result


def main() -> None:
    """Time both, print medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    course = load_course()
    with tempfile.TemporaryDirectory(prefix="course-bench-") as folder:
        paths, references = write_submissions(Path(folder), PER_EXERCISE, course.exercises_in(course.assignment))
        grade = [str(COURSE), "grade", "--json", *map(str, paths)]
        torch_starts, grades, grade_cpu = [], [], []
        for _ in range(runs):
            wall, _cpu, _ = _timed([sys.executable, "-c", "import torch"])
            torch_starts.append(wall)
            wall, cpu, result = _timed(grade)
            if result.returncode not in (0, 1):
                raise SystemExit(f"course grade exited {result.returncode}: {result.stderr.strip()[-500:]}")
            report = json.loads(result.stdout)
            full = {submission["path"] for submission in report["submissions"]
                    if submission["score"] == submission["max_score"]}
            if full != references:
                raise SystemExit("the references (and only they) must get full marks; they did not")
            grades.append(wall)
            grade_cpu.append(cpu)
    torch_start, whole = statistics.median(torch_starts), statistics.median(grades)
    count = len(paths)
    print(f"load average before: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    print(f"bare `python -c 'import torch'`: {torch_start:.2f} s (median of {runs})")
    print(f"`course grade` of {count} submissions: {whole:.2f} s wall, {statistics.median(grade_cpu):.2f} s of the "
          f"machine's CPU meanwhile (median of {runs}), {whole / count * 1000:.0f} ms per submission")
    print(f"per submission / bare torch start: {whole / count / torch_start:.3f} (goal: at most 0.1)")


if __name__ == "__main__":
    main()
