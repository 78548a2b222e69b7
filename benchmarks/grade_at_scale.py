"""Scale: a simulated class graded in one call, 100 and 1,000 submissions, locally and on a local Dask cluster.

1,000 single-exercise submissions is a class of about 170 students x 6 exercises (references and
catalogued wrong answers, alternating). Each size is graded once with the local process pool (one
judge per core) and once on a `LocalCluster` (one single-threaded worker process per core, each a
judge with its own zygote: what `course grade --scheduler local` does). Prints, side by side, the
wall time, time per submission, the peak memory of one judge, of one sandboxed process and of all
grading processes together (their PSS: shared pages counted once), and how time grows from 100 to
1,000 (10.0 would be linear). Exits 1 if any reference fell short of full marks.

    python benchmarks/grade_at_scale.py [--sizes 100 1000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from autograder.grading.distributed import LOCAL
from autograder.grading.engine import grade
from memory_watch import Peaks
from submission_set import write_submissions


def main() -> None:
    """Grade every size both ways and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    sizes = parser.parse_args().sizes
    cores = os.cpu_count() or 1
    rows, short = [], []
    seconds: dict[tuple[str, int], float] = {}
    for size in sizes:
        root = Path(tempfile.mkdtemp(prefix="course-bench-"))
        try:
            paths, references = write_submissions(root, per_exercise=-(-size // 6))
            paths = paths[:size]
            for label, scheduler in (("process pool", None), ("Dask LocalCluster", LOCAL)):
                with Peaks() as peaks:
                    started = time.perf_counter()
                    run = grade(paths, workers=cores, scheduler=scheduler)
                    seconds[label, size] = time.perf_counter() - started
                short += [result.path for result in run.submissions
                          if result.path in references and result.score < result.max_score]
                rows.append((label, size, seconds[label, size], peaks))
        finally:
            shutil.rmtree(root, ignore_errors=True)
    print(f"one call per row, {cores} cores, this machine (start-up included)")
    print(f"  {'':18} {'submissions':>11} {'wall s':>8} {'ms each':>8} {'judge MiB':>10} {'sandboxed MiB':>14} "
          f"{'all, PSS MiB':>13}")
    for label, size, wall, peaks in rows:
        print(f"  {label:18} {size:11d} {wall:8.1f} {1000 * wall / size:8.0f} {peaks.judge:10.0f} "
              f"{peaks.sandboxed:14.0f} {peaks.total:13.0f}")
    if len(sizes) >= 2:
        low, high = min(sizes), max(sizes)
        for label in ("process pool", "Dask LocalCluster"):
            print(f"  {label}: {high} submissions took {seconds[label, high] / seconds[label, low]:.1f} times as long "
                  f"as {low} ({high / low:.1f} would be linear)")
    print(f"  references short of full marks: {len(short)}")
    if short:
        print(f"    {short[:5]}")
        sys.exit(1)


if __name__ == "__main__":
    main()
