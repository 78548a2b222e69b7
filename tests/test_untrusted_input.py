"""Only regular files are graded, every read is capped before it starts, and one bad PATH costs only itself."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest

from autograder.grading.untrusted_files import NotRegularFile, TooLarge, read_capped
from autograder.manifest import REPO_ROOT

REFERENCE = REPO_ROOT / "solutions" / "huber.py"
NOTEBOOK = REPO_ROOT / "tests" / "adversarial" / "bad_input" / "nb_valid" / "huber.ipynb"


# ------------------------------------------------------------------------------------------ the reader
def test_the_reader_refuses_links_fifos_and_devices_before_reading(tmp_path: Path) -> None:
    regular = tmp_path / "huber.py"
    regular.write_text("x = 1\n")
    (tmp_path / "link.py").symlink_to(regular)
    os.mkfifo(tmp_path / "fifo.py")
    assert read_capped(regular, 100) == b"x = 1\n"
    with pytest.raises(NotRegularFile, match="symbolic link"):
        read_capped(tmp_path / "link.py", 100)
    with pytest.raises(NotRegularFile, match="FIFO"):
        read_capped(tmp_path / "fifo.py", 100)  # opening a FIFO would block: it must not be opened for reading
    with pytest.raises(NotRegularFile, match="device"):
        read_capped(Path("/dev/zero"), 100)


def test_the_reader_rejects_a_huge_file_without_reading_it(tmp_path: Path) -> None:
    huge = tmp_path / "huge.ipynb"
    with huge.open("wb") as handle:
        handle.truncate(64 << 30)  # sparse: 64 GiB that cost nothing on disk, and far more than this machine's memory
    with pytest.raises(TooLarge, match="larger than"):
        read_capped(huge, 5 << 20)


def test_the_reader_follows_no_link_on_the_way_down(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "huber.py").write_text("x = 1\n")
    (tmp_path / "submission").mkdir()
    (tmp_path / "submission" / "sub").symlink_to(tmp_path / "real")
    with pytest.raises(NotRegularFile, match="symbolic link"):
        read_capped(tmp_path / "submission" / "sub" / "huber.py", 100, beneath=tmp_path / "submission")


# ------------------------------------------------------------------------------------------ course grade
@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory, course_cli):  # type: ignore[no-untyped-def]
    root = tmp_path_factory.mktemp("untrusted")
    cases: dict[str, Path] = {}

    def directory(name: str) -> Path:
        path = root / name
        path.mkdir()
        return path

    cases["directory_link"] = root / "directory_link"
    cases["directory_link"].symlink_to(REPO_ROOT / "solutions")
    cases["file_link"] = directory("file_link") / "huber.py"
    cases["file_link"].symlink_to(REFERENCE)
    inner = directory("link_inside")
    (inner / "huber.py").symlink_to(REFERENCE)
    (inner / "reshape.py").write_text((REPO_ROOT / "solutions" / "reshape.py").read_text())
    cases["link_inside"] = inner
    fifo_dir = directory("fifo_inside")
    os.mkfifo(fifo_dir / "huber.py")
    cases["fifo_inside"] = fifo_dir
    cases["fifo"] = directory("fifo") / "huber.py"
    os.mkfifo(cases["fifo"])
    if os.geteuid() == 0:
        cases["device"] = directory("device") / "huber.py"
        os.mknod(cases["device"], 0o600 | stat.S_IFCHR, os.makedev(1, 5))  # like /dev/zero: endless
    deep = directory("deep") / "huber.ipynb"
    deep.write_text('{"cells": ' + "[" * 200_000 + "]" * 200_000 + "}")
    cases["deep"] = deep
    huge = directory("huge") / "huber.ipynb"
    with huge.open("wb") as handle:
        handle.truncate(200 << 20)
    cases["huge"] = huge
    cases["not_there"] = root / "no_such_submission" / "huber.py"
    garbled = directory("garbled_frame") / "huber.py"
    garbled.write_text("import os, struct\nframe = b'{\"loaded\": ' + b'1' * 5000 + b'}'\n"
                       "os.write(3, struct.pack('>I', len(frame)) + frame)\nos._exit(0)\n")
    cases["garbled_frame"] = garbled
    cases["reference"] = directory("reference") / "huber.py"
    shutil.copyfile(REFERENCE, cases["reference"])
    cases["notebook"] = directory("notebook") / "huber.ipynb"
    shutil.copyfile(NOTEBOOK, cases["notebook"])
    done = course_cli("grade", "--json", "--workers", "2", *map(str, cases.values()), cwd=root, timeout=900)
    assert done.stdout, done.stderr
    document = json.loads(done.stdout)
    by_case = dict(zip(cases, document["submissions"], strict=True))
    return by_case, done.stderr, done.returncode, {case: str(path) for case, path in cases.items()}


def _checks(submission: dict, exercise_id: str = "huber") -> list[dict]:  # type: ignore[type-arg]
    (exercise,) = [exercise for exercise in submission["exercises"] if exercise["id"] == exercise_id]
    return exercise["checks"]


@pytest.mark.parametrize(("case", "words"), [("directory_link", "symbolic link"), ("file_link", "symbolic link"),
                                             ("fifo", "FIFO"), ("device", "device"),
                                             ("not_there", "no such file or directory")])
def test_a_path_that_is_not_a_regular_file_or_directory_is_refused_by_name(graded, case: str, words: str) -> None:  # type: ignore[no-untyped-def]
    by_case, stderr, _, paths = graded
    if case not in by_case:
        pytest.skip("making a device node needs root")
    submission = by_case[case]
    assert submission["score"] == 0 and words in submission["error"], submission
    assert any(paths[case] in line and words in line for line in stderr.splitlines()), stderr


def test_a_link_or_fifo_inside_a_directory_costs_only_its_exercise(graded) -> None:  # type: ignore[no-untyped-def]
    by_case = graded[0]
    for case, words in (("link_inside", "symbolic link"), ("fifo_inside", "FIFO")):
        checks = _checks(by_case[case])
        assert all(check["score"] == 0 and words in check["message"] for check in checks), checks
    assert all(check["status"] == "passed" for check in _checks(by_case["link_inside"], "reshape"))


@pytest.mark.parametrize(("case", "words"), [("deep", "nested too deeply"), ("huge", "larger than")])
def test_a_malformed_notebook_costs_only_that_notebook(graded, case: str, words: str) -> None:  # type: ignore[no-untyped-def]
    checks = _checks(graded[0][case])
    assert all(check["score"] == 0 and words in check["message"] for check in checks), checks


def test_a_garbled_frame_is_the_students_error_not_the_courses(graded) -> None:  # type: ignore[no-untyped-def]
    checks = _checks(graded[0]["garbled_frame"])
    assert all(check["score"] == 0 for check in checks)
    for check in checks:
        assert "fault in the course" not in check["message"] and "not an answer" in check["message"], check


def test_everything_else_is_still_graded_and_the_exit_code_says_not_all_was(graded) -> None:  # type: ignore[no-untyped-def]
    by_case, stderr, returncode, _ = graded
    assert by_case["reference"]["score"] == 10 and by_case["notebook"]["score"] == 10
    assert returncode == 2, stderr
