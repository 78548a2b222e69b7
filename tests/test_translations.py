"""Every message exists in every language, with the same placeholders; the learner chooses the language."""

from __future__ import annotations

from pathlib import Path

import pytest

from course_checks import i18n
from autograder.build import translations
from autograder.sandbox.protections import IsolationMissing, Protection

LANGUAGES = translations.languages()


def test_there_is_a_chinese_catalog() -> None:
    assert "zh_CN" in LANGUAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_the_same_placeholders(language: str) -> None:
    problems = [str(problem) for problem in translations.problems(language)]
    assert problems == [], "\n".join(problems[:40]) + "\nrun `course translations`, then translate what it lists"


def test_the_catalogs_hold_exactly_the_messages_of_the_code() -> None:
    assert not translations.stale_template(), "run `course translations`: a message was added, changed or removed"


def test_the_compiled_catalogs_are_current() -> None:
    assert translations.stale_compiled() == [], "run `course build` (it compiles the catalogs)"


def test_a_changed_placeholder_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    catalog = translations.read_catalog("zh_CN")
    message = next(message for message in catalog if message.id and translations.placeholders(str(message.id)))
    message.string = "没有占位符"
    broken = tmp_path / "zh_CN" / "LC_MESSAGES" / "course.po"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(translations._serialised(catalog))
    monkeypatch.setattr(translations, "catalog_path", lambda language: tmp_path / language / "LC_MESSAGES" / "course.po")
    assert any("placeholders" in problem.why for problem in translations.problems("zh_CN"))


@pytest.mark.parametrize(("flag", "environment", "expected"), [
    ("zh", {"COURSE_LANG": "en", "LANG": "en_US.UTF-8"}, "zh_CN"),
    (None, {"COURSE_LANG": "zh-CN", "LANG": "en_US.UTF-8"}, "zh_CN"),
    (None, {"LANG": "zh_CN.UTF-8"}, "zh_CN"),
    (None, {"LANGUAGE": "zh_CN:en", "LANG": "C.UTF-8"}, "zh_CN"),
    (None, {"LANG": "fr_FR.UTF-8"}, "en"),
    (None, {}, "en"),
])
def test_the_language_comes_from_the_flag_the_variable_then_the_locale(
        monkeypatch: pytest.MonkeyPatch, flag: str | None, environment: dict[str, str], expected: str) -> None:
    for name in ("COURSE_LANG", *i18n.LOCALE_SETTINGS):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert i18n.resolve(flag) == expected


def test_an_unknown_language_asked_for_by_name_is_an_error() -> None:
    with pytest.raises(i18n.UnknownLanguage, match="available: en, zh_CN"):
        i18n.resolve("xx")


def test_messages_are_rendered_in_the_chosen_language() -> None:
    refusal = IsolationMissing([Protection.FILESYSTEM_VIEW])
    with i18n.use("zh_CN"):
        chinese = str(IsolationMissing([Protection.FILESYSTEM_VIEW]))
    assert "refusing to run submitted code" in str(refusal)
    assert "拒绝运行提交的代码" in chinese and "只读文件系统视图" in chinese and "--trusted" in chinese


def test_the_cli_speaks_the_learners_language(tmp_path: Path, course_cli) -> None:  # type: ignore[no-untyped-def]
    missing = str(tmp_path / "no_such" / "huber.py")
    chinese = course_cli("--lang", "zh", "grade", "--json", missing, cwd=tmp_path)
    assert chinese.returncode == 2 and "未评分" in chinese.stderr and "没有这个文件或目录" in chinese.stderr, chinese.stderr
    from_environment = course_cli("grade", "--json", missing, cwd=tmp_path, env={"COURSE_LANG": "zh_CN"})
    assert "未评分" in from_environment.stderr
    english = course_cli("grade", "--json", missing, cwd=tmp_path, env={"COURSE_LANG": "", "LANG": "C.UTF-8",
                                                                         "LANGUAGE": "", "LC_ALL": ""})
    assert "not graded" in english.stderr
