"""One exercise's checks as a learner reads them: each check once, each distinct mistake once.

Several checks often fail for the same mistake (a function not written yet, a missing reshape); the
first of them shows its whole message and the others point back to it. Shared by `pytest
exercises`, `course watch`, `course hint` and the notebook's check table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from course_checks.harness.records import CheckRecord, ExerciseResult
from course_checks.i18n import _, ngettext
from course_checks.words import failed_heading

INDENT = "    "


@dataclass(frozen=True)
class Line:
    """A line of text and how to show it: "pass", "fail", "note", "title" or "" (plain)."""

    text: str
    style: str = ""


@dataclass
class FailureGroup:
    """Checks failing for one mistake: the first shows the message, the others repeat it."""

    first: CheckRecord
    repeats: list[CheckRecord] = field(default_factory=list)


def mistake_of(record: CheckRecord) -> tuple[str, str]:
    """What tells two failures apart: the hint's key and its first level (which names e.g. the function)."""
    if record.feedback is None:
        return record.hint or record.status, record.message
    return record.feedback.hint.key, record.feedback.hint.level(1)


def failure_groups(result: ExerciseResult) -> list[FailureGroup]:
    """The failing checks grouped by mistake, in the order the checks are declared."""
    groups: dict[tuple[str, str], FailureGroup] = {}
    for record in result.failures:
        key = mistake_of(record)
        if key in groups:
            groups[key].repeats.append(record)
        else:
            groups[key] = FailureGroup(record)
    return list(groups.values())


def repeating(result: ExerciseResult) -> set[str]:
    """The failing checks whose mistake an earlier check already shows (by check id)."""
    return {repeat.check_id for group in failure_groups(result) for repeat in group.repeats}


def repeat_note(record: CheckRecord) -> str:
    """What a check failing for an earlier check's mistake shows instead of the whole message again."""
    got = record.feedback.got if record.feedback is not None else record.status
    return _("the same mistake as above; here it got: {got}").format(got=got)


def failed_line(record: CheckRecord) -> str:
    """`✗ <check>`, with the status when it is not a plain failure (an error, a timeout)."""
    return failed_heading(record.name, record.status)


def message_lines(record: CheckRecord, level: int = 1) -> list[str]:
    """The labelled message of a failed check, up to the given hint level."""
    if record.feedback is None:
        return record.message.splitlines()
    return record.feedback.render(level).splitlines()


def output_lines(record: CheckRecord, limit: int = 12) -> list[Line]:
    """What the student's code printed during a failed check (its last lines), for print-debugging."""
    printed = [line for line in record.output.splitlines() if line.strip()]
    if not printed:
        return []
    heading = (_("your code printed (its last {limit} of {count} lines):").format(limit=limit, count=len(printed))
               if len(printed) > limit else _("your code printed:"))
    return [Line(INDENT + heading, "note")] + [Line(INDENT + "| " + line) for line in printed[-limit:]]


def check_lines(result: ExerciseResult) -> list[Line]:
    """Every check of the exercise in order, ✓ or ✗; each distinct mistake's message once."""
    repeats = repeating(result)
    lines = []
    for record in result.checks:
        if record.status == "passed":
            lines.append(Line(f"✓ {record.name}", "pass"))
            continue
        lines.append(Line(failed_line(record), "fail"))
        if record.check_id in repeats:
            lines.append(Line(INDENT + repeat_note(record), "note"))
        else:
            lines += [Line(INDENT + text) for text in message_lines(record)]
        lines += output_lines(record)
    if result.unrun:
        lines.append(Line(ngettext("{count} more check did not run this time: {checks}",
                                   "{count} more checks did not run this time: {checks}",
                                   len(result.unrun)).format(count=len(result.unrun), checks=", ".join(result.unrun)),
                          "note"))
    return lines

