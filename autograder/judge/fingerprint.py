"""A digest of everything that decides a grade: the manifest, the checks, the student runtime
(probes and harness) and the judge.

Two graders with the same fingerprint give the same scores for the same submission and seed; a
cluster worker with another fingerprint is running another version of the course, and a cached
result graded under another fingerprint is stale.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

from autograder.manifest import MANIFEST_PATH

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
# Relative to the repository: the engine's grading code and the whole student runtime.
GRADING_CODE = ("autograder/checks", "autograder/judge", "autograder/sandbox", "course_checks")


class CourseMismatch(RuntimeError):
    """A grader (a cluster worker, a cache) holds another version of the course's checks."""


@cache
def course_fingerprint() -> str:
    """sha256 over course.yml and every Python file of the grading code, in a stable order."""
    digest = hashlib.sha256()
    files = [MANIFEST_PATH] + sorted(path for folder in GRADING_CODE
                                     for path in (PACKAGE_ROOT.parent / folder).rglob("*.py"))
    for path in files:
        digest.update(str(path.relative_to(PACKAGE_ROOT.parent) if path.is_relative_to(PACKAGE_ROOT.parent)
                          else path.name).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
