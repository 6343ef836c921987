"""Pydantic models of lessonkit's documents: lessons, reviews, the curriculum, the glossary and
configuration."""

from __future__ import annotations

from .common import (
    DEFAULT_DEPTH_SCALE,
    DEFAULT_LESSON_TYPES,
    ExampleKind,
    FieldShape,
    FindingSeverity,
    FixStatus,
    LessonStatus,
    Markdown,
    MarkdownText,
    PrerequisiteStatus,
    QuestionKind,
    Scaffolding,
    SectionKind,
    Verdict,
    field_shape,
)
from .config import Config
from .curriculum import Curriculum
from .glossary import Glossary, GlossaryConcept
from .lesson import Lesson
from .review import Review

__all__ = [
    "DEFAULT_DEPTH_SCALE",
    "DEFAULT_LESSON_TYPES",
    "Config",
    "Curriculum",
    "ExampleKind",
    "FieldShape",
    "FindingSeverity",
    "FixStatus",
    "Glossary",
    "GlossaryConcept",
    "Lesson",
    "LessonStatus",
    "Markdown",
    "MarkdownText",
    "PrerequisiteStatus",
    "QuestionKind",
    "Review",
    "Scaffolding",
    "SectionKind",
    "Verdict",
    "field_shape",
]
