"""Script payloads in every field that reaches a page run nothing in a real browser.

One lesson (with its review) per payload, the payload in every string field the models take it
in, and a curriculum that carries them all; the site is rendered by the real command line and
every page is loaded in headless Chromium (the system's, driven by Playwright). Any dialog,
uncaught script error, `window.__pwned` set by a payload, or markup that could run script
(inline scripts, event handlers, javascript: and navigable data: URLs, frames) fails the test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from robustness.corpus import TRACEBACK, lessonkit_command, run_command
from robustness.xss import CHROMIUM_ARGS, PAYLOADS, build_project, pages, scan_site

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def test_no_payload_runs_on_any_page(tmp_path: Path) -> None:
    assert len(PAYLOADS) >= 15
    root = tmp_path / "course"
    root.mkdir()
    filled = build_project(root)
    # Every lesson, review and curriculum string field the models take free text in: over a
    # hundred per payload (a field added to a model is covered without a change here).
    assert filled >= 100 * len(PAYLOADS), filled
    code, _, stderr, _, _ = run_command([*lessonkit_command(), "render", "-o", "site"], root)
    assert TRACEBACK not in stderr, stderr
    assert code in (0, 1), stderr
    site = root / "site"
    assert len(pages(site)) >= 4 * len(PAYLOADS) + 2

    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            report = scan_site(site, browser)
        finally:
            browser.close()
    shown = [f"{page}: {'; '.join(found[:4])}" for page, found in sorted(report.items())]
    assert report == {}, f"{len(report)} pages run or could run script:\n" + "\n".join(shown[:30])
