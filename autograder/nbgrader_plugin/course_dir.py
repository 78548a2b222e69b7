"""An nbgrader course directory made from this repository, and running nbgrader's commands in it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.build.releases import releases
from autograder.manifest import REPO_ROOT, Course

CONFIG_TEMPLATE = '''"""nbgrader configuration of the D2L linear-regression course (written by `course init`)."""

from autograder.nbgrader_plugin.config import configure

c = get_config()  # noqa: F821  (nbgrader provides get_config)
configure(c)
{db_line}'''


class NbgraderFailed(RuntimeError):
    """An nbgrader command exited non-zero; the message ends with its last lines of output."""


def init_course_directory(target: Path, course: Course, db_url: str | None = None) -> Path:
    """Copy every assignment's source notebooks (each language's) and write nbgrader_config.py into `target`."""
    for release in releases(course):
        destination = target / release.folder
        if destination.exists():
            shutil.rmtree(destination)
        shutil.copytree(REPO_ROOT / release.folder, destination,
                        ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
    db_line = f"c.CourseDirectory.db_url = {db_url!r}\n" if db_url else ""
    (target / "nbgrader_config.py").write_text(CONFIG_TEMPLATE.format(db_line=db_line), encoding="utf-8")
    return target


def nbgrader_command(*arguments: str) -> tuple[list[str], dict[str, str]]:
    """The command line and environment of `nbgrader ARGUMENTS`, with this environment's tools on PATH."""
    tools = Path(sys.executable).parent
    environment = dict(os.environ, PATH=f"{tools}{os.pathsep}{os.environ.get('PATH', '')}")
    return [str(tools / "nbgrader"), *arguments], environment


def nbgrader(course_dir: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """Run `nbgrader ARGUMENTS` in the course directory with this environment's tools on PATH."""
    command, environment = nbgrader_command(*arguments)
    result = subprocess.run(command, cwd=course_dir, env=environment, capture_output=True, text=True)
    if check and result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).strip().splitlines()[-8:])
        raise NbgraderFailed(f"nbgrader {' '.join(arguments)} exited {result.returncode}:\n{tail}")
    return result
