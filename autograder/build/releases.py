"""The nbgrader assignments the course releases: each assignment in English and in every language with a catalog.

An assignment of course.yml (`linreg`) is released in English from `source/linreg/`, and in each
language that has a catalog (course_checks/locale/<language>/) from `source/linreg_<tag>/`
(`linreg_zh` for zh_CN): the same notebooks, cells and grade ids, their instructions in that
language, and a runtime set to it, so that the notebook's check table and the feedback come in the
language of the release. Adding a language is adding a catalog: its releases follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from course_checks.i18n import SOURCE_LANGUAGE

from autograder.build import translations
from autograder.build.authored import AuthoringError
from autograder.manifest import Course, Exercise

README = "README.md"


@dataclass(frozen=True)
class Release:
    """One nbgrader assignment as released: its name, its language, its exercises."""

    assignment: str  # source/<assignment>/ holds its notebooks
    language: str  # of its instructions, its checks' messages and its feedback
    exercises: tuple[Exercise, ...]

    @property
    def folder(self) -> Path:
        """The assignment's source folder, relative to the repository."""
        return Path("source") / self.assignment

    def notebook_path(self, exercise: Exercise) -> Path:
        """Where the nbgrader source notebook of an exercise lives, relative to the repository."""
        return self.folder / f"{exercise.folder}.ipynb"


def language_tag(language: str) -> str:
    """How file and assignment names say a language: its first subtag (zh for zh_CN), or the whole
    name, lower case, where two catalogs share that subtag (pt_br beside pt_pt)."""
    first = language.split("_")[0].lower()
    shared = [other for other in translations.languages() if other.split("_")[0].lower() == first]
    return first if len(shared) <= 1 else language.lower()


def readme_name(language: str) -> str:
    """README.md in English, README.<tag>.md (README.zh.md) in another language."""
    return README if language == SOURCE_LANGUAGE else f"README.{language_tag(language)}.md"


def assignments(course: Course) -> dict[str, tuple[Exercise, ...]]:
    """Each nbgrader assignment of course.yml (the core one first) and its exercises, in the manifest's order."""
    return {assignment: tuple(course.exercises_in(assignment)) for assignment in course.assignments}


def releases(course: Course) -> list[Release]:
    """Every assignment in English, each followed by its translations (linreg, linreg_zh, linreg_more, ...)."""
    found = []
    for assignment, exercises in assignments(course).items():
        found.append(Release(assignment, SOURCE_LANGUAGE, exercises))
        found += [Release(f"{assignment}_{language_tag(language)}", language, exercises)
                  for language in translations.languages()]
    names = [release.assignment for release in found]
    clashing = sorted({name for name in names if names.count(name) > 1})
    if clashing:  # an assignment named like another's translation (linreg_zh in course.yml)
        raise AuthoringError(f"course.yml: the assignment name {', '.join(clashing)} is taken by a translated release")
    return found


def release_of(course: Course, exercise: Exercise, language: str) -> Release:
    """The release that holds an exercise in a language (linreg_zh for huber in zh_CN)."""
    return next(release for release in releases(course) if release.language == language and exercise in release.exercises)


def exercises_of(course: Course, assignment: str) -> tuple[Exercise, ...]:
    """The exercises of a released assignment (linreg_zh's are linreg's); KeyError names the assignments."""
    found = {release.assignment: release.exercises for release in releases(course)}
    if assignment not in found:
        raise KeyError(f"no assignment {assignment!r} in course.yml or its languages (assignments: {', '.join(found)})")
    return found[assignment]
