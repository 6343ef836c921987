"""Links between lessons on the site: `lesson:<id>#section` and links to a lesson's file become
links to the rendered page (see `lessonkit.course.links` for how a link names a lesson)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from ..course.course import Course
from ..course.links import lesson_link, section_anchor
from ..read.markdown import parse
from ..schemas import Lesson


def resolver(
    course: Course, lesson: Lesson | None, *, folder: str = "lessons", ext: str = "html"
) -> Callable[[str], str | None]:
    """A function from a link target written in `lesson` to the page it should open, relative
    to a page one folder deep (`lessons/`, `planning/`...); None leaves a target as written.

    A link without a section opens the other lesson's page in `folder` (a planning document
    links planning documents); a section is on the student page, so it opens that."""
    document = course.lessons.get(lesson.id) if lesson is not None else None

    def resolve(target: str) -> str | None:
        if document is None:
            return None
        found = lesson_link(course, target, document.path)
        if found is None:
            return None
        other = course.lesson(found.lesson_id)
        if other is None:
            return None  # A002 reports it; the link stays as written
        name = quote(found.lesson_id)
        if found.section is None:
            return f"../{folder}/{name}.{ext}"
        anchor = section_anchor(other, found.section)
        return f"../lessons/{name}.{ext}" + (f"#{anchor}" if anchor else "")

    return resolve


def rewrite(text: str, resolve: Callable[[str], str | None]) -> str:
    """`text` (Markdown) with each link destination that `resolve` maps replaced, for pages
    written as Markdown; every other character as it was."""
    if "](" not in text and "]:" not in text:
        return text
    pieces: list[str] = []
    end = 0
    for link in sorted(parse(text).links, key=lambda link: link.offset):
        target = resolve(link.target)
        if target is None or link.offset < end:
            continue
        pieces += [text[end : link.offset], target]
        end = link.offset + len(link.target)
    return "".join(pieces) + text[end:]
