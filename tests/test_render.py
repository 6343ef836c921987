"""`lessonkit render` and `lessonkit serve`: pages, Markdown documents, safe writing."""

from __future__ import annotations

import os
import re
import shutil
import threading
import urllib.request
from pathlib import Path

import pytest

from lessonkit.core.project import open_project
from lessonkit.site.pages import guide_markdown, markdown_templates, planning_markdown
from lessonkit.site.serve import EVENTS, RELOAD_SCRIPT, Preview

from support import copy_reference, run_cli, validate_course

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_reference(tmp_path_factory.mktemp("course"))


@pytest.mark.parametrize(
    ("name", "build"),
    [("training-loop.planning.md", planning_markdown), ("training-loop.guide.md", guide_markdown)],
)
def test_golden_markdown(name: str, build: object, course: Path) -> None:
    result = validate_course(course)
    assert result.course is not None
    lesson = result.course.lesson("training-loop")
    text = build(result.course, lesson, markdown_templates(course))  # type: ignore[operator]
    golden = GOLDEN / name
    if os.environ.get("LESSONKIT_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), (
        f"{name} changed; if intended, rerun with LESSONKIT_UPDATE_GOLDEN=1"
    )


def test_planning_document_has_every_row_of_the_seed(course: Path) -> None:
    text = (GOLDEN / "training-loop.planning.md").read_text(encoding="utf-8")
    sections = re.findall(r"^#### \d+\. ", text, re.MULTILINE)
    assert len(sections) == 13
    table = text.split("### Relevant Concepts the Student Has")[1].split("###")[0]
    assert table.count("\n| ") == 1 + 31  # header + the seed's 31 concepts
    assert text.count("\n| **") >= 5 + 6 + 5  # misconceptions, examples, modalities
    assert "**Gap resolution:** No gaps." in text
    assert "- [x] Each traced via the records (not the curriculum plan)" in text


def _digest(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    # Every write is a new file renamed into place, so a rewritten page has a new inode.
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
        for p in folder.rglob("*")
        if p.is_file()
    }


@pytest.mark.slow
def test_render_twice_rewrites_nothing_and_writes_only_inside(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    first = run_cli("render", "-o", "out", cwd=course)
    assert first.exit_code == 0, first.output
    made = _digest(course / "out")
    count = len(made) - 1  # every file but the manifest
    # 13 lessons x 4 pages, 13 notebooks, overview, search page, the ledger and its 4 module
    # pages, the concepts page, the stylesheet and two scripts: 76; the rest is the search index.
    assert sum(not name.startswith("pagefind/") for name in made) - 1 == 76
    assert first.output.startswith(
        f"Rendered {count} files into out/ ({count} written, 0 unchanged)"
    )
    after = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert all(course / "out" in p.parents for p in after - before)
    second = run_cli("render", "-o", "out", cwd=course)
    assert f"(0 written, {count} unchanged)" in second.output  # the search index included
    assert _digest(course / "out") == made


@pytest.mark.slow
def test_clean_removes_only_pages_it_made(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    run_cli("render", "-o", "out", cwd=course)
    keep = course / "out" / "my-notes.txt"
    keep.write_text("mine", encoding="utf-8")
    (course / "lessons" / "optimizers.yaml").unlink()
    before = set(_digest(course / "out"))
    result = run_cli("render", "-o", "out", "--clean", cwd=course)
    gone = before - set(_digest(course / "out"))
    assert f", {len(gone)} removed)" in result.output
    # Its four pages and its copied notebook; the rest are search-index chunks it was in.
    assert {name for name in gone if not name.startswith("pagefind/")} == {
        *(f"{kind}/optimizers.html" for kind in ("lessons", "planning", "guides", "reviews")),
        "notebooks/1-3-2-optimizers.ipynb",
    }
    assert not (course / "out" / "lessons" / "optimizers.html").exists()
    assert not (course / "out" / "planning" / "optimizers.html").exists()
    assert keep.read_text(encoding="utf-8") == "mine"
    assert (course / "out" / "notebooks" / "1-3-2-optimizers.ipynb").exists() is False


def test_markdown_format_and_a_project_template_override(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    (course / "templates").mkdir()
    (course / "templates" / "overview.md.j2").write_text(
        "# Our own overview: {{ title }}\n", "utf-8"
    )
    result = run_cli("render", "--format", "md", "-o", "md", cwd=course)
    assert result.exit_code == 0, result.output
    assert (course / "md" / "index.md").read_text("utf-8") == (
        "# Our own overview: Deep Learning from the Training Loop Up\n"
    )
    lesson = (course / "md" / "lessons" / "training-loop.md").read_text("utf-8")
    assert lesson.startswith("# The PyTorch Training Loop\n")
    assert "<details><summary>Show the answer</summary>" in lesson
    planning = (course / "md" / "planning" / "training-loop.md").read_text("utf-8")
    # The document as its template writes it, its links to lessons opening the Markdown pages.
    golden = (GOLDEN / "training-loop.planning.md").read_text("utf-8")
    assert planning == re.sub(r"\]\(lesson:([a-z0-9-]+)\)", r"](../planning/\1.md)", golden)


def test_render_a_subset_and_output_folder_is_confined(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    lessons = course / "lessons"
    result = run_cli("render", str(lessons / "tensors.yaml"), "-o", "one", cwd=course)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (course / "one" / "lessons").iterdir()) == ["tensors.html"]

    from lessonkit.site.writer import Writer

    writer = Writer(tmp_path / "box")
    with pytest.raises(Exception, match="outside"):
        writer.write("../escape.html", "x")
    assert not (tmp_path / "escape.html").exists()


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


@pytest.mark.slow
def test_serve_rerenders_on_change_and_shows_problems(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    shutil.rmtree(course / "reviews")
    project = open_project(course)
    preview = Preview(project, tmp_path / "preview", port=0)
    preview.start()
    watcher = threading.Thread(target=preview.watch, daemon=True)
    watcher.start()
    try:
        assert preview.url.startswith("http://127.0.0.1:")
        page = _fetch(preview.url + "lessons/tensors.html")
        assert 'class="notice' not in page
        assert preview.watching.wait(30), "the watcher did not start"
        builds = preview.builds
        lesson = course / "lessons" / "tensors.yaml"
        lesson.write_text(lesson.read_text("utf-8").replace("type: BUILD", "type: BUILT"), "utf-8")
        lesson_page = course / "lessons" / "autograd.yaml"
        lesson_page.write_text(
            lesson_page.read_text("utf-8").replace(
                "status: in-review\n", "status: in-review\nnext_note: TODO bridge to nn-module\n"
            ),
            "utf-8",
        )
        # The two edits may arrive as one build or two: wait for builds until the page shows
        # the second one.
        while "W005" not in page:
            assert preview.wait_for_build(after=builds, timeout=60), "no rebuild after the edits"
            builds = preview.builds
            page = _fetch(preview.url + "lessons/autograd.html")
        assert 'class="notice warnings"' in page and "W005" in page
        assert "W005 TODO left here" in page
    finally:
        preview.stop()


@pytest.mark.slow
def test_served_pages_reload_and_rendered_files_do_not(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    preview = Preview(open_project(course), tmp_path / "preview", port=0)
    preview.start()
    try:
        served = _fetch(preview.url + "lessons/tensors.html")
        assert f'<script src="{RELOAD_SCRIPT}?build=1" defer></script>' in served
        assert RELOAD_SCRIPT in _fetch(preview.url)  # the folder's index.html too
        assert "EventSource" in _fetch(preview.url + RELOAD_SCRIPT.lstrip("/"))
        written = (tmp_path / "preview" / "lessons" / "tensors.html").read_text("utf-8")
        assert "__lessonkit" not in written
        with urllib.request.urlopen(preview.url + EVENTS.lstrip("/"), timeout=30) as events:
            assert events.headers["Content-Type"] == "text/event-stream"
            assert events.readline() == b"retry: 1000\n"
            assert events.readline() == b"data: 1\n"
            assert events.readline() == b"\n"
            preview.build()
            assert events.readline() == b"data: 2\n"
    finally:
        preview.stop()
    rendered = run_cli("render", "-o", "out", cwd=course)
    assert rendered.exit_code == 0
    assert not any("__lessonkit" in p.read_text("utf-8") for p in (course / "out").rglob("*.html"))


@pytest.mark.slow
def test_a_rebuild_renders_only_the_pages_an_edit_touches(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    out = tmp_path / "preview"
    preview = Preview(open_project(course), out)
    preview.build()
    assert preview.rendered is None
    lesson = course / "lessons" / "tensors.yaml"
    text = lesson.read_text("utf-8")
    other = (out / "lessons" / "autograd.html").stat().st_ino
    lesson.write_text(text.replace("Nothing you learned", "Nothing you have learned", 1), "utf-8")
    preview.build(everything=False)
    assert preview.rendered == {"tensors"}
    assert "Nothing you have learned" in (out / "lessons" / "tensors.html").read_text("utf-8")
    assert (out / "lessons" / "autograd.html").stat().st_ino == other
    # A title shows on every page (the sidebar, the pager): everything is rendered again.
    lesson.write_text(text.replace('title: "Tensors:', 'title: "Tensor Basics:', 1), "utf-8")
    preview.build(everything=False)
    assert preview.rendered is None
    assert "Tensor Basics" in (out / "lessons" / "autograd.html").read_text("utf-8")


@pytest.mark.slow
def test_serve_without_a_folder_removes_its_own_on_stop(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    preview = Preview(open_project(course), port=0)
    preview.start()
    folder = preview.folder
    assert (folder / "index.html").is_file()
    preview.stop()
    assert not folder.exists()
    kept = Preview(open_project(course), tmp_path / "mine", port=0)
    kept.start()
    kept.stop()
    assert (tmp_path / "mine" / "index.html").is_file()  # a folder given with -o stays


def test_without_pagefind_the_site_is_written_without_search(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course = copy_reference(tmp_path / "course")
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    result = run_cli("render", "-o", "out", cwd=course)
    assert result.exit_code == 0, result.output
    assert "lessonkit: search is off: pagefind could not run" in result.output
    assert (course / "out" / "lessons" / "tensors.html").is_file()
    assert not (course / "out" / "pagefind").exists()


def test_a_big_course_lists_only_the_current_module_in_the_sidebar(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonkit.site import pages

    course = copy_reference(tmp_path / "course")
    result = validate_course(course)
    assert result.course is not None and result.settings is not None
    monkeypatch.setattr(pages, "FULL_SIDEBAR_LESSONS", 5)  # the reference course has 13
    site = pages.Pages(result.course, result.settings, output_format="html", problems={})
    page = site.student("training-loop")
    sidebar = page[page.index('<nav class="sidebar"') :]
    listed = re.findall(r'data-lesson="([a-z-]+)"', sidebar)
    assert listed == ["tensors", "autograd", "nn-module", "training-loop"]  # module 2.1
    assert 'data-lesson="training-loop" aria-current="page"' in sidebar
    others = re.findall(
        r'<p class="module-link"><a href="../index.html#module-([0-9-]+)">', sidebar
    )
    assert others == ["1-1", "1-2", "1-3"]
    overview = site.overview()
    assert 'data-lesson="' not in overview[overview.index('<nav class="sidebar"') :]
