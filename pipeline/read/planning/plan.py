"""One Markdown file read as planning data: what kind of document it is, the lesson and
review data it holds, the position map, and the import report's notes.

Reading never raises and never writes: `lessonkit import` (authoring) writes the YAML, and
`lessonkit validate plan.md` (check) validates the same data in memory, with every position
in the Markdown file.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ...core.diagnostics import Finding, Span, schema_violation, unreadable
from ...schemas import DEFAULT_LESSON_TYPES, Config, Lesson
from ..documents import Document, DocumentKind, check_schema
from ..yaml_source import decode, too_large
from .blocks import Markdown, canon, parse
from .lesson_plan import LESSON, LessonReader, is_peer, is_phase, section_key
from .notes import NotesReader, fallback_title, looks_like_notes
from .outline import Outline, OutlineReader, looks_like_outline
from .page_review import Page, PageReviewReader, looks_like_page_review
from .reviews import ReviewReader, review_sections
from .source import Note, NoteKind, Recorder, markdown_source
from .values import slugify

MARKDOWN_SUFFIXES = (".md", ".markdown")
"""Files `validate` and `import` read as Markdown planning documents."""

_ESSENTIAL = ("concepts", "prerequisites", "misconceptions", "outline")
_NAMES = {
    "concepts": "Relevant Concepts the Student Has",
    "prerequisites": "Prerequisites Table",
    "misconceptions": "Misconceptions Table",
    "outline": "Lesson Outline",
}


class PlanKind(enum.Enum):
    """What a Markdown file is, as far as the importer can tell (from its content, never its
    name): the value is the word the import report uses."""

    LESSON_PLAN = "lesson planning document"
    OUTLINE = "course or module outline"
    PAGE_REVIEW = "page review"
    STUDY_NOTES = "study notes"
    NOT_A_PLAN = "not a planning document"

    @property
    def validated_in_place(self) -> bool:
        """Whether `validate` checks the file as it is: only a lesson plan holds a lesson and
        its reviews; outlines, page reviews and notes change other files when imported."""
        return self is PlanKind.LESSON_PLAN


@dataclass
class Plan:
    """A Markdown file as read."""

    path: Path
    text: str
    kind: PlanKind
    doc: Markdown | None = None
    lesson: dict[str, Any] | None = None
    reviews: list[dict[str, Any]] = field(default_factory=list)
    recorder: Recorder | None = None
    problems: list[Finding] = field(default_factory=list)  # S-findings: unreadable, not a plan
    outline: Outline | None = None  # a course or module outline
    pages: list[Page] = field(default_factory=list)  # a page review's pages

    @property
    def notes(self) -> list[Note]:
        return self.recorder.notes if self.recorder else []


def sniff(doc: Markdown) -> tuple[PlanKind, list[str]]:
    """The kind of document, and for a non-plan what a plan would have had.

    A lesson plan is recognised first (its sections are the most specific), then a page
    review (a heading naming a page, with feedback or expected knowledge under it), an outline
    (series, or modules with content bullets), and study notes (question headings over
    bullets); see docs/import.md."""
    found = {section_key(s.title.text) for s in doc.root.walk() if s.level}
    phases = any(is_phase(s.title.text) for s in doc.root.walk() if s.level)
    if sum(key in found for key in _ESSENTIAL) >= 2 or (phases and found & set(_ESSENTIAL)):
        return PlanKind.LESSON_PLAN, []
    if looks_like_page_review(doc):
        return PlanKind.PAGE_REVIEW, []
    if looks_like_outline(doc):
        return PlanKind.OUTLINE, []
    if looks_like_notes(doc):
        return PlanKind.STUDY_NOTES, []
    return PlanKind.NOT_A_PLAN, [_NAMES[key] for key in _ESSENTIAL if key not in found]


_NOT_ANY_KIND = (
    "; nor is it a course or module outline (chapter or module headings with content "
    "bullets), a page review (a heading naming a page, over General Feedback or Expected "
    "Knowledge) or study notes (headings asking questions, over bullets)"
)


def read_plan(path: Path, config: Config | None = None, *, text: str | None = None) -> Plan:
    """Read one Markdown file; problems (unreadable, not a plan) are findings on the plan."""
    config = config or Config()
    if text is None:
        try:
            size = path.stat().st_size
            if size > config.max_file_size:
                return Plan(
                    path, "", PlanKind.NOT_A_PLAN, problems=[too_large(size, config.max_file_size)]
                )
            raw = path.read_bytes()
        except OSError as error:
            problem = unreadable(f"cannot read the file: {error.strerror}", Span(1, 1))
            return Plan(path, "", PlanKind.NOT_A_PLAN, problems=[problem])
        if b"\x00" in raw[:8192]:
            problem = unreadable("binary file: not a Markdown planning document", Span(1, 1))
            return Plan(path, "", PlanKind.NOT_A_PLAN, problems=[problem])
        decoded, problems = decode(raw)
        if decoded is None:
            return Plan(path, "", PlanKind.NOT_A_PLAN, problems=problems)
        text = decoded
    doc = parse(text, peer=is_peer)
    kind, missing = sniff(doc)
    if kind is PlanKind.NOT_A_PLAN:
        message = (
            "not a lesson planning document: it has none of the sections a plan has "
            f"({', '.join(missing)}), or only one of them{_NOT_ANY_KIND}"
        )
        return Plan(path, text, kind, doc, problems=[schema_violation(message, Span(1, 1))])
    recorder = Recorder(doc)
    types = tuple(dict.fromkeys([*config.lesson_types, *DEFAULT_LESSON_TYPES]))
    if kind is PlanKind.OUTLINE:
        return Plan(path, text, kind, doc, recorder=recorder, outline=_outline(doc, recorder))
    if kind is PlanKind.PAGE_REVIEW:
        pages = PageReviewReader(doc, recorder).read()
        return Plan(path, text, kind, doc, recorder=recorder, pages=pages)
    if kind is PlanKind.STUDY_NOTES:
        stem = path.stem.replace("_", " ")
        lesson = NotesReader(
            doc,
            recorder,
            fallback_id=slugify(stem, words=12) or "study-notes",
            fallback_title=fallback_title(path.stem),
            lesson_type="BUILD" if "BUILD" in config.lesson_types else config.lesson_types[0],
            target_depth=config.depth_scale[min(2, len(config.depth_scale) - 1)],
        ).read()
        return Plan(path, text, kind, doc, lesson=lesson, recorder=recorder)
    reader = LessonReader(
        doc,
        recorder,
        scale=tuple(config.depth_scale),
        types=types,
        fallback_id=slugify(path.stem, words=12) or "lesson",
    )
    lesson = reader.read()
    reviews = ReviewReader(doc, recorder, lesson_id=str(lesson.get("id", ""))).read()
    _status(lesson, reviews, recorder)
    return Plan(path, text, kind, doc, lesson, reviews, recorder)


def _outline(doc: Markdown, recorder: Recorder) -> Outline:
    return OutlineReader(doc, recorder).read()


def _status(lesson: dict[str, Any], reviews: list[dict[str, Any]], rec: Recorder) -> None:
    """A status the plan does not state: ready after a PASS, in review after any review."""
    if "status" in lesson:
        return
    if reviews and reviews[-1].get("verdict") == "PASS":
        lesson["status"] = "ready"
        reason = "the latest review passes"
    elif reviews:
        lesson["status"] = "in-review"
        reason = "it has reviews and the latest does not pass"
    else:
        lesson["status"] = "draft"
        reason = "it has no review"
    sections = review_sections(rec.doc)
    where = sections[-1].title if sections else None
    rec.inferred(where, f"status '{lesson['status']}': {reason}")


def plan_documents(
    plan: Plan,
    config: Config,
    *,
    content_hash: Callable[[Lesson], str] | None = None,
) -> list[Document]:
    """The lesson and review documents of a plan, schema-checked, for `validate`.

    The lesson has the plan's path, each review a name of its own (`plan.md#review-2`); all
    have the plan as `origin`, and their sources map positions into the Markdown text.
    `content_hash` (given by the caller, which may know the course) is recorded on the latest
    review when it passes: importing ties that review to the lesson as planned.
    """
    if plan.kind is not PlanKind.NOT_A_PLAN and not plan.kind.validated_in_place:
        return []  # an outline, a page review or notes: checked once imported (docs/import.md)
    if plan.lesson is None or plan.doc is None or plan.recorder is None:
        document = Document(plan.path, DocumentKind.LESSON)
        document.findings = list(plan.problems)
        return [document]
    context = {"lesson_types": tuple(config.lesson_types), "depth_scale": tuple(config.depth_scale)}
    positions = plan.recorder.positions
    lesson_source = markdown_source(plan.doc, plan.lesson, positions, LESSON)
    lesson_doc = Document(plan.path, DocumentKind.LESSON, lesson_source, origin=plan.path)
    model, problems = check_schema(lesson_source, DocumentKind.LESSON, context=context)
    lesson_doc.model, lesson_doc.findings = model, problems
    documents = [lesson_doc]
    stamp_review_hash(plan, model, content_hash)
    for index, data in enumerate(plan.reviews):
        source = markdown_source(plan.doc, data, positions, ("reviews", index))
        name = plan.path.with_name(f"{plan.path.name}#review-{index + 1}")
        document = Document(name, DocumentKind.REVIEW, source, origin=plan.path)
        document.model, document.findings = check_schema(
            source, DocumentKind.REVIEW, context=context
        )
        documents.append(document)
    return documents


def stamp_review_hash(
    plan: Plan, lesson: BaseModel | None, content_hash: Callable[[Lesson], str] | None
) -> None:
    """Record the lesson's content hash on the latest review when it passes."""
    if not plan.reviews or content_hash is None or not isinstance(lesson, Lesson):
        return
    latest = plan.reviews[-1]
    if latest.get("verdict") == "PASS" and "content_hash" not in latest:
        latest["content_hash"] = content_hash(lesson)


def looks_like_plan(path: Path) -> bool:
    """Whether a Markdown file found in a folder is worth reading as a plan (a cheap look at
    its headings), so a README beside the lessons is not reported as a broken plan."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:200_000]
    except OSError:
        return False
    headings = [canon(line) for line in head.splitlines() if re.match(r"^#{1,6}\s", line)]
    hits = sum(
        any(cue in heading for heading in headings)
        for cue in ("misconception", "prerequisite", "outline", "student state", "relevant concept")
    )
    return hits >= 2


__all__ = [
    "MARKDOWN_SUFFIXES",
    "Note",
    "NoteKind",
    "Plan",
    "PlanKind",
    "looks_like_plan",
    "plan_documents",
    "read_plan",
]
