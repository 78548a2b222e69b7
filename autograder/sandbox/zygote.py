"""The zygote: a process that has imported torch and warmed one training step, forking workers.

It runs inside the sandbox's filesystem view, holds no secrets (no checks, no expected values,
no submissions), and never runs student code itself. For each request from the judge it forks a
keeper; the keeper moves into new namespaces and forks the worker, which confines itself and
serves probes. The keeper kills the worker (and with it its whole pid namespace) at the deadline,
or as soon as the judge lets go of the lifeline, and reports how the worker ended.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

from autograder.sandbox import confine
from autograder.sandbox.protocol import send_frame


def warm_up() -> None:
    """Import what workers need and run each kind of operation once, single-threaded.

    A forked child pays nothing for what the parent already loaded; the first optimiser step
    alone imports hundreds of modules. The parent must not start torch's thread pool before
    forking, or children hang on their first parallel operation.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy  # noqa: F401
    import torch
    from torch.nn import functional as F

    torch.set_num_threads(1)
    import autograder.probes as probes_package
    from autograder.probes import d2l

    for entry in sorted(Path(probes_package.__file__).parent.glob("*.py")):
        __import__(f"autograder.probes.{entry.stem}")
    generator = torch.Generator().manual_seed(0)
    X, y = d2l.synthetic_data(torch.tensor(d2l.TRUE_W), d2l.TRUE_B, 20, generator=generator)
    w = torch.zeros(2, 1, requires_grad=True)
    b = torch.zeros(1, requires_grad=True)
    d2l.train(X, y, w, b, num_epochs=1)
    x = torch.tensor(0.5, requires_grad=True)
    (gradient,) = torch.autograd.grad(torch.sin(x), x, create_graph=True)
    torch.autograd.grad(gradient, x)
    F.smooth_l1_loss(X[:, :1], y, beta=0.5, reduction="none")
    F.huber_loss(X[:, :1], y, delta=0.5, reduction="none")
    torch.optim.SGD([w, b], lr=0.1).step()
    figure, axes = plt.subplots()
    axes.semilogy([1, 2], [1.0, 0.5], label="0.1")
    axes.legend()
    plt.close(figure)


def run_keeper(request: dict[str, Any], channel: socket.socket, lifeline: socket.socket) -> None:
    """Fork the confined worker, then wait for its end, the deadline or the judge letting go."""
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    protections = confine.unshare_namespaces()
    worker = os.fork()
    if worker == 0:
        lifeline.close()
        _run_worker(request, channel, protections)
    channel.close()
    deadline = time.monotonic() + float(request["deadline"])
    ended = _wait(worker, lifeline, deadline)
    try:
        lifeline.sendall(json.dumps(ended).encode() + b"\n")
    except OSError:
        pass


def _wait(worker: int, lifeline: socket.socket, deadline: float) -> dict[str, Any]:
    pidfd = os.pidfd_open(worker)
    while True:
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([pidfd, lifeline], [], [], max(remaining, 0))
        if pidfd in ready:
            _, status = os.waitpid(worker, 0)
            if os.WIFSIGNALED(status):
                return {"ended": "signal", "signal": os.WTERMSIG(status)}
            return {"ended": "exit", "code": os.waitstatus_to_exitcode(status)}
        if lifeline in ready or remaining <= 0:
            os.kill(worker, signal.SIGKILL)  # pid 1 of its own namespace: everything in it dies too
            os.waitpid(worker, 0)
            return {"ended": "deadline" if remaining <= 0 else "released"}


def _run_worker(request: dict[str, Any], channel: socket.socket, protections: dict[str, bool]) -> None:
    try:
        scratch = Path("/tmp")
        # A private /tmp would hide anything imported from under it (without bubblewrap, a
        # virtual environment in /tmp): then the worker keeps the shared one and says so.
        imports_from_scratch = any(entry.startswith(f"{scratch}/") for entry in sys.path)
        if protections.get("mount namespace"):
            protections |= confine.private_mounts(None if imports_from_scratch else str(scratch),
                                                  int(request["scratch_bytes"]))
        os.dup2(channel.fileno(), 3)
        channel.detach()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.closerange(4, 65536)
        channel = socket.socket(fileno=3)
        if not protections.get("pid namespace"):
            os.setsid()
        with contextlib.suppress(OSError):  # when memory runs out, the worker goes first, not the zygote
            Path("/proc/self/oom_score_adj").write_text("1000")
        protections |= confine.set_limits(confine.Limits(cpu_seconds=int(request["cpu_seconds"]),
                                                         scratch_bytes=int(request["scratch_bytes"])))
        if request["uid"] is not None:
            protections |= confine.drop_privileges(int(request["uid"]))
        else:
            protections |= {"separate uid": False, "capabilities dropped": confine.drop_capabilities()}
        protections |= confine.forbid_new_privileges()
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


def serve_requests(control: socket.socket, single: bool) -> None:
    """Fork a keeper per request on the control socket (one request only if `single`)."""
    if not single:
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # keepers are reaped by the kernel
    control.send(json.dumps({"ready": True}).encode())
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 65536, 2)
        except OSError:
            return
        if not message or len(fds) != 2:
            return
        request = json.loads(message)
        channel, lifeline = (socket.socket(fileno=fd) for fd in fds)
        keeper = os.fork()
        if keeper == 0:
            control.close()
            try:
                run_keeper(request, channel, lifeline)
            finally:
                os._exit(0)
        channel.close()
        lifeline.close()
        if single:
            os.waitpid(keeper, 0)
            return


def main() -> None:
    """Entry point: `main()` with argv [control fd, "zygote" | "single"]."""
    control = socket.socket(fileno=int(sys.argv[1]))
    single = sys.argv[2] == "single"
    if not single:
        warm_up()
    serve_requests(control, single)


if __name__ == "__main__":
    main()
