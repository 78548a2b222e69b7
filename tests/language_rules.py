"""The script's rule for "this message is in Chinese", shared by the tests that measure it (issue 11).

A message is in Chinese when no line of it (its check's name, then each labelled part) holds English
outside its code. Code is what a learner types or what Python and PyTorch say: `quoted` spans (the
Chinese messages quote PyTorch's and Python's own text so), calls written as code (`name(...)`),
imports and Python string literals. A line fails with an English label, with English prose (three
words in a row) outside code, or with an English word outside code and no Chinese beside it.
"""

from __future__ import annotations

import re

CODE_SPAN = re.compile(r"`[^`]*`")
CALL = re.compile(r"[A-Za-z_][\w.]*\(")
IMPORT = re.compile(r"\bimport [\w.]+")
STRING_LITERAL = re.compile(r"'[^'\s]*'|\"[^\"\s]*\"")  # a Python string such as 'slow'; prose has spaces
ENGLISH_PROSE = re.compile(r"\b[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}\b")  # three English words in a row
ENGLISH_WORD = re.compile(r"\b(?!(?:True|False|None)\b)[A-Za-z][a-z]+\b")  # not CamelCase names (ValueError)
CJK = re.compile(r"[\u3400-\u9fff]")
LABELLED = re.compile(r"^([^:：]{1,12}[:：])\s+(.*)$")


def without_code(line: str) -> str:
    """The line without its code: `quoted` spans (PyTorch's and Python's own text is quoted so), an
    import, string literals, and calls as a learner would type them, `name(...)` with its balanced
    parentheses."""
    line = STRING_LITERAL.sub(" ", IMPORT.sub(" ", CODE_SPAN.sub(" ", line)))
    kept, position = [], 0
    for found in CALL.finditer(line):
        if found.start() < position:
            continue  # inside a call already removed
        depth, end = 0, found.end() - 1
        while end < len(line):
            depth += {"(": 1, ")": -1}.get(line[end], 0)
            end += 1
            if depth == 0:
                break
        kept.append(line[position:found.start()])
        position = end
    return "".join(kept) + line[position:]


def untranslated(text: str) -> list[str]:
    """The lines of a message (its check's name, then each labelled part) that are not in Chinese: an
    English label, English words outside code with no Chinese beside them, or English prose (three
    words in a row) outside code anywhere."""
    found = []
    for line in text.splitlines():
        labelled = LABELLED.match(line)
        label, rest = labelled.groups() if labelled else ("", line)
        prose = without_code(rest)
        if (re.search("[A-Za-z]", label) or ENGLISH_PROSE.search(prose)
                or ENGLISH_WORD.search(prose) and not CJK.search(rest)):
            found.append(line)
    return found
