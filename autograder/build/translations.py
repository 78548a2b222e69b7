"""The translation catalogs, managed with Babel: extract the messages, update each language, compile, check.

- `template()` reads every message marked `_()`, `N_()` or `ngettext()` in the course's code, and
  the prose of every exercise of course.yml (its title, and each paragraph of its instructions and
  docstrings in solutions/<id>.py: `prose.py`), into the template `course_checks/locale/course.pot`.
- `update()` merges the template into each language's `course.po`, keeping what is translated;
  new messages arrive untranslated, changed ones fuzzy.
- `translator()` is a language's catalog as gettext reads it, compiled from its `.po` (what
  `course build` renders the Chinese README, notebooks and docstrings with).
- `compile_catalogs()` writes the `course.mo` each language's gettext reads (`course build` does it,
  and `course build --check` names a stale one).
- `problems()` lists what keeps a catalog from being complete: a message without a translation,
  a fuzzy one, or one whose `{placeholders}` differ from the English.
"""

from __future__ import annotations

import datetime
import gettext
import io
import string
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from course_checks.i18n import DOMAIN, LOCALE_DIR, SOURCE_LANGUAGE

from autograder.build.prose import Message

REPOSITORY = LOCALE_DIR.parent.parent
# Both packages speak to people: the engine to instructors, the runtime (and its catalog) to learners.
CODE_PACKAGES = ("autograder", "course_checks")
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
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


def _code_messages() -> Iterator[tuple[str | tuple[str, str], str, int]]:
    """(message, file, line) for every marked message in the course's Python code."""
    for package in CODE_PACKAGES:
        results = extract_from_dir(str(REPOSITORY / package), method_map=[("**.py", "python")], keywords=KEYWORDS,
                                   directory_filter=lambda path: Path(path).name not in SKIPPED_FOLDERS)
        for filename, lineno, message, _comments, _context in results:
            yield message, f"{package}/{filename}", lineno


TITLE_NOTE = "The title of {what}, from course.yml."
NOT_A_TEMPLATE = "no-python-brace-format"  # gettext's flag for a text whose braces are not placeholders


def prose_messages() -> Iterator[Message]:
    """The prose of the course: its title, and each exercise's title, instructions and docstrings."""
    from autograder.build.authored import read_authored
    from autograder.build.prose import messages
    from autograder.manifest import load_course

    course = load_course()
    yield Message(course.title, "course.yml", TITLE_NOTE.format(what="the course"))
    for exercise in course.exercises:
        yield Message(exercise.title, "course.yml", TITLE_NOTE.format(what=f"exercise {exercise.id}"))
        where = f"solutions/{exercise.module_file}"
        yield from messages(read_authored(exercise.id, REPOSITORY / where), where)


def template() -> Catalog:
    """A fresh template catalog: the messages of the course's code, then its prose."""
    catalog = Catalog(project=PROJECT, domain=DOMAIN, fuzzy=False, creation_date=_FIXED_DATE,
                      revision_date=_FIXED_DATE, copyright_holder=COPYRIGHT, header_comment=HEADER)
    for message, where, line in _code_messages():
        catalog.add(message, locations=[(where, line)], flags=_flags(message))
    # The same paragraph in two places is one message (Babel merges its places and notes). Prose is no
    # format string: its braces are math and code (\\text{if}, f"lr={lr:g}"), not placeholders.
    for prose in prose_messages():
        catalog.add(prose.text, locations=[(prose.where, None)], flags=[NOT_A_TEMPLATE],
                    auto_comments=[prose.comment] if prose.comment else [])
        catalog[prose.text].flags.discard("python-brace-format")
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


def rendered_template() -> bytes:
    """What `course.pot` should hold."""
    return _serialised(template())


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


def update() -> list[Path]:
    """Write the template and merge it into every language's catalog; the files written."""
    fresh = template()
    written = []
    rendered = _serialised(fresh)
    if not TEMPLATE.exists() or TEMPLATE.read_bytes() != rendered:
        TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
        TEMPLATE.write_bytes(rendered)
        written.append(TEMPLATE)
    for language in languages():
        catalog = read_catalog(language)
        catalog.update(fresh, no_fuzzy_matching=False, update_creation_date=False)
        for message in catalog:  # Babel guesses the format again when it reads a catalog
            if NOT_A_TEMPLATE in message.flags:
                message.flags.discard("python-brace-format")
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


def translator(language: str) -> gettext.NullTranslations:
    """A language's messages as gettext reads them, compiled from its catalog now (English: as written)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compiled(language)))


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


def stale_template() -> bool:
    """Whether the template or a catalog lacks a message of the code or the prose (or holds one they no longer have)."""
    wanted = {message.id for message in template() if message.id}
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
        if NOT_A_TEMPLATE in message.flags:
            continue  # prose: its braces are math and code, which may change with the words (\\text{...})
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
