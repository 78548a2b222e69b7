"""Submitted code never runs without confinement: grading refuses where the sandbox cannot confine it,
builds its own view where bubblewrap is missing, and says so whenever a user waives it with --trusted.

Every attack here aims at a throwaway copy of the course, never at the checkout.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from autograder.manifest import REPO_ROOT
from autograder.sandbox.protections import Protection

ATTACK = REPO_ROOT / "tests" / "adversarial" / "write_outside_scratch.py"
REFERENCE = REPO_ROOT / "solutions" / "huber.py"
TARGETS = ("solutions/huber.py", "autograder/checks/huber.py", "course.yml", "course_checks/probes/huber.py")


def _throwaway_course(directory: Path) -> Path:
    """A copy of the files the attack aims at, standing in for the checkout."""
    for relative in TARGETS:
        (directory / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO_ROOT / relative, directory / relative)
    return directory


def _digests(root: Path) -> dict[str, str]:
    return {str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(root.rglob("*")) if path.is_file()}


def _submissions(tmp_path: Path) -> tuple[Path, list[str]]:
    copy = _throwaway_course(tmp_path / "course-copy")
    attack = tmp_path / "attack" / "huber.py"
    attack.parent.mkdir()
    attack.write_text(ATTACK.read_text(encoding="utf-8").replace("@REPOSITORY@", str(copy)), encoding="utf-8")
    reference = tmp_path / "reference" / "huber.py"
    reference.parent.mkdir()
    shutil.copyfile(REFERENCE, reference)
    return copy, [str(attack), str(reference)]


def test_without_a_filesystem_view_grading_refuses_and_runs_nothing(tmp_path: Path, course_cli, no_bubblewrap) -> None:  # type: ignore[no-untyped-def]
    copy, paths = _submissions(tmp_path)
    before = _digests(copy)
    done = course_cli("grade", "--json", "--workers", "1", *paths, cwd=tmp_path,
                      env=no_bubblewrap | {"COURSE_SANDBOX_VIEW": "bubblewrap"})
    assert done.returncode == 4, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert Protection.FILESYSTEM_VIEW.value in lines[0] and "bubblewrap" in lines[0] and "--trusted" in lines[0]
    assert _digests(copy) == before


def test_trusted_runs_anyway_and_says_so_on_every_run(tmp_path: Path, course_cli, no_bubblewrap) -> None:  # type: ignore[no-untyped-def]
    reference = tmp_path / "huber.py"
    shutil.copyfile(REFERENCE, reference)
    done = course_cli("grade", "--json", "--trusted", "--workers", "1", str(reference), cwd=tmp_path,
                      env=no_bubblewrap | {"COURSE_SANDBOX_VIEW": "none"})
    assert done.returncode == 0, done.stderr
    assert "--trusted" in done.stderr and Protection.FILESYSTEM_VIEW.value in done.stderr
    document = json.loads(done.stdout)
    assert document["isolation"]["trusted"] is True
    assert Protection.FILESYSTEM_VIEW.value in document["isolation"]["missing"]
    assert document["submissions"][0]["score"] == 10


@pytest.mark.skipif(os.geteuid() != 0, reason="the private mount namespace without bubblewrap needs root; "
                    "the unprivileged test below covers other users")
def test_without_bubblewrap_root_builds_the_view_itself_and_every_attack_fails(tmp_path: Path, course_cli, no_bubblewrap) -> None:  # type: ignore[no-untyped-def]
    copy, paths = _submissions(tmp_path)
    before = _digests(copy)
    done = course_cli("grade", "--json", "--workers", "1", *paths, cwd=tmp_path, env=no_bubblewrap)
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["isolation"]["view"] == "private mount namespace (root)", document["isolation"]
    assert document["isolation"]["missing"] == [] or all("cgroup" in name for name in document["isolation"]["missing"])
    attack, reference = document["submissions"]
    assert reference["score"] == 10 and attack["score"] < 10
    assert _digests(copy) == before, "the attack changed the course"
    assert not (Path.home() / "scratch_file.txt").exists() and not (REPO_ROOT / "scratch_file.txt").exists()


def _unprivileged_python() -> list[str] | None:
    """An interpreter another user can run, as `setpriv` to nobody, or None with nothing to run it with."""
    setpriv = shutil.which("setpriv")
    system_python = Path("/usr/bin") / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    if os.geteuid() != 0 or setpriv is None or not system_python.exists():
        return None
    return [setpriv, "--reuid", "65534", "--regid", "65534", "--clear-groups", str(system_python)]


def _reachable_by_others(path: Path) -> bool:
    return all(os.stat(directory).st_mode & 0o005 == 0o005 for directory in [*path.parents, path])


@pytest.fixture
def shared_directory():  # type: ignore[no-untyped-def]
    """A temporary directory another user can read and write (pytest's own are private to root)."""
    directory = Path(tempfile.mkdtemp(prefix="course-unprivileged-"))
    directory.chmod(0o777)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.mark.skipif(_unprivileged_python() is None, reason="needs root (to become nobody), setpriv and a system "
                    f"python{sys.version_info[0]}.{sys.version_info[1]} that nobody can run")
@pytest.mark.parametrize(("setting", "view"), [("kernel", "unprivileged user namespace"), ("bubblewrap", "bubblewrap")])
def test_an_unprivileged_user_gets_a_view_and_every_attack_fails(shared_directory: Path, setting: str, view: str) -> None:
    import torch  # where this environment's packages live, for the unprivileged interpreter

    if setting == "bubblewrap" and shutil.which("bwrap") is None:
        pytest.skip("bubblewrap is not installed")
    tmp_path = shared_directory
    site_packages = Path(torch.__file__).resolve().parent.parent
    if not (_reachable_by_others(REPO_ROOT) and _reachable_by_others(site_packages)):
        pytest.skip("the checkout or its site-packages cannot be read by another user here")
    copy, paths = _submissions(tmp_path)
    before = _digests(copy)
    for path in tmp_path.rglob("*"):
        path.chmod(0o777 if path.is_dir() else 0o666)
    boot = (f"import sys; sys.path[:0] = [{str(REPO_ROOT)!r}, {str(site_packages)!r}]; "
            "from autograder.cli import app; sys.argv[0] = 'course'; app()")
    command = [*(_unprivileged_python() or []), "-c", boot, "grade", "--json", "--workers", "1", *paths]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COURSE_SANDBOX_VIEW": setting})
    if done.returncode == 4 and "user namespace" in done.stderr:
        pytest.skip(f"unprivileged user namespaces are disabled here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    document = json.loads(done.stdout)
    assert document["isolation"]["view"] == view, document["isolation"]
    attack, reference = document["submissions"]
    assert reference["score"] == 10 and attack["score"] < 10
    assert _digests(copy) == before, "the attack changed the course"


def test_the_demo_refuses_too_since_its_class_holds_an_attacker(tmp_path: Path, course_cli, no_bubblewrap) -> None:  # type: ignore[no-untyped-def]
    done = course_cli("demo", str(tmp_path / "demo"), cwd=tmp_path,
                      env=no_bubblewrap | {"COURSE_SANDBOX_VIEW": "bubblewrap"})
    assert done.returncode == 4, done.stderr
    assert "refusing to run submitted code" in done.stderr and not (tmp_path / "demo").exists()
