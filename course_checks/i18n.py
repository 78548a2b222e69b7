"""The language of every learner-facing text: gettext catalogs, one per language, chosen by the learner.

English is the source language: every message is written in English in the code and marked with
`_()` (translated where it is shown) or `N_()` (a constant, translated when it is rendered); a
check's sentence and a Hint's levels need no mark (the extraction reads `@check` and `Hint`, and
they are translated where they are shown). The
translations live in `locale/<language>/LC_MESSAGES/course.po`, managed with Babel
(`course translations`); `course build` compiles them to the `.mo` files the standard library's
gettext reads, so nothing but the standard library is needed where messages are shown (the
sandbox, a student's notebook). Adding a language is adding a catalog.

The language comes from, in this order: a flag (`--lang`), `COURSE_LANG`, the locale
(`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

DOMAIN = "course"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
LANGUAGE_SETTING = "COURSE_LANG"
LOCALE_SETTINGS = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
# Names learners type for a language, beyond the catalog's own (zh_CN): what D2L's Chinese edition is written in.
ALIASES = {"zh": "zh_CN", "zh_hans": "zh_CN", "zh_cn": "zh_CN", "zh_sg": "zh_CN", "cn": "zh_CN"}

_current: ContextVar[str] = ContextVar("course_language", default="")


def available_languages() -> list[str]:
    """English and every language with a catalog."""
    found = sorted(path.parent.parent.name for path in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [SOURCE_LANGUAGE, *found]


def normalise(name: str) -> str | None:
    """A language as a user names it (zh, zh-CN, zh_CN.UTF-8, en_US) as one of ours, or None."""
    base = name.strip().split(".")[0].split("@")[0].replace("-", "_")
    if not base or base in ("C", "POSIX"):
        return None
    if base.lower() in ALIASES:
        return ALIASES[base.lower()]
    if base.lower().split("_")[0] == SOURCE_LANGUAGE:
        return SOURCE_LANGUAGE
    known = {language.lower(): language for language in available_languages()}
    return known.get(base.lower()) or known.get(base.lower().split("_")[0])


class UnknownLanguage(ValueError):
    """A language was asked for by name and has no catalog; the message lists the ones there are."""


def resolve(flag: str | None = None) -> str:
    """The language to use: the flag, then COURSE_LANG, then the locale, then English."""
    for source, value in (("--lang", flag), (LANGUAGE_SETTING, os.environ.get(LANGUAGE_SETTING))):
        if value:
            language = normalise(value)
            if language is None:
                raise UnknownLanguage(f"{source} {value!r}: no such language; available: "
                                      f"{', '.join(available_languages())}")
            return language
    for setting in LOCALE_SETTINGS:
        for value in (os.environ.get(setting) or "").split(":"):  # LANGUAGE may list several
            language = normalise(value) if value else None
            if language is not None:
                return language
    return SOURCE_LANGUAGE


def current() -> str:
    """The language messages are rendered in now (set by `use` or `set_language`, else resolved)."""
    return _current.get() or resolve()


def set_language(language: str) -> None:
    """Render messages in `language` from now on (in this context)."""
    _current.set(normalise(language) or SOURCE_LANGUAGE)


@contextmanager
def use(language: str) -> Iterator[None]:
    """Render messages in `language` inside the block."""
    token = _current.set(normalise(language) or SOURCE_LANGUAGE)
    try:
        yield
    finally:
        _current.reset(token)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of `language` (English: the messages as written)."""
    if language == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language], fallback=True)


def _(message: str) -> str:
    """`message` in the current language."""
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form, in the current language, for `count`."""
    return translations(current()).ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark a constant for translation; it is translated with `_()` where it is rendered."""
    return message
