"""Confining a worker process before it touches student code (Linux; each step reports itself).

Order matters: namespaces and mounts need privileges, so they come first; resource limits next;
dropping to the sandbox uid (which clears every capability) and no_new_privs last.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
from dataclasses import dataclass

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x8, 0x4000, 0x40000
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24
LAST_CAPABILITY = 63

_libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)


@dataclass(frozen=True)
class Limits:
    """Resource limits of one worker."""

    cpu_seconds: int
    address_space: int = 4 << 30  # torch needs ~0.8 GiB to import and train; threads add more
    file_size: int = 16 << 20
    open_files: int = 256
    processes: int = 64
    scratch_bytes: int = 64 << 20


def _check(result: int, what: str) -> None:
    if result != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"{what}: {os.strerror(error)}")


def unshare_namespaces() -> dict[str, bool]:
    """New pid (for children), network, mount, IPC and UTS namespaces; which ones took."""
    applied = {}
    for name, flag in (("pid namespace", CLONE_NEWPID), ("network namespace", CLONE_NEWNET),
                       ("mount namespace", CLONE_NEWNS), ("ipc namespace", CLONE_NEWIPC),
                       ("uts namespace", CLONE_NEWUTS)):
        applied[name] = _libc.unshare(flag) == 0
    return applied


def private_mounts(scratch: str | None, scratch_bytes: int) -> dict[str, bool]:
    """In a new mount namespace: a /proc of the worker's own pid namespace, a private scratch tmpfs."""
    applied = {"own /proc": False, "private scratch": False}
    if _libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return applied
    applied["own /proc"] = _libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) == 0
    if scratch is None:
        return applied
    options = f"size={scratch_bytes},mode=1777".encode()
    os.makedirs(scratch, exist_ok=True)
    applied["private scratch"] = _libc.mount(b"tmpfs", scratch.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, options) == 0
    return applied


def set_limits(limits: Limits) -> dict[str, bool]:
    """CPU (soft equal to hard, so SIGXCPU cannot be caught and ignored), memory, files, processes."""
    applied = {}
    for name, kind, value in (("cpu limit", resource.RLIMIT_CPU, limits.cpu_seconds),
                              ("address-space limit", resource.RLIMIT_AS, limits.address_space),
                              ("file-size limit", resource.RLIMIT_FSIZE, limits.file_size),
                              ("open-file limit", resource.RLIMIT_NOFILE, limits.open_files),
                              ("process limit", resource.RLIMIT_NPROC, limits.processes),
                              ("no core dumps", resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(kind, (value, value))
            applied[name] = True
        except (ValueError, OSError):
            applied[name] = False
    return applied


def drop_privileges(uid: int) -> dict[str, bool]:
    """Become `uid` (group likewise) with no supplementary groups and no capabilities at all."""
    if os.getuid() != 0:
        return {"separate uid": False, "capabilities dropped": _no_capabilities()}
    for capability in range(LAST_CAPABILITY + 1):
        _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # fails harmlessly past the kernel's last one
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    return {"separate uid": os.getuid() == uid != 0, "capabilities dropped": _no_capabilities()}


class _CapabilityHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapabilitySets(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> bool:
    """Keep the uid but give up every capability (when the sandbox uid could not run Python)."""
    for capability in range(LAST_CAPABILITY + 1):
        _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)
    header = _CapabilityHeader(version=0x20080522, pid=0)  # _LINUX_CAPABILITY_VERSION_3: two 32-bit words
    _libc.capset(ctypes.byref(header), (_CapabilitySets * 2)())
    return _no_capabilities()


def _no_capabilities() -> bool:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
    except OSError:
        return False
    return all(int(fields.get(name, "1").strip(), 16) == 0 for name in ("CapEff", "CapPrm", "CapAmb"))


def forbid_new_privileges() -> dict[str, bool]:
    """no_new_privs: no setuid binary or file capability can give privileges back."""
    return {"no new privileges": _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0}
