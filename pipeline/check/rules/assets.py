"""A family: files a lesson points at (its notebook, links and images in prose).

Paths are resolved (symlinks included) and checked against the project root before anything
is looked up, so a lesson can never make lessonkit touch a file outside the project.

- `practice.notebook` is relative to the project root (planning documents write
  `notebooks/2-1-4-training-loop.ipynb`).
- Relative links and images in prose are relative to the lesson file, as in any Markdown file;
  a link to another lesson is `lesson:<id>` or its file, with an optional `#section`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ...core.diagnostics import Severity
from ...core.files import exists, inside
from ...core.suggest import did_you_mean
from ...course.links import lesson_link, section_anchor, section_names
from ...read.markdown import ProseText
from ...schemas import FindingSeverity
from ..context import LessonContext
from ..registry import ChecklistItem, Hit, rule

# The reviewer checklist items these rules verify (`lessonkit review --report` ticks them).
_CHECK_RESOLVE = ChecklistItem(
    "The plan, realised", "Practice notebook and links resolve inside the project"
)


def _relative_links(prose: ProseText) -> Iterator[tuple[int, str]]:
    """(offset, path) of every relative link or image target in Markdown prose: inline
    links and images and reference definitions, as the Markdown model reads them."""
    text = prose.text
    if "](" not in text and "]:" not in text:
        return
    for link in prose.links:
        parts = urlsplit(link.target)
        target = link.target
        if parts.scheme or parts.netloc or target.startswith(("#", "/")) or not parts.path:
            continue
        yield link.offset, unquote(parts.path)


@rule(
    "A001",
    "notebook-missing",
    "Practice notebook link points to a file that does not exist",
    severity=Severity.ERROR,
    review=FindingSeverity.POLISH,
    checklist=(_CHECK_RESOLVE,),
)
def notebook_missing(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that `practice.notebook` names a file that exists (relative to the project root).

    Why: the practice section is where a lesson is learned; a notebook link that 404s makes it
    unusable (the training-loop lesson's reviews carried this finding through two rounds).

    Bad:
        practice:
          notebook: notebooks/2-1-5-datasets.ipynb   # not created yet

    Good:
        practice:
          notebook: notebooks/2-1-4-training-loop.ipynb   # committed with the lesson
    """
    practice = ctx.lesson.practice
    if practice is None or practice.notebook is None:
        return
    target = inside(ctx.course.root, practice.notebook)
    if target is not None and not exists(target, as_file=True):
        yield Hit(
            f"practice notebook '{practice.notebook}' does not exist",
            at=("practice", "notebook"),
        )


@rule(
    "A002",
    "link-target-missing",
    "Relative link or image in prose points to a missing file, lesson or section",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_RESOLVE,),
)
def link_target_missing(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that every relative link or image in prose (`[text](path)`, `![alt](path)`,
    `[id]: path`) points at a file that exists, relative to the lesson file, and that a link
    to another lesson (`lesson:<id>`, or the lesson's file) names a lesson of the course and,
    after `#`, one of its sections (the slug of the section's title). Other links with a
    scheme (`https:`), absolute paths and in-page anchors are not checked.

    Why: broken links are found by students, one at a time, long after the lesson shipped. A
    link to a section that was renamed lands at the top of a long page.

    Bad:
        body: |
          See the diagram ![the loop](img/training-loop.svg).   # lessons/img/ has no such file

    Good:
        body: |
          Practise in [the notebook](../notebooks/2-1-4-training-loop.ipynb), after
          [the Sequential container](lesson:nn-module#nn-sequential-and-nn-relu).
    """
    folder = ctx.document.path.resolve().parent
    for path, prose in ctx.prose:
        for offset, target in _relative_links(prose):
            resolved = inside(ctx.course.root, folder / target)
            if resolved is not None and not exists(resolved):
                yield Hit(f"link target '{target}' does not exist", at=path, offset=offset)
    yield from _lesson_links(ctx)


def _lesson_links(ctx: LessonContext) -> Iterator[Hit]:
    """Links to another lesson (`lesson:<id>` or its file) whose lesson or section is missing."""
    course = ctx.course
    for path, prose in ctx.prose:
        if "](" not in prose.text and "]:" not in prose.text:
            continue
        for link in prose.links:
            found = lesson_link(course, link.target, ctx.document.path)
            if found is None or found.lesson_id in course.broken:
                continue  # not a lesson; or one that could not be read (C009's note)
            lesson = course.lesson(found.lesson_id)
            if lesson is None:
                yield Hit(
                    f"link target '{link.target}': no lesson has the id '{found.lesson_id}'"
                    f"{did_you_mean(found.lesson_id, course.lessons)}",
                    at=path,
                    offset=link.offset,
                )
            elif found.section is not None and section_anchor(lesson, found.section) is None:
                names = section_names(lesson)
                yield Hit(
                    f"link target '{link.target}': {found.lesson_id} has no section "
                    f"'{found.section}'{did_you_mean(found.section, names)}",
                    at=path,
                    offset=link.offset,
                )


@rule(
    "A003",
    "path-escapes-project",
    "A link or path that escapes the project root",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_RESOLVE,),
)
def path_escapes_project(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that the practice notebook and every relative link in prose stay inside the
    project root. lessonkit does not look such a path up at all.

    Why: a course repository is built and published on its own; a path out of it works on
    one author's machine and nowhere else, and a renderer must never read files outside the
    project it was asked to render.

    Bad:
        practice:
          notebook: ../../shared/notebooks/training-loop.ipynb

    Good:
        practice:
          notebook: notebooks/2-1-4-training-loop.ipynb
    """
    root = ctx.course.root
    practice = ctx.lesson.practice
    notebook = practice.notebook if practice else None
    if notebook is not None and (Path(notebook).is_absolute() or inside(root, notebook) is None):
        yield Hit(
            f"practice notebook '{notebook}' is outside the project",
            at=("practice", "notebook"),
        )
    folder = ctx.document.path.resolve().parent
    for path, prose in ctx.prose:
        for offset, target in _relative_links(prose):
            if inside(root, folder / target) is None:
                yield Hit(f"link target '{target}' is outside the project", at=path, offset=offset)
