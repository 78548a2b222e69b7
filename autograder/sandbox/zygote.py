"""The zygote: a process that has imported torch and warmed one training step, forking workers.

It runs inside the sandbox's filesystem view (built by bubblewrap, or by `view.enter` here), holds
no secrets (no checks, no expected values, no submissions), and never runs student code itself.
It hands each request from a judge to its exercise's zygote, forked from it and warmed for that
exercise, which forks a keeper; the keeper forks the worker into a new pid namespace and watches it
(`keeper.watch`); the worker enters its other namespaces, confines itself and serves probes.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import json
import os
import signal
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from autograder.sandbox import confine, keeper
from autograder.sandbox.protections import Protection
from autograder.sandbox.protocol import send_frame

PR_SET_PDEATHSIG = 1
MAX_GROUPS = 2  # control groups per slot: memory and pids (one group holds both under cgroup v2)
# The packages of this repository: the copies imported before the view was built are the host's, not the view's.
COURSE_PACKAGES = ("autograder", "course_checks")


def warm_up() -> None:
    """Import what every worker needs and run the book's loop once, single-threaded.

    A forked child pays nothing for what the parent already loaded; the first optimiser step
    alone imports hundreds of modules. The parent must not start torch's thread pool before
    forking, or children hang on their first parallel operation. What only one exercise needs is
    warmed in that exercise's own zygote (`ExerciseZygotes`).
    """
    import numpy  # noqa: F401
    import torch

    torch.set_num_threads(1)
    import autograder.sandbox.worker  # noqa: F401  (a worker cannot read the course's files after it drops its uid)
    from course_checks.probes import d2l

    generator = torch.Generator().manual_seed(0)
    X, y = d2l.synthetic_data(torch.tensor(d2l.TRUE_W), d2l.TRUE_B, 20, generator=generator)
    w = torch.zeros(2, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    for X_batch, y_batch in d2l.data_iter(10, X, y):  # one epoch of the book's loop
        d2l.squared_loss(d2l.linreg(X_batch, w, b), y_batch).sum().backward()
        d2l.sgd([w, b], 0.03, 10)
    # An optimizer's first construction imports torch._dynamo (800 modules, 2.4 s of CPU on a slow machine), as
    # does torch.func: learners' answers use both, in most exercises; paid here, not from a call's budget.
    optimizer = torch.optim.SGD([w, b], lr=0.03)
    d2l.squared_loss(d2l.linreg(X, w, b), y).mean().backward()
    optimizer.step()


def _die_with_parent() -> None:
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def run_keeper(request: dict[str, Any], channel: socket.socket, lifeline: socket.socket,
               groups: list[int]) -> None:
    """Join the slot's control groups, fork the worker into a new pid namespace, then watch it until
    it ends or is cut off."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    _die_with_parent()
    protections = confine.join_groups(groups, request["groups"]) | confine.unshare_pid_namespace()
    worker = os.fork()
    if worker == 0:
        lifeline.close()
        _run_worker(request, channel, protections)
    channel.close()
    ended = keeper.watch(worker, lifeline, float(request["cpu_seconds"]))
    with contextlib.suppress(OSError):
        lifeline.sendall(json.dumps(ended).encode() + b"\n")


def _run_worker(request: dict[str, Any], channel: socket.socket, protections: dict[Protection, bool]) -> None:
    try:
        _die_with_parent()  # the keeper is gone: so is this worker, and its whole pid namespace
        scratch = Path("/tmp")
        protections |= confine.unshare_namespaces()
        # A private /tmp would hide anything imported from under it (with no view at all, a
        # virtual environment in /tmp): then the worker keeps the shared one and says so.
        imports_from_scratch = any(entry.startswith(f"{scratch}/") for entry in sys.path)
        if protections.get(Protection.MOUNT_NAMESPACE):
            protections |= confine.private_mounts(None if imports_from_scratch else str(scratch),
                                                  int(request["scratch_bytes"]))
        os.dup2(channel.fileno(), 3)
        channel.detach()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(4, 65536)
        channel = socket.socket(fileno=3)
        if not protections.get(Protection.PID_NAMESPACE):
            os.setsid()
        with contextlib.suppress(OSError):  # when memory runs out, the worker goes first, not the zygote
            Path("/proc/self/oom_score_adj").write_text("1000")
        # The kernel's CPU limit backs up the keeper's: a second more, so the keeper's report comes first.
        protections |= confine.set_limits(confine.Limits(cpu_seconds=int(float(request["cpu_seconds"]) + 1.999),
                                                         scratch_bytes=int(request["scratch_bytes"])))
        protections |= confine.drop_privileges(_worker_uid(request), int(request["judge_uid"]))
        protections |= confine.forbid_new_privileges()
        protections[Protection.FILESYSTEM_VIEW] = request["view"] != "none" and confine.host_files_read_only()
        os.environ.clear()
        os.environ.update({"HOME": str(scratch), "MPLCONFIGDIR": str(scratch), "PATH": "/usr/bin"})
        os.chdir(scratch)
        import torch

        torch.set_num_threads(int(request["threads"]))
        from autograder.sandbox.worker import serve

        serve(channel, str(request["exercise"]), scratch, protections)
    except BaseException as exc:  # before student code runs, this is the grader's fault: say so
        try:
            send_frame(channel, {"fault": f"{type(exc).__name__}: {exc}"[:500]})
        except BaseException:
            pass
    finally:
        os._exit(0)


def _worker_uid(request: dict[str, Any]) -> int | None:
    """The slot's sandbox uid, unless there is no view and the interpreter is not readable by others.

    Without any view the worker sees the real filesystem: another uid can only run Python if every
    directory down to the interpreter lets others through (pyenv under /root does not)."""
    if request["uid"] is None or request["view"] != "none":
        return request["uid"]
    resolved = Path(sys.base_prefix).resolve()
    readable = all(os.stat(directory).st_mode & 0o001 for directory in [*reversed(resolved.parents), resolved])
    return request["uid"] if readable else None


def serve_requests(control: socket.socket, single: bool, view: str) -> None:
    """Serve the requests on the control socket: a worker's for an exercise goes to that exercise's
    zygote (`ExerciseZygotes`); a bare confinement check, or any with `single`, gets its keeper here
    (`single`: one request only).

    The control socket may be shared by several judges (each a slot: its own uid and control groups),
    one request per packet: the channel and lifeline, then one `cgroup.procs` per group of the slot."""
    if not single:
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # keepers and exercise zygotes are reaped by the kernel
    control.send(json.dumps({"ready": True, "view": view}).encode())
    exercises = ExerciseZygotes(view)
    for message, request, fds in _requests(control):
        if "prepare" in request:  # the exercises a judge is about to grade: warm them up now, side by side
            for exercise_id in request["prepare"] if not single else []:
                exercises.prepare(str(exercise_id), control)
            continue
        if request["exercise"] and not single:
            exercises.forward(str(request["exercise"]), message, fds, control)
            continue
        keeper_pid = _fork_keeper(request, fds, view, control)
        if single:
            os.waitpid(keeper_pid, 0)
            return


class ExerciseZygotes:
    """A zygote per exercise, forked from this one on the exercise's first request and warmed for it (its
    probe module's `warm_up()`: matplotlib, torch.optim, ...); it forks that exercise's keepers.

    So no request waits for another exercise's warm-up (those run on other cores meanwhile), a run never
    pays for an exercise it does not grade, and no worker's CPU budget pays for a warm-up."""

    def __init__(self, view: str) -> None:
        self.view = view
        self._links: dict[str, socket.socket] = {}

    def prepare(self, exercise_id: str, control: socket.socket) -> None:
        """Fork the exercise's zygote now, unless it has one: it warms up while other work goes on."""
        if exercise_id not in self._links:
            self._fork(exercise_id, control)

    def forward(self, exercise_id: str, message: bytes, fds: list[int], control: socket.socket) -> None:
        """Hand the request on to the exercise's zygote, forked now if it has none (or it died); then let go
        of the request's descriptors. A request that cannot be handed on closes them: its worker's channel
        closes, and the judge starts another."""
        try:
            for _attempt in range(2):
                link = self._links.get(exercise_id) or self._fork(exercise_id, control)
                try:
                    socket.send_fds(link, [message], fds)
                    return
                except OSError:
                    link.close()
                    del self._links[exercise_id]
        finally:
            for descriptor in fds:
                os.close(descriptor)

    def _fork(self, exercise_id: str, control: socket.socket) -> socket.socket:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = os.fork()
        if pid == 0:
            try:
                for unused in [ours, control, *self._links.values()]:
                    unused.close()
                _die_with_parent()
                _serve_exercise(theirs, self.view, exercise_id)
            finally:
                os._exit(0)
        theirs.close()
        self._links[exercise_id] = ours
        return ours


def _serve_exercise(control: socket.socket, view: str, exercise_id: str) -> None:
    """An exercise's zygote: warm up for it, then fork a keeper per request. If the warm-up fails (the
    course's fault), every request's worker says so instead."""
    from course_checks import probes

    try:
        probes.load_probes(exercise_id).warm_up()
        problem = ""
    except Exception as exc:  # noqa: BLE001  (reported to the judge with each request)
        problem = f"the sandbox could not warm up for {exercise_id}: {type(exc).__name__}: {exc}"[:500]
    for _message, request, fds in _requests(control):
        if not problem:
            _fork_keeper(request, fds, view, control)
            continue
        with socket.socket(fileno=fds[0]) as channel, contextlib.suppress(OSError):
            send_frame(channel, {"fault": problem})
        for descriptor in fds[1:]:
            os.close(descriptor)


def _requests(control: socket.socket) -> Iterator[tuple[bytes, dict[str, Any], list[int]]]:
    """Each request on the control socket (its packet, the request, its descriptors), until it closes."""
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 65536, 2 + MAX_GROUPS)
        except OSError:
            return
        if not message:
            return
        request = json.loads(message)
        if len(fds) != (0 if "prepare" in request else 2 + len(request["groups"])):
            for descriptor in fds:
                os.close(descriptor)
            return
        yield message, request, fds


def _fork_keeper(request: dict[str, Any], fds: list[int], view: str, control: socket.socket) -> int:
    """Fork the keeper of the request's worker; let go of the request's descriptors here."""
    request["view"] = view  # what this process built, whatever a judge believes
    channel, lifeline = (socket.socket(fileno=fd) for fd in fds[:2])
    keeper_pid = os.fork()
    if keeper_pid == 0:
        control.close()
        try:
            run_keeper(request, channel, lifeline, fds[2:])
        finally:
            os._exit(0)
    channel.close()
    lifeline.close()
    for descriptor in fds[2:]:
        os.close(descriptor)
    return keeper_pid


def _enter_own_view(control: socket.socket, view_json: str, paths_json: str) -> str | None:
    """Build the view without bubblewrap, then import the course's code again from inside it."""
    from autograder.sandbox import view

    try:
        name = view.enter(view.View.from_json(view_json))
        if os.geteuid() == 0:
            confine.keep_only_capabilities(confine.ZYGOTE_CAPABILITIES)
    except OSError as exc:
        control.send(json.dumps({"view_failed": str(exc)}).encode())
        return None
    # What was imported came from the host's copy of the course, which the view does not show.
    sys.path[:] = json.loads(paths_json) + [entry for entry in sys.path if entry.startswith(sys.base_prefix)]
    for module in [name for name in sys.modules if name.partition(".")[0] in COURSE_PACKAGES]:
        del sys.modules[module]
    importlib.invalidate_caches()
    return name


def main() -> None:
    """Entry point: argv [control fd, "zygote" | "single", view kind, (view JSON, paths JSON for "kernel")]."""
    control = socket.socket(fileno=int(sys.argv[1]))
    single = sys.argv[2] == "single"
    kind = sys.argv[3]
    view = {"bubblewrap": "bubblewrap", "none": "none"}.get(kind)
    if kind == "kernel":
        view = _enter_own_view(control, sys.argv[4], sys.argv[5])
        if view is None:
            return
    zygote = importlib.import_module("autograder.sandbox.zygote")  # from inside the view when it built one
    # The view is built: judges may queue requests now, to be served once warm (see `launcher.ZygoteLink`).
    control.send(json.dumps({"started": True, "view": view or "none"}).encode())
    if not single:
        zygote.warm_up()
    zygote.serve_requests(control, single, view or "none")


if __name__ == "__main__":
    main()
