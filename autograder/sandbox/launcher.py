"""Judge side: start the zygote in the sandbox's filesystem view and ask it for workers.

The zygote runs under bubblewrap with a minimal read-only view: /usr, the interpreter,
site-packages, and a bundle holding only the worker-side code (autograder.probes and the worker
half of autograder.sandbox); never the repository, the checks, the solutions or a gradebook.
Where bubblewrap is missing the zygote runs as a plain process and the run says so.
"""

from __future__ import annotations

import json
import multiprocessing.util
import os
import shutil
import site
import socket
import subprocess
import sys
import sysconfig
import tempfile
import typing
from dataclasses import dataclass
from functools import cache
from pathlib import Path


from autograder.sandbox import cgroups

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
WORKER_SIDE = ["__init__.py", "probes", "sandbox/__init__.py", "sandbox/protocol.py", "sandbox/confine.py",
               "sandbox/worker.py", "sandbox/zygote.py"]
BUNDLE_MOUNT = "/opt/course"
FIRST_SANDBOX_UID = 61000
ZYGOTE_START_TIMEOUT = 120.0
BOOT = ("import sys; sys.path[:0] = {paths!r}; "
        "from autograder.sandbox.zygote import main; main()")


class SandboxError(RuntimeError):
    """The sandbox could not be started: a grader fault, not the student's."""


@cache
def worker_bundle() -> Path:
    """A private copy of the worker-side code, readable by the sandbox uid (made once per process)."""
    bundle = Path(tempfile.mkdtemp(prefix="course-bundle-"))
    # multiprocessing's Finalize also runs in judge processes of a pool, where atexit does not.
    multiprocessing.util.Finalize(None, shutil.rmtree, args=(bundle,), kwargs={"ignore_errors": True}, exitpriority=0)
    os.chmod(bundle, 0o755)
    for relative in WORKER_SIDE:
        source = PACKAGE_ROOT / relative
        target = bundle / "autograder" / relative
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)
    for path in bundle.rglob("*"):
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    return bundle


def site_packages() -> list[str]:
    """The directories third-party packages (torch, numpy, matplotlib) are imported from."""
    candidates = [*site.getsitepackages(), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    return sorted({path for path in candidates if Path(path).is_dir()})


def _readable_by_others(path: Path) -> bool:
    # Without bubblewrap the worker sees the real filesystem: another uid can only run Python if
    # every directory down to the interpreter lets others through (pyenv under /root does not).
    resolved = path.resolve()
    return all(os.stat(directory).st_mode & 0o001 for directory in [*reversed(resolved.parents), resolved])


def bubblewrap() -> str | None:
    """The bwrap executable, if installed."""
    return shutil.which("bwrap")


def _readable_parents(path: Path) -> list[str]:
    # bwrap copies the host's modes for the directories it creates on the way to a mount point:
    # under /root (0700) the sandbox uid could not reach the interpreter. Create them 0755.
    arguments = []
    for parent in reversed(path.parents[:-1]):
        if str(parent) not in ("/usr", "/tmp", "/proc", "/dev"):
            arguments += ["--perms", "0755", "--dir", str(parent)]
    return arguments


def bubblewrap_command(bundle: Path) -> list[str]:
    """bwrap arguments for the zygote: namespaces, a minimal read-only view, a clean environment."""
    as_root = os.geteuid() == 0
    command = [bubblewrap() or "bwrap", "--die-with-parent", "--new-session",
               "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
    if not as_root:
        command.append("--unshare-user")  # the only way to get namespaces without privileges
    command += ["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for name in ("bin", "lib", "lib64", "sbin"):
        top = Path("/") / name
        if top.is_symlink():
            command += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            command += ["--ro-bind", str(top), str(top)]
    if Path("/etc/ld.so.cache").exists():
        command += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    prefix = Path(sys.base_prefix).resolve()
    if not str(prefix).startswith("/usr/"):
        command += _readable_parents(prefix) + ["--ro-bind", str(prefix), str(prefix)]
    for directory, inside in zip(site_packages(), sandbox_site_packages()):
        command += _readable_parents(Path(inside)) + ["--ro-bind", directory, inside]
        if (Path(directory) / "autograder").exists():  # an installed copy of the course holds the checks
            command += ["--tmpfs", str(Path(inside) / "autograder")]
    command += _readable_parents(Path(BUNDLE_MOUNT)) + ["--ro-bind", str(bundle), BUNDLE_MOUNT, "--chdir", "/tmp", "--clearenv",
                "--setenv", "HOME", "/tmp", "--setenv", "PATH", "/usr/bin", "--setenv", "MPLCONFIGDIR", "/tmp"]
    if as_root:
        # The zygote keeps only what it needs to confine workers; each worker then drops everything.
        command += ["--cap-drop", "ALL"]
        for capability in ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_KILL"):
            command += ["--cap-add", capability]
    return command


def sandbox_site_packages() -> list[str]:
    """Where the sandbox shows each site-packages directory.

    Each worker mounts a private, empty /tmp, so a virtual environment under /tmp (a CI clone,
    say) would vanish from under it: such directories are shown at /opt/site-packages/N instead.
    """
    temporary = ("/tmp/", os.path.join(tempfile.gettempdir(), ""))
    return [f"/opt/site-packages/{index}" if directory.startswith(temporary) else directory
            for index, directory in enumerate(site_packages())]


def python_command(bundle_path: str, sandboxed: bool) -> list[str]:
    """The interpreter in isolated mode, without site (.pth files) or bytecode writing."""
    executable = str(Path(sys.base_prefix).resolve() / "bin" / f"python{sys.version_info[0]}.{sys.version_info[1]}")
    if not Path(executable).exists():
        executable = os.path.realpath(sys.executable)
    boot = BOOT.format(paths=[bundle_path, *(sandbox_site_packages() if sandboxed else site_packages())])
    return [executable, "-I", "-S", "-B", "-c", boot]


@dataclass
class WorkerHandle:
    """The judge's two ends for one worker: the probe channel and the keeper's lifeline."""

    channel: socket.socket
    lifeline: socket.socket
    owner: Zygote | None = None  # a single-use zygote that lives as long as this worker

    def end_reason(self, wait: float = 2.0) -> dict[str, object]:
        """How the keeper says the worker ended (after the channel closed)."""
        self.lifeline.settimeout(wait)
        try:
            line = self.lifeline.makefile("rb").readline(4096)
            return json.loads(line) if line else {}
        except (OSError, ValueError):
            return {}

    def close(self) -> None:
        """Let go: the keeper kills the worker if it still runs."""
        for end in (self.channel, self.lifeline):
            try:
                end.close()
            except OSError:
                pass
        if self.owner is not None:
            self.owner.close()


class Zygote:
    """A started zygote (or, with `single`, a fresh process that serves exactly one worker)."""

    def __init__(self, *, single: bool = False, use_bubblewrap: bool | None = None) -> None:
        self.single = single
        self.sandboxed = bubblewrap() is not None if use_bubblewrap is None else use_bubblewrap
        self._process: subprocess.Popen[bytes] | None = None
        self._control: socket.socket | None = None
        self._spawned = 0
        self._stderr: typing.IO[bytes] | None = None
        self._groups: dict[str, Path] = {}

    def start(self) -> None:
        """Start the process and wait until it has warmed up."""
        bundle = worker_bundle()
        judge_end, zygote_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        bundle_path = BUNDLE_MOUNT if self.sandboxed else str(bundle)
        command = (bubblewrap_command(bundle) if self.sandboxed else []) + python_command(bundle_path, self.sandboxed)
        command += [str(zygote_end.fileno()), "single" if self.single else "zygote"]
        environment = None if self.sandboxed else {"HOME": tempfile.gettempdir(), "PATH": "/usr/bin",
                                                   "MPLCONFIGDIR": tempfile.gettempdir()}
        self._stderr = tempfile.TemporaryFile()
        self._groups = cgroups.create_slot_groups(f"course-{os.getpid()}-{id(self)}")
        self._process = subprocess.Popen(command, pass_fds=[zygote_end.fileno()], stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=self._stderr, env=environment,
                                         start_new_session=True, preexec_fn=lambda: cgroups.join(self._groups))
        zygote_end.close()
        self._control = judge_end
        # The control socket carries one JSON message per packet (SOCK_SEQPACKET), not frames.
        judge_end.settimeout(ZYGOTE_START_TIMEOUT)
        try:
            ready = json.loads(judge_end.recv(4096) or b"null")
        except (OSError, ValueError) as exc:
            stderr = self._stop()
            raise SandboxError(f"the sandbox did not start ({type(exc).__name__}): {stderr.strip()[-500:]}") from None
        judge_end.settimeout(None)
        if ready != {"ready": True}:
            self._stop()
            raise SandboxError("the sandbox sent an unexpected greeting")

    @property
    def group_caps(self) -> dict[str, bool]:
        """Which per-slot caps (memory, processes) hold this zygote and its workers."""
        return {name: name in self._groups for name in ("memory cap (cgroup)", "process cap (cgroup)")}

    def spawn(self, *, exercise_id: str, threads: int, deadline: float, slot: int,
              scratch_bytes: int = 64 << 20) -> WorkerHandle:
        """A new confined worker for one exercise; `deadline` is its wall-clock budget in seconds."""
        if self._control is None:
            self.start()
        assert self._control is not None
        channel_judge, channel_worker = socket.socketpair()
        lifeline_judge, lifeline_keeper = socket.socketpair()
        request = {"exercise": exercise_id, "threads": threads, "deadline": deadline,
                   "cpu_seconds": max(1, int(deadline + 0.999)),
                   "uid": FIRST_SANDBOX_UID + slot if self.sandboxed or _readable_by_others(Path(sys.base_prefix)) else None,
                   "scratch_bytes": scratch_bytes}
        try:
            socket.send_fds(self._control, [json.dumps(request).encode()],
                            [channel_worker.fileno(), lifeline_keeper.fileno()])
        except OSError as exc:
            raise SandboxError(f"the sandbox is gone: {exc}") from None
        finally:
            channel_worker.close()
            lifeline_keeper.close()
        self._spawned += 1
        return WorkerHandle(channel_judge, lifeline_judge)

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
        cgroups.remove(self._groups)
        self._groups = {}
        return stderr

    def close(self) -> None:
        """Stop the zygote (workers die with their keepers' lifelines)."""
        self._stop()
