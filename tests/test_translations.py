"""Every message exists in every language, with the same placeholders; the learner chooses the language."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest

from course_checks import i18n
from autograder.build import translations
from autograder.manifest import REPO_ROOT, load_course
from course_checks.harness import ErrorHint, Hint
from autograder.sandbox.protections import IsolationMissing, Protection

LANGUAGES = translations.languages()
COURSE = load_course()


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


# ---------------------------------------------------------------- what learners read, every exercise
# The catalog test above covers every message the extraction finds. These cover what it could miss:
# a learner-facing text of any exercise of course.yml that never became a message, or one that did
# but lacks a translation with the same placeholders.

RUNTIME_MODULES = sorted(path for path in (REPO_ROOT / "course_checks").rglob("*.py") if "locale" not in path.parts)
SPEAKING_MODULES = [REPO_ROOT / "autograder" / "checks" / exercise.module_file for exercise in COURSE.exercises]
SPEAKING_MODULES += RUNTIME_MODULES + sorted((REPO_ROOT / "autograder" / "selfstudy").glob("*.py"))
SPEAKING_MODULES += [REPO_ROOT / "autograder" / "nbgrader_plugin" / name for name in ("preprocessors.py", "exporter.py")]
PROSE = re.compile(r"[A-Za-z]{2,}(?:, | )[A-Za-z]{2,}")  # two English words in a row
MARKUP = re.compile(r"<[^<>]*>")
NOT_PROSE = "# not prose"  # on a line whose text is not a sentence: a command a learner types, a stream's name
# Calls whose string arguments are not for learners: stream names of the inputs, PyTorch's own text
# to match, logging, configuration options (instructors read their help), and texts the extraction
# reads itself.
NOT_SPOKEN = {"generator", "rng", "fresh_int", "derived_seed", "ErrorHint", "_", "N_", "ngettext", "Hint", "check",
              "Bool", "Unicode", "Integer", "Float"}
LOGGING = {"debug", "info", "warning", "error", "exception"}


def _called_name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else call.func.attr if isinstance(call.func, ast.Attribute) else ""


def _literal_text(node: ast.AST) -> str:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return " {} ".join(_literal_text(part) for part in node.values if isinstance(part, ast.Constant))
    return ""


def _purpose_parameters(tree: ast.Module) -> dict[str, int]:
    """The module's functions that take a `purpose` (the name of an input stream), and its position."""
    found = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            names = [argument.arg for argument in node.args.args]
            if "purpose" in names:
                found[node.name] = names.index("purpose")
    return found


def unmarked_prose(path: Path) -> list[str]:
    """String literals and f-strings with English prose that no translation mark reaches (with their line)."""
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    purposes = _purpose_parameters(tree)
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _called_name(node) in purposes:  # a helper's stream name
            position = purposes[_called_name(node)]
            chosen = [*node.args[position:position + 1], *(k.value for k in node.keywords if k.arg == "purpose")]
            exempt.update(id(inner) for argument in chosen for inner in ast.walk(argument))
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):  # a docstring
            exempt.add(id(body[0].value))
        if isinstance(node, ast.Call) and (_called_name(node) in NOT_SPOKEN or _called_name(node) in LOGGING
                                           and isinstance(node.func, ast.Attribute)):
            exempt.update(id(inner) for argument in [*node.args, *(k.value for k in node.keywords)]
                          for inner in ast.walk(argument))
        if isinstance(node, (ast.Raise, ast.Assert, ast.Compare)):  # authors' errors; matching PyTorch's text
            exempt.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Assign) and any(isinstance(target, ast.Name) and target.id.endswith("_MESSAGE")
                                                for target in node.targets):
            exempt.update(id(inner) for inner in ast.walk(node.value))  # PyTorch's text, kept to match it
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):  # judged as a whole
            exempt.update(id(part) for part in node.values)
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt or not isinstance(node, (ast.Constant, ast.JoinedStr)):
            continue
        text = MARKUP.sub(" ", _literal_text(node))
        if PROSE.search(text) and NOT_PROSE not in lines[node.lineno - 1]:
            found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}: {text[:90]!r}")
    return found


def test_no_learner_facing_text_escapes_translation() -> None:
    problems = [problem for path in SPEAKING_MODULES for problem in unmarked_prose(path)]
    assert problems == [], ("texts a learner may read that are not marked for translation: wrap each in _(\"...\") "
                            "(with named {placeholders}, filled by .format), or N_() for a constant:\n"
                            + "\n".join(problems))


def test_no_module_that_speaks_rebinds_the_translation_function() -> None:
    # `for _ in ...` or `a, _ = ...` would make `_` a local name, and `_("...")` in that function a crash.
    problems = []
    for path in SPEAKING_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        if not any(isinstance(node, ast.ImportFrom) and any(alias.name == "_" for alias in node.names)
                   for node in tree.body):
            continue
        problems += [f"{path.relative_to(REPO_ROOT)}:{node.lineno}" for node in ast.walk(tree)
                     if isinstance(node, ast.Name) and node.id == "_" and isinstance(node.ctx, ast.Store)]
    assert problems == [], "rename these `_` variables (e.g. `_unused`): " + ", ".join(problems)


def _hints_in(value: object, seen: set[int] | None = None) -> list[Hint]:
    """Every Hint a module-level value holds (directly, in containers, or in an ErrorHint)."""
    seen = set() if seen is None else seen
    if id(value) in seen:
        return []
    seen.add(id(value))
    if isinstance(value, Hint):
        return [value]
    if isinstance(value, ErrorHint):
        return [value.hint]
    if isinstance(value, dict):
        return [hint for item in value.values() for hint in _hints_in(item, seen)]
    if isinstance(value, (list, tuple, set, frozenset)):
        return [hint for item in value for hint in _hints_in(item, seen)]
    return []


def learner_texts(exercise_id: str) -> list[str]:
    """What a learner of this exercise can read that is written once: its title, each check's name, every
    level of every hint its check module holds, and what each of its functions must do."""
    from autograder.judge.suite import exercise_checks, function_summaries

    checks = exercise_checks(exercise_id)
    module = importlib.import_module(f"autograder.checks.{exercise_id}")
    hints = [hint for value in vars(module).values() for hint in _hints_in(value)]
    return ([COURSE.exercise(exercise_id).title] + [spec.name for spec in checks.checks]
            + [text for hint in hints for text in (hint.concept, hint.where, hint.code)]
            + list(function_summaries(exercise_id).values()))


def harness_texts() -> list[str]:
    """The hints the harness itself gives (for PyTorch's and Python's errors, a missing module, ...)."""
    from course_checks.harness import known_errors, verdicts

    hints = _hints_in([vars(known_errors), vars(verdicts)])
    return [text for hint in hints for text in (hint.concept, hint.where, hint.code)]


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != i18n.SOURCE_LANGUAGE])
@pytest.mark.parametrize("exercise_id", [*(exercise.id for exercise in COURSE.exercises), "(the harness)"])
def test_every_text_of_every_exercise_has_a_translation_with_its_placeholders(exercise_id: str, language: str) -> None:
    catalog = translations.read_catalog(language)
    texts = harness_texts() if exercise_id == "(the harness)" else learner_texts(exercise_id)
    problems = []
    for text in dict.fromkeys(texts):
        message = catalog.get(text)
        if message is None or not message.string or message.fuzzy:
            problems.append(f"not translated{' (fuzzy)' if message is not None and message.fuzzy else ''}: {text!r}")
        elif translations.placeholders(str(message.string)) != translations.placeholders(text):
            problems.append(f"other placeholders ({sorted(translations.placeholders(str(message.string)))}): {text!r}")
    assert problems == [], f"{exercise_id}, {language}: run `course translations`, then translate:\n" + "\n".join(problems)
