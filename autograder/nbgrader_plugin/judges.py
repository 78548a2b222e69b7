"""The grading of one autograde run: a process of the run's that grades its notebooks' modules while nbgrader works.

nbgrader hands its preprocessors one notebook at a time; the sandbox grades best many at once. So
an autograde run starts one grading process of its own, hands it all the run's modules in chunks, in
the order nbgrader will ask for them, and collects each chunk's results as it finishes, while
nbgrader sanitizes, writes and records the notebooks already graded. The grading process grades the
chunks the way `course grade` does (`engine.chunk_outcomes`): in a pool of judge processes forked
from one server that imported torch and the checks' harness once, each judge a slot of one zygote.
Three things follow from grading out of nbgrader's process:

- nbgrader's own work per notebook and the sandbox's overlap (two cores: one each);
- nbgrader's process never imports torch or pytest (its start-up stays nbgrader's);
- the grading process, its judges and its zygote live exactly as long as the run, so a long-lived
  process that autogrades again and again (formgrader's server: its Autograde button calls
  `NbGraderAPI.autograde`) never keeps a check module or a zygote from an earlier run: a check
  changed in between always grades.

The grading process is a plain interpreter (`python -P`: nothing from the course directory on its
path) that reads the run's one request on stdin and answers one line per chunk on its own copy of
stdout; anything else the grading prints goes to /dev/null.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from course_checks.i18n import SOURCE_LANGUAGE

from autograder.sandbox.protections import IsolationMissing, Protection

# A chunk's result per module: `dataclasses.asdict` of the engine's ExerciseResult (exercise_id,
# checks: each check's check_id, name, status, score, max_score, message, hint, public; missing).
Record = dict[str, Any]
BOOT = "import sys; sys.path[:0] = {paths!r}; from autograder.nbgrader_plugin.judges import serve; serve()"


@dataclass(frozen=True)
class Module:
    """One notebook's module to grade: its key (`sandbox_grading.module_digest`), exercise, text, and the
    language of its messages (the release's)."""

    key: str
    exercise_id: str
    module_file: str
    source: str
    language: str = SOURCE_LANGUAGE


class JudgeFailed(RuntimeError):
    """A judge process could not grade a chunk (it crashed, or the checks could not run)."""


def _answers(request: dict[str, Any], scratch: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """In the grading process: each chunk's index and plain answer (records, or a fault), as chunks finish;
    a refusal ends them (the machine cannot confine: no chunk will grade)."""
    from dataclasses import asdict

    from course_checks.harness.jobs import Job

    from autograder.grading import engine
    from autograder.sandbox.launcher import SandboxError

    chunks: list[list[Job]] = []
    for index, chunk in enumerate(request["chunks"]):
        chunks.append([])
        for key, exercise_id, module_file, source, _ in chunk:
            path = scratch / str(index) / key / module_file
            path.parent.mkdir(parents=True)
            path.write_text(source, encoding="utf-8")
            chunks[-1].append(Job(job_id=key, exercise_id=exercise_id, module_path=path,
                                  seed=int.from_bytes(os.urandom(4), "little")))
    languages = [chunk[0][4] for chunk in request["chunks"]]
    trusted, scheduler = request["trusted"], request["scheduler"]

    def answer(outcome: dict[str, Any] | Exception) -> dict[str, Any]:
        if isinstance(outcome, IsolationMissing):
            return {"refused": {"missing": [protection.value for protection in outcome.missing],
                                "where": outcome.where, "detail": outcome.detail}}
        if isinstance(outcome, Exception):  # the course's fault, never the student's: nbgrader grades these again
            return {"fault": f"{type(outcome).__name__}: {outcome}"}
        return {"records": {key: asdict(result) for key, result in outcome.items()}}

    if scheduler is not None:  # the cluster spreads each chunk over its workers itself
        for index, jobs in enumerate(chunks):
            try:
                graded: dict[str, Any] | Exception = engine.grade_jobs(jobs, trusted=trusted, scheduler=scheduler,
                                                                      language=languages[index])
            except Exception as exc:
                graded = exc
            yield index, answer(graded)
        return
    unanswered = set(range(len(chunks)))
    try:
        for index, outcome in engine.chunk_outcomes(chunks, request["workers"], languages, trusted=trusted):
            unanswered.discard(index)
            yield index, answer(outcome if isinstance(outcome, Exception) else outcome.results)
    except SandboxError as problem:
        for index in sorted(unanswered):
            yield index, {"fault": f"the sandbox could not start: {problem}"}


def serve() -> None:
    """The run's grading process: read the run's request from stdin, answer each chunk as it is graded, end."""
    import shutil

    from autograder.grading import judge_pool, judge_process
    from autograder.scratch import scratch_directory

    judge_process.die_with_parent()  # as the engine's own judge processes do
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # stray prints must not garble the answers
    request = json.loads(sys.stdin.readline())
    try:
        with scratch_directory("course-nbgrader-") as scratch:  # a killed run's is removed by the next
            for index, answer in _answers(request, Path(scratch)):
                answers.write(json.dumps({"chunk": index} | answer) + "\n")
                answers.flush()
                if "refused" in answer:
                    break
    finally:
        judge_process.close()
        # Ended at once (tearing down torch and pytest would take most of a second): what the interpreter's
        # exit would have removed goes first (the judge pool's socket directory, if there was a pool).
        shutil.rmtree(judge_pool.multiprocessing_directory(), ignore_errors=True)
    judge_process.end_now()


def _refusal(answer: dict[str, Any]) -> IsolationMissing:
    refused = answer["refused"]
    known = {protection.value: protection for protection in Protection}
    return IsolationMissing([known[name] for name in refused["missing"] if name in known],
                            where=refused["where"], detail=refused["detail"])


def _by_language(chunk: list[Module]) -> list[list[Module]]:
    """A chunk as chunks of one message language each (a judge grades a chunk in one language)."""
    parts: dict[str, list[Module]] = {}
    for module in chunk:
        parts.setdefault(module.language, []).append(module)
    return list(parts.values())


class Judges:
    """Chunks of modules graded by this run's grading process, in `workers` judge processes; results by
    module key.

    Chunks are graded in order, each by the next judge free; `result` waits for a module's chunk.
    When every chunk is answered the grading process ends, its judges and zygote with it.
    """

    def __init__(self, chunks: list[list[Module]], *, workers: int = 1, trusted: bool = False,
                 scheduler: str | None = None, on_fault: Callable[[str], None] | None = None) -> None:
        self._chunks = [part for chunk in chunks for part in _by_language(chunk)]
        self._on_fault = on_fault
        self._changed = threading.Condition()
        self._records: dict[str, Record] = {}
        self._errors: dict[str, Exception] = {}
        self._waiting = {module.key for chunk in self._chunks for module in chunk}
        self._first_answer: Exception | None | bool = False  # False: no chunk answered yet
        self._running = bool(self._chunks)
        request = {"chunks": [[[module.key, module.exercise_id, module.module_file, module.source, module.language]
                               for module in chunk] for chunk in self._chunks],
                   "workers": workers, "trusted": trusted, "scheduler": scheduler}
        if self._running:
            # Started at once, so that its torch import and warm-up overlap with nbgrader's own work. Not a
            # daemon: a process that got its last result still waits for the grading process to clean up and end.
            threading.Thread(target=self._grade, args=(request,), name="course-grading").start()

    def _grade(self, request: dict[str, Any]) -> None:
        """The grading process, from this thread (it dies with the thread that started it): send the
        request, take each chunk's answer; a chunk it never answered is a fault."""
        unanswered = set(range(len(self._chunks)))
        try:
            process = _start_grading()
        except OSError as exc:
            process, ending = None, f"the grading process could not start ({exc})"
        else:
            try:
                assert process.stdin is not None and process.stdout is not None
                process.stdin.write(json.dumps(request) + "\n")
                process.stdin.close()
                for line in process.stdout:
                    answer = json.loads(line)
                    if "refused" in answer:  # this machine cannot confine: no chunk will be graded
                        for index in sorted(unanswered):
                            self._answered(self._chunks[index], answer)
                        unanswered.clear()
                        break
                    unanswered.discard(answer["chunk"])
                    self._answered(self._chunks[answer["chunk"]], answer)
                ending = "the grading process ended before grading them"
            except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
                ending = f"the grading process died while grading ({type(exc).__name__}: {exc})"
        if process is not None:
            _stop(process)  # gone before its chunks are graded again (a later run removes its scratch)
        for index in sorted(unanswered):
            self._answered(self._chunks[index], {"fault": ending})
        with self._changed:
            self._running = False
            self._changed.notify_all()

    def _answered(self, chunk: list[Module], answer: dict[str, Any]) -> None:
        error: Exception | None = None
        if "refused" in answer:
            error = _refusal(answer)
        elif "records" not in answer:
            error = JudgeFailed(answer.get("fault", "no answer"))
            if self._on_fault is not None:
                self._on_fault(str(error))
        with self._changed:
            if error is None:
                self._records.update(answer["records"])
            else:
                self._errors.update({module.key: error for module in chunk})
            self._waiting.difference_update(module.key for module in chunk)
            if self._first_answer is False:
                self._first_answer = error
            self._changed.notify_all()

    def first_answer(self) -> Exception | None:
        """Wait until some chunk is answered; its error, if it could not be graded (a refusal, say)."""
        with self._changed:
            self._changed.wait_for(lambda: self._first_answer is not False or not self._running)
            return self._first_answer if isinstance(self._first_answer, Exception) else None

    def planned(self, key: str) -> bool:
        """Whether this run's judges grade (or graded) this module."""
        with self._changed:
            return key in self._waiting or key in self._records or key in self._errors

    def result(self, key: str) -> Record:
        """A planned module's record, once its chunk is answered; its chunk's error if it failed."""
        with self._changed:
            self._changed.wait_for(lambda: key not in self._waiting or not self._running)
            if key in self._records:
                return self._records[key]
            raise self._errors.get(key) or JudgeFailed("no judge process was left to grade it")


def _start_grading() -> subprocess.Popen[str]:
    command = [sys.executable, "-P", "-c", BOOT.format(paths=[path for path in sys.path if path])]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")


def _stop(process: subprocess.Popen[str]) -> None:
    """Wait for the grading process to end (it ends once every chunk is answered); kill it if it does not."""
    for stream in (process.stdin, process.stdout):
        try:
            if stream is not None:
                stream.close()
        except OSError:
            pass
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
