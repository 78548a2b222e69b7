"""How much of its CPU budget each exercise's catalogue uses: the heaviest single call and the heaviest answer.

The sandbox gives a call a third of the exercise's `time_limit` (at least 3 s) and the exercise the
whole of it. Here every catalogued answer of every exercise (the reference, the correct
alternatives, the wrong answers) is graded as `course verify` grades it, in the state a worker
starts in: after the zygote's warm-up and the exercise's own, each exercise in a child forked from
one warmed process, as the zygote forks them. Each probe call's CPU time is measured around the call.
Prints, per exercise, the heaviest call and the heaviest answer (all its calls), each against its
budget. Run it on the slowest machine that will grade, and when adding an exercise.

    python benchmarks/call_budgets.py
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from autograder import verify
from autograder.manifest import REPO_ROOT, Course, Exercise, load_course
from autograder.sandbox import zygote
from autograder.sandbox.student import CALL_SHARE, MIN_CALL_SECONDS
from course_checks.harness import student
from course_checks.probes import load_probes


def _answer_name(path: Path) -> str:
    return str(path.relative_to(REPO_ROOT)) if path.is_relative_to(REPO_ROOT) else "the stub"


def call_seconds_by_answer(course: Course, exercise: Exercise) -> dict[str, list[float]]:
    """In this (warmed) process: each catalogued answer's probe calls, in CPU seconds, keyed by file."""
    load_probes(exercise.id).warm_up()
    seconds: dict[str, list[float]] = defaultdict(list)
    run_probe = student.run_probe

    def timed_probe(probe: Any, module: Any, inputs: dict[str, Any]) -> Any:
        started = time.process_time()
        outcome = run_probe(probe, module, inputs)
        seconds[_answer_name(Path(module.__file__))].append(time.process_time() - started)
        return outcome

    student.run_probe = timed_probe
    verify.verify_exercise(course, exercise, seed=0, reference_seeds=1)
    return dict(seconds)


def in_forked_child(course: Course, exercise: Exercise) -> dict[str, list[float]]:
    """`call_seconds_by_answer` in a child of this process, as the zygote forks an exercise's zygote."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        with os.fdopen(write_end, "w") as answer:
            json.dump(call_seconds_by_answer(course, exercise), answer)
        os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end) as answer:
        measured = json.load(answer)
    os.waitpid(pid, 0)
    return measured


def main() -> None:
    """Warm up as the zygote does, then measure and print every exercise's heaviest call and answer."""
    course = load_course()
    with tempfile.TemporaryDirectory(prefix="call-budgets-") as cache:
        # an optimizer's first step makes torch's compile cache folder, by default in the system's /tmp
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = cache
        zygote.warm_up()
        _print_budgets(course)


def _print_budgets(course: Course) -> None:
    """Each exercise's heaviest call and heaviest answer against its budgets, one line per exercise."""
    print("CPU seconds in a warmed worker's state; budgets from course.yml (a call: a third, at least 3 s)")
    print(f"  {'exercise':20s} {'heaviest call':>14s} {'of budget':>10s} {'heaviest answer':>16s} {'of budget':>10s}  "
          "heaviest answer's file")
    for exercise in course.exercises:
        measured = in_forked_child(course, exercise)
        call_budget = max(MIN_CALL_SECONDS, exercise.time_limit * CALL_SHARE)
        heaviest_call = max(max(calls) for calls in measured.values())
        heaviest_file, heaviest_calls = max(measured.items(), key=lambda item: sum(item[1]))
        print(f"  {exercise.id:20s} {heaviest_call:12.3f} s {heaviest_call / call_budget:9.1%} "
              f"{sum(heaviest_calls):14.2f} s {sum(heaviest_calls) / exercise.time_limit:9.1%}  {heaviest_file}")


if __name__ == "__main__":
    main()
