"""The sandbox where the platform offers less, and where the environment lives somewhere unusual."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.judge.runner import Job, run_checks
from autograder.manifest import REPO_ROOT
from autograder.sandbox import launcher
from autograder.sandbox.launcher import Zygote
from autograder.sandbox.student import SandboxFactory


def test_without_bubblewrap_grading_still_works_and_reports_what_is_missing() -> None:
    zygote = Zygote(use_bubblewrap=False)
    try:
        factory = SandboxFactory(zygote, {"huber": 15.0})
        results = run_checks([Job("reference", "huber", REPO_ROOT / "solutions" / "huber.py", 1)], factory)
    finally:
        zygote.close()
    assert results["reference"].score == 10
    assert not zygote.sandboxed  # `course grade` then lists "filesystem view (bubblewrap)" as missing
    assert factory.protections["network namespace"] and factory.protections["cpu limit"]


def test_site_packages_under_tmp_are_shown_outside_the_workers_private_tmp(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(launcher, "site_packages", lambda: ["/tmp/clone/.venv/lib/site-packages", "/usr/lib/python3"])
    assert launcher.sandbox_site_packages() == ["/opt/site-packages/0", "/usr/lib/python3"]
    command = launcher.bubblewrap_command(Path("/tmp/bundle"))
    assert ["--ro-bind", "/tmp/clone/.venv/lib/site-packages", "/opt/site-packages/0"] == command[
        command.index("/tmp/clone/.venv/lib/site-packages") - 1: command.index("/tmp/clone/.venv/lib/site-packages") + 2]
