"""The rendered site in a real browser: headless Chromium (the system's, driven by Playwright).

Every page loads without console errors and every internal link resolves; math is MathML;
check answers stay hidden until opened; prose holding script, event handlers and javascript:
links executes nothing. Screenshots at desktop and phone widths go to build/screenshots/.
"""

from __future__ import annotations

import functools
import shutil
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from support import FIXTURES, REPO, copy_reference, run_cli

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


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    course = copy_reference(tmp_path_factory.mktemp("course"))
    (course / "lessons" / "hostile.yaml").write_text(
        HOSTILE.replace("id: fixture-lesson", "id: hostile"), encoding="utf-8"
    )
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
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
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


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)])
def test_screenshots(server: str, browser: object, name: str, width: int, height: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})  # type: ignore[attr-defined]
    for relative in ("lessons/training-loop.html", "index.html", "ledger.html"):
        page.goto(server + relative)
        target = SCREENSHOTS / f"{relative.replace('/', '-').removesuffix('.html')}-{name}.png"
        page.screenshot(path=str(target), full_page=relative != "lessons/training-loop.html")
        assert target.stat().st_size > 10_000
        # Nothing is wider than the viewport: the page reflows instead of scrolling sideways.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (relative, overflow)
    page.close()
