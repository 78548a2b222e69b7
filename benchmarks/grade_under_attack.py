"""Load figures: 300 submissions in one `course grade` call, then the same 300 with attacks mixed in.

Per exercise, 25 references and 25 catalogued wrong answers, each a single-file submission, graded
in one call with one judge process per core; then the same 300 plus a memory bomb, an endless loop
and an output flood. Prints, for both runs side by side: wall time, time per submission, the peak
resident memory of the largest judge process and of the largest sandboxed process, and whether
every reference got full marks (the script exits 1 if one did not).

    python benchmarks/grade_under_attack.py
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from autograder.grading.engine import GradingRun, grade
from autograder.manifest import REPO_ROOT
from memory_watch import Peaks
from submission_set import write_submissions

PER_EXERCISE = 50
ATTACKS = ("memory_bomb", "cpu_loop", "output_bomb")


def timed(paths: list[Path]) -> tuple[GradingRun, float, Peaks]:
    """One `course grade` call (as `grade()`), with its wall time and memory peaks."""
    with Peaks() as peaks:
        started = time.perf_counter()
        run = grade(paths, workers=os.cpu_count() or 1)
        seconds = time.perf_counter() - started
    return run, seconds, peaks


def main() -> None:
    """Grade both sets and print the comparison."""
    root = Path(tempfile.mkdtemp(prefix="course-bench-"))
    try:
        paths, references = write_submissions(root, PER_EXERCISE)
        attacks = []
        for name in ATTACKS:
            target = root / f"attack-{name}" / "huber.py"
            target.parent.mkdir()
            shutil.copyfile(REPO_ROOT / "tests" / "adversarial" / f"{name}.py", target)
            attacks.append(target)
        middle = len(paths) // 2
        plain, plain_seconds, plain_peaks = timed(paths)
        mixed, mixed_seconds, mixed_peaks = timed(paths[:middle] + attacks + paths[middle:])
    finally:
        shutil.rmtree(root, ignore_errors=True)
    plain_scores = {result.path: result.score for result in plain.submissions}
    mixed_scores = {result.path: result.score for result in mixed.submissions if result.path in plain_scores}
    short = [path for path in references if plain_scores[path] < 10 or mixed_scores[path] < 10]
    print(f"{len(paths)} single-exercise submissions in one call, {os.cpu_count()} judge processes, this machine")
    print(f"  {'':44} {'wall s':>8} {'ms each':>8} {'judge MiB':>10} {'sandboxed MiB':>14}")
    for label, count, seconds, peaks in (("plain", len(paths), plain_seconds, plain_peaks),
                                         (f"with {', '.join(ATTACKS)}", len(paths) + len(attacks), mixed_seconds,
                                          mixed_peaks)):
        print(f"  {label:44} {seconds:8.1f} {1000 * seconds / count:8.0f} {peaks.judge:10.0f} {peaks.sandboxed:14.0f}")
    print(f"  the attacks cost {mixed_seconds - plain_seconds:+.1f} s; "
          f"attack scores: {[result.score for result in mixed.submissions if 'attack-' in result.path]}")
    print(f"  references at full marks: {len(references) - len(short)} of {len(references)} in both runs")
    # Wrong answers may lose a different number of points under each run's fresh random inputs.
    differ = sum(mixed_scores[path] != score for path, score in plain_scores.items())
    print(f"  wrong answers scored differently by the two runs' fresh inputs: {differ}")
    if short:
        print(f"  references short of full marks: {short[:5]}")
        sys.exit(1)


if __name__ == "__main__":
    main()
