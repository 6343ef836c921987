"""Markdown planning documents read into lesson and review data, with a map from every field
to its span in the Markdown file. One module per part: `blocks` (markdown-it tokens into
sections), `tables`, `values` (depths, citations, ids), `lesson_plan`, `reviews`, `source`
(the position map and the import report's notes), `plan` (the whole file)."""

from __future__ import annotations

from .plan import (
    MARKDOWN_SUFFIXES,
    Plan,
    PlanKind,
    looks_like_plan,
    plan_documents,
    read_plan,
)
from .source import MarkdownSource, Note, NoteKind

__all__ = [
    "MARKDOWN_SUFFIXES",
    "MarkdownSource",
    "Note",
    "NoteKind",
    "Plan",
    "PlanKind",
    "looks_like_plan",
    "plan_documents",
    "read_plan",
]
