"""`lessonkit render` and `lessonkit serve`: pages, Markdown documents, safe writing."""

from __future__ import annotations

import os
import re
import shutil
import time
import urllib.request
from pathlib import Path

import pytest

from lessonkit.core.project import open_project
from lessonkit.site.pages import guide_markdown, markdown_templates, planning_markdown

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


def test_render_twice_rewrites_nothing_and_writes_only_inside(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    before = {p for p in tmp_path.rglob("*") if p.is_file()}
    first = run_cli("render", "-o", "out", cwd=course)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("Rendered 68 files into out/ (68 written, 0 unchanged)")
    made = _digest(course / "out")
    after = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert all(course / "out" in p.parents for p in after - before)
    second = run_cli("render", "-o", "out", cwd=course)
    assert "(0 written, 68 unchanged)" in second.output
    assert _digest(course / "out") == made


def test_clean_removes_only_pages_it_made(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    run_cli("render", "-o", "out", cwd=course)
    keep = course / "out" / "my-notes.txt"
    keep.write_text("mine", encoding="utf-8")
    (course / "lessons" / "optimizers.yaml").unlink()
    result = run_cli("render", "-o", "out", "--clean", cwd=course)
    assert ", 5 removed)" in result.output  # its four pages and its copied notebook
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


@pytest.mark.slow
def test_serve_rerenders_on_change_and_shows_problems(tmp_path: Path) -> None:
    from lessonkit.site.serve import Preview

    course = copy_reference(tmp_path / "course")
    shutil.rmtree(course / "reviews")
    project = open_project(course)
    preview = Preview(project, tmp_path / "preview", port=0)
    preview.start()
    import threading

    watcher = threading.Thread(target=preview.watch, daemon=True)
    watcher.start()
    try:
        assert preview.url.startswith("http://127.0.0.1:")
        page = urllib.request.urlopen(preview.url + "lessons/tensors.html").read().decode()
        assert 'class="notice' not in page
        time.sleep(0.5)  # let the watcher start before the edit
        lesson = course / "lessons" / "tensors.yaml"
        lesson.write_text(lesson.read_text("utf-8").replace("type: BUILD", "type: BUILT"), "utf-8")
        lesson_page = course / "lessons" / "autograd.yaml"
        lesson_page.write_text(
            lesson_page.read_text("utf-8").replace(
                "status: in-review\n", "status: in-review\nnext_note: TODO bridge to nn-module\n"
            ),
            "utf-8",
        )
        deadline = time.time() + 30
        page = ""
        while time.time() < deadline and ("W005" not in page or preview.builds < 2):
            time.sleep(0.3)
            page = urllib.request.urlopen(preview.url + "lessons/autograd.html").read().decode()
        assert preview.builds >= 2
        assert 'class="notice warnings"' in page and "W005" in page
        assert "W005 TODO left here" in page
    finally:
        preview.stop()
