"""A student in JupyterLab, driven through a real (headless) Chromium: type an answer, run all, read the checks.

The releases are made the way an instructor makes them (`course init`, `nbgrader generate_assignment`
for the English and the Chinese assignment) and served by `jupyter lab` on 127.0.0.1. Chromium is
Debian's `chromium` package driven by Playwright (no browser download); where either is missing or
Chromium cannot start, the tests are skipped with the reason. Screenshots are written to
artifacts/browser/.

Chinese text must render with real glyphs, not boxes: Chromium says which platform fonts drew each
element's text (DevTools' `CSS.getPlatformFontsForNode`), and every Chinese character must have been
drawn by a font that fontconfig says covers Chinese (`fc-list :lang=zh`; .ci/run installs Debian's
fonts-noto-cjk). A missing glyph is drawn by some other font as a box, and counted against it.
"""

from __future__ import annotations

import ast
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from autograder.build.authored import BEGIN_SOLUTION, END_SOLUTION, read_authored
from autograder.build.releases import releases
from autograder.manifest import REPO_ROOT, load_course
from autograder.nbgrader_plugin.course_dir import init_course_directory, nbgrader

pytestmark = pytest.mark.slow

COURSE = load_course()
HUBER = COURSE.exercise("huber")
CHINESE = next(release for release in releases(COURSE) if release.language == "zh_CN")
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # the Han characters of Chinese text
ARTIFACTS = REPO_ROOT / "artifacts" / "browser"
# Closed network: without these flags Chromium keeps trying to reach outside hosts; as root it needs --no-sandbox.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
STARTUP_SECONDS = 60
OUTPUT_SECONDS = 60


@dataclass
class Lab:
    url: str  # JupyterLab's base URL, token included as a query
    browser: Any  # playwright's Browser


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_serving(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-5:])
            pytest.fail(f"jupyter lab exited with status {server.returncode} before serving:\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"jupyter lab did not answer {url.split('?')[0]} within {STARTUP_SECONDS} s")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright)")

    course_dir = init_course_directory(tmp_path_factory.mktemp("course"), COURSE)
    for assignment in (*COURSE.assignments, CHINESE.assignment):
        nbgrader(course_dir, "generate_assignment", assignment, "--force")
    release = course_dir / "release"  # release/linreg/, release/linreg_more/, ..., and release/linreg_zh/
    log = course_dir / "jupyter-lab.log"
    port, token = _free_port(), secrets.token_hex(16)
    tools = Path(sys.executable).parent
    environment = dict(os.environ, PATH=f"{tools}{os.pathsep}{os.environ.get('PATH', '')}",
                       JUPYTER_CONFIG_DIR=str(tmp_path_factory.mktemp("jupyter-config")))
    server = subprocess.Popen(
        [str(tools / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={release}",
         "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI containers run as root
        cwd=release, env=environment, stdout=subprocess.DEVNULL, stderr=log.open("wb"))
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(f"{url}/api/status?token={token}", server, log)
        with sync_playwright() as playwright:
            try:
                browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            except PlaywrightError as exc:
                pytest.skip(f"Chromium could not be started: {str(exc).strip().splitlines()[0]}")
            try:
                # reset: each page starts from an empty workspace, not with the tabs an earlier page left open
                yield Lab(url=f"{url}/lab/tree/{{path}}?token={token}&reset", browser=browser)
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _reference_answer(function: str) -> str:
    """The reference's answer cell that defines `function`, solution markers dropped."""
    authored = read_authored(HUBER.id, REPO_ROOT / "solutions" / HUBER.module_file)
    cell = next(cell for cell in authored.code_cells if cell.is_answer and function in cell.function_names)
    return "\n".join(line for line in cell.source.splitlines() if line.strip() not in (BEGIN_SOLUTION, END_SOLUTION))


def _catalogued_answer(name: str, function: str) -> str:
    """One function of a catalogued wrong answer, as a student would type it into its cell."""
    source = (REPO_ROOT / "tests" / "catalogue" / HUBER.id / "wrong" / f"{name}.py").read_text(encoding="utf-8")
    node = next(node for node in ast.parse(source).body if isinstance(node, ast.FunctionDef) and node.name == function)
    return ast.get_source_segment(source, node) or ""


ANSWER_FUNCTIONS = ("huber_loss", "huber_via_builtin", "builtin_huber_scale")


def _notebook_path(exercise_folder: str, assignment: str = COURSE.assignment) -> str:
    return f"{assignment}/{exercise_folder}.ipynb"


def _answer_and_run_all(lab: Lab, answers: dict[str, str], screenshot: Path) -> str:
    """Open the huber notebook, type an answer into each answer cell, Run All Cells; the visible-check output's text."""
    page = lab.browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        output = _run_all_with_answers(page, lab, answers, COURSE.assignment)
        output.first.scroll_into_view_if_needed()
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(screenshot))
        # JupyterLab breaks words anywhere in output <pre>s ("bat ch_size"); the table must not.
        breaks = output.first.evaluate("""node => [...node.querySelectorAll('table.course-checks td, table.course-checks td *')]
            .map(element => getComputedStyle(element).wordBreak)""")
        assert breaks and all(value == "normal" for value in breaks), set(breaks)
        return str(output.first.inner_text())
    finally:
        page.close()


def _run_all_with_answers(page: Any, lab: Lab, answers: dict[str, str], assignment: str) -> Any:
    """In an open page: the huber notebook, each answer typed into its cell, Run All Cells; the check cell's output,
    once its table is there."""
    page.goto(lab.url.format(path=_notebook_path(HUBER.folder, assignment)))
    page.locator(".jp-Notebook .jp-Cell").first.wait_for(timeout=STARTUP_SECONDS * 1000)
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=STARTUP_SECONDS * 1000)
    for function, answer in answers.items():
        answer_cell = page.locator(".jp-CodeCell").filter(has_text=f"def {function}(").first
        answer_cell.locator(".cm-content").click()
        page.keyboard.press("Control+a")
        # insert_text types the whole answer as one input, so the editor's auto-indent cannot re-indent it
        page.keyboard.insert_text(answer)
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
    output = page.locator(".jp-CodeCell").filter(has_text=f'check("{HUBER.id}")').locator(".jp-OutputArea-output")
    output.locator("table.course-checks").first.wait_for(timeout=OUTPUT_SECONDS * 1000)
    return output


def test_a_correct_answer_passes_every_visible_check(lab: Lab) -> None:
    answers = {function: _reference_answer(function) for function in ANSWER_FUNCTIONS}
    text = _answer_and_run_all(lab, answers, ARTIFACTS / "huber_correct.png")
    assert "4 of 4 visible checks passed" in text
    assert "At grading, 2 hidden checks worth 5 points run as well, on fresh random inputs." in text
    assert "failed" not in text


def test_a_wrong_answer_shows_the_targeted_message_and_only_its_first_hint(lab: Lab) -> None:
    answers = {function: _reference_answer(function) for function in ANSWER_FUNCTIONS}
    answers["huber_loss"] = _catalogued_answer("no_reshape", "huber_loss")
    text = _answer_and_run_all(lab, answers, ARTIFACTS / "huber_no_reshape.png")
    assert "3 of 4 visible checks passed" in text
    flat = " ".join(text.split())
    assert "got: a float32 tensor of shape (4, 4)" in flat
    assert "broadcasts to an (n, n) table of every y_hat_i - y_j" in flat
    assert "y.reshape(y_hat.shape)" not in text  # the line of code waits for hint("huber")
    assert 'run hint("huber") in a cell' in flat


def test_validate_names_the_failing_visible_checks_of_a_stub_without_a_traceback(lab: Lab) -> None:
    reshape = COURSE.exercise("reshape")
    page = lab.browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(lab.url.format(path=_notebook_path(reshape.folder)))
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=STARTUP_SECONDS * 1000)
        page.get_by_role("button", name="Validate").click()
        dialog = page.locator(".jp-Dialog")
        dialog.filter(has_text="still failing").wait_for(timeout=OUTPUT_SECONDS * 1000)
        page.screenshot(path=str(ARTIFACTS / "reshape_validate_stub.png"))
        text = dialog.inner_text()
    finally:
        page.close()
    flat = " ".join(text.split())
    assert "The following cell failed" in text and 'check("reshape")' in text
    assert "0 of 3 visible checks passed; still failing:" in flat
    assert "✗ broadcast_shape(n) is the shape of y_hat - y" in flat
    assert "At grading, 5 hidden checks worth 7 points run as well, on fresh random inputs." in flat
    assert "Traceback" not in text and "VisibleChecksFailed" not in text


@pytest.fixture(scope="module")
def feedback_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """nbgrader's feedback for one student's huber notebook, graded in the sandbox."""
    from autograder.nbgrader_plugin.simulated_class import simulated_class, write_class

    course_dir = init_course_directory(tmp_path_factory.mktemp("graded"), COURSE)
    nbgrader(course_dir, "generate_assignment", COURSE.assignment, "--force")
    chen = next(student for student in simulated_class() if student.student_id == "chen")
    write_class(course_dir, COURSE, [chen], [HUBER])
    nbgrader(course_dir, "autograde", COURSE.assignment, "--force", check=False)
    nbgrader(course_dir, "generate_feedback", COURSE.assignment, "--force")
    return course_dir / "feedback" / "chen" / COURSE.assignment / f"{HUBER.folder}.html"


def test_feedback_messages_wrap_instead_of_running_past_the_right_edge(lab: Lab, feedback_page: Path) -> None:
    """Issue 9, observation 7: in the feedback HTML the "try:" advice was cut off at the right edge."""
    page = lab.browser.new_page(viewport={"width": 900, "height": 1000})
    try:
        page.goto(feedback_page.as_uri())
        overflows = page.evaluate("""() => [...document.querySelectorAll('.output_subarea pre')].map(pre => {
            const text = document.createRange(); text.selectNodeContents(pre);
            return text.getBoundingClientRect().right - pre.getBoundingClientRect().right; })""")
        page.locator("text=try:").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "huber_feedback.png"))
    finally:
        page.close()
    assert overflows and max(overflows) <= 1, overflows


# ------------------------------------------------------------------------------------ Chinese text
def _chinese_fonts() -> set[str]:
    """The font families fontconfig says cover Chinese."""
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True).stdout
    return {family.strip() for line in listed.splitlines() for family in line.split(",") if family.strip()}


@dataclass
class Rendered:
    text: str  # the element's own text (its child text nodes)
    chinese: int  # how many Chinese characters it holds
    drawn_by_chinese_fonts: int  # how many glyphs fonts covering Chinese drew there
    fonts: dict[str, int]  # every platform font Chromium drew its text with: glyphs


def _rendered_chinese(page: Any, scope: str) -> list[Rendered]:
    """For each element under `scope` whose own text is Chinese and is on show (not in a closed <details>):
    which fonts Chromium drew that text with."""
    mark = """([scope, pattern]) => {
        const cjk = new RegExp(pattern); let marked = 0;
        document.querySelectorAll('[data-chinese-text]').forEach(element => element.removeAttribute('data-chinese-text'));
        for (const element of document.querySelectorAll(scope + ', ' + scope + ' *')) {
            const own = [...element.childNodes].filter(node => node.nodeType === Node.TEXT_NODE)
                .map(node => node.textContent).join('');
            if (cjk.test(own) && element.checkVisibility()) { element.setAttribute('data-chinese-text', own); marked++; }
        }
        return marked; }"""
    try:  # JupyterLab renders markdown, and typesets its math, after the cell appears
        page.wait_for_function(mark, arg=[scope, CJK.pattern], timeout=OUTPUT_SECONDS * 1000)
    except Exception as exc:  # playwright's TimeoutError
        raise AssertionError(f"no Chinese text rendered under {scope}") from exc
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    families = _chinese_fonts()
    found = []
    for node in session.send("DOM.querySelectorAll", {"nodeId": root, "selector": "[data-chinese-text]"})["nodeIds"]:
        attributes = session.send("DOM.getAttributes", {"nodeId": node})["attributes"]
        text = dict(zip(attributes[::2], attributes[1::2]))["data-chinese-text"]
        fonts = {font["familyName"]: int(font["glyphCount"])
                 for font in session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]}
        found.append(Rendered(text, len(CJK.findall(text)), sum(glyphs for family, glyphs in fonts.items()
                                                                if family in families), fonts))
    session.detach()
    return found


def _assert_no_missing_glyphs(rendered: list[Rendered]) -> None:
    assert _chinese_fonts(), "no font covers Chinese here: install Debian's fonts-noto-cjk (.ci/run does)"
    boxes = [(item.text[:40], item.fonts) for item in rendered if item.drawn_by_chinese_fonts < item.chinese]
    assert not boxes, f"Chinese characters drawn by fonts without Chinese glyphs (missing glyphs): {boxes[:3]}"


def test_the_chinese_notebook_s_check_table_shows_the_chinese_message_with_real_glyphs(lab: Lab, tmp_path: Path) -> None:
    """Issue 11, point 4: in the zh release a mistake (a Python `if` on a tensor) gives a check table in Chinese,
    every Chinese character drawn by a Chinese font."""
    answers = {function: _reference_answer(function) for function in ANSWER_FUNCTIONS}
    answers["huber_loss"] = _catalogued_answer("python_if", "huber_loss")
    page = lab.browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")  # a reader of zh.d2l.ai
    try:
        output = _run_all_with_answers(page, lab, answers, CHINESE.assignment)
        table = output.locator("table.course-checks").first
        table.scroll_into_view_if_needed()
        for screenshot in (tmp_path / "huber_zh_python_if.png", ARTIFACTS / "huber_zh_python_if.png"):
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot))
        text = " ".join(str(table.inner_text()).split())
        rendered = _rendered_chinese(page, "table.course-checks")
        instructions = _rendered_chinese(page, ".jp-MarkdownCell .jp-RenderedMarkdown")
        # The measure tells a box from a glyph: U+9FFD and U+9FFE (Unicode 14) are in no font Debian ships today.
        page.evaluate("""() => { const probe = document.createElement('p'); probe.className = 'no-such-glyph';
            probe.textContent = '\\u9ffd\\u9ffe'; document.body.appendChild(probe); }""")
        boxes = _rendered_chinese(page, ".no-such-glyph")
    finally:
        page.close()
    assert (tmp_path / "huber_zh_python_if.png").stat().st_size > 0
    # what huber_loss must do, in the release's language (the reference docstring's first paragraph, translated)
    assert "按元素返回 D2L 的 Huber 损失" in text, text[:600]
    assert "Boolean value of Tensor with more than one value is ambiguous" in text  # PyTorch's own words stay
    _assert_no_missing_glyphs(rendered)
    _assert_no_missing_glyphs(instructions)
    if not subprocess.run(["fc-list", ":charset=9ffd"], capture_output=True, text=True).stdout.strip():
        assert [item.drawn_by_chinese_fonts for item in boxes] == [0], boxes  # drawn as boxes, and counted so


def _english_notebooks_quoting_chinese() -> list[str]:
    """The English releases' notebooks (as assignment/folder) whose instructions quote the Chinese forum."""
    found = []
    for exercise in COURSE.exercises:
        notebook = json.loads((REPO_ROOT / COURSE.notebook_path(exercise)).read_text(encoding="utf-8"))
        if any(CJK.search("".join(cell["source"])) for cell in notebook["cells"] if cell["cell_type"] == "markdown"):
            found.append(f"{COURSE.assignment_of(exercise)}/{exercise.folder}")
    return found


@pytest.mark.parametrize("notebook", _english_notebooks_quoting_chinese())
def test_the_forum_quotes_in_the_english_notebooks_render(lab: Lab, notebook: str, tmp_path: Path) -> None:
    assignment, folder = notebook.split("/")
    page = lab.browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        page.goto(lab.url.format(path=_notebook_path(folder, assignment)))
        page.locator(".jp-MarkdownCell .jp-RenderedMarkdown").first.wait_for(timeout=STARTUP_SECONDS * 1000)
        rendered = _rendered_chinese(page, ".jp-MarkdownCell .jp-RenderedMarkdown")
        page.screenshot(path=str(tmp_path / f"{folder}_forum_quote.png"))
    finally:
        page.close()
    _assert_no_missing_glyphs(rendered)
