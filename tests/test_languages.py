"""The learner's language, wherever the checks speak (issue 11): `pytest exercises`, `course hint`, a
notebook's check table and hint, `course grade --json`, and nbgrader's feedback for a release in
Chinese. The messages are built in the language the run asked for; the same Hint, declared once,
speaks either language."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from babel.messages.extract import extract

from autograder.build.extract import extract_course
from autograder.build.releases import releases
from autograder.build.translations import KEYWORDS
from autograder.judge.suite import SUITE
from autograder.manifest import REPO_ROOT, load_course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader
from autograder.nbgrader_plugin.sandbox_grading import LANGUAGE_KEY, declared_language, module_digest
from autograder.nbgrader_plugin.simulated_class import fill_answers
from course_checks import i18n
from course_checks.harness import Hint
from course_checks.harness.feedback import Feedback, display_width
from course_checks.harness.suite import BUNDLE, CATALOG_FILE, CheckSuite, JsonCatalog
from course_checks.notebook import CheckReport, check, hint, run_on_namespace
from language_rules import untranslated

COURSE = load_course()
CATALOGUE = REPO_ROOT / "tests" / "catalogue"
HUBER = COURSE.exercise("huber")
NO_RESHAPE = CATALOGUE / "huber" / "wrong" / "no_reshape.py"


def _namespace(path: Path) -> dict[str, Any]:
    namespace: dict[str, Any] = {"__name__": "__main__"}
    exec(compile(path.read_text(encoding="utf-8"), "<notebook cell>", "exec"), namespace)
    return namespace


def _chinese(text: str) -> None:
    assert re.search(r"[\u4e00-\u9fff]", text), text
    assert untranslated(text) == [], "\n".join(untranslated(text))


# ---------------------------------------------------------------------------------- the mechanism

def test_the_extraction_finds_check_names_hint_levels_and_marked_texts_but_no_code_or_fragment() -> None:
    source = b'''
@check("sentence a learner reads", points=1, public=True)
def test_x(student, seed): fail(called=c, got=_("got {value}").format(value=1), expected=N_("a template"), hint=H)
H = Hint("key", concept="the concept", where="where to look", code="`the code`")
P = Hint("positional", "concept two", "where two", "code two")
E = ErrorHint("PyTorch's own text", Hint("inline", concept="inline concept", where="w", code="c"))
check("huber")
n = ngettext("{count} file", "{count} files", 2)
f = _(f"not {translatable}")
'''
    found = [message for _line, message, _comments, _context in extract(extract_course, io.BytesIO(source), KEYWORDS)]
    assert found == ["sentence a learner reads", "got {value}", "a template", "the concept", "where to look",
                     "`the code`", "concept two", "where two", "code two", "inline concept", "w", "c",
                     ("{count} file", "{count} files")]


def test_one_hint_speaks_the_language_it_is_shown_in_and_its_labels_line_up() -> None:
    feedback = Feedback(called="f(1)", got="2", expected="3", hint=Hint(
        "no_half", concept="D2L's squared loss is half the squared error: the half cancels the 2 of the derivative, "
                           "so the gradient is exactly y_hat - y. (nn.MSELoss has no half, which is why it needs twice "
                           "the learning rate to match.)", where="Look at the formula: a factor is missing.",
        code="Divide by 2: `(y_hat - y.reshape(y_hat.shape)) ** 2 / 2`"))
    english = feedback.render(3)
    with i18n.use("zh_CN"):
        chinese = feedback.render(3)
    assert english.splitlines()[0] == "called:   f(1)" and "the half cancels" in english
    assert chinese.splitlines()[0].startswith("调用：") and "1/2 抵消了" in chinese and "代码：" in chinese
    columns = {display_width(line[:line.index(text)]) for line, text in
               zip(chinese.splitlines(), ["f(1)", "2", "3", "D2L", "看看", "除以"])}
    assert len(columns) == 1, chinese  # every text starts in the same column, wide labels and all


def test_a_release_notebook_names_its_language_in_its_metadata() -> None:
    assert declared_language({"course": {LANGUAGE_KEY: "zh_CN"}}) == "zh_CN"
    assert declared_language({"course": {LANGUAGE_KEY: "zh"}}) == "zh_CN"
    assert declared_language({"course": {"exercise": "huber"}}) == "en"  # the English release says nothing
    assert declared_language({"course": {LANGUAGE_KEY: "xx"}}) == "en"
    assert module_digest("huber", "x = 1", "zh_CN") != module_digest("huber", "x = 1", "en")


# ------------------------------------------------------------------------------------ self-study

def _exercises_copy(tmp_path: Path) -> Path:
    shutil.copytree(REPO_ROOT / "exercises", tmp_path / "exercises")
    return tmp_path / "exercises"


def _pytest_exercises(folder: Path, *options: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("COURSE_LANG", "LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run([sys.executable, "-m", "pytest", str(folder), "-p", "no:cacheprovider", *options],
                          cwd=folder.parent.parent, capture_output=True, text=True, timeout=300, env={**environment, **env})


# The order flag, COURSE_LANG, locale is i18n.resolve's (test_translations.py); these show that
# `pytest exercises` reads the flag before the variable, and the locale when nothing else is set.
@pytest.mark.parametrize(("options", "env"), [
    (("--lang", "zh"), {"COURSE_LANG": "en", "LANG": "en_US.UTF-8"}),
    ((), {"LANG": "zh_CN.UTF-8"}),
], ids=["flag", "locale"])
def test_pytest_exercises_speaks_the_language_of_the_flag_or_the_locale(
        tmp_path: Path, options: tuple[str, ...], env: dict[str, str]) -> None:
    exercises = _exercises_copy(tmp_path)
    shutil.copy(NO_RESHAPE, exercises / HUBER.folder / HUBER.module_file)
    result = _pytest_exercises(exercises / HUBER.folder, *options, env=env)
    out = result.stdout
    assert "你的进度" in out and "huber：先改这里" in out and "下一步：在 " in out, out[-3000:]
    assert "调用：" in out and "广播机制" in out and "called:" not in out and "your progress" not in out
    report = out[out.index("huber：先改这里"):out.rindex("下一步：")]
    messages = [line for line in report.splitlines() if not line.startswith(("=", "FAILED"))
                and not re.match(r"^\d+ (failed|passed)", line)]
    _chinese("\n".join(line.strip() for line in messages if line.strip() and "|" not in line))


def test_pytest_exercises_refuses_a_language_it_has_no_catalog_for(tmp_path: Path) -> None:
    result = _pytest_exercises(_exercises_copy(tmp_path) / HUBER.folder, "--lang", "xx", env={})
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert "no such language; available: en, zh_CN" in result.stderr


def test_course_hint_and_watch_speak_chinese(tmp_path: Path, course_cli) -> None:  # type: ignore[no-untyped-def]
    exercises = _exercises_copy(tmp_path)
    shutil.copy(NO_RESHAPE, exercises / HUBER.folder / HUBER.module_file)
    hinted = course_cli("--lang", "zh", "hint", "huber", "--exercises", str(exercises), cwd=tmp_path)
    assert hinted.returncode == 0, hinted.stderr
    # every failure shows level 1 already: the first request climbs to level 2
    assert "试试：" in hinted.stdout and "查看：" in hinted.stdout and "代码：" not in hinted.stdout
    assert "y 必须先变成 y_hat 的形状" in hinted.stdout and "再问一次" in hinted.stdout
    _chinese("\n".join(line.strip() for line in hinted.stdout.splitlines() if line.strip()))
    watched = course_cli("--lang", "zh", "watch", "--once", "--exercises", str(exercises), cwd=tmp_path)
    total, first = len(COURSE.exercises), COURSE.exercises[0]
    assert watched.returncode == 1 and f"course watch：{total} 个练习中已完成 0 个" in watched.stdout, watched.stdout
    with i18n.use("zh_CN"):
        heading = f"练习 1/{total}：{first.id}，{i18n._(first.title)}"
    assert heading in watched.stdout and "下一步：" in watched.stdout


# -------------------------------------------------------------------------------------- notebooks

def test_a_notebook_s_check_table_and_hint_speak_the_language_asked_for() -> None:
    report = check("huber", _namespace(NO_RESHAPE), suite=SUITE, lang="zh")
    assert isinstance(report, CheckReport)
    table = report._repr_html_()  # shown after check() returned: still in Chinese
    assert "发生了什么" in table and "试试看" in table and "广播机制" in table and "what happened" not in table
    assert "评分时，还会在新的随机输入上运行 2 个隐藏检查，共 5 分。" in table
    _chinese(repr(report))
    shown = hint("huber", namespace=_namespace(NO_RESHAPE), suite=SUITE, lang="zh_CN")
    assert "再问一次" in repr(shown) and "再问一次" in shown._repr_html_()


def test_a_release_in_chinese_speaks_chinese_whatever_the_learner_s_locale() -> None:
    chinese = next(release for release in releases(COURSE) if release.language == "zh_CN" and HUBER in release.exercises)
    catalog = JsonCatalog(REPO_ROOT / chinese.folder / BUNDLE / CATALOG_FILE)
    suite = CheckSuite(REPO_ROOT / chinese.folder / BUNDLE, catalog, catalog.language)  # as bundled_suite() reads it
    with i18n.use("en"):
        report = check("huber", _namespace(NO_RESHAPE), suite=suite)
        assert isinstance(report, CheckReport)
        message = report.validation_message()
    assert message.startswith("4 个可见检查中通过了 3 个；仍未通过：\n  ✗ 无论 y 是列还是扁平的"), message
    assert max(display_width(line) for line in message.splitlines()) <= 78, message
    _chinese(repr(report))


# ---------------------------------------------------------------------------------------- grading

def test_course_grade_json_speaks_the_language_asked_for(tmp_path: Path, course_cli) -> None:  # type: ignore[no-untyped-def]
    submission = tmp_path / HUBER.module_file
    shutil.copy(NO_RESHAPE, submission)
    done = course_cli("--lang", "zh", "grade", "--json", "--workers", "1", str(submission), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    checks = json.loads(done.stdout)["submissions"][0]["exercises"][0]["checks"]
    failing = [item for item in checks if item["status"] != "passed"]
    assert failing and all(item["status"] in ("passed", "failed") for item in checks)  # the statuses stay keys
    assert {item["hint"] for item in failing} == {"no_reshape"}
    for item in checks:
        _chinese(f"✗ {item['name']}\n{item['message']}")


def test_nbgrader_feedback_speaks_the_release_s_language(tmp_path: Path) -> None:
    chinese = next(release for release in releases(COURSE) if release.language == "zh_CN" and HUBER in release.exercises)
    course_dir = init_course_directory(tmp_path / "course", COURSE)
    nbgrader(course_dir, "generate_assignment", chinese.assignment, "--force")
    folder = course_dir / "submitted" / "chen" / chinese.assignment
    folder.mkdir(parents=True)
    (folder / "timestamp.txt").write_text("2026-11-20 10:00:00 UTC", encoding="utf-8")
    submitted = nbformat.read(course_dir / "release" / chinese.assignment / f"{HUBER.folder}.ipynb", as_version=4)
    fill_answers(submitted, NO_RESHAPE.read_text(encoding="utf-8"))
    nbformat.write(submitted, folder / f"{HUBER.folder}.ipynb")
    nbgrader(course_dir, "autograde", chinese.assignment, "--force")  # the instructor's own language: English
    nbgrader(course_dir, "generate_feedback", chinese.assignment, "--force")
    page = (course_dir / "feedback" / "chen" / chinese.assignment / f"{HUBER.folder}.html").read_text(encoding="utf-8")
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    assert "广播机制" in text and "调用：" in text and "called:" not in text
    outputs = [line for line in text.splitlines() if line.startswith(("✓", "✗", "调用：", "得到：", "期望：", "试试："))]
    assert outputs
    _chinese("\n".join(outputs))
