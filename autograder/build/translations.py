"""The translation catalogs, managed with Babel: extract the messages, update each language, compile, check.

- `template()` reads every message of the course's code (`extract.extract_course`: texts marked
  `_()`, `N_()` or `ngettext()`, every check's sentence and every hint's levels), what each student
  function must do (the first paragraph of its reference docstring, which the checks show as
  "expected: ..."), plus any other messages given (the prose of each exercise), into the template
  `course_checks/locale/course.pot`.
- `update()` merges the template into each language's `course.po`, keeping what is translated;
  new messages arrive untranslated, changed ones fuzzy.
- `compile_catalogs()` writes the `course.mo` each language's gettext reads (`course build` does it,
  and `course build --check` names a stale one).
- `problems()` lists what keeps a catalog from being complete: a message without a translation,
  a fuzzy one, or one whose `{placeholders}` differ from the English.
"""

from __future__ import annotations

import datetime
import io
import string
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from course_checks.i18n import DOMAIN, LOCALE_DIR

REPOSITORY = LOCALE_DIR.parent.parent
# Both packages speak to people: the engine to instructors, the runtime (and its catalog) to learners.
CODE_PACKAGES = ("autograder", "course_checks")
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
EXTRACTION_METHOD = "autograder.build.extract:extract_course"
PROJECT = "linreg-course"
COPYRIGHT = "the linreg-course authors"
HEADER = ("# Messages of the linreg course, in English: the template of every translation.\n"
          "# Written by `course translations`; do not edit here.")
SKIPPED_FOLDERS = ("locale", "__pycache__")
# Catalogs carry no changing dates, so that they only change when a message does.
_FIXED_DATE = datetime.datetime(2026, 12, 1, tzinfo=datetime.timezone.utc)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a catalog, in one line."""

    language: str
    message: str
    why: str

    def __str__(self) -> str:
        return f"{self.language}: {self.why}: {self.message[:100]!r}"


Found = tuple[str | tuple[str, str], str, int, list[str]]  # message, file, line, notes for translators
SUMMARY_NOTE = "what a student function must do (its docstring's first paragraph), shown as \"expected: ...\""
TITLE_NOTE = "an exercise's title (course.yml)"


def _code_messages() -> Iterator[Found]:
    """(message, file, line, notes) for every message in the course's Python code."""
    for package in CODE_PACKAGES:
        results = extract_from_dir(str(REPOSITORY / package), method_map=[("**.py", EXTRACTION_METHOD)],
                                   keywords=KEYWORDS,
                                   directory_filter=lambda path: Path(path).name not in SKIPPED_FOLDERS)
        for filename, lineno, message, comments, _context in results:
            yield message, f"{package}/{filename}", lineno, list(comments)


def _course_messages() -> Iterator[Found]:
    """Each exercise's title, and what each of its functions must do, as the checks quote it."""
    from autograder.judge.suite import function_summaries
    from autograder.manifest import load_course

    for exercise in load_course().exercises:
        yield exercise.title, "course.yml", 1, [TITLE_NOTE]
        for summary in function_summaries(exercise.id).values():
            if summary:
                yield summary, f"solutions/{exercise.module_file}", 1, [SUMMARY_NOTE]


def template(extra: Iterable[tuple[str, str, int]] = ()) -> Catalog:
    """A fresh template catalog: the course's code and function summaries, then `extra` (message, where,
    line) such as the exercises' prose."""
    catalog = Catalog(project=PROJECT, domain=DOMAIN, fuzzy=False, creation_date=_FIXED_DATE,
                      revision_date=_FIXED_DATE, copyright_holder=COPYRIGHT, header_comment=HEADER)
    given: list[Found] = [(message, where, line, []) for message, where, line in extra]
    for message, where, line, notes in [*_code_messages(), *_course_messages(), *given]:
        catalog.add(message, locations=[(where, line)], flags=_flags(message), auto_comments=notes)
    return catalog


def _flags(message: str | tuple[str, str]) -> tuple[str, ...]:
    text = message if isinstance(message, str) else message[0]
    return ("python-brace-format",) if placeholders(text) else ()


def placeholders(text: str) -> set[str]:
    """The `{names}` of a str.format template (empty if it has none or is not one)."""
    try:
        return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}
    except ValueError:
        return set()


def _serialised(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100, sort_output=False, include_lineno=False)
    # Without Babel's version, a catalog changes only when a message does.
    return b"".join(line for line in buffer.getvalue().splitlines(keepends=True)
                    if not line.startswith(b'"Generated-By: '))


def rendered_template(extra: Iterable[tuple[str, str, int]] = ()) -> bytes:
    """What `course.pot` should hold."""
    return _serialised(template(extra))


def catalog_path(language: str) -> Path:
    """The authored catalog of a language."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """Every language with a catalog."""
    return sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def read_catalog(language: str) -> Catalog:
    """A language's catalog as Babel reads it."""
    with catalog_path(language).open("rb") as handle:
        return read_po(handle, locale=language, domain=DOMAIN)


def _language_header(language: str) -> str:
    return (f"# The linreg course's messages in {language}.\n"
            "# Translate each msgstr, keeping every {placeholder} as it is; `course translations --check` says what is left.")


def add_language(language: str) -> Path:
    """Start a catalog for a new language (every message untranslated); `update` then keeps it current."""
    path = catalog_path(language)
    if path.exists():
        raise FileExistsError(f"{path} exists already")
    catalog = Catalog(locale=language, project=PROJECT, domain=DOMAIN, fuzzy=False, creation_date=_FIXED_DATE,
                      revision_date=_FIXED_DATE, copyright_holder=COPYRIGHT, header_comment=_language_header(language))
    path.parent.mkdir(parents=True)
    path.write_bytes(_serialised(catalog))
    return path


def update(extra: Iterable[tuple[str, str, int]] = ()) -> list[Path]:
    """Write the template and merge it into every language's catalog; the files written."""
    fresh = template(extra)
    written = []
    rendered = _serialised(fresh)
    if not TEMPLATE.exists() or TEMPLATE.read_bytes() != rendered:
        TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        TEMPLATE.write_bytes(rendered)
        written.append(TEMPLATE)
    for language in languages():
        catalog = read_catalog(language)
        catalog.update(fresh, no_fuzzy_matching=False, update_creation_date=False)
        catalog.obsolete.clear()  # a message the code no longer has is gone; git keeps its history
        catalog.revision_date = _FIXED_DATE
        catalog.copyright_holder = COPYRIGHT
        catalog.header_comment = _language_header(language)
        serialised = _serialised(catalog)
        path = catalog_path(language)
        if path.read_bytes() != serialised:
            path.write_bytes(serialised)
            written.append(path)
    return written


def compiled(language: str) -> bytes:
    """The `.mo` bytes of a language's catalog (fuzzy entries left out, as gettext expects)."""
    buffer = io.BytesIO()
    write_mo(buffer, read_catalog(language), use_fuzzy=False)
    return buffer.getvalue()


def compiled_path(language: str) -> Path:
    """Where gettext finds a language's compiled catalog."""
    return catalog_path(language).with_suffix(".mo")


def stale_compiled() -> list[Path]:
    """Compiled catalogs that are missing or differ from their `.po`."""
    return [compiled_path(language) for language in languages()
            if not compiled_path(language).exists() or compiled_path(language).read_bytes() != compiled(language)]


def compile_catalogs() -> list[Path]:
    """Write every stale compiled catalog; the files written."""
    written = stale_compiled()
    for path in written:
        path.write_bytes(compiled(path.parent.parent.name))
    return written


def stale_template(extra: Iterable[tuple[str, str, int]] = ()) -> bool:
    """Whether the template or a catalog lacks a message of the code (or holds one the code no longer has)."""
    wanted = {message.id for message in template(extra) if message.id}
    with TEMPLATE.open("rb") as handle:
        current = {message.id for message in read_po(handle) if message.id} if TEMPLATE.exists() else set()
    return current != wanted or any({message.id for message in read_catalog(language) if message.id} != wanted
                                    for language in languages())


def problems(language: str) -> list[Problem]:
    """Untranslated, fuzzy, or placeholder-changing messages of a language's catalog."""
    found = []
    for message in read_catalog(language):
        if not message.id:
            continue  # the header
        english = _forms(message.id)
        translated = _forms(message.string)
        text = english[0]
        if message.fuzzy:
            found.append(Problem(language, text, "fuzzy (the English changed; check the translation)"))
        if not any(translated):
            found.append(Problem(language, text, "no translation"))
            continue
        expected = set().union(*(placeholders(form) for form in english))
        for form in translated:
            if placeholders(form) != expected:
                found.append(Problem(language, text, f"placeholders {sorted(placeholders(form))} instead of "
                                                     f"{sorted(expected)}"))
    return found


def _forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    if value is None:
        return [""]
    return [value] if isinstance(value, str) else list(value)
