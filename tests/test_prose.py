"""An exercise's prose in the catalog and in Chinese (issue 11): one message per paragraph, the Chinese
files generated from the catalog with the English markup, code and math intact, an edit of one
paragraph making only that message fuzzy, and a third language being a catalog, nothing more."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from conftest import CourseCli
from markdown_it import MarkdownIt

from autograder.build import prose, translations
from autograder.build.releases import readme_name, release_of
from autograder.judge.suite import function_summaries
from autograder.manifest import REPO_ROOT, load_course

COURSE = load_course()
CJK = re.compile(r"[\u4e00-\u9fff]")
MARKDOWN = MarkdownIt("commonmark").enable("table")


def _zh_notebook(exercise_id: str) -> dict:  # type: ignore[type-arg]
    exercise = COURSE.exercise(exercise_id)
    path = REPO_ROOT / release_of(COURSE, exercise, "zh_CN").notebook_path(exercise)
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_every_paragraph_of_the_chinese_files_is_in_chinese(exercise_id: str) -> None:
    """Measured: no paragraph, list item, heading or docstring paragraph of the Chinese README and notebook is
    left in English (a new exercise is named here until its catalog entries are translated)."""
    exercise = COURSE.exercise(exercise_id)
    readme = (REPO_ROOT / "exercises" / exercise.folder / readme_name("zh_CN")).read_text(encoding="utf-8")
    notebook = _zh_notebook(exercise_id)
    markdown = [readme] + [cell["source"] for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
    english = [paragraph.text for text in markdown for paragraph in prose.markdown_paragraphs(text)
               if not CJK.search(paragraph.text)]
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            english += [paragraph for docstring in prose.docstrings_of(cell["source"])
                        for paragraph in prose.docstring_paragraphs(docstring) if not CJK.search(paragraph)]
    assert english == [], english[:5]


@pytest.mark.parametrize("exercise_id", [exercise.id for exercise in COURSE.exercises])
def test_the_chinese_readme_keeps_the_english_markup_code_and_math(exercise_id: str) -> None:
    exercise = COURSE.exercise(exercise_id)
    folder = REPO_ROOT / "exercises" / exercise.folder
    english, chinese = ((folder / name).read_text(encoding="utf-8") for name in ("README.md", readme_name("zh_CN")))
    def blocks(text: str) -> list[tuple[str, str]]:
        return [(token.type, token.content if token.type in ("fence", "code_block") else token.markup)
                for token in MARKDOWN.parse(text) if token.type != "inline"]

    assert blocks(chinese) == blocks(english)  # the same headings, lists, details, tables and code, in order
    # the same formulas (a translation may name one twice; the words of \text{...} are translated)
    assert _formulas(chinese) == _formulas(english)


def _formulas(text: str) -> set[str]:
    return {re.sub(r"\\text\{[^{}]*\}", r"\\text{}", formula)
            for formula in re.findall(r"\$\$.*?\$\$|\$[^$\n]+\$", text, flags=re.DOTALL)}


def test_markdown_units_are_paragraphs_list_items_headings_tables_and_html_text() -> None:
    source = "\n".join([
        "# A title", "", "Some words", "on two lines.", "", "1. An item", "   going on.", "2. Another.", "",
        "<details>", "<summary>Open me</summary>", "", "| a | b |", "|---|---|", "| 1 | 2 |", "", "</details>", "",
        "```python", "x = 1  # code stays", "```", "", "$$x^2$$"])
    units = prose.markdown_paragraphs(source)
    assert [unit.text for unit in units] == ["A title", "Some words on two lines.", "An item going on.", "Another.",
                                             "Open me", "| a | b |\n|---|---|\n| 1 | 2 |"]
    translated = prose.translate_markdown(source, lambda text: f"«{text}»")
    assert translated.split("\n")[:8] == ["# «A title»", "", "«Some words on two lines.»", "", "1. «An item going on.»",
                                          "2. «Another.»", "", "<details>"]
    assert "<summary>«Open me»</summary>" in translated and "x = 1  # code stays" in translated
    assert translated.endswith("$$x^2$$")
    assert "\n1. 行一\n   行二\n2. 行一\n   行二\n" in prose.translate_markdown(source, lambda text: "行一\n行二")


def test_docstrings_are_replaced_in_place_and_stay_python() -> None:
    source = ('def f(x):\n    """Return x.\n\n    More words\n    here.\n    """\n    return x\n\n\n'
              'def g():\n    """One line.\n\n    "a"  the first\n    "b"  the second\n    """\n')
    assert [prose.docstring_paragraphs(doc) for doc in prose.docstrings_of(source)] == [
        ["Return x.", "More words here."], ["One line.", '"a"  the first\n"b"  the second']]  # columns keep lines
    rewritten = prose.rewrite_docstrings(source, lambda doc, indent: prose.translated_docstring(
        doc, {"Return x.": "返回 x。", "More words here.": "更多\\的话。", "One line.": '一行"""。',
              '"a"  the first\n"b"  the second': '"a"  第一个\n"b"  第二个'}.__getitem__, indent))
    namespace: dict[str, object] = {}
    exec(compile(rewritten, "rewritten", "exec"), namespace)  # noqa: S102 (our own test source)
    assert namespace["f"].__doc__ == "返回 x。\n\n    更多\\的话。\n    "  # type: ignore[attr-defined]
    assert namespace["g"].__doc__ == '一行"""。\n\n    "a"  第一个\n    "b"  第二个\n    '  # type: ignore[attr-defined]
    assert "return x" in rewritten


def test_wrapping_fits_the_width_and_never_splits_a_name() -> None:
    text = ("按元素返回 D2L 的 Huber 损失：在 |r| > sigma 处为 |r| - sigma/2，其余处为 r**2 / (2 * sigma)，其中 "
            "r = y_hat - y，且 `y.reshape(y_hat.shape)` 不能拆开。")
    for width in (30, 40, 60, 93):
        lines = prose.wrap(text, width)
        # a closing punctuation mark may hang past the width: it never starts a line
        assert all(prose.display_width(line.rstrip("，。：；）")) <= width for line in lines), lines
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(line[0] not in "，。：；）" for line in lines)
        assert any("`y.reshape(y_hat.shape)`" in line for line in lines)
    assert prose.wrap("two short words", 78) == ["two short words"]


def test_what_each_function_must_do_is_a_message_the_checks_can_translate() -> None:
    """The checks say "expected: huber_loss to <its docstring's first paragraph>": each is a catalog message."""
    messages = {message.id for message in translations.template() if message.id}
    for exercise in COURSE.exercises:
        for function, summary in function_summaries(exercise.id).items():
            assert summary in messages, (exercise.id, function)


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory, copy_repository: Callable[[Path], Path]) -> Path:
    return copy_repository(tmp_path_factory.mktemp("repository"))


def _catalog(root: Path, language: str = "zh_CN"):  # type: ignore[no-untyped-def]
    with (root / "course_checks" / "locale" / language / "LC_MESSAGES" / "course.po").open("rb") as handle:
        return read_po(handle, locale=language, domain="course")


EDITED = "PyTorch has two built-ins of this family"


def test_an_edit_of_one_paragraph_makes_only_that_message_fuzzy(repository: Path, course_cli: CourseCli) -> None:
    env = {"PYTHONPATH": str(repository)}
    # Messages still waiting for a translator (a new exercise's, say) may carry Babel's fuzzy guesses: they
    # were fuzzy before the edit and do not count.
    waiting = {message.id for message in _catalog(repository) if message.id and message.fuzzy}
    before = {message.id: message.string for message in _catalog(repository) if message.id and message.id not in waiting}
    solution = repository / "solutions" / "huber.py"
    solution.write_text(solution.read_text(encoding="utf-8").replace(EDITED, "PyTorch offers two built-ins of this family"),
                        encoding="utf-8")
    assert course_cli("translations", cwd=repository, env=env).returncode == 0
    after = [message for message in _catalog(repository) if message.id not in waiting]
    fuzzy = [message for message in after if message.id and message.fuzzy]
    assert [message.id.split(",")[0] for message in fuzzy] == ["PyTorch offers two built-ins of this family"]
    assert fuzzy[0].string == before[next(key for key in before if str(key).startswith(EDITED))]  # kept, to check
    unchanged = {message.id: message.string for message in after if message.id and not message.fuzzy}
    assert all(before[key] == value for key, value in unchanged.items())
    assert len(unchanged) == len(before) - 1
    # Until a translator checks it, the Chinese README shows the new English paragraph, the others in Chinese.
    assert course_cli("build", cwd=repository, env=env).returncode == 0
    readme = (repository / "exercises" / "06_huber" / "README.zh.md").read_text(encoding="utf-8")
    assert "PyTorch offers two built-ins of this family" in readme and "在零附近它是二次的" in readme


def test_a_third_language_is_a_catalog_and_no_code(repository: Path, course_cli: CourseCli) -> None:
    env = {"PYTHONPATH": str(repository)}
    added = subprocess.run([sys.executable, "-c", "from autograder.build.translations import add_language; "
                            "add_language('fr')"], cwd=repository, env={**os.environ, **env}, capture_output=True,
                           text=True)
    assert added.returncode == 0, added.stderr
    assert course_cli("translations", cwd=repository, env=env).returncode == 0
    assert course_cli("build", cwd=repository, env=env).returncode == 0
    assert course_cli("build", "--check", cwd=repository, env=env).returncode == 0
    course = load_course(repository / "course.yml")
    for exercise in course.exercises:
        assert (repository / "exercises" / exercise.folder / "README.fr.md").is_file()
        folder = f"source/{course.assignment_of(exercise)}_fr"  # linreg_fr, linreg_more_fr
        notebook = json.loads((repository / folder / f"{exercise.folder}.ipynb").read_text(encoding="utf-8"))
        assert notebook["metadata"]["course"]["language"] == "fr"
    catalog = json.loads((repository / "source" / f"{course.assignment}_fr" / "visible_checks" / "catalog.json")
                         .read_text(encoding="utf-8"))
    assert catalog["language"] == "fr"
    assert "[français](README.fr.md)" in (repository / "exercises" / "README.md").read_text(encoding="utf-8")
