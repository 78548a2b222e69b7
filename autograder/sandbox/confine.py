"""Confining a worker process before it touches student code (Linux; each step reports itself).

Order matters: namespaces and mounts need privileges, so they come first; resource limits next;
dropping to the sandbox uid (which clears every capability) and no_new_privs last. Every step
returns which protections took, so the judge can refuse a worker that lacks a required one.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import resource
from dataclasses import dataclass

from autograder.sandbox.protections import Protection

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x8, 0x4000, 0x40000
PR_SET_NO_NEW_PRIVS = 38
PR_CAPBSET_DROP = 24
LAST_CAPABILITY = 63
# What the zygote keeps to confine workers: new namespaces and mounts, the uid switch, dropping the
# bounding set, killing a worker.
ZYGOTE_CAPABILITIES = ("CAP_SYS_ADMIN", "CAP_SETUID", "CAP_SETGID", "CAP_SETPCAP", "CAP_KILL")
CAPABILITY_NUMBERS = {"CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7, "CAP_SETPCAP": 8, "CAP_SYS_ADMIN": 21}
# Mounts a worker may write to: the scratch and the sandbox's own pseudo filesystems, never the host's files.
WRITABLE_KINDS = {"tmpfs", "proc", "devpts", "mqueue"}
WRITABLE_DEVICES = {"/null", "/zero", "/full", "/random", "/urandom", "/tty"}

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


def join_groups(procs_files: list[int], caps: list[list[str]]) -> dict[Protection, bool]:
    """Move this process (a keeper, before it forks its worker) into its slot's control groups.

    The view shows no cgroup filesystem: the judge opens each group's `cgroup.procs` and passes the
    descriptor (the kernel checks the opener's rights, and "0" means the writing process). `caps[i]`
    names the protections the group behind `procs_files[i]` gives; each is reported as it took."""
    joined = {Protection.MEMORY_CGROUP: False, Protection.PROCESS_CGROUP: False}
    for descriptor, names in zip(procs_files, caps):
        try:
            os.write(descriptor, b"0")
        except OSError:
            continue
        joined.update({protection: True for protection in Protection if protection.value in names})
    for descriptor in procs_files:
        os.close(descriptor)
    return joined


def unshare_pid_namespace() -> dict[Protection, bool]:
    """A new pid namespace for the children of this process (the keeper's: its worker is pid 1 there)."""
    return {Protection.PID_NAMESPACE: _libc.unshare(CLONE_NEWPID) == 0}


def unshare_namespaces() -> dict[Protection, bool]:
    """New network, mount, IPC and UTS namespaces for this process (the worker); which ones took."""
    return {protection: _libc.unshare(flag) == 0
            for protection, flag in ((Protection.NETWORK_NAMESPACE, CLONE_NEWNET),
                                     (Protection.MOUNT_NAMESPACE, CLONE_NEWNS), (Protection.IPC_NAMESPACE, CLONE_NEWIPC),
                                     (Protection.UTS_NAMESPACE, CLONE_NEWUTS))}


def private_mounts(scratch: str | None, scratch_bytes: int) -> dict[Protection, bool]:
    """In a new mount namespace: a /proc of the worker's own pid namespace, a private scratch tmpfs."""
    applied = {Protection.OWN_PROC: False, Protection.PRIVATE_SCRATCH: False}
    if _libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return applied
    applied[Protection.OWN_PROC] = _libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None) == 0
    if scratch is None:
        return applied
    options = f"size={scratch_bytes},mode=1777".encode()
    os.makedirs(scratch, exist_ok=True)
    applied[Protection.PRIVATE_SCRATCH] = _libc.mount(b"tmpfs", scratch.encode(), b"tmpfs", MS_NOSUID | MS_NODEV,
                                                      options) == 0
    return applied


def set_limits(limits: Limits) -> dict[Protection, bool]:
    """CPU (soft equal to hard, so SIGXCPU cannot be caught and ignored), memory, files, processes."""
    applied = {}
    for protection, kind, value in ((Protection.CPU_LIMIT, resource.RLIMIT_CPU, limits.cpu_seconds),
                                    (Protection.ADDRESS_SPACE_LIMIT, resource.RLIMIT_AS, limits.address_space),
                                    (Protection.FILE_SIZE_LIMIT, resource.RLIMIT_FSIZE, limits.file_size),
                                    (Protection.OPEN_FILE_LIMIT, resource.RLIMIT_NOFILE, limits.open_files),
                                    (Protection.PROCESS_LIMIT, resource.RLIMIT_NPROC, limits.processes),
                                    (Protection.NO_CORE_DUMPS, resource.RLIMIT_CORE, 0)):
        try:
            resource.setrlimit(kind, (value, value))
            applied[protection] = True
        except (ValueError, OSError):
            applied[protection] = False
    return applied


def drop_privileges(uid: int | None, judge_uid: int) -> dict[Protection, bool]:
    """Become `uid` (group likewise, no supplementary groups) with no capabilities at all.

    Without a uid to switch to (not root, or no view an unprivileged uid could run Python in), keep
    the uid and drop every capability. Inside a user namespace made by a non-root judge (`judge_uid`),
    every uid maps to that user's, who owns nothing the view shows.
    """
    if uid is None or os.getuid() != 0 or not _in_initial_user_namespace():
        unprivileged = not _in_initial_user_namespace() and judge_uid != 0
        return {Protection.UNPRIVILEGED_UID: unprivileged, Protection.NO_CAPABILITIES: drop_capabilities()}
    for capability in range(LAST_CAPABILITY + 1):
        _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # fails harmlessly past the kernel's last one
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    return {Protection.UNPRIVILEGED_UID: os.getuid() == uid != 0, Protection.NO_CAPABILITIES: _no_capabilities()}


def _uid_map() -> list[tuple[int, int, int]]:
    try:
        with open("/proc/self/uid_map", encoding="ascii") as handle:
            return [tuple(int(value) for value in line.split()) for line in handle if line.strip()]  # type: ignore[misc]
    except OSError:
        return []


def _in_initial_user_namespace() -> bool:
    return _uid_map() == [(0, 0, 4294967295)]


class _CapabilityHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapabilitySets(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def _set_capabilities(keep: set[int]) -> None:
    for capability in range(LAST_CAPABILITY + 1):
        if capability not in keep:
            _libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)
    header = _CapabilityHeader(version=0x20080522, pid=0)  # _LINUX_CAPABILITY_VERSION_3: two 32-bit words
    sets = (_CapabilitySets * 2)()
    for capability in keep:
        word, bit = divmod(capability, 32)
        sets[word].effective |= 1 << bit
        sets[word].permitted |= 1 << bit
    _libc.capset(ctypes.byref(header), sets)


def drop_capabilities() -> bool:
    """Keep the uid but give up every capability."""
    _set_capabilities(set())
    return _no_capabilities()


def keep_only_capabilities(names: tuple[str, ...]) -> None:
    """Give up every capability but `names` (the zygote's, as bubblewrap's --cap-drop ALL --cap-add gives)."""
    _set_capabilities({CAPABILITY_NUMBERS[name] for name in names})


def _no_capabilities() -> bool:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            fields = dict(line.split(":", 1) for line in status if ":" in line)
    except OSError:
        return False
    return all(int(fields.get(name, "1").strip(), 16) == 0 for name in ("CapEff", "CapPrm", "CapAmb"))


def forbid_new_privileges() -> dict[Protection, bool]:
    """no_new_privs: no setuid binary or file capability can give privileges back."""
    return {Protection.NO_NEW_PRIVILEGES: _libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == 0}


def host_files_read_only() -> bool:
    """Every mount backed by the host's files is read-only (only the sandbox's own tmpfs and devices are not)."""
    try:
        with open("/proc/self/mountinfo", encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError:
        return False
    for line in lines:
        before, _, after = line.partition(" - ")
        fields, kind = before.split(), after.split()[0] if after else ""
        root, options = fields[3], fields[5].split(",")
        if "rw" not in options or kind in WRITABLE_KINDS or (kind == "devtmpfs" and root in WRITABLE_DEVICES):
            continue
        return False
    return bool(lines)
