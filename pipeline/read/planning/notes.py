"""Raw study notes read into a draft lesson: the stage before a plan exists.

Notes are headings (often questions: "What is a gradient?") over bullets. The draft keeps
them and derives what they state:
- each heading becomes an outline section, its bullets kept as written in the section's
  `notes` (the designer's material) and a TODO for the `body` the student will read;
- a bullet that asks a question becomes a check of its section, with the `Answer:` bullet
  after it as the answer (a TODO when the notes give none);
- a heading that asks a question becomes an expected-knowledge question;
- everything a plan decides that notes do not (type, misconceptions, examples, modalities,
  load, scope) is the TODO placeholder `lessonkit new` writes, so `validate` lists each.
"""

from __future__ import annotations

import re
from typing import Any

from ...core.diagnostics import DataPath
from .blocks import Item, Markdown, Section
from .drafts import draft_lesson
from .lesson_plan import LESSON
from .located import Located
from .questions import question_kind
from .source import Recorder
from .values import slugify

Data = dict[str, Any]

_INTERROGATIVE = (
    r"(?:what|what's|why|how|when|where|which|who|is|are|does|do|did|can|could|should|"
    r"would|will|isn't|doesn't)"
)
# A question, possibly after a short label: "Why do we ...?", "direction: does W ...?".
_QUESTION = re.compile(rf"^(?:[\w /'-]{{1,30}}:\s*)?{_INTERROGATIVE}\b.*\?\s*$", re.I | re.S)
_ANSWER = re.compile(r"^\s*(?:\*\*)?answer\s*:(?:\*\*)?\s*", re.I)


def headings(doc: Markdown) -> list[Section]:
    """The document's headings (bold labels stay text of their section, and a heading with no
    text is none: its bullets belong to the heading before it)."""
    return [s for s in doc.root.walk() if s.level and not s.bold and s.title.text.strip()]


def looks_like_notes(doc: Markdown) -> bool:
    """At least two headings that ask questions, half the headings or more, over bullets."""
    found = headings(doc)
    asked = [s for s in found if s.title.text.rstrip().endswith("?")]
    bullets = any(
        block.kind in ("bullet_list", "ordered_list") for s in doc.root.walk() for block in s.blocks
    )
    return len(asked) >= 2 and 2 * len(asked) >= len(found) and bullets


class NotesReader:
    """Reads study notes; `read()` returns the draft lesson's data."""

    def __init__(
        self,
        doc: Markdown,
        rec: Recorder,
        *,
        fallback_id: str,
        fallback_title: str,
        lesson_type: str,
        target_depth: str,
    ) -> None:
        self.doc = doc
        self.rec = rec
        self.fallback_id = fallback_id
        self.fallback_title = fallback_title
        self.lesson_type = lesson_type
        self.target_depth = target_depth

    def put(self, path: DataPath, value: Located) -> str:
        return self.rec.text((*LESSON, *path), value)

    def read(self) -> Data:
        found = headings(self.doc)
        title = self._title(found)
        sections = [s for s in found if s is not title]
        outline: list[Data] = []
        questions: list[Data] = []
        for index, section in enumerate(sections):
            path: DataPath = ("design", "outline", len(outline))
            entry: Data = {"title": self.put((*path, "title"), section.title.strip())}
            own = self._own_text(section, found)
            if own.text:
                entry["notes"] = self.put((*path, "notes"), own)
            entry["body"] = "TODO: write this section for the student from its notes"
            checks = self._checks(section, path)
            if checks:
                entry["checks"] = checks
            outline.append(entry)
            if section.title.text.rstrip().endswith("?"):
                kind, cue = question_kind(section.title.text)
                qpath: DataPath = ("expected_knowledge", len(questions))
                questions.append(
                    {"kind": kind, "prompt": self.put((*qpath, "prompt"), section.title.strip())}
                )
                self.rec.inferred(
                    section.title,
                    f"heading {index + 1} asks a question: expected-knowledge question "
                    f"{len(questions)} ({kind}{', as ' + cue if cue else ''})",
                )
        before = self._before_first(found)
        lesson = draft_lesson(
            lesson_id=self.fallback_id,
            title=self.fallback_title if title is None else title.title.strip().text,
            module=None,
            position=None,
            lesson_type=self.lesson_type,
            outline=outline,
            expected_knowledge=questions,
            target_depth=self.target_depth,
        )
        if title is not None:
            self.put(("title",), title.title.strip())
        else:
            self.rec.inferred(0, f"title '{self.fallback_title}' and id taken from the file name")
        if before.text:
            lesson["other_sections"] = [
                {
                    "title": "Notes before the first heading",
                    "body": self.put(("other_sections", 0, "body"), before),
                }
            ]
            self.rec.inferred(before, "notes before the first heading kept in other_sections")
        self.rec.mapped(
            0,
            f"draft lesson: {len(outline)} outline section(s) from the headings, "
            f"{sum(len(s.get('checks', [])) for s in outline)} check(s) from the questions, "
            f"{len(questions)} expected-knowledge question(s); the rest are TODO placeholders",
        )
        return lesson

    # --- parts ---------------------------------------------------------------------------

    def _title(self, found: list[Section]) -> Section | None:
        """The first heading, when it names the notes rather than asking a question and the
        document has a single level-1 heading."""
        if not found or found[0].title.text.rstrip().endswith("?"):
            return None
        top = [s for s in found if s.level == found[0].level]
        return found[0] if len(top) == 1 and len(found) > 1 else None

    def _own_text(self, section: Section, found: list[Section]) -> Located:
        """A section's text up to the next heading (its subsections are sections of their own)."""
        following = [s.start for s in found if s.start > section.start]
        end = min(following) if following else len(self.doc.text)
        text = Located.at(self.doc.text, section.body_start, max(section.body_start, end))
        return _trim(text)

    def _before_first(self, found: list[Section]) -> Located:
        end = found[0].start if found else len(self.doc.text)
        return _trim(Located.at(self.doc.text, 0, end))

    def _checks(self, section: Section, path: DataPath) -> list[Data]:
        items: list[Item] = [
            item
            for block in section.blocks
            if block.kind in ("bullet_list", "ordered_list")
            for item in block.items
        ]
        checks: list[Data] = []
        for index, item in enumerate(items):
            first = item.text.split("\n")[0].strip()
            if not _QUESTION.match(first.text):
                continue
            cpath: DataPath = (*path, "checks", len(checks))
            check: Data = {"prompt": self.put((*cpath, "prompt"), first)}
            after = items[index + 1] if index + 1 < len(items) else None
            labelled = _ANSWER.match(after.text.text) if after is not None else None
            if after is not None and labelled is not None:
                check["answer"] = self.put(
                    (*cpath, "answer"), after.text.cut(labelled.end()).strip()
                )
                self.rec.inferred(
                    first,
                    f"check from the question in '{section.title.text}', answered on line "
                    f"{after.line + 1}",
                )
            else:
                check["answer"] = "TODO: the answer, hidden until asked for (the notes give none)"
                self.rec.inferred(
                    first,
                    f"check from the question in '{section.title.text}'; its answer is a TODO",
                )
            checks.append(check)
        return checks


def _trim(text: Located) -> Located:
    """Without blank lines around it (indentation of the first line kept)."""
    value = text.text
    start = len(value) - len(value.lstrip("\n \t"))
    start = value.rfind("\n", 0, start) + 1 if start else 0
    return text.cut(start, len(value.rstrip()))


def fallback_title(stem: str) -> str:
    """A title from a file name: `gradient-descent_notes` -> 'Gradient descent notes'."""
    words = slugify(stem.replace("_", " "), words=12).replace("-", " ")
    return words[:1].upper() + words[1:] if words else "Study notes"
