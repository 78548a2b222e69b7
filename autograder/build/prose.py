"""An exercise's prose as translation messages, one per paragraph, and the same prose in another language.

The prose is authored once, in English, in solutions/<id>.py: its markdown cells (the instructions,
the questions to predict, the `<details>` block) and the docstrings of its functions. Each unit a
translator works on is one message: a paragraph, a heading, a list item, a table, the text of an
HTML line (`<summary>...</summary>`), a docstring paragraph. So an edit of one paragraph makes only
that one message fuzzy. Markup, code blocks and display math stay as they are: rendering another
language replaces only the words of each unit, inside the markup the English had.

A paragraph's message is its words with their line breaks made spaces (markdown reads them so);
a table, or a docstring paragraph laid out in columns, keeps its lines.
"""

from __future__ import annotations

import ast
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from markdown_it import MarkdownIt

from autograder.build.authored import AuthoredExercise, AuthoringError

Translate = Callable[[str], str]

_MARKDOWN = MarkdownIt("commonmark").enable("table")
# An HTML line: its tags before and after, and the words between them (`<summary>The answers</summary>`).
_HTML_LINE = re.compile(r"^(\s*(?:<[^<>]+>\s*)*)(.*?)(\s*(?:<[^<>]+>\s*)*)$")
# What has no words to translate: math and code spans, except the words of math's \text{...}.
_NOT_WORDS = re.compile(r"\$\$.*?\$\$|\$[^$]*\$|`[^`]*`", flags=re.DOTALL)
_MATH_WORDS = re.compile(r"\\text\{([^{}]*)\}")
# Columns: a run of two spaces between words (the names and meanings of a list of options).
_COLUMNS = re.compile(r"\S {2,}\S")
# Characters a line may not start with (closing punctuation stays with the text before it).
_NO_LINE_START = set("，。、；：！？）》」』”’,.;:!?)]}")
_BREAK_AFTER = set("，。、；：！？")  # where Chinese text breaks best
DOCSTRING_WIDTH = 100  # of a docstring's lines, indentation included, as the English is written
COMMENT_WIDTH = 78  # of the check cell's comment lines (nbgrader's Validate dialog shows them)


@dataclass(frozen=True)
class Paragraph:
    """One unit to translate: lines [start, end) of a text, the words and the markup around them."""

    start: int
    end: int
    text: str  # the message
    first_prefix: str = ""  # before the words on the first line: "1. ", "# ", "<summary>"
    prefix: str = ""  # before the words on every further line: a list item's indentation
    suffix: str = ""  # after the words on the last line: "</summary>"

    def render(self, words: str) -> list[str]:
        """The lines of this unit with `words` (a translation of `text`) in place of the English."""
        lines = words.split("\n")
        rendered = [self.first_prefix + lines[0]] + [self.prefix + line if line else "" for line in lines[1:]]
        rendered[-1] += self.suffix
        return rendered


def has_words(text: str) -> bool:
    """Whether a unit says anything to translate (math and code alone do not, unless math has \\text{words})."""
    words = _NOT_WORDS.sub("", text) + " ".join(_MATH_WORDS.findall(text))
    return any(character.isalpha() for character in words)


def _prefix_of(line: str, content: str, where: str) -> str:
    """What precedes a content line in its source line (a list marker, a heading's #, indentation)."""
    kept, words = line.rstrip(), content.strip()
    if not kept.endswith(words):
        raise AuthoringError(f"{where}: cannot find the words {words[:40]!r} in their line {line[:40]!r}")
    return kept[: len(kept) - len(words)]


def markdown_paragraphs(source: str, where: str = "") -> list[Paragraph]:
    """Every unit of a markdown text to translate, in order."""
    lines = source.split("\n")
    found: list[Paragraph] = []
    in_table = False
    for token in _MARKDOWN.parse(source):
        if token.type == "table_open" and token.map:
            start, end = token.map
            found.append(Paragraph(start, end, "\n".join(lines[start:end])))
            in_table = True
        elif token.type == "table_close":
            in_table = False
        elif token.type == "inline" and token.map and not in_table:
            start, end = token.map
            contents = token.content.split("\n")
            if len(contents) != end - start:
                raise AuthoringError(f"{where}: line {start + 1}: a paragraph whose lines cannot be told apart")
            prefixes = [_prefix_of(line, content, where) for line, content in zip(lines[start:end], contents)]
            further = prefixes[1] if len(prefixes) > 1 else re.sub(r"[^\s>]", " ", prefixes[0])
            found.append(Paragraph(start, end, " ".join(token.content.split()), prefixes[0], further))
        elif token.type == "html_block" and token.map:
            for number in range(*token.map):
                match = _HTML_LINE.match(lines[number])
                if match and match[2].strip():
                    found.append(Paragraph(number, number + 1, match[2].strip(), match[1], suffix=match[3]))
    return [paragraph for paragraph in found if has_words(paragraph.text)]


def translate_markdown(source: str, translate: Translate, where: str = "") -> str:
    """The markdown text with each unit's words replaced by their translation."""
    lines = source.split("\n")
    for paragraph in reversed(markdown_paragraphs(source, where)):
        lines[paragraph.start:paragraph.end] = paragraph.render(translate(paragraph.text))
    return "\n".join(lines)


def docstring_paragraphs(docstring: str) -> list[str]:
    """The messages of a (cleaned) docstring: one per paragraph; one laid out in columns keeps its lines."""
    paragraphs = [paragraph.strip("\n") for paragraph in re.split(r"\n[ \t]*\n", docstring) if paragraph.strip()]
    return [paragraph if _COLUMNS.search(paragraph) else " ".join(paragraph.split()) for paragraph in paragraphs]


@dataclass(frozen=True)
class _Docstring:
    function: str
    text: str  # cleaned, as ast.get_docstring gives it
    node: ast.Constant
    indent: str


def docstrings_of(source: str) -> list[str]:
    """The (cleaned) docstrings of the functions and classes a piece of code defines, in order."""
    return [docstring.text for docstring in _docstrings(source)]


def _docstrings(source: str) -> list[_Docstring]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                found.append(_Docstring(node.name, ast.get_docstring(node) or "", first.value,
                                        " " * first.col_offset))
    return sorted(found, key=lambda docstring: (docstring.node.lineno, docstring.node.col_offset))


def display_width(text: str) -> int:
    """Columns a text takes in a terminal or editor: two for each wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _pieces(text: str) -> Iterator[str]:
    """Where a line may break: between wide (CJK) characters, and at spaces between other words."""
    for match in re.finditer(r"\s+|`[^`]*`|[^\s`\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|.", text):
        yield match[0]


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` display columns (a CJK character takes two), breaking between CJK
    characters or at spaces, never inside a word, a name or a code span, nor before closing punctuation
    (which may hang past the width); a line ends after a comma or full stop where one is near its end."""
    lines: list[str] = []
    line: list[str] = []
    for piece in _pieces(text):
        if piece.isspace():
            if line and not line[-1].isspace():
                line.append(" ")
            continue
        if line and display_width("".join(line) + piece) > width and piece[0] not in _NO_LINE_START:
            cut = _break_after_punctuation(line, width)
            lines.append("".join(line[:cut]).rstrip())
            line = line[cut:]
            while line and line[0].isspace():
                line.pop(0)
        line.append(piece)
    if "".join(line).strip():
        lines.append("".join(line).rstrip())
    return lines or [""]


def _break_after_punctuation(line: list[str], width: int) -> int:
    """Where to end a full line: after its last comma or full stop in the final quarter, else at its end."""
    for cut in range(len(line) - 1, 0, -1):
        if display_width("".join(line[:cut])) < width * 3 // 4:
            break
        if line[cut - 1] in _BREAK_AFTER:
            return cut
    return len(line)


def _layout(paragraph: str, english: str, width: int) -> list[str]:
    """A translated paragraph's lines: as written where the English keeps its lines, else wrapped."""
    if "\n" in paragraph or _COLUMNS.search(english):
        return paragraph.split("\n")
    return wrap(paragraph, width)


def translated_docstring(docstring: str, translate: Translate, indent: str) -> str:
    """A docstring in another language, paragraph by paragraph (cleaned, as `ast.get_docstring` gives)."""
    width = DOCSTRING_WIDTH - len(indent) - len('"""')
    return "\n\n".join("\n".join(_layout(translate(paragraph), paragraph, width))
                       for paragraph in docstring_paragraphs(docstring))


def _literal(docstring: str, indent: str, one_line: bool) -> str:
    text = docstring.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    lines = text.split("\n")
    if one_line and len(lines) == 1:
        return f'"""{text}"""'
    return '"""' + "\n".join([lines[0], *[indent + line if line else "" for line in lines[1:]], indent + '"""'])


def rewrite_docstrings(source: str, rewrite: Callable[[str, str], str | None]) -> str:
    """The code with each function's docstring replaced by `rewrite(docstring, indent)` (None: kept as it is)."""
    lines = source.split("\n")
    for docstring in reversed(_docstrings(source)):
        new = rewrite(docstring.text, docstring.indent)
        if new is None or new == docstring.text:
            continue
        node = docstring.node
        assert node.end_lineno is not None and node.end_col_offset is not None
        first, last = lines[node.lineno - 1], lines[node.end_lineno - 1]
        literal = _literal(new, docstring.indent, one_line=node.lineno == node.end_lineno)
        replaced = first[: node.col_offset] + literal + last[node.end_col_offset:]
        lines[node.lineno - 1: node.end_lineno] = replaced.split("\n")
    return "\n".join(lines)


@dataclass(frozen=True)
class Message:
    """One message of an exercise's prose, the file it comes from, and a note for its translator."""

    text: str
    where: str
    comment: str = ""


MARKDOWN_NOTE = "Markdown: keep `code`, $math$, **markup** and names as they are."
SUMMARY_NOTE = ("What {function} must do: the checks show it after \"expected:\" when {function} raises. "
                "Keep names and code as they are.")
DOCSTRING_NOTE = "From the docstring of {function}. Keep names and code as they are."


def messages(authored: AuthoredExercise, where: str) -> list[Message]:
    """Every message of an exercise's prose, in the order of the file: markdown units and docstring paragraphs."""
    found = []
    for cell in authored.cells:
        if cell.kind == "markdown":
            found += [Message(paragraph.text, where, MARKDOWN_NOTE) for paragraph in markdown_paragraphs(cell.source, where)]
            continue
        for docstring in _docstrings(cell.source):
            for number, paragraph in enumerate(docstring_paragraphs(docstring.text)):
                note = SUMMARY_NOTE if number == 0 else DOCSTRING_NOTE
                found.append(Message(paragraph, where, note.format(function=docstring.function)))
    return found
