"""What a rule sees. Rule modules import this and the registry, never the engine that runs them."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..core.diagnostics import DataPath
from ..course.course import Course
from ..read.documents import Document
from ..read.markdown import ProseText, prose_fields
from ..schemas import Lesson


@dataclass(frozen=True)
class LessonContext:
    """What a lesson rule sees: the lesson, its document and the course around it."""

    lesson: Lesson
    document: Document
    course: Course

    @cached_property
    def prose(self) -> list[tuple[DataPath, ProseText]]:
        """Every Markdown string of the lesson with its path; walked once, shared by the rules."""
        return [(path, ProseText(text)) for path, text in prose_fields(self.lesson)]
