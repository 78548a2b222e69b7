"""Scratch directories of a run (a grading run, a zygote), named after the process that owns them.

A run that is killed cannot remove its own scratch; the next run on the machine removes every
scratch whose owner is gone, so crashes never pile up in the temporary directory.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _owner_gone(path: Path, prefix: str) -> bool:
    owner = path.name.removeprefix(prefix).split("-", 1)[0]
    return owner.isdigit() and not Path(f"/proc/{owner}").exists()


def make_scratch(prefix: str) -> str:
    """A new directory `<tmp>/<prefix><pid>-…` for the caller to remove; stale ones of dead owners are removed first."""
    for stale in Path(tempfile.gettempdir()).glob(f"{prefix}*"):
        if stale.is_dir() and _owner_gone(stale, prefix):
            shutil.rmtree(stale, ignore_errors=True)
    return tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-")


@contextmanager
def scratch_directory(prefix: str) -> Iterator[str]:
    """A new directory `<tmp>/<prefix><pid>-…`, removed afterwards; stale ones of dead owners are removed first."""
    directory = make_scratch(prefix)
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)
