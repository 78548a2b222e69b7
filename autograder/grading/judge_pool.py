"""Where a pool's judge processes come from: a server that imported torch, pytest and the engine once.

A judge started from scratch imports them itself, about 2.5 s of CPU each; multiprocessing's
forkserver imports them once and forks every judge of the run from that (its children are clean:
the server runs no threads). multiprocessing keeps the server's socket in a temporary directory of
its own (`pymp-*`), removed when this process exits; a killed process would leave it behind, so it
is marked with this process's id, and a later run removes it once this process is gone.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.context
import multiprocessing.util
import os
import shutil
import tempfile
from pathlib import Path

# What every judge imports before its first chunk (the checks themselves are pytest's to import).
JUDGE_MODULES = ["autograder.grading.engine", "autograder.judge.runner", "autograder.sandbox.student"]
OWNER_MARK = "course-owner-"


def judge_context() -> multiprocessing.context.BaseContext:
    """The multiprocessing context a pool of judges is started with."""
    multiprocessing_directory()
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(JUDGE_MODULES)
    return context


def multiprocessing_directory() -> str:
    """multiprocessing's temporary directory for this process (made now if need be), marked as this
    process's; such directories of processes that are gone are removed first."""
    for directory in Path(tempfile.gettempdir()).glob("pymp-*"):
        for mark in directory.glob(f"{OWNER_MARK}*"):
            owner = mark.name.removeprefix(OWNER_MARK)
            if owner.isdigit() and not Path(f"/proc/{owner}").exists():
                shutil.rmtree(directory, ignore_errors=True)
    directory = multiprocessing.util.get_temp_dir()
    Path(directory, f"{OWNER_MARK}{os.getpid()}").touch()
    return directory
