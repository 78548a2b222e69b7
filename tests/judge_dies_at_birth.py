"""Run by test_crash.py: a pool's first judge is killed while the second is being started.

multiprocessing's ProcessPoolExecutor starts one judge per submitted chunk while none is idle, so a
judge can die while a later one is still being started: the pool breaks then with that later judge
half started, which a kill at the wrong moment does by chance. Here the kill comes at such a moment:
argv[1] "before" (the second judge's start then finds the pool's queues closed) or "after" the
second judge's process is started but before the pool knows of it (the pool's shutdown then waits for
it); the rest of argv are the chunks' exercises. Prints one JSON line: each chunk's outcome ("graded",
or the exception's type), in chunk order.
"""

from __future__ import annotations

import json
import multiprocessing.context
import os
import signal
import sys
import time
from pathlib import Path

from autograder.grading import engine, judge_pool
from autograder.manifest import REPO_ROOT
from course_checks.harness.jobs import Job

DEATH_NOTICED_SECONDS = 1.0  # for the pool to see the first judge's death and start breaking


class FirstJudgeDiesAsTheSecondStarts(multiprocessing.context.ForkServerProcess):
    """A judge process; the second one started kills the first, `moment` its own start."""

    started: list[FirstJudgeDiesAsTheSecondStarts] = []
    moment = "before"

    def start(self) -> None:
        second = len(self.started) == 1
        self.started.append(self)
        if second and self.moment == "before":
            self._kill_first()
        super().start()
        if second and self.moment == "after":
            self._kill_first()

    def _kill_first(self) -> None:
        first = self.started[0]
        os.kill(first.pid, signal.SIGKILL)
        first.join()
        time.sleep(DEATH_NOTICED_SECONDS)


class KillingContext(multiprocessing.context.ForkServerContext):
    Process = FirstJudgeDiesAsTheSecondStarts


def main() -> None:
    judge_context = judge_pool.judge_context

    def killing_context() -> multiprocessing.context.BaseContext:
        judge_context()  # the server's preload and temporary directory, as for a real run
        return KillingContext()

    judge_pool.judge_context = killing_context
    FirstJudgeDiesAsTheSecondStarts.moment, *exercise_ids = sys.argv[1:]
    chunks = [[Job(job_id=f"{index}:{exercise_id}", exercise_id=exercise_id,
                   module_path=Path(REPO_ROOT / "solutions" / f"{exercise_id}.py"), seed=index)]
              for index, exercise_id in enumerate(exercise_ids)]
    outcomes: dict[int, str] = {}
    for index, outcome in engine.chunk_outcomes(chunks, 2, ["en"] * len(chunks)):
        outcomes[index] = type(outcome).__name__ if isinstance(outcome, Exception) else "graded"
    print(json.dumps([outcomes.get(index, "missing") for index in range(len(chunks))]))


if __name__ == "__main__":
    main()
