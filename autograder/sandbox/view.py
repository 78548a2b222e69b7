"""What a grading worker sees of the filesystem, described once and built two ways.

The view holds /usr, the interpreter, site-packages and the worker-side bundle, all read-only, plus
an empty /tmp, its own /proc and a minimal /dev: never the repository, the checks, the solutions or
a gradebook. `bubblewrap_arguments` turns the description into a bwrap command line;
`enter` builds the same view in the current process with mount(2) and pivot_root(2), as root in
a private mount namespace or, without root, inside an unprivileged user namespace, for machines
without bubblewrap. Both run before any student code exists in the process.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import platform
import signal
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from course_checks.i18n import N_

BUNDLE_MOUNT = "/opt/course"
# Namespaces the zygote gets; each worker unshares its own on top (see confine).
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET = 0x10000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 0x1, 0x2, 0x4, 0x8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
MNT_DETACH = 0x2
PR_SET_PDEATHSIG = 1
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "riscv64": 41, "ppc64le": 203, "s390x": 217}
DEVICES = ("null", "zero", "full", "random", "urandom")


class ViewError(OSError):
    """The view could not be built here; the message names the step that failed."""


@dataclass(frozen=True)
class View:
    """Read-only binds (host path -> path in the view), symlinks, and directories hidden by an empty tmpfs."""

    binds: list[tuple[str, str]] = field(default_factory=list)
    symlinks: list[tuple[str, str]] = field(default_factory=list)  # (what it points to, path in the view)
    hidden: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        """The view as one JSON argument for the zygote's command line."""
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> View:
        """The inverse of `to_json`."""
        data = json.loads(text)
        return cls([tuple(pair) for pair in data["binds"]], [tuple(pair) for pair in data["symlinks"]],
                   list(data["hidden"]))


def describe(site_packages: list[tuple[str, str]], course_package_dirs: list[str]) -> View:
    """System libraries, the interpreter and `site_packages` (host, in the view), an installed course hidden.

    The caller adds the worker-side code of the course."""
    view = View()
    view.binds.append(("/usr", "/usr"))
    for name in ("bin", "lib", "lib64", "sbin"):
        top = Path("/") / name
        if top.is_symlink():
            view.symlinks.append((os.readlink(top), str(top)))
        elif top.is_dir():
            view.binds.append((str(top), str(top)))
    if Path("/etc/ld.so.cache").exists():
        view.binds.append(("/etc/ld.so.cache", "/etc/ld.so.cache"))
    prefix = Path(sys.base_prefix).resolve()
    if not str(prefix).startswith("/usr/"):
        view.binds.append((str(prefix), str(prefix)))
    for host, inside in site_packages:
        view.binds.append((host, inside))
        if host in course_package_dirs:  # an installed copy of the course holds the checks
            view.hidden.append(str(Path(inside) / "autograder"))
    return view


def _parents_to_create(path: str) -> list[str]:
    return [str(parent) for parent in reversed(Path(path).parents[:-1])
            if str(parent) not in ("/usr", "/tmp", "/proc", "/dev")]


def bubblewrap_arguments(view: View) -> list[str]:
    """The bwrap options that build `view` (namespaces and capabilities are the caller's)."""
    arguments = ["--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]
    for target, path in view.symlinks:
        arguments += ["--symlink", target, path]
    for host, inside in view.binds:
        if inside == "/usr":
            continue
        # bwrap copies the host's modes for directories it creates on the way to a mount point;
        # under /root (0700) the sandbox uid could not reach the interpreter, so create them 0755.
        for parent in _parents_to_create(inside):
            arguments += ["--perms", "0755", "--dir", parent]
        arguments += ["--ro-bind", host, inside]
    for path in view.hidden:
        arguments += ["--tmpfs", path]
    return arguments


# ------------------------------------------------------------------------------------ without bubblewrap
_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


def _call(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise ViewError(error, f"{what}: {os.strerror(error)}")


def _mount(source: str | None, target: str, kind: str | None, flags: int, data: str | None = None) -> None:
    _call(_libc.mount(source.encode() if source else None, target.encode(), kind.encode() if kind else None,
                      flags, data.encode() if data else None), f"mount {source or kind} on {target}")


def _bind_read_only(source: str, target: str) -> None:
    if Path(source).is_dir():
        os.makedirs(target, mode=0o755, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
        Path(target).touch(exist_ok=True)
    _mount(source, target, None, MS_BIND)
    # A bind keeps the source's flags; read-only takes a second, remounting call.
    _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="ascii") as handle:
        handle.write(text)


def _enter_user_namespace() -> None:
    uid, gid = os.getuid(), os.getgid()
    _call(_libc.unshare(CLONE_NEWUSER), "unshare(user namespace)")
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"0 {uid} 1\n")
    _write("/proc/self/gid_map", f"0 {gid} 1\n")


def _become_pid_one() -> None:
    """After unshare(CLONE_NEWPID) the next child is pid 1 of the new namespace: it goes on, the parent waits."""
    child = os.fork()
    if child == 0:
        _call(_libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0), "prctl(PR_SET_PDEATHSIG)")
        if os.getppid() == 1:  # the parent died before the line above took effect
            os._exit(1)
        return
    for fd in range(3, 1024):  # the parent keeps no end of the control socket open
        try:
            os.close(fd)
        except OSError:
            pass
    _, status = os.waitpid(child, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def enter(view: View) -> str:
    """Build `view` around this process and move into it; which way it was built, for `course doctor`.

    Must run single-threaded, before anything is imported from inside the view. Raises ViewError
    naming the step the platform refused.
    """
    machine = platform.machine()
    if machine not in SYS_PIVOT_ROOT:
        raise ViewError(0, f"pivot_root: unknown system call number on {machine}")
    as_root = os.geteuid() == 0
    if not as_root:
        _enter_user_namespace()
    _call(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET),
          "unshare(mount, pid, ipc, uts, network namespaces)")
    _become_pid_one()
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    # As bubblewrap does: a tmpfs becomes the root, the old root stays reachable at /oldroot while
    # the binds are made (so sources under /tmp are not hidden), then it is detached.
    base = "/tmp"
    _mount("tmpfs", base, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
    for name in ("newroot", "oldroot"):
        os.mkdir(f"{base}/{name}", 0o755)
    _mount("tmpfs", f"{base}/newroot", "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755")
    _call(_libc.syscall(SYS_PIVOT_ROOT[machine], base.encode(), f"{base}/oldroot".encode()), "pivot_root")
    os.chdir("/")
    new, old = "/newroot", "/oldroot"
    for host, inside in view.binds:
        _bind_read_only(old + host, new + inside)
    for target, path in view.symlinks:
        os.symlink(target, new + path)
    for path in view.hidden:
        _mount("tmpfs", new + path, "tmpfs", MS_NOSUID | MS_NODEV | MS_RDONLY, "mode=0755,size=4k")
    os.makedirs(new + "/tmp", mode=0o1777)
    _mount("tmpfs", new + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777")
    os.makedirs(new + "/proc", mode=0o555)
    _mount("proc", new + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    _minimal_dev(new + "/dev", old + "/dev")
    os.chdir(new)
    _call(_libc.syscall(SYS_PIVOT_ROOT[machine], b".", b"."), "pivot_root into the view")
    _call(_libc.umount2(b".", MNT_DETACH), "detach the old root")
    os.chdir("/")
    _mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
    # Names a report shows (translated there); marked here so the catalogs have them.
    return N_("private mount namespace (root)") if as_root else N_("unprivileged user namespace")


def _minimal_dev(dev: str, host_dev: str) -> None:
    os.makedirs(dev, mode=0o755)
    _mount("tmpfs", dev, "tmpfs", MS_NOSUID, "mode=0755,size=64k")
    for name in DEVICES:
        Path(f"{dev}/{name}").touch()
        _mount(f"{host_dev}/{name}", f"{dev}/{name}", None, MS_BIND)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"{dev}/{name}")
    os.makedirs(f"{dev}/shm", mode=0o1777)
    _mount("tmpfs", f"{dev}/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=16m")
    _mount(None, dev, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID, "mode=0755,size=64k")
