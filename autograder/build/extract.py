"""The course's Babel extraction method: every text a learner reads, found where it is written.

A course author writes texts in three forms, and none needs a marker beyond the first:

- `_("...")`, `N_("...")`, `ngettext("...", "...", n)`: gettext's own marks, for any text built
  in code (a failure's got/expected, a template kept in a constant);
- `@check("sentence", points=...)`: a check's name, read from the decorator (only a call with
  `points=`, so a notebook's `check("huber")` is not taken for one);
- `Hint(key, concept, where, code)`, positional or by keyword: the three levels of a hint
  (an `ErrorHint`'s hint is such a call; its fragment is PyTorch's own text and stays as it is).

Only string literals are read (adjacent literals joined, as Python does); an f-string cannot be
translated, and the tests name any that reaches a learner (tests/test_translations.py).
Each message gets a comment for translators saying what it is (a check's name, a hint's level).
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

# What Babel's `extract` expects back: (line, keyword, message or (singular, plural), comments).
Extracted = tuple[int, str, str | tuple[str, str], list[str]]
SINGLE, PLURAL = "N_", "ngettext"  # the keywords (of translations.KEYWORDS) results are reported under
MARKS = {"_", "N_"}
HINT_LEVELS = ("concept", "where", "code")
LEVEL_NOTES = {
    "concept": "hint {key}, level 1: the concept behind the mistake, without the code of the fix",
    "where": "hint {key}, level 2: where to look",
    "code": "hint {key}, level 3: the line of code (keep the code as it is)",
}
CHECK_NOTE = "the name of a check: the sentence a learner reads next to ✓ or ✗"


def _name(node: ast.expr) -> str:
    """The called name: `Hint` for `Hint(...)` and `harness.Hint(...)` alike."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _text(node: ast.expr | None) -> str | None:
    """A string literal's value (adjacent literals are one constant already), or None."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value else None


def _argument(call: ast.Call, position: int, keyword: str) -> ast.expr | None:
    if len(call.args) > position and not any(isinstance(arg, ast.Starred) for arg in call.args[:position + 1]):
        return call.args[position]
    return next((item.value for item in call.keywords if item.arg == keyword), None)


def messages_of(call: ast.Call) -> Iterator[Extracted]:
    """The translatable texts one call holds (none for most calls)."""
    name, line = _name(call.func), call.lineno
    if name in MARKS and call.args and (text := _text(call.args[0])):
        yield line, SINGLE, text, []
    elif name == PLURAL and len(call.args) >= 2:
        singular, plural = _text(call.args[0]), _text(call.args[1])
        if singular and plural:
            yield line, PLURAL, (singular, plural), []
    elif name == "check" and any(item.arg == "points" for item in call.keywords):
        if text := _text(_argument(call, 0, "name")):
            yield line, SINGLE, text, [CHECK_NOTE]
    elif name == "Hint":
        key = _text(_argument(call, 0, "key")) or "?"
        for position, level in enumerate(HINT_LEVELS, start=1):
            node = _argument(call, position, level)
            if text := _text(node):
                yield node.lineno if node is not None else line, SINGLE, text, [LEVEL_NOTES[level].format(key=key)]


def extract_course(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
                   options: Mapping[str, Any]) -> Iterator[Extracted]:
    """Babel's extraction interface: every message of one Python file, in the order of the source."""
    source = fileobj.read().decode(str(options.get("encoding", "utf-8")))
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return  # not the course's code (a catalogued wrong answer, say): nothing to translate
    calls = sorted((node for node in ast.walk(tree) if isinstance(node, ast.Call)),
                   key=lambda node: (node.lineno, node.col_offset))
    for call in calls:
        for line, keyword, message, comments in messages_of(call):
            if keyword in keywords:
                yield line, keyword, message, comments
