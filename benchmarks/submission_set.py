"""A simulated class as single-file submissions: per exercise, references and catalogued wrong answers."""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder.manifest import REPO_ROOT, Exercise, load_course


def write_submissions(root: Path, per_exercise: int,
                      exercises: list[Exercise] | None = None) -> tuple[list[Path], set[str]]:
    """`per_exercise` submissions of each exercise (default: all of course.yml) under `root`, alternating
    reference and wrong answer; the paths, and which of them are references."""
    paths, references = [], set()
    for exercise in exercises or load_course().exercises:
        wrong = sorted((REPO_ROOT / "tests" / "catalogue" / exercise.id / "wrong").glob("*.py"))
        for number in range(per_exercise):
            reference = number % 2 == 0
            source = REPO_ROOT / "solutions" / exercise.module_file if reference else wrong[number // 2 % len(wrong)]
            target = root / f"{exercise.id}-{number:04d}" / exercise.module_file
            target.parent.mkdir(parents=True)
            shutil.copyfile(source, target)
            paths.append(target)
            if reference:
                references.add(str(target))
    return paths, references
