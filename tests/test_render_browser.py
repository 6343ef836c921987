"""The rendered site in a real browser: headless Chromium (the system's, driven by Playwright).

Every page loads without console errors and every internal link resolves; math is MathML;
check answers stay hidden until opened; prose holding script, event handlers and javascript:
links executes nothing. The sidebar lists every lesson and marks the current one, the table of
contents jumps to each section, search finds a lesson by a word of one of its sections, every
page navigates with JavaScript off, the exercises and the self-check render, the ledger has a
linked column per lesson on a 120-lesson course, axe-core finds nothing serious or critical on
any page kind, and `serve` reloads an open page after an edit and removes its folder on Ctrl-C.
Screenshots of each page kind (desktop, phone, dark) go to build/screenshots/.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from lessonkit.site.pages import render_site

from support import FIXTURES, REPO, copy_reference, run_cli, validate_course

playwright = pytest.importorskip("playwright.sync_api")

# Every test here drives Chromium: `pytest -m 'not slow'` skips them.
pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = REPO / "build" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

HOSTILE = (
    (FIXTURES / "complete_lesson.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "      body: |\n        $$\\mathrm{MSE}",
        "      body: |\n"
        "        <script>window.__script = 1</script>\n\n"
        '        <img src="x" onerror="window.__onerror = 1">\n\n'
        "        [click me](javascript:window.__link=1) and ![pic](javascript:window.__image=1)\n\n"
        '        <a href="javascript:window.__raw=1">raw</a>\n\n'
        "        $$\\mathrm{MSE}",
    )
)


# A word found in one section of one lesson only (the site below puts it there).
WORD = "quokka"
WORD_LESSON = "tensors"
WORD_SECTION = "Context: the same ideas, new tools"
PAGE_KINDS = {
    "overview": "index.html",
    "lesson": "lessons/training-loop.html",
    "planning": "planning/training-loop.html",
    "guide": "guides/training-loop.html",
    "review": "reviews/training-loop.html",
    "ledger": "ledger.html",
    "ledger-module": "ledger/2-1.html",
    "search": "search.html",
}


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = copy_reference(tmp_path_factory.mktemp("course"))
    (course / "lessons" / "hostile.yaml").write_text(
        HOSTILE.replace("id: fixture-lesson", "id: hostile"), encoding="utf-8"
    )
    tensors = course / "lessons" / f"{WORD_LESSON}.yaml"
    text = tensors.read_text(encoding="utf-8")
    marker = "        Series 1 built everything from scratch"
    assert marker in text
    text = text.replace(marker, f"        A {WORD} is not a tensor. " + marker.lstrip(), 1)
    tensors.write_text(text, encoding="utf-8")
    out = course / "site"
    result = run_cli("render", "-o", str(out), cwd=course)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


def _pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def test_every_page_loads_cleanly_and_every_internal_link_resolves(
    site: Path, server: str, browser: object
) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    pages = _pages(site)
    assert len(pages) >= 4 * 14 + 2
    broken: list[tuple[str, str]] = []
    for relative in pages:
        response = page.goto(server + relative)
        assert response is not None and response.status == 200, relative
        for href in page.eval_on_selector_all(
            "a[href]", "els => els.map(e => e.getAttribute('href'))"
        ):
            target = urljoin(server + relative, href)
            if not target.startswith(server):
                continue
            path = urlsplit(target).path.lstrip("/")
            if not (site / path).is_file():
                broken.append((relative, href))
    assert errors == []
    assert failed == []
    assert broken == []
    page.close()


def test_math_is_mathml(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server + "lessons/training-loop.html")
    assert page.locator("math").count() > 10
    assert page.locator("math[display=block]").count() >= 1
    # A formula renders as laid-out MathML, not as TeX source.
    assert "\\frac" not in page.inner_text("main")
    page.close()


def test_check_answers_stay_hidden_until_opened(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server + "lessons/training-loop.html")
    check = page.locator("section.kind-check .check").first
    answer = check.locator("> details.answer").first
    follow_up = check.locator(".follow-up details.answer").first
    first_answer_text = answer.locator("p").first
    assert check.locator(".prompt").first.is_visible()
    assert not first_answer_text.is_visible()
    assert not follow_up.locator("p").first.is_visible()
    answer.locator("summary").click()
    assert first_answer_text.is_visible()
    # The follow-up's answer is its own disclosure: opening the first does not reveal it.
    assert not follow_up.locator("p").first.is_visible()
    follow_up.locator("summary").click()
    assert follow_up.locator("p").first.is_visible()
    page.close()


def test_hostile_prose_executes_nothing(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismiss)
    page.goto(server + "lessons/hostile.html")
    page.wait_for_load_state("load")
    for name in ("__script", "__onerror", "__link", "__image", "__raw"):
        assert page.evaluate(f"typeof window.{name}") == "undefined", name
    assert page.locator("main script").count() == 0
    assert page.locator("main [onerror]").count() == 0
    assert page.locator("main a[href^='javascript']").count() == 0
    assert "<script>window.__script = 1</script>" in page.inner_text("main")
    section = page.locator("section.kind-explain")
    assert section.locator("a").count() == 0  # the javascript: links stayed text
    section.get_by_text("click me").click()
    assert page.evaluate("typeof window.__link") == "undefined"
    assert dialogs == []
    page.close()


@pytest.mark.parametrize(
    ("name", "width", "height", "scheme"),
    [("desktop", 1280, 900, "light"), ("phone", 390, 844, "light"), ("dark", 1280, 900, "dark")],
)
def test_screenshots(
    server: str, browser: object, name: str, width: int, height: int, scheme: str
) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(  # type: ignore[attr-defined]
        viewport={"width": width, "height": height}, color_scheme=scheme
    )
    for kind, relative in PAGE_KINDS.items():
        page.goto(server + relative + ("?q=loss" if kind == "search" else ""))
        page.wait_for_load_state("networkidle")
        target = SCREENSHOTS / f"{kind}-{name}.png"
        page.screenshot(path=str(target), full_page=kind in ("overview", "ledger", "search"))
        assert target.stat().st_size > 10_000
        # Nothing is wider than the viewport: the page reflows instead of scrolling sideways
        # (wide tables and charts scroll in their own boxes).
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (relative, overflow)
    page.close()


def _lesson_ids(site: Path) -> list[str]:
    return sorted(p.stem for p in (site / "lessons").glob("*.html"))


def test_sidebar_lists_every_lesson_and_marks_the_current_one(
    site: Path, server: str, browser: object
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    lessons = _lesson_ids(site)
    for relative, mark in (
        ("lessons/training-loop.html", "page"),
        ("planning/training-loop.html", "true"),
        ("guides/training-loop.html", "true"),
    ):
        page.goto(server + relative)
        sidebar = page.locator("nav.sidebar[aria-label=Course]")
        listed = sidebar.locator("a[data-lesson]")
        assert sorted(listed.evaluate_all("els => els.map(e => e.dataset.lesson)")) == lessons
        current = sidebar.locator("a[aria-current]")
        assert current.count() == 1
        assert current.get_attribute("data-lesson") == "training-loop"
        assert current.get_attribute("aria-current") == mark
        assert current.is_visible()  # its module is open
        assert current.locator(".tag").count() == 2  # type and status
        # The lesson's own module is the open one; another module stays folded.
        assert sidebar.locator("details.module[open]").count() == 1
    page.goto(server + "index.html")
    assert page.locator("nav.sidebar a[aria-current]").count() == 0
    page.close()


def test_table_of_contents_jumps_to_each_section(server: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(server + "lessons/training-loop.html")
    links = page.locator("nav.toc a")
    count = links.count()
    assert count == page.locator("section.outline > h2").count() >= 13
    for index in range(count):
        link = links.nth(index)
        anchor = (link.get_attribute("href") or "").lstrip("#")
        link.click()
        page.wait_for_function("hash => location.hash === '#' + hash", arg=anchor)
        top = page.evaluate("id => document.getElementById(id).getBoundingClientRect().top", anchor)
        assert 0 <= top < 200, (anchor, top)
        heading = page.locator(f"[id='{anchor}']")
        assert heading.inner_text().strip() == link.inner_text().strip()
    page.close()


def test_search_finds_the_lesson_whose_section_holds_the_word(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    failed: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    outside: list[str] = []
    page.on(
        "request",
        lambda request: None if request.url.startswith(server) else outside.append(request.url),
    )
    page.goto(server + "lessons/training-loop.html")
    page.fill("#site-search", WORD)
    page.press("#site-search", "Enter")  # the header's form opens the search page
    page.wait_for_url(re.compile(r"search\.html\?q=" + WORD))
    first = page.locator("li.search-result").first
    first.wait_for()
    title = first.locator(".result-title a")
    assert title.get_attribute("href", timeout=5000) is not None
    assert (title.get_attribute("href") or "").endswith(f"lessons/{WORD_LESSON}.html")
    assert first.locator(".result-title .badge").inner_text() == "Lesson"
    section = first.locator(".result-sections a").first
    assert section.inner_text() == WORD_SECTION
    assert first.locator("mark").first.inner_text().lower() == WORD
    section.click()
    page.wait_for_url(re.compile(f"lessons/{WORD_LESSON}\\.html#"))
    assert page.locator(f"section.outline h2:has-text('{WORD_SECTION}')").is_visible()
    # Typing on the search page searches again.
    page.goto(server + "search.html")
    page.fill("#search-query", "zero_grad optimizer")
    page.locator("li.search-result").first.wait_for()
    assert failed == [] and outside == []
    page.close()


def test_every_page_navigates_without_javascript(site: Path, server: str, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    lessons = _lesson_ids(site)
    for relative in PAGE_KINDS.values():
        page.goto(server + relative)
        listed = page.locator("nav.sidebar a[data-lesson]")
        assert listed.count() == len(lessons), relative
        assert page.locator("header.site a[href$='index.html']").count() >= 1
    # Overview -> lesson by the sidebar -> a section by the TOC -> next lesson -> its planning
    # document -> back by the breadcrumbs: links and disclosures only.
    page.goto(server + "index.html")
    page.locator("nav.sidebar a[data-lesson='autograd']").click()
    page.wait_for_url(re.compile(r"lessons/autograd\.html$"))
    toc = page.locator("nav.toc a").nth(2)
    target = (toc.get_attribute("href") or "").lstrip("#")
    toc.click()
    page.wait_for_url(re.compile("#" + re.escape(target) + "$"))
    page.locator("nav.pager a[rel=next]").click()
    page.wait_for_url(re.compile(r"lessons/nn-module\.html$"))
    page.get_by_role("link", name="Planning document").click()
    page.wait_for_url(re.compile(r"planning/nn-module\.html$"))
    page.locator("nav.breadcrumbs a", has_text="Module 2.1").click()
    page.wait_for_url(re.compile(r"index\.html#module-2-1$"))
    # A folded module opens from its summary; the search page says search needs JavaScript.
    page.goto(server + "lessons/training-loop.html")
    name = page.locator("nav.sidebar details.module:not([open])").first.get_attribute("data-module")
    folded = page.locator(f"nav.sidebar details.module[data-module='{name}']")
    assert not folded.locator("a[data-lesson]").first.is_visible()
    folded.locator("summary").click()
    assert folded.locator("a[data-lesson]").first.is_visible()
    page.goto(server + "search.html?q=loss")
    assert "Search needs JavaScript" in page.inner_text("#search-status")
    context.close()


def test_exercises_and_the_self_check_render_with_answers_hidden(
    server: str, browser: object
) -> None:
    lesson = yaml.safe_load((REPO / "lessons" / "training-loop.yaml").read_text("utf-8"))
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server + "lessons/training-loop.html")
    practice = page.locator("section.kind-practice")
    exercises = practice.locator("ol.exercises > li")
    assert exercises.count() == len(lesson["practice"]["exercises"])
    for index, exercise in enumerate(lesson["practice"]["exercises"]):
        badge = exercises.nth(index).locator(".badge.scaffolding")
        assert badge.inner_text() == exercise["scaffolding"]
    assert practice.locator("a.notebook").get_attribute("href") == (
        "../notebooks/2-1-4-training-loop.ipynb"
    )
    check = page.locator("section.self-check")
    questions = check.locator("li.question")
    expected = lesson["expected_knowledge"]
    assert questions.count() == len(expected)
    kinds = {question["kind"] for question in expected}
    assert kinds == {"explanation", "multiple-choice", "tracing", "prediction"}
    for index in range(questions.count()):
        answer = questions.nth(index).locator("details.answer")
        assert questions.nth(index).locator(".prompt").is_visible()
        assert answer.get_attribute("open") is None
        hidden = answer.locator("> :not(summary)").first
        assert not hidden.is_visible()
        answer.locator("summary").click()
        assert hidden.is_visible()
    page.close()


def _generated_course(folder: Path, lessons: int, per_lesson: int) -> Path:
    """A course of `lessons` lessons in modules of ten, each teaching `per_lesson` concepts of
    its own, made from the complete fixture lesson."""
    (folder / "lessons").mkdir(parents=True)
    (folder / "pyproject.toml").write_text("", encoding="utf-8")
    base = yaml.safe_load((FIXTURES / "complete_lesson.yaml").read_text("utf-8"))
    modules: list[dict[str, object]] = []
    for index in range(lessons):
        lesson_id = f"lesson-{index:03d}"
        module = f"{index // 10 + 1}.1"
        if index % 10 == 0:
            modules.append({"id": module, "title": f"Module {module}", "lessons": []})
        modules[-1]["lessons"].append(lesson_id)  # type: ignore[attr-defined]
        lesson = dict(base, id=lesson_id, title=f"Generated lesson number {index}")
        lesson.update(module=module, position=index % 10 + 1)
        lesson.pop("previous", None)
        lesson.pop("next", None)
        design = dict(lesson["design"])
        scope = dict(design["scope"])
        scope["target_depths"] = [
            {"concept": f"Concept {index}-{n}", "depth": "DEVELOPED"} for n in range(per_lesson)
        ]
        design["scope"] = scope
        lesson["design"] = design
        (folder / "lessons" / f"{lesson_id}.yaml").write_text(yaml.safe_dump(lesson), "utf-8")
    curriculum = {"title": "Generated", "series": [{"id": "1", "title": "All", "modules": modules}]}
    (folder / "lessons" / "curriculum.yaml").write_text(yaml.safe_dump(curriculum), "utf-8")
    return folder


def test_ledger_has_a_labelled_linked_column_per_lesson_on_a_big_course(
    tmp_path: Path, browser: object
) -> None:
    course = _generated_course(tmp_path / "course", lessons=120, per_lesson=5)
    result = validate_course(course)
    assert result.course is not None and result.settings is not None
    assert len(result.course.lessons) == 120
    render_site(result.course, result.settings, tmp_path / "site", search=False)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto((tmp_path / "site" / "ledger.html").as_uri())
    columns = page.locator("table.depth-table thead th.lesson")
    assert columns.count() == 120
    hrefs = columns.locator("a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert hrefs == [f"lessons/lesson-{index:03d}.html" for index in range(120)]
    titles = columns.locator("a").evaluate_all("els => els.map(e => e.title)")
    assert titles == [f"Generated lesson number {index}" for index in range(120)]
    assert page.locator("table.depth-table tbody tr").count() == 600
    # The table scrolls in its box; its headers stay in view (sticky) while it does.
    box = page.locator(".table-scroll")
    assert box.evaluate("el => el.scrollWidth > el.clientWidth")
    assert box.evaluate("el => el.scrollHeight > el.clientHeight")
    header = columns.first
    before = header.bounding_box()
    box.evaluate("el => { el.scrollTop = 2000; }")
    after = header.bounding_box()
    assert before is not None and after is not None and before["y"] == after["y"]
    first_cell = page.locator("table.depth-table tbody th").first
    left = first_cell.bounding_box()
    box.evaluate("el => { el.scrollTop = 0; el.scrollLeft = 2000; }")
    assert left is not None and first_cell.bounding_box()["x"] == left["x"]
    # The module filter: a page per module, with that module's columns only.
    page.get_by_role("navigation", name="Filter by module").get_by_role("link", name="3.1").click()
    assert page.locator("table.depth-table thead th.lesson").count() == 10
    assert page.locator("nav.module-filter a[aria-current=page]").inner_text() == "3.1"
    page.close()


def test_load_chart_is_readable_on_a_phone(server: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    page.goto(server + "ledger.html")
    svg = page.locator("figure.load svg")
    view_width = float(svg.get_attribute("viewBox").split()[2])
    box = svg.bounding_box()
    assert box is not None and abs(box["width"] - view_width) < 1  # drawn at 1:1, not shrunk
    assert page.locator("figure.load .chart-scroll").evaluate(
        "el => el.scrollWidth > el.clientWidth"
    )
    page.close()


AXE = REPO / "build" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe_source() -> str:
    """axe-core, installed by .ci/run into build/node (a run without it installs it there)."""
    if not AXE.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.skip("npm is not installed: the accessibility audit needs axe-core")
        prefix = str(REPO / "build" / "node")
        subprocess.run([npm, "install", "--silent", "--prefix", prefix, "axe-core"], check=True)
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_serious_or_critical_accessibility_violation(
    server: str, browser: object, axe_source: str, kind: str
) -> None:
    # The audit script is injected inline, which the pages' policy rightly refuses: this one
    # context sets the policy aside to let the auditor in.
    context = browser.new_context(bypass_csp=True)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(server + PAGE_KINDS[kind] + ("?q=loss" if kind == "search" else ""))
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=axe_source)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    serious = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]])
        for violation in results["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
    context.close()


def test_serve_reloads_an_open_page_and_removes_its_folder_on_ctrl_c(
    tmp_path: Path, browser: object
) -> None:
    course = copy_reference(tmp_path / "course")
    process = subprocess.Popen(
        [sys.executable, "-m", "lessonkit", "serve", "--port", "0"],
        cwd=course,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.match(r"Serving (http://127\.0\.0\.1:\d+/) \(from (.+)\); Ctrl-C stops\.", line)
        assert match, line
        url, folder = match.group(1), Path(match.group(2))
        assert folder.is_dir()
        page = browser.new_page()  # type: ignore[attr-defined]
        page.goto(url + "lessons/autograd.html")
        # reload.js marks the page once its event stream is open.
        page.wait_for_function("() => document.documentElement.dataset.lessonkitReload")
        lesson = course / "lessons" / "autograd.yaml"
        text = lesson.read_text("utf-8")
        with page.expect_event("load", timeout=120_000):
            lesson.write_text(text.replace("Autograd: Gradients", "Autograd: Slopes", 1), "utf-8")
        assert "Autograd: Slopes" in page.locator("h1").inner_text()
        page.close()
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=60)
    assert not folder.exists()


def test_keyboard_skip_link_focus_and_copy_buttons(server: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(server + "lessons/training-loop.html")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible() and skip.bounding_box()["x"] >= 0  # shown while it has focus
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "content"
    # Focus is visible: an outline on the focused link.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    # Landmarks: one banner, one main, the course and site navigation, the contents.
    assert page.locator("header.site").count() == 1 and page.locator("main").count() == 1
    for name in ("Course", "Site", "Breadcrumb"):
        assert page.get_by_role("navigation", name=name).count() == 1
    # Code blocks name their language and get a copy button from lessonkit.js.
    python = page.locator(".code-lang", has_text="python")
    block = page.locator(".code-block", has=python).first
    assert block.locator(".code-lang").inner_text() == "python"
    assert block.locator("button.copy").count() == 1
    page.close()


def test_a_lesson_prints_alone_with_its_answers(server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(server + "lessons/training-loop.html")
    page.emulate_media(media="print")
    for hidden in ("nav.sidebar", "nav.toc", "header.site", "nav.breadcrumbs", "nav.pager"):
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator("h1").is_visible()
    answer = page.locator("details.answer > :not(summary)").first
    assert answer.is_visible()  # printed open, although closed on screen
    pdf = page.pdf()
    assert pdf.startswith(b"%PDF")
    page.close()
