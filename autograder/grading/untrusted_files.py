"""The one way the grader reads a file a student handed in: regular files only, capped before reading.

A symbolic link (anywhere below the submission's own PATH), a FIFO, a socket or a device is refused
by name; it would otherwise let a submission point at the reference solution, hang the run, or
stream forever. The size is checked on the open file before a byte is read, and nothing past the
cap is ever read.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from course_checks.i18n import N_, _

MAX_MODULE_BYTES = 1 << 20
MAX_NOTEBOOK_BYTES = 5 << 20
_KINDS = {stat.S_IFIFO: N_("a FIFO (named pipe)"), stat.S_IFCHR: N_("a character device"),
          stat.S_IFBLK: N_("a block device"), stat.S_IFSOCK: N_("a socket"), stat.S_IFDIR: N_("a directory"),
          stat.S_IFLNK: N_("a symbolic link")}
NOT_REGULAR = N_("not a regular file")


class UntrustedFileError(ValueError):
    """The file cannot be graded; the message says why in one line, naming the file."""


class NotRegularFile(UntrustedFileError):
    """A symbolic link, FIFO, socket or device where a regular file should be."""


class TooLarge(UntrustedFileError):
    """Larger than the cap for its kind."""


def kind_of(path: Path) -> str | None:
    """What `path` is, if it is not a regular file or a directory (without following a link)."""
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return _(_KINDS.get(stat.S_IFMT(mode), NOT_REGULAR))


def refusal(path: Path) -> str | None:
    """Why a submission's PATH itself cannot be graded (missing, a link, a FIFO, a device), or None."""
    try:
        kind = kind_of(path)
    except FileNotFoundError:
        return _("{path}: no such file or directory").format(path=path)
    except OSError as exc:
        return _("{path}: cannot be read ({reason})").format(path=path, reason=exc.strerror)
    if kind is None:
        return None
    return _("{path} is {kind}: only regular files and directories are graded; submit the file itself").format(
        path=path, kind=kind)


def _open_beneath(path: Path, beneath: Path | None) -> int:
    """Open `path` for reading, following no symbolic link below `beneath` (or in its last component)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # NONBLOCK: a FIFO must not hang open()
    if beneath is None:
        return os.open(path, flags)
    parts = path.relative_to(beneath).parts
    directory = os.open(beneath, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        for part in parts[:-1]:
            inner = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=directory)
            os.close(directory)
            directory = inner
        return os.open(parts[-1], flags, dir_fd=directory)
    finally:
        os.close(directory)


def read_capped(path: Path, limit: int, *, beneath: Path | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes; UntrustedFileError says why not.

    With `beneath`, no directory between it and the file may be a symbolic link either.
    """
    try:
        fd = _open_beneath(path, beneath)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.ENOTDIR):
            raise NotRegularFile(_("{name} is a symbolic link (or lies behind one): only regular files are graded; "
                                   "submit the file itself").format(name=path.name)) from None
        raise UntrustedFileError(_("{name} cannot be read: {reason}").format(name=path.name,
                                                                            reason=exc.strerror)) from None
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            kind = _(_KINDS.get(stat.S_IFMT(status.st_mode), NOT_REGULAR))
            raise NotRegularFile(_("{name} is {kind}: only regular files are graded; submit the file itself").format(
                name=path.name, kind=kind))
        if status.st_size > limit:
            raise TooLarge(_("{name} is larger than {limit} ({size})").format(
                name=path.name, limit=_size(limit), size=_size(status.st_size)))
        os.set_blocking(fd, True)
        chunks, remaining = [], limit + 1
        while remaining > 0:
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:  # it grew after fstat
        raise TooLarge(_("{name} is larger than {limit}").format(name=path.name, limit=_size(limit)))
    return data


def read_text(path: Path, limit: int = MAX_MODULE_BYTES, *, beneath: Path | None = None) -> str:
    """A capped regular file as UTF-8 text."""
    raw = read_capped(path, limit, beneath=beneath)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UntrustedFileError(_("{name} is not UTF-8 text (byte {position}); save it as UTF-8").format(
            name=path.name, position=exc.start)) from None


def read_notebook(path: Path, *, beneath: Path | None = None) -> dict[str, Any]:
    """A capped regular file parsed as notebook JSON (a dict with a list of cells)."""
    raw = read_capped(path, MAX_NOTEBOOK_BYTES, beneath=beneath)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UntrustedFileError(_("{name} is not UTF-8 text, so not a notebook").format(name=path.name)) from None
    return parse_notebook(text, path.name)


def parse_notebook(text: str, name: str) -> dict[str, Any]:
    """Notebook JSON from text already read; UntrustedFileError for broken, deep or cell-less JSON."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UntrustedFileError(_("{name} is not a valid notebook (broken JSON at line {line}: {reason}; was it "
                                   "truncated?)").format(name=name, line=exc.lineno, reason=exc.msg)) from None
    except RecursionError:
        raise UntrustedFileError(_("{name} is not a valid notebook (its JSON is nested too deeply)").format(
            name=name)) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        raise UntrustedFileError(_("{name} is not a valid notebook ({reason})").format(
            name=name, reason=str(exc)[:120])) from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise UntrustedFileError(_("{name} is not a valid notebook (no list of cells)").format(name=name))
    return data


def _size(count: int) -> str:
    return f"{count / (1 << 20):.0f} MiB" if count >= 1 << 20 else f"{count // 1024} KiB"
