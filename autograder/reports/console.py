"""The rich console every report prints to.

When output is not a terminal (piped, redirected, captured), rich would squeeze every table into
80 columns and cut names short ("zero_i…"); there tables get the width they need instead.
"""

from __future__ import annotations

import os

from rich.console import Console

from course_checks.harness.report import Line

PIPED_WIDTH = 1000  # rich never widens a table past what its cells need
STYLES = {"pass": "green", "fail": "bold red", "note": "yellow", "title": "bold"}


def report_console(*, stderr: bool = False) -> Console:
    """A console at the terminal's width, or as wide as a table needs when output is not a terminal."""
    probe = Console(stderr=stderr)
    if probe.is_terminal or os.environ.get("COLUMNS"):
        return probe
    return Console(stderr=stderr, width=PIPED_WIDTH)


def print_lines(console: Console, lines: list[Line]) -> None:
    """Lines of a check report, each in its style; their text is never read as markup."""
    for line in lines:
        console.print(line.text, style=STYLES.get(line.style, ""), markup=False, highlight=False, soft_wrap=True)
