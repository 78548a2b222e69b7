"""Words every report of a check shares (terminal, notebook table, nbgrader feedback), in the learner's language.

Only the standard library: nbgrader's process uses these without importing the harness (torch, pytest).
"""

from __future__ import annotations

from course_checks.i18n import N_, _

STATUSES = {"passed": N_("passed"), "failed": N_("failed"), "error": N_("error"), "timeout": N_("timeout"),
            "missing": N_("missing")}


def status_text(status: str) -> str:
    """A check's or exercise's status as a learner reads it (the JSON keeps the English word)."""
    return _(STATUSES[status]) if status in STATUSES else status


def failed_heading(name: str, status: str) -> str:
    """`✗ <check>`, with the status when it is not a plain failure (an error, a timeout)."""
    if status == "failed":
        return f"✗ {name}"
    return _("✗ {check} ({status})").format(check=name, status=status_text(status))
