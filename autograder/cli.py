"""The `course` command: build the course, verify its checks, grade submissions."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from course_checks import i18n
from course_checks.i18n import _
from autograder.manifest import REPO_ROOT, Course, ManifestError, load_course

app = typer.Typer(help="The D2L linear-regression exercise course.", no_args_is_help=True,
                  pretty_exceptions_enable=False, add_completion=False)


@app.callback()
def _course(lang: Annotated[str | None, typer.Option("--lang", help="Language of every message: en or zh_CN "
                                                     "(default: COURSE_LANG, then the locale).")] = None) -> None:
    """The D2L linear-regression exercise course: build it, verify its checks, grade submissions."""
    try:
        language = i18n.resolve(lang)
    except i18n.UnknownLanguage as exc:
        _die(str(exc), code=2)
    i18n.set_language(language)
    os.environ[i18n.LANGUAGE_SETTING] = language  # for the judge processes and nbgrader commands it starts


def _die(message: str, code: int = 1) -> NoReturn:
    typer.echo(f"course: {message}", err=True)
    raise typer.Exit(code)


def _load_course() -> Course:
    """course.yml, or a one-line error naming what is wrong with it."""
    try:
        return load_course()
    except ManifestError as exc:
        _die(str(exc))


DbUrl = Annotated[str | None, typer.Option("--db-url", help="Any database URL nbgrader accepts "
                                           "(default: sqlite gradebook.db in the course directory).")]
ExercisesDir = Annotated[Path, typer.Option("--exercises", help="The learner's exercises folder (default: the "
                                            "course's exercises/).", file_okay=False)]
DEFAULT_EXERCISES = REPO_ROOT / "exercises"


def _exercises_folder(folder: Path) -> Path:
    if not folder.is_dir():
        _die(_("{folder} is not a folder of exercises (pass --exercises)").format(folder=folder))
    return folder


@app.command()
def build(check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 naming every file that "
                                              "differs from what a build would write.")] = False,
          exercise: Annotated[str | None, typer.Option("--exercise", help="Only this exercise's files.")] = None,
          ) -> None:
    """Write the stubs in exercises/ and the nbgrader notebooks in source/ from solutions/ and course.yml."""
    from autograder.build.authored import AuthoringError
    from autograder.build.generate import drifted, write
    from autograder.build.translations import compile_catalogs, stale_compiled

    try:
        course = load_course()
        if check:
            if exercise is not None:
                course.exercise(exercise)
            stale = drifted(course, REPO_ROOT, exercise) + [path.relative_to(REPO_ROOT) for path in stale_compiled()]
            for path in stale:
                typer.echo(_("differs: {path}").format(path=path), err=True)
            if stale:
                _die(i18n.ngettext("{count} generated file differs from its sources; run `course build`",
                                   "{count} generated files differ from their sources; run `course build`",
                                   len(stale)).format(count=len(stale)))
            typer.echo(_("all generated files are up to date"))
            return
        if exercise is not None:
            course.exercise(exercise)
        changed = write(course, REPO_ROOT, exercise) + [path.relative_to(REPO_ROOT) for path in compile_catalogs()]
    except (ManifestError, AuthoringError) as exc:
        _die(str(exc))
    except KeyError as exc:
        _die(str(exc.args[0]))
    for path in changed:
        typer.echo(_("wrote {path}").format(path=path))
    typer.echo(i18n.ngettext("{count} file written", "{count} files written", len(changed)).format(count=len(changed))
               if changed else _("nothing to do: all generated files are up to date"))


@app.command()
def translations(check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 naming every message "
                                                     "that is new, untranslated, fuzzy or has other placeholders.")]
                 = False) -> None:
    """Bring the translation catalogs up to date with the course's messages and prose (Babel), and compile them."""
    from autograder.build import translations as catalogs
    from autograder.build.authored import AuthoringError

    try:
        if check:
            _check_translations()
            return
        written = catalogs.update() + catalogs.compile_catalogs()
    except (ManifestError, AuthoringError) as exc:  # the prose is read from course.yml and solutions/
        _die(str(exc))
    for path in written:
        typer.echo(_("wrote {path}").format(path=path.relative_to(REPO_ROOT)))
    for language in catalogs.languages():
        left = len(catalogs.problems(language))
        if left:
            typer.echo(i18n.ngettext("{language}: {count} message to translate or check",
                                     "{language}: {count} messages to translate or check", left).format(
                language=language, count=left))


def _check_translations() -> None:
    from autograder.build import translations as catalogs

    problems = [str(problem) for language in catalogs.languages() for problem in catalogs.problems(language)]
    if catalogs.stale_template():
        problems.insert(0, _("the catalogs lack messages of the code, or hold old ones: run `course translations`"))
    problems += [_("differs: {path}").format(path=path.relative_to(REPO_ROOT)) for path in catalogs.stale_compiled()]
    for problem in problems:
        typer.echo(problem, err=True)
    if problems:
        _die(i18n.ngettext("{count} problem in the translations", "{count} problems in the translations",
                           len(problems)).format(count=len(problems)))
    typer.echo(_("every message is translated in: {languages}").format(languages=", ".join(catalogs.languages())))


@app.command()
def new(exercise: Annotated[str, typer.Argument(help="The new exercise's id, e.g. data_iter: also the name of the "
                                                "student's module.")],
        title: Annotated[str, typer.Option("--title", help="Its title, as learners read it.")],
        time_limit: Annotated[float, typer.Option("--time-limit", help="CPU seconds the submission may use while "
                                                  "this exercise is graded.", min=1, max=600)] = 15,
        assignment: Annotated[str | None, typer.Option("--assignment", help="The nbgrader assignment it is released "
                                                       "in (default: the course's core assignment); a new name "
                                                       "starts a new assignment.")] = None) -> None:
    """Add an exercise to course.yml and scaffold its files: instructions and reference, probes, checks, catalogue."""
    from autograder.build.authored import AuthoringError
    from autograder.build.scaffold import PLACEHOLDER, new_exercise

    course = _load_course()
    try:
        scaffold = new_exercise(REPO_ROOT, course, exercise, title, time_limit, assignment)
    except AuthoringError as exc:
        _die(str(exc))
    typer.echo(f"added exercise {scaffold.number}, {exercise}, to course.yml (folder {scaffold.folder}), and wrote:")
    for path in scaffold.files[1:]:
        typer.echo(f"  {path}")
    typer.echo(f"Each holds a small working example (D2L's linear model) to replace; the places are marked "
               f"{PLACEHOLDER}. docs/architecture.md, \"Adding an exercise\", says what goes where.")
    typer.echo(f"next: `course build` (the stub, the notebook, the release's visible checks), then "
               f"`course verify --exercise {exercise}` (it names what the exercise still lacks).")


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

    course = _load_course()
    try:
        chosen = [course.exercise(exercise_id) for exercise_id in exercise] if exercise else course.exercises
    except KeyError as exc:
        _die(str(exc.args[0]))
    base_seed = seed if seed is not None else int.from_bytes(os.urandom(3), "little")
    reports = [verify_exercise(course, item, base_seed, reference_seeds) for item in chosen]
    problems = print_verify_report(reports, base_seed)
    if problems:
        raise typer.Exit(1)


EXIT_NOT_ALL_GRADED = 2
EXIT_GRADER_FAULT = 3
EXIT_REFUSED = 4


@app.command()
def hint(exercise: Annotated[str, typer.Argument(help="The exercise, e.g. huber.")],
         check: Annotated[str | None, typer.Argument(help="One of its checks, e.g. test_values or values (default: "
                                                     "the first that fails).")] = None,
         exercises: ExercisesDir = DEFAULT_EXERCISES) -> None:
    """Show the next level of a failing check's hint: the concept, then where to look, then the line of code."""
    from course_checks.harness.ladder import NoSuchCheck, next_hint
    from autograder.selfstudy.progress import module_path, remember, run_exercise
    from course_checks.harness.state import LearnerState
    from course_checks.harness.jobs import GraderFault
    from autograder.reports.console import print_lines, report_console

    course = _load_course()
    folder = _exercises_folder(exercises)
    try:
        item = course.exercise(exercise)
    except KeyError as exc:
        _die(str(exc.args[0]))
    try:
        result = run_exercise(folder, item)
    except GraderFault as exc:
        _die(_("the checks could not run: {reason}").format(reason=exc), code=3)
    state = LearnerState(folder)
    try:
        step = next_hint(result, state, check)
    except NoSuchCheck as exc:
        _die(str(exc))
    remember(state, item.id, result, module_path(folder, item))
    print_lines(report_console(), step.lines())


@app.command()
def watch(exercises: ExercisesDir = DEFAULT_EXERCISES,
          once: Annotated[bool, typer.Option("--once", help="Check once and exit (status 0 when every exercise is "
                                             "complete).")] = False,
          interval: Annotated[float, typer.Option(help="Seconds between looks at the files.", min=0.05)] = 0.5) -> None:
    """Rerun the current exercise's checks on every save; show only it, and name the next one."""
    import time

    from course_checks.harness.report import Line
    from course_checks.harness.state import LearnerState
    from autograder.selfstudy.watch import Watcher
    from course_checks.harness.jobs import GraderFault
    from autograder.reports.console import print_lines, report_console

    course = _load_course()
    watcher = Watcher(course, _exercises_folder(exercises), LearnerState(exercises))
    console = report_console()
    try:
        screen = watcher.step(force=True)
        while True:
            if screen is not None:
                if console.is_terminal:
                    console.clear()
                print_lines(console, screen)
                if not once:
                    print_lines(console, [Line(_("Watching for changes: save the file to check again; Ctrl-C stops."),
                                               "note")])
            if once:
                raise typer.Exit(0 if watcher.all_complete else 1)
            time.sleep(interval)
            screen = watcher.step()
    except KeyboardInterrupt:
        typer.echo(_("course watch: stopped; your progress is saved."))
    except GraderFault as exc:
        _die(_("the checks could not run: {reason}").format(reason=exc), code=3)


@app.command()
def grade(
    paths: Annotated[list[Path], typer.Argument(help="Submissions: directories laid out like exercises/, "
                                                "<exercise id>.py files, or notebooks from the release.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly one JSON document on stdout.")] = False,
    workers: Annotated[int, typer.Option("--workers", min=1, help="Judge processes grading in parallel "
                                         "(default: the number of cores).")] = os.cpu_count() or 1,
    trusted: Annotated[bool, typer.Option("--trusted", help="Grade even where the sandbox cannot fully confine "
                                          "the code: only for code you wrote yourself.")] = False,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Grade on the dask.distributed cluster at "
                                                  "this address (tcp://host:8786), or `local` for a LocalCluster "
                                                  "of one worker process per core.")] = None,
) -> None:
    """Grade untrusted submissions in the sandbox with the hidden checks.

    Exit status: 0 when every PATH was graded (whatever the scores), 2 when some PATH could not be
    (named on stderr; the others are graded), 3 for a fault of the grader, 4 when the sandbox cannot
    confine submitted code on this machine (nothing was run).
    """
    import json

    from rich.console import Console
    from rich.progress import Progress

    from autograder.grading.engine import grade as grade_paths
    from autograder.judge.fingerprint import CourseMismatch
    from course_checks.harness.jobs import GraderFault
    from autograder.reports.grade_table import print_grade_report
    from autograder.sandbox.launcher import SandboxError
    from autograder.sandbox.protections import IsolationMissing, names

    course = _load_course()
    show_progress = not as_json and len(paths) > 1
    try:
        with Progress(console=Console(stderr=True), disable=not show_progress, transient=True) as progress:
            task = progress.add_task("grading", total=None)
            run = grade_paths(paths, workers=workers, course=course, trusted=trusted, scheduler=scheduler,
                              on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    except IsolationMissing as refusal:
        _die(str(refusal), code=EXIT_REFUSED)
    except (SandboxError, GraderFault, CourseMismatch) as exc:
        _die(_("grader fault: {reason}").format(reason=exc), code=EXIT_GRADER_FAULT)
    except OSError as exc:  # e.g. no scheduler at the --scheduler address
        _die(_("grader fault: {reason}").format(reason=f"{type(exc).__name__}: {exc}"), code=EXIT_GRADER_FAULT)
    if trusted:
        missing = names(run.missing_protections) or _("nothing")
        typer.echo(_("course: --trusted: submissions ran with the confinement this machine gives (missing: "
                     "{missing}); use it only for your own code").format(missing=missing), err=True)
    for submission in run.ungraded:
        typer.echo(_("course: not graded: {reason}").format(reason=submission.error), err=True)
    if as_json:
        typer.echo(json.dumps(run.to_json(), indent=1))
    else:
        print_grade_report(run)
    if run.ungraded:
        raise typer.Exit(EXIT_NOT_ALL_GRADED)


@app.command()
def doctor() -> None:
    """Show which protections the sandbox gets on this machine, and what is missing."""
    from autograder.reports.doctor_table import print_doctor_report
    from autograder.sandbox.doctor import inspect_sandbox

    report = inspect_sandbox()
    print_doctor_report(report)
    if not report.can_grade:
        raise typer.Exit(EXIT_REFUSED if not report.problem else EXIT_GRADER_FAULT)


@app.command()
def init(directory: Annotated[Path, typer.Argument(help="Where to make the nbgrader course directory.")],
         db_url: DbUrl = None) -> None:
    """Make an nbgrader course directory: the source notebooks and an nbgrader_config.py using the sandbox."""
    from autograder.build.releases import releases
    from autograder.nbgrader_plugin.course_dir import init_course_directory

    course = _load_course()
    directory.mkdir(parents=True, exist_ok=True)
    init_course_directory(directory, course, db_url)
    typer.echo(_("course directory ready: {directory} (assignments: {assignments})\nnext: cd {directory} && nbgrader "
                 "generate_assignment {assignment}").format(directory=directory, assignment=course.assignment,
                                                            assignments=", ".join(release.assignment
                                                                                  for release in releases(course))))


@app.command()
def demo(directory: Annotated[Path | None, typer.Argument(help="Course directory to create (default: a new "
                                                          "temporary folder).")] = None,
         db_url: DbUrl = None) -> None:
    """Release, collect, autograde in the sandbox, give feedback and export grades for a simulated class."""
    import tempfile

    from autograder.nbgrader_plugin.course_dir import NbgraderFailed
    from autograder.nbgrader_plugin.demo import run_demo
    from autograder.reports.console import report_console
    from autograder.reports.demo_table import print_demo_report

    from autograder.grading.engine import require_confinement
    from autograder.sandbox.protections import IsolationMissing

    course = _load_course()
    try:
        require_confinement()  # the simulated class holds an adversarial student
    except IsolationMissing as refusal:
        _die(str(refusal), code=EXIT_REFUSED)
    target = directory or Path(tempfile.mkdtemp(prefix="course-demo-"))
    target.mkdir(parents=True, exist_ok=True)
    console = report_console()
    try:
        result = run_demo(course, target, db_url, on_step=lambda step: console.print(f"[bold]•[/] {step}"))
    except NbgraderFailed as exc:
        _die(str(exc), code=3)
    print_demo_report(result, course, console)
