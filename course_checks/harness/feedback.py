"""Failure messages: what was called, what came back, what was expected, and a hint ladder.

A `Hint` is aimed at one misconception and keeps its three levels together: the concept (shown
with every failure), where to look, and finally the line of code. The learner climbs the ladder one
step at a time (`course hint`, or `hint()` in a notebook), so a first failure teaches instead of
handing over the fix. Every level is a whole sentence, so each can be translated on its own.

Languages: a hint's levels are kept in English, the catalogs' message ids, and translated each time
they are shown (`level`), so a hint declared once at import speaks whatever language the run asks
for; called / got / expected are built by the check, in the run's language, when it fails. The
labels are translated where the message is rendered.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from typing import Literal

from course_checks.i18n import N_, _

CheckStatus = Literal["passed", "failed", "error", "timeout"]
LEVELS = 3
# The labelled parts of a message; the first four are the message every failure carries.
LABELS = {"called": N_("called:"), "got": N_("got:"), "expected": N_("expected:"), 1: N_("try:"),
          2: N_("look at:"), 3: N_("the code:")}


def display_width(text: str) -> int:
    """Columns a text takes in a terminal: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def label(part: str | int) -> str:
    """A part's label in the current language."""
    return _(LABELS[part])


@dataclass(frozen=True)
class Hint:
    """Advice aimed at one misconception, as a ladder; `key` names the misconception.

    `concept` names the idea behind the mistake without the code of the fix; `where` says where to
    look (the function, the line, the API); `code` is the line of code itself. The texts are English
    (each a message of the catalogs) and may hold `{placeholders}`, filled by `filled()`.
    """

    key: str
    concept: str
    where: str
    code: str
    values: tuple[tuple[str, str], ...] = ()  # what fills the placeholders, once `filled`

    def level(self, number: int) -> str:
        """The text of level 1 (concept), 2 (where to look) or 3 (the code), in the current language."""
        text = _((self.concept, self.where, self.code)[min(max(number, 1), LEVELS) - 1])
        return text.format(**dict(self.values)) if self.values else text

    def filled(self, **values: str) -> Hint:
        """The same hint with its `{placeholders}` filled in (when it is shown, in its language)."""
        return replace(self, values=tuple(sorted({**dict(self.values), **values}.items())))


@dataclass(frozen=True)
class Feedback:
    """The labelled parts of one failure: called, got, expected, and the hint."""

    called: str
    got: str
    expected: str
    hint: Hint

    def lines(self, level: int = 1) -> list[tuple[str, str]]:
        """(label, text) pairs: called, got, expected, then the hint's levels 1..level, in the current language."""
        parts = [(label("called"), self.called), (label("got"), self.got), (label("expected"), self.expected)]
        return parts + [(label(number), self.hint.level(number)) for number in range(1, min(level, LEVELS) + 1)]

    def render(self, level: int = 1) -> str:
        """The message as text, one labelled part per line (level 1: the four-part message), the texts
        lined up after the widest label of the language."""
        lines = self.lines(level)
        width = max(display_width(label(part)) for part in LABELS) + 1
        return "\n".join(name + " " * (width - display_width(name)) + text for name, text in lines)
