"""Links from one lesson to another: `lesson:<id>` or the other lesson's file, with `#section`.

A lesson may point a student at another lesson, or at one section of it, in two ways:
- `[the loop](lesson:training-loop#optimizer-objects)`: by id, the way that survives moving
  files around;
- `[the loop](training-loop.yaml#optimizer-objects)`: by the lesson file, relative to the
  linking lesson's file, as any Markdown link to a file.

A section is named by the slug of its title (`optimizer-objects` for "Optimizer Objects"), or
by the anchor the rendered page gives it (`4-optimizer-objects`: its number, then the slug).
A002 checks that the lesson and the section exist; the site turns both forms into a link to
the rendered page and that section's anchor.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..schemas import Lesson
from .concepts import concept_id
from .course import Course

SCHEME = "lesson"


@dataclass(frozen=True)
class LessonLink:
    """A link's target read as a lesson: its id, and the section named (None for none)."""

    lesson_id: str
    section: str | None
    by_file: bool  # written as the lesson's file, not as `lesson:<id>`


def lesson_link(course: Course, target: str, source: Path) -> LessonLink | None:
    """`target` (a link destination written in the lesson file `source`) as a link to a
    lesson of the course, or None when it names no lesson (a web page, a notebook, a file
    that is not a lesson). `lesson:<id>` always reads as one, even for an id no lesson has."""
    parts = urlsplit(target)
    section = unquote(parts.fragment) or None
    if parts.scheme == SCHEME:
        return LessonLink(unquote(parts.path), section, by_file=False)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    try:
        resolved = (source.resolve().parent / unquote(parts.path)).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    for lesson_id, document in course.lessons.items():
        if document.origin is None and document.path.resolve() == resolved:
            return LessonLink(lesson_id, section, by_file=True)
    return None


def section_anchor(lesson: Lesson, section: str) -> str | None:
    """The anchor of the outline section `section` names on the lesson's page
    (`<number>-<slug of its title>`), or None when no section has that name."""
    for number, item in enumerate(lesson.design.outline, start=1):
        slug = concept_id(item.title)
        anchor = f"{number}-{slug}"
        if section in (slug, anchor):
            return anchor
    return None


def section_names(lesson: Lesson) -> list[str]:
    """The names a link can give the lesson's sections (the slugs of their titles)."""
    return [concept_id(item.title) for item in lesson.design.outline]
