"""The judge processes of one autograde run: they grade its notebooks' modules while nbgrader works.

nbgrader hands its preprocessors one notebook at a time; the sandbox grades best many at once. So
an autograde run starts judge processes of its own (each a `course` judge, a slot of one zygote the
run starts, as `engine.grade_jobs`' pool does), hands them the run's modules in chunks, in the order nbgrader will
ask for them, and collects each chunk's results as it finishes, while nbgrader sanitizes, writes
and records the notebooks already graded. Three things follow from grading out of nbgrader's
process:

- nbgrader's own work per notebook and the sandbox's overlap (two cores: one each);
- nbgrader's process never imports torch or pytest (its start-up stays nbgrader's);
- the judges live exactly as long as the run, so a long-lived process that autogrades again and
  again (formgrader's server: its Autograde button calls `NbGraderAPI.autograde`) never keeps a
  check module or a zygote from an earlier run: a check changed in between always grades.

A judge is a plain interpreter (`python -P`: nothing from the course directory on its path) that
reads one request per line on stdin and answers one line on its own copy of stdout; anything else
the grading prints goes to /dev/null.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from course_checks.i18n import SOURCE_LANGUAGE

from autograder.sandbox.launcher import SandboxError, Zygote, ZygoteLink
from autograder.sandbox.protections import IsolationMissing, Protection

# A chunk's result per module: `dataclasses.asdict` of the engine's ExerciseResult (exercise_id,
# checks: each check's check_id, name, status, score, max_score, message, hint, public; missing).
Record = dict[str, Any]
BOOT = ("import sys; sys.path[:0] = {paths!r}; from autograder.nbgrader_plugin.judges import serve; "
        "serve({link!r})")


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


def _grade(request: dict[str, Any]) -> dict[str, Any]:
    """In a judge: the engine on the request's modules, each language's messages in it; a plain answer
    (records, or a refusal or fault)."""
    import tempfile
    from dataclasses import asdict
    from pathlib import Path

    from autograder.grading import engine
    from autograder.judge.runner import Job

    with tempfile.TemporaryDirectory(prefix="course-nbgrader-") as scratch:
        jobs: dict[str, list[Job]] = {}
        for key, exercise_id, module_file, source, language in request["modules"]:
            path = Path(scratch) / key / module_file
            path.parent.mkdir()
            path.write_text(source, encoding="utf-8")
            jobs.setdefault(language, []).append(Job(job_id=key, exercise_id=exercise_id, module_path=path,
                                                     seed=int.from_bytes(os.urandom(4), "little")))
        try:
            # workers=1: graded here, in this process's slot of the run's zygote, kept for the next request
            results = {key: result for language, graded in jobs.items()
                       for key, result in engine.grade_jobs(graded, trusted=request["trusted"],
                                                            scheduler=request["scheduler"], language=language).items()}
        except IsolationMissing as refusal:
            return {"refused": {"missing": [protection.value for protection in refusal.missing],
                                "where": refusal.where, "detail": refusal.detail}}
        except Exception as exc:  # the course's fault, never the student's: the parent grades these again
            return {"fault": f"{type(exc).__name__}: {exc}"}
    return {"records": {key: asdict(result) for key, result in results.items()}}


def serve(link: str | None) -> None:
    """A judge process (a slot of the run's zygote, `link`; None when a Dask cluster grades): answer
    requests from stdin until it closes, then let go of the zygote and end."""
    from autograder.grading import judge_process
    from autograder.sandbox.launcher import ZygoteLink

    judge_process.die_with_parent()  # as the engine's own judge processes do
    if link is not None:
        judge_process.attach(ZygoteLink.from_argument(link))
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # stray prints must not garble the answers
    try:
        for line in sys.stdin:
            answers.write(json.dumps(_grade(json.loads(line))) + "\n")
            answers.flush()
    finally:
        judge_process.close()
    judge_process.end_now()


def _refusal(answer: dict[str, Any]) -> IsolationMissing:
    refused = answer["refused"]
    known = {protection.value: protection for protection in Protection}
    return IsolationMissing([known[name] for name in refused["missing"] if name in known],
                            where=refused["where"], detail=refused["detail"])


class Judges:
    """Chunks of modules graded by `workers` judge processes of this run; results by module key.

    Chunks are handed out in order, each to the next judge free; `result` waits for a module's chunk.
    When every chunk is answered the judges are stopped, then the zygote (its workers with it).
    """

    def __init__(self, chunks: list[list[Module]], *, workers: int = 1, trusted: bool = False,
                 scheduler: str | None = None, on_fault: Callable[[str], None] | None = None) -> None:
        self._trusted, self._scheduler, self._on_fault = trusted, scheduler, on_fault
        self._changed = threading.Condition()
        self._records: dict[str, Record] = {}
        self._errors: dict[str, Exception] = {}
        self._waiting = {module.key for chunk in chunks for module in chunk}
        self._first_answer: Exception | None | bool = False  # False: no chunk answered yet
        self._todo: queue.SimpleQueue[list[Module]] = queue.SimpleQueue()
        for chunk in chunks:
            self._todo.put(chunk)
        self._stopping = False  # set by a refusal: no judge starts another chunk
        self._refused: IsolationMissing | None = None
        # Started now, so that its torch import and warm-up overlap with nbgrader's own work; its judges are slots of it.
        self._zygote = None if scheduler is not None else Zygote()
        try:
            self._link = None if self._zygote is None else self._zygote.link()
            if self._zygote is not None:  # its exercises warm up while the judges start
                self._zygote.prepare([module.exercise_id for chunk in chunks for module in chunk])
        except SandboxError as problem:
            self._zygote.close()  # type: ignore[union-attr]
            self._zygote, self._running = None, 0
            for chunk in chunks:
                self._answered(chunk, {"fault": f"the sandbox could not start: {problem}"})
            return
        threads = [threading.Thread(target=self._judge, name=f"course-judge-{number}", daemon=True)
                   for number in range(max(1, min(workers, len(chunks))))]
        self._running = len(threads)
        for thread in threads:
            thread.start()

    def _judge(self) -> None:
        """One judge process, fed chunk after chunk until none is left (or the run refuses)."""
        process: subprocess.Popen[str] | None = None
        try:
            while not self._stopping:
                try:
                    chunk = self._todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    process = process or _start_judge(self._link)
                    answer = _ask(process, chunk, self._trusted, self._scheduler)
                except (OSError, ValueError) as exc:  # the judge died: a new one takes the next chunk
                    answer = {"fault": f"a judge process died while grading ({type(exc).__name__}: {exc})"}
                    _stop_judge(process)
                    process = None
                self._answered(chunk, answer)
        finally:
            _stop_judge(process)
            with self._changed:
                self._running -= 1
                if not self._running and self._zygote is not None:
                    self._zygote.close()  # every judge has let go of it
                self._changed.notify_all()

    def _answered(self, chunk: list[Module], answer: dict[str, Any]) -> None:
        error: Exception | None = None
        if "refused" in answer:
            error = self._refused = _refusal(answer)
            self._stopping = True  # this machine cannot confine: no other judge starts a chunk
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
            raise self._errors.get(key) or self._refused or JudgeFailed("no judge process was left to grade it")


def _start_judge(link: ZygoteLink | None) -> subprocess.Popen[str]:
    command = [sys.executable, "-P", "-c", BOOT.format(paths=[path for path in sys.path if path],
                                                       link=None if link is None else link.to_argument())]
    return subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
                            pass_fds=[] if link is None else [link.control.fileno()])


def _ask(process: subprocess.Popen[str], chunk: list[Module], trusted: bool, scheduler: str | None) -> dict[str, Any]:
    assert process.stdin is not None and process.stdout is not None
    request = {"modules": [[module.key, module.exercise_id, module.module_file, module.source, module.language]
                           for module in chunk],
               "trusted": trusted, "scheduler": scheduler}
    process.stdin.write(json.dumps(request) + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        raise OSError("the judge process ended")
    answer = json.loads(line)
    if not isinstance(answer, dict):
        raise ValueError("not an answer")
    return answer


def _stop_judge(process: subprocess.Popen[str] | None) -> None:
    """Close its stdin (it lets go of its slot and exits), and wait."""
    if process is None:
        return
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

