"""course.yml is validated when read, with one line naming the field and what is allowed."""

from __future__ import annotations

import pytest

from autograder.manifest import REPO_ROOT, ManifestError, load_course, parse_course

VALID_HEAD = "format_version: 1\ncourse_id: c\ntitle: t\nassignment: a\n"


def test_every_exercise_of_the_manifest_is_numbered_in_order_and_has_its_authored_files() -> None:
    """Issue 10: the test used to list the six ids; it follows course.yml, whatever it holds. Folder numbers
    rise in manifest order; a gap is allowed (exercises added in parallel reserve their numbers)."""
    course = load_course()
    numbers = [int(exercise.folder[:2]) for exercise in course.exercises]
    assert numbers[0] == 1 and all(earlier < later for earlier, later in zip(numbers, numbers[1:])), numbers
    for exercise in course.exercises:
        for folder in ("solutions", "autograder/checks", "course_checks/probes"):
            assert (REPO_ROOT / folder / exercise.module_file).is_file(), f"{folder}/{exercise.module_file}"


@pytest.mark.parametrize(("exercises", "expected"), [
    ("[{id: huber, title: t, folder: 06_huber, time_limit: -1}]",
     "course.yml: exercises[0].time_limit: Input should be greater than 0; got -1"),
    ("[{id: huber, title: t, folder: 06_hubr, time_limit: 3}]",
     "course.yml: exercises[0].folder: must be NN_huber (two digits, then the exercise id); got '06_hubr'"),
    ("[{id: huber, title: t, folder: 06_huber, time_limit: 3, colour: red}]",
     "course.yml: exercises[0].colour: unknown field; allowed here: id, title, folder, time_limit, assignment; got 'red'"),
    ("[{id: Huber, title: t, folder: 06_huber, time_limit: 3}]",
     "course.yml: exercises[0].id: String should match pattern '^[a-z][a-z0-9_]*$'; got 'Huber'"),
    ("[{id: huber, title: t, folder: 06_huber, time_limit: 3}, "
     "{id: huber, title: t, folder: 07_huber, time_limit: 3}]",
     "course.yml: top level: exercise ids must be unique; repeated: huber"),
    ("[]", "course.yml: exercises: List should have at least 1 item after validation, not 0"),
])
def test_a_wrong_field_gives_one_line_naming_it(exercises: str, expected: str) -> None:
    with pytest.raises(ManifestError) as error:
        parse_course(VALID_HEAD + f"exercises: {exercises}\n")
    assert str(error.value) == expected
    assert "\n" not in str(error.value)


def test_a_missing_field_and_broken_yaml_are_named() -> None:
    with pytest.raises(ManifestError, match=r"^course.yml: assignment: Field required$"):
        parse_course("format_version: 1\ncourse_id: c\ntitle: t\nexercises: "
                     "[{id: a, title: t, folder: 01_a, time_limit: 1}]\n")
    with pytest.raises(ManifestError, match="not valid YAML"):
        parse_course("exercises: [unclosed\n")


def test_points_have_one_home_the_checks() -> None:
    """Issue 10: points lived in course.yml and in every @check, compared in two places."""
    with pytest.raises(ManifestError) as error:
        parse_course(VALID_HEAD + "exercises: [{id: huber, title: t, folder: 06_huber, points: 10, time_limit: 3}]\n")
    assert str(error.value) == ("course.yml: exercises[0].points: remove it: an exercise is worth the points of its "
                                "checks, each declared by its @check in autograder/checks/<id>.py; got 10")
