"""Judge side: start the zygote inside the sandbox's filesystem view and ask it for workers.

The view (see `view`) holds /usr, the interpreter, site-packages and the worker-side code of the
course, read-only: never the repository, the checks, the solutions or a gradebook. bubblewrap builds
it where installed; elsewhere the zygote builds it itself (a private mount namespace as root, an
unprivileged user namespace otherwise). Where neither works there is no view, and the judge refuses
to hand such a zygote's workers any submission unless the caller said the code is their own.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import signal
import site
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
import typing
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from autograder.sandbox import cgroups, slots
from autograder.sandbox.confine import ZYGOTE_CAPABILITIES
from autograder.sandbox.protections import Protection, parse
from autograder.sandbox.protocol import ChannelClosed, ChannelTimeout, recv_frame
from autograder.sandbox.view import BUNDLE_MOUNT, View, bubblewrap_arguments, describe
from autograder.scratch import make_scratch

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# The only code of the course a worker can see, relative to the repository: what runs next to student code.
WORKER_SIDE = ["autograder/__init__.py", "autograder/sandbox/__init__.py", "autograder/sandbox/protections.py",
               "autograder/sandbox/protocol.py", "autograder/sandbox/confine.py", "autograder/sandbox/view.py",
               "autograder/sandbox/keeper.py", "autograder/sandbox/worker.py", "autograder/sandbox/zygote.py",
               "course_checks/__init__.py", "course_checks/i18n.py",
               "course_checks/locale", "course_checks/probes"]
# Packages the probes import in the worker; their site-packages directories are shown in the view.
WORKER_PACKAGES = ("torch", "numpy", "matplotlib")
ZYGOTE_START_TIMEOUT = 300.0  # importing torch on a loaded machine
VIEW_SETTING = "COURSE_SANDBOX_VIEW"  # auto (default) | bubblewrap | kernel | none
VIEW_CHOICES = ("auto", "bubblewrap", "kernel", "none")
PR_SET_PDEATHSIG = 1
BOOT = ("import sys; sys.path[:0] = {paths!r}; "
        "from autograder.sandbox.zygote import main; main()")

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


class SandboxError(RuntimeError):
    """The sandbox could not be started: a grader fault, not the student's."""


def bubblewrap() -> str | None:
    """The bwrap executable, if installed."""
    return shutil.which("bwrap")


def view_setting() -> str:
    """Which ways of building the view may be tried, from the environment (for administrators and tests)."""
    setting = os.environ.get(VIEW_SETTING, "auto").strip() or "auto"
    if setting not in VIEW_CHOICES:
        raise SandboxError(f"{VIEW_SETTING}={setting!r}: must be one of {', '.join(VIEW_CHOICES)}")
    return setting


def site_packages() -> list[str]:
    """The directories third-party packages (torch, numpy, matplotlib) are imported from."""
    candidates = [*site.getsitepackages(), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    for package in WORKER_PACKAGES:
        spec = find_spec(package)
        if spec is not None and spec.origin:
            candidates.append(str(Path(spec.origin).resolve().parent.parent))
    course_root = str(PACKAGE_ROOT.parent)
    return sorted({path for path in candidates if Path(path).is_dir() and path != course_root})


def sandbox_site_packages() -> list[str]:
    """Where the view shows each site-packages directory.

    Each worker mounts a private, empty /tmp, so a virtual environment under /tmp (a CI clone,
    say) would vanish from under it: such directories are shown at /opt/site-packages/N instead.
    """
    temporary = ("/tmp/", os.path.join(tempfile.gettempdir(), ""))
    return [f"/opt/site-packages/{index}" if directory.startswith(temporary) else directory
            for index, directory in enumerate(site_packages())]


def sandbox_view() -> View:
    """The view every zygote gets: see `view.describe`."""
    shown = list(zip(site_packages(), sandbox_site_packages()))
    with_course = [host for host, _ in shown if (Path(host) / "autograder").exists()]
    view = describe(shown, with_course)
    for relative in WORKER_SIDE:  # each worker-side file or folder on its own: nothing else of the course
        view.binds.append((str(PACKAGE_ROOT.parent / relative), f"{BUNDLE_MOUNT}/{relative}"))
    return view


def bubblewrap_command(view: View) -> list[str]:
    """bwrap arguments for the zygote: namespaces, the view, a clean environment, few capabilities."""
    as_root = os.geteuid() == 0
    command = [bubblewrap() or "bwrap", "--die-with-parent", "--new-session",
               "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    if not as_root:
        command.append("--unshare-user")  # the only way to get namespaces without privileges
    command += bubblewrap_arguments(view)
    command += ["--chdir", "/tmp", "--clearenv", "--setenv", "HOME", "/tmp", "--setenv", "PATH", "/usr/bin",
                "--setenv", "MPLCONFIGDIR", "/tmp"]
    # The zygote keeps only what it needs to confine workers (as root: of the host's capabilities; in a
    # user namespace: of that namespace's); each worker then drops everything.
    command += ["--cap-drop", "ALL"]
    for capability in ZYGOTE_CAPABILITIES:
        command += ["--cap-add", capability]
    return command


def python_command(paths: list[str]) -> list[str]:
    """The interpreter in isolated mode, without site (.pth files) or bytecode writing."""
    executable = str(Path(sys.base_prefix).resolve() / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}")
    if not Path(executable).exists():
        executable = os.path.realpath(sys.executable)
    return [executable, "-I", "-S", "-B", "-c", BOOT.format(paths=paths)]


@dataclass
class WorkerHandle:
    """The judge's two ends for one worker: the probe channel and the keeper's lifeline."""

    channel: socket.socket
    lifeline: socket.socket
    owner: Zygote | None = None  # a single-use zygote that lives as long as this worker
    _reader: typing.BinaryIO | None = field(default=None, repr=False)

    def budget(self, cpu_seconds: float | None, idle_seconds: float | None = None) -> None:
        """Tell the keeper what the next call may use (None: the worker is waiting for the judge)."""
        message = {"budget": None if cpu_seconds is None else {"cpu": cpu_seconds, "idle": idle_seconds}}
        try:
            self.lifeline.sendall(json.dumps(message).encode() + b"\n")
        except OSError:
            pass  # the keeper is gone: the channel says so next

    def waiting(self) -> bool:
        """Whether the worker is still there: its keeper has neither reported its end nor gone."""
        try:
            self.lifeline.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)  # a report, or the end of the stream
        except BlockingIOError:
            return True
        except OSError:
            pass
        return False

    def end_reason(self, wait: float = 5.0) -> dict[str, object]:
        """How the keeper says the worker ended (after the channel closed)."""
        self.lifeline.settimeout(wait)
        try:
            if self._reader is None:
                self._reader = self.lifeline.makefile("rb")
            line = self._reader.readline(4096)
            return json.loads(line) if line else {}
        except (OSError, ValueError):
            return {}

    def close(self) -> None:
        """Let go: the keeper kills the worker if it still runs."""
        for end in (self._reader, self.channel, self.lifeline):
            try:
                if end is not None:
                    end.close()
            except OSError:
                pass
        if self.owner is not None:
            self.owner.close()


def _die_with_judge() -> None:
    """In the zygote's process before exec: die when the judge dies, and be the last the kernel kills
    when memory runs out (it never runs student code; its workers join their slot's control groups)."""
    try:
        Path("/proc/self/oom_score_adj").write_text("-500")
    except OSError:
        pass
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


@dataclass(frozen=True)
class ZygoteLink:
    """A zygote as another process of the same run uses it: its control socket and how it got its view.

    The judges of a pool share the zygote their parent started (one torch import and warm-up for the
    whole run): each is a slot of it, with its own sandbox uid and control groups, asking it for workers
    over a duplicate of the socket. Requests sent while it still warms up wait in the socket."""

    control: socket.socket
    view: str
    view_problem: str = ""

    def to_argument(self) -> str:
        """The link as a command-line argument for a judge started with the socket in `pass_fds`."""
        return json.dumps({"fd": self.control.fileno(), "view": self.view, "view_problem": self.view_problem})

    @classmethod
    def from_argument(cls, argument: str) -> ZygoteLink:
        """The link a judge's parent gave on its command line."""
        fields = json.loads(argument)
        return cls(socket.socket(fileno=int(fields["fd"])), str(fields["view"]), str(fields["view_problem"]))


class Zygote:
    """A started zygote (or, with `single`, a fresh process that serves exactly one worker); with `link`,
    one slot of a zygote another process owns.

    Each object is a slot: the sandbox uid and control groups of the workers it asks for."""

    def __init__(self, *, single: bool = False, view: str | None = None, link: ZygoteLink | None = None) -> None:
        self.single = single
        self.requested_view = view or view_setting()
        self.view = "none"  # how the running zygote got its view: bubblewrap, a namespace, or none
        self.view_problem = ""  # why a view could not be built, for the refusal and `course doctor`
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._stderr: typing.IO[bytes] | None = None
        self._cache: str | None = None  # torch's compile cache folder of a zygote without a view
        self._groups: dict[Protection, Path] | None = None  # made with the slot's first worker
        self._procs_files: tuple[list[int], list[list[str]]] = ([], [])  # their cgroup.procs, open while it lives
        self._lease: slots.SlotLease | None = None
        self._launched: str | None = None  # the view kind of the process started last
        self._kinds_left: list[str] = []
        self._confinement: dict[Protection, bool] | None = None  # what this process's workers get, once asked
        self._started = False  # its view is built: it takes requests (and serves them once warm)
        self._prepared: list[str] = []  # exercises its judges said they will grade
        self.ready = False
        if link is not None:
            self._control, self.view, self.view_problem = link.control, link.view, link.view_problem
            self._started = self.ready = True

    @property
    def uid(self) -> int | None:
        """The sandbox uid of this slot's workers (None: no uid switch, e.g. not root)."""
        return self._lease.uid if self._lease is not None else None

    def launch(self) -> None:
        """Start the process in the best view allowed without waiting for it: it imports torch meanwhile."""
        if self._launched is not None or self._started:
            return
        self._lease_uid()
        self._kinds_left = [*self._view_kinds(), "none"]
        self._launch(self._kinds_left.pop(0))

    def _lease_uid(self) -> None:
        if os.geteuid() == 0 and self._lease is None:
            try:
                self._lease = slots.lease()
            except (slots.NoFreeSlot, OSError) as exc:
                raise SandboxError(str(exc)) from None

    def start(self) -> None:
        """Start (unless launched already) and wait until it has warmed up, trying the next view if one fails."""
        self._wait_until(lambda: self.ready)

    def link(self) -> ZygoteLink:
        """This zygote for the other processes of a run, as soon as its view is built (trying the next view
        if one fails); it warms up meanwhile."""
        self._wait_until(lambda: self._started)
        assert self._control is not None
        return ZygoteLink(self._control, self.view, self.view_problem)

    def _wait_until(self, reached: typing.Callable[[], bool]) -> None:
        self.launch()
        while not reached():
            assert self._launched is not None
            problem = self._advance(self._launched)
            if problem:
                self.view_problem = f"{self.view_problem}; {problem}" if self.view_problem else problem
                self._launch(self._kinds_left.pop(0))

    def _view_kinds(self) -> list[str]:
        if self.requested_view == "auto":
            return ["bubblewrap", "kernel"] if bubblewrap() else ["kernel"]
        if self.requested_view == "bubblewrap" and not bubblewrap():
            self.view_problem = "bubblewrap is not installed"
            return []
        return [] if self.requested_view == "none" else [self.requested_view]

    def _launch(self, kind: str) -> None:
        """Start the process with one kind of view."""
        view = sandbox_view()
        judge_end, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        if kind == "none":
            paths, prefix = [str(PACKAGE_ROOT.parent), *site_packages()], []
        else:
            paths = [BUNDLE_MOUNT, *sandbox_site_packages()]
            prefix = bubblewrap_command(view) if kind == "bubblewrap" else []
        command = prefix + python_command(paths if kind != "kernel" else [str(PACKAGE_ROOT.parent)])
        command += [str(zygote_end.fileno()), "single" if self.single else "zygote", kind]
        if kind == "kernel":
            command += [view.to_json(), json.dumps(paths)]
        environment = None if kind == "bubblewrap" else {"HOME": "/tmp", "PATH": "/usr/bin", "MPLCONFIGDIR": "/tmp"}
        if kind == "none":
            # Without a view the zygote sees the host's /tmp, where importing torch._dynamo (its warm-up) makes
            # torch's compile cache folder: it goes in a scratch folder of this judge's, removed with the zygote.
            self._cache = make_scratch("course-zygote-")
            environment = {**environment, "TORCHINDUCTOR_CACHE_DIR": self._cache}
        self._stderr = tempfile.TemporaryFile()
        self._process = subprocess.Popen(command, pass_fds=[zygote_end.fileno()], stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=self._stderr, env=environment,
                                         start_new_session=True, preexec_fn=_die_with_judge)
        zygote_end.close()
        self._control = judge_end
        self._launched = kind
        if self._prepared:
            self._send_prepare(self._prepared)

    def _advance(self, kind: str) -> str:
        """Wait for the launched process's next message (its view is built, then it is warm); '' when it
        came, else why not (the process is gone again)."""
        assert self._control is not None
        # The control socket carries one JSON message per packet (SOCK_SEQPACKET), not frames.
        self._control.settimeout(ZYGOTE_START_TIMEOUT)
        try:
            ready = json.loads(self._control.recv(4096) or b"null")
        except (OSError, ValueError) as exc:
            stderr = self._stop()
            if kind != "none":
                return f"{kind}: the sandbox did not start ({type(exc).__name__}): {stderr.strip()[-300:]}"
            raise SandboxError(f"the sandbox did not start ({type(exc).__name__}): {stderr.strip()[-500:]}") from None
        self._control.settimeout(None)
        if ready is None:  # it closed its end: it exited before it was ready
            process = self._process
            stderr = self._stop().strip()[-300:] or "nothing on stderr"  # waits for it
            status = process.returncode if process is not None else None
            if kind != "none":
                return f"{kind}: the sandbox exited before it was ready (status {status}): {stderr}"
            raise SandboxError(f"the sandbox exited before it was ready (status {status}): {stderr}")
        if isinstance(ready, dict) and isinstance(ready.get("view_failed"), str):
            self._stop()
            return f"the view could not be built ({ready['view_failed'][:300]})"
        stage = "ready" if self._started else "started"
        if not isinstance(ready, dict) or ready.get(stage) is not True or not isinstance(ready.get("view"), str):
            self._stop()
            raise SandboxError("the sandbox sent an unexpected greeting")
        self.view = ready["view"]
        self._started, self.ready = True, stage == "ready"
        return ""

    def spawn(self, *, exercise_id: str, threads: int, cpu_seconds: float,
              scratch_bytes: int = 64 << 20) -> WorkerHandle:
        """A new confined worker for one exercise that may use `cpu_seconds` of CPU time in all."""
        if not self.ready:
            self.start()
        assert self._control is not None
        self._lease_uid()
        if self._groups is None:
            self._groups = cgroups.create_slot_groups(f"course-{os.getpid()}-{id(self)}")
            self._procs_files = cgroups.open_procs_files(self._groups)
        procs_files, caps = self._procs_files
        channel_judge, channel_worker = socket.socketpair()
        lifeline_judge, lifeline_keeper = socket.socketpair()
        request = {"exercise": exercise_id, "threads": threads, "cpu_seconds": cpu_seconds, "uid": self.uid,
                   "judge_uid": os.geteuid(), "scratch_bytes": scratch_bytes, "groups": caps}
        try:
            socket.send_fds(self._control, [json.dumps(request).encode()],
                            [channel_worker.fileno(), lifeline_keeper.fileno(), *procs_files])
        except OSError as exc:
            raise SandboxError(f"the sandbox is gone: {exc}") from None
        finally:
            channel_worker.close()
            lifeline_keeper.close()
        return WorkerHandle(channel_judge, lifeline_judge)

    def confinement(self, wait: float = 60.0) -> dict[Protection, bool]:
        """The protections a worker of this zygote gets: one is started and asked, and never given code.

        Asked once per zygote process: every worker it forks is confined the same way."""
        if self._confinement is None:  # reset whenever the process stops
            self._confinement = self._ask_confinement(wait)
        return dict(self._confinement)

    def _ask_confinement(self, wait: float) -> dict[Protection, bool]:
        worker = self.spawn(exercise_id="", threads=1, cpu_seconds=wait)
        try:
            hello = recv_frame(worker.channel, deadline=time.monotonic() + wait)
        except (ChannelClosed, ChannelTimeout, OSError) as exc:
            raise SandboxError(f"a sandbox worker did not start: {type(exc).__name__}: {exc}") from None
        finally:
            worker.close()
        if not isinstance(hello, dict) or not isinstance(hello.get("hello"), dict):
            raise SandboxError(f"a sandbox worker did not start: {str(hello)[:300]}")
        return parse(hello["hello"])

    def prepare(self, exercise_ids: list[str]) -> None:
        """Say which exercises are about to be graded: the zygote warms up for each of them at once, side by
        side, instead of at its first worker."""
        new = [exercise_id for exercise_id in dict.fromkeys(exercise_ids) if exercise_id not in self._prepared]
        self._prepared += new
        if new and self._control is not None:
            self._send_prepare(new)

    def _send_prepare(self, exercise_ids: list[str]) -> None:
        assert self._control is not None
        try:
            self._control.send(json.dumps({"prepare": exercise_ids}).encode())
        except OSError:
            pass  # the zygote is gone: the next spawn says so

    @classmethod
    def fresh_worker(cls, **request: typing.Any) -> WorkerHandle:
        """A worker from a new Python process that imports everything itself (the slow baseline)."""
        zygote = cls(single=True)
        zygote.start()
        handle = zygote.spawn(**request)
        handle.owner = zygote
        return handle

    def _stop(self) -> str:
        stderr = ""
        self.ready, self._started, self._launched, self._confinement = False, False, None, None
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            self._process = None
        if self._stderr is not None:
            self._stderr.seek(0)
            stderr = self._stderr.read()[-4000:].decode(errors="replace")
            self._stderr.close()
            self._stderr = None
        if self._cache is not None:
            shutil.rmtree(self._cache, ignore_errors=True)
            self._cache = None
        return stderr

    def close(self) -> None:
        """Stop the zygote, or let go of another's (this slot's workers die with their keepers'
        lifelines, and what is left in its control groups is killed); give the uid back."""
        self._stop()
        for descriptor in self._procs_files[0]:
            os.close(descriptor)
        cgroups.remove(self._groups or {})
        self._groups, self._procs_files = None, ([], [])
        if self._lease is not None:
            self._lease.release()
            self._lease = None
