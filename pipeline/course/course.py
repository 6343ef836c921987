"""The course: every document of the project that a check may consult, indexed, and its ledger.

Built once per run from the documents as read. A lesson file that could not be read or failed
its schema (S001-S004) is kept out of the index (its own file reports why), but it still exists
for the course: its id is recovered (from its data, an `id:` line or its file name), so claims,
curriculum entries and reviews that name it are not reported as naming a lesson that does not
exist; the rules that needed its content say so once, as a note.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import UsageError
from ..core.suggest import did_you_mean
from ..read.documents import Document, DocumentKind
from ..read.recover import recovered_id
from ..schemas import Config, Curriculum, Glossary, Lesson, Review
from .glossary import ConceptIndex, build_index
from .ledger import Ledger, build_ledger
from .reviews import content_hash


@dataclass
class Course:
    """Every document of the project that the rules may consult, and the ledger."""

    root: Path
    config: Config
    documents: list[Document]
    lessons: dict[str, Document] = field(default_factory=dict)
    curriculum_document: Document | None = None
    glossary_document: Document | None = None
    broken: set[str] = field(default_factory=set)
    broken_files: dict[str, Path] = field(default_factory=dict)  # recovered id -> its file
    reviews: dict[str, list[Document]] = field(default_factory=dict)
    concepts: ConceptIndex = field(init=False)  # the glossary: every name -> canonical id
    ledger: Ledger = field(init=False)
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for document in sorted(self.documents, key=lambda d: d.path):
            if document.kind is DocumentKind.CURRICULUM and self.curriculum_document is None:
                self.curriculum_document = document
            elif document.kind is DocumentKind.GLOSSARY and self.glossary_document is None:
                self.glossary_document = document
            elif document.kind is DocumentKind.LESSON and isinstance(document.model, Lesson):
                self.lessons.setdefault(document.model.id, document)
            elif document.kind is DocumentKind.LESSON:
                # A lesson file that failed S001-S004 is reported in its own file; what cites
                # it is not checked against it, rather than reported as citing nothing.
                lesson_id = recovered_id(document, root=self.root, limit=self.config.max_file_size)
                if lesson_id is not None:
                    self.broken_files.setdefault(lesson_id, document.file)
            elif document.kind is DocumentKind.REVIEW and isinstance(document.model, Review):
                self.reviews.setdefault(document.model.lesson, []).append(document)
        self.broken = set(self.broken_files) - set(self.lessons)
        self.broken_files = {i: p for i, p in self.broken_files.items() if i in self.broken}
        for iterations in self.reviews.values():
            iterations.sort(key=_review_order)
        models = {lesson_id: doc.model for lesson_id, doc in self.lessons.items()}
        scale = tuple(self.config.depth_scale)
        self.concepts = build_index(self.glossary)
        self.ledger = build_ledger(
            models,  # type: ignore[arg-type]
            self.curriculum,
            scale,
            self.concepts,
        )

    @property
    def curriculum(self) -> Curriculum | None:
        document = self.curriculum_document
        return document.model if document and isinstance(document.model, Curriculum) else None

    @property
    def glossary(self) -> Glossary | None:
        document = self.glossary_document
        return document.model if document and isinstance(document.model, Glossary) else None

    def content_hash(self, lesson_id: str) -> str | None:
        """The content hash of a lesson, computed once per run and only when asked for."""
        if lesson_id not in self._hashes:
            lesson = self.lesson(lesson_id)
            self._hashes[lesson_id] = content_hash(lesson) if lesson else None
        return self._hashes[lesson_id]

    def history(self, lesson_id: str) -> list[Review]:
        """The lesson's review iterations, in order."""
        return [d.model for d in self.reviews.get(lesson_id, []) if isinstance(d.model, Review)]

    def latest_review(self, lesson_id: str) -> Review | None:
        """The lesson's latest review iteration, or None before the first."""
        history = self.history(lesson_id)
        return history[-1] if history else None

    def lesson(self, lesson_id: str) -> Lesson | None:
        document = self.lessons.get(lesson_id)
        return document.model if document else None  # type: ignore[return-value]

    def find_lesson(self, name: str, cwd: Path) -> Document:
        """The lesson named by id or by file path; UsageError with a suggestion otherwise."""
        candidate = (cwd / name).resolve()
        for document in self.lessons.values():
            if document.path == candidate:
                return document
        if name in self.lessons:
            return self.lessons[name]
        if name in self.broken:
            raise UsageError(f"lesson '{name}' has schema errors; `lessonkit validate` shows them")
        raise UsageError(f"no lesson '{name}'{did_you_mean(name, self.lessons)}")

    def cycle(self, lesson_id: str) -> list[Review]:
        """The iterations of the lesson's current review cycle (the latest one), in order."""
        history = self.history(lesson_id)
        if not history:
            return []
        return [review for review in history if review.cycle == history[-1].cycle]

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


def _review_order(document: Document) -> tuple[int, int, Path]:
    review = document.model
    assert isinstance(review, Review)
    return (review.cycle, review.iteration, document.path)
