"""The `course` command: build the course, verify its checks, grade submissions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from autograder.build.authored import AuthoringError
from autograder.manifest import REPO_ROOT, ManifestError, load_course

app = typer.Typer(help="The D2L linear-regression exercise course.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)


@app.callback()
def _course() -> None:
    """The D2L linear-regression exercise course: build it, verify its checks, grade submissions."""


def _die(message: str, code: int = 1) -> None:
    typer.echo(f"course: {message}", err=True)
    raise typer.Exit(code)


@app.command()
def build(check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 naming every file that "
                                              "differs from what a build would write.")] = False,
          exercise: Annotated[str | None, typer.Option("--exercise", help="Only this exercise's files.")] = None,
          ) -> None:
    """Write the stubs in exercises/ and the nbgrader notebooks in source/ from solutions/ and course.yml."""
    from autograder.build.generate import drifted, write

    try:
        course = load_course()
        if check:
            if exercise is not None:
                course.exercise(exercise)
            stale = drifted(course, REPO_ROOT, exercise)
            for path in stale:
                typer.echo(f"differs: {path}", err=True)
            if stale:
                _die(f"{len(stale)} generated file(s) differ from their sources; run `course build`")
            typer.echo("all generated files are up to date")
            return
        if exercise is not None:
            course.exercise(exercise)
        changed = write(course, REPO_ROOT, exercise)
    except (ManifestError, AuthoringError) as exc:
        _die(str(exc))
    except KeyError as exc:
        _die(str(exc.args[0]))
    for path in changed:
        typer.echo(f"wrote {path}")
    typer.echo(f"{len(changed)} file(s) written" if changed else "nothing to do: all generated files are up to date")


@app.command()
def verify(
    exercise: Annotated[list[str] | None, typer.Option("--exercise", help="Only these exercises (repeatable).")] = None,
    seed: Annotated[int | None, typer.Option(help="Base seed of the random inputs (default: fresh; printed).")] = None,
    reference_seeds: Annotated[int, typer.Option(help="How many seeds the reference is graded under.")] = 20,
) -> None:
    """Grade the references, stubs and the wrong-answer catalogue; show which check catches what."""
    import os

    from autograder.reports.verify_table import print_verify_report
    from autograder.verify import verify_exercise

    try:
        course = load_course()
        chosen = [course.exercise(exercise_id) for exercise_id in exercise] if exercise else course.exercises
    except ManifestError as exc:
        _die(str(exc))
    except KeyError as exc:
        _die(str(exc.args[0]))
    base_seed = seed if seed is not None else int.from_bytes(os.urandom(3), "little")
    reports = [verify_exercise(course, item, base_seed, reference_seeds) for item in chosen]
    problems = print_verify_report(reports, base_seed)
    if problems:
        raise typer.Exit(1)
