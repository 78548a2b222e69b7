"""course.yml is validated when read, with one line naming the field and what is allowed."""

from __future__ import annotations

import pytest

from autograder.manifest import ManifestError, load_course, parse_course

VALID_HEAD = "format_version: 1\ncourse_id: c\ntitle: t\nassignment: a\n"


def test_the_repository_manifest_lists_the_six_exercises_in_order() -> None:
    course = load_course()
    assert [exercise.id for exercise in course.exercises] == [
        "zero_init", "learning_rate", "reshape", "second_derivatives", "bias_update", "huber"]
    assert course.assignment == "linreg"
    assert all(exercise.folder == f"{n:02d}_{exercise.id}" for n, exercise in enumerate(course.exercises, 1))


@pytest.mark.parametrize(("exercises", "expected"), [
    ("[{id: huber, title: t, folder: 06_huber, points: -1, time_limit: 3}]",
     "course.yml: exercises[0].points: Input should be greater than 0; got -1"),
    ("[{id: huber, title: t, folder: 06_hubr, points: 1, time_limit: 3}]",
     "course.yml: exercises[0].folder: must be NN_huber (two digits, then the exercise id); got '06_hubr'"),
    ("[{id: huber, title: t, folder: 06_huber, points: 1, time_limit: 3, colour: red}]",
     "course.yml: exercises[0].colour: unknown field; allowed here: id, title, folder, points, time_limit; got 'red'"),
    ("[{id: Huber, title: t, folder: 06_huber, points: 1, time_limit: 3}]",
     "course.yml: exercises[0].id: String should match pattern '^[a-z][a-z0-9_]*$'; got 'Huber'"),
    ("[{id: huber, title: t, folder: 06_huber, points: 1, time_limit: 3}, "
     "{id: huber, title: t, folder: 07_huber, points: 1, time_limit: 3}]",
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
                     "[{id: a, title: t, folder: 01_a, points: 1, time_limit: 1}]\n")
    with pytest.raises(ManifestError, match="not valid YAML"):
        parse_course("exercises: [unclosed\n")
