"""A reviewer's feedback on lesson pages: per page, general feedback, suggestions and an
improved "Expected Knowledge" question set.

The document is a sequence of pages, each under a heading that names the page (a file name
in a code span, `## Page: Gradient descent`). Inside a page the reader follows the text in
order rather than the heading tree, because the shape is a sequence: a `**Suggestion:**` (with
the quote or code under it) answers the feedback bullet just before it, and the
student-facing `### Expected Knowledge` heading sits at the level of the page headings.

Each page becomes:
- its questions, for the lesson's `expected_knowledge` (the reviewer's improved set);
- a review record for the importer to file as the lesson's next iteration: the general feedback
  in `overall_assessment`, and one finding per suggestion (the bullet it answers as the issue,
  the suggestion as the fix).

Which lesson a page is stays a name here: the importer matches it against the course, exactly,
and reports a name it cannot match rather than guessing.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from ...core.diagnostics import DataPath
from .blocks import Block, Item, Markdown, Section, bold_label, canon, flatten
from .located import Located, join
from .questions import read_question
from .source import Recorder
from .values import is_slug, slugify, unique

Data = dict[str, Any]

PAGES: DataPath = ("pages",)

_PAGE_FILE = re.compile(
    r"^(?:(?:page|lesson)\s*[:\-—\u2013]\s*)?`?"
    r"(?P<file>[\w./-]*?(?P<stem>[\w-]+)\.(?:md|markdown|html?|ipynb))`?$",
    re.I,
)
_PAGE_NAMED = re.compile(r"^(?:page|lesson(?: page)?)\s*[:\-—\u2013]\s*(?P<name>.+)$", re.I)
_SEPARATOR = re.compile(r"^\s*`?\s*(?:-{3,}|\*{3,}|_{3,})\s*`?\s*$")
_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_FIRST_SENTENCE = re.compile(r"^(?P<sentence>.+?[.!?])(?=\s|$)", re.S)
_STUDENT_IMPACT = "TODO: what this does to the student (the page review does not say)"


def page_name(title: str) -> tuple[str, str] | None:
    """(the name as written, the lesson id it stands for) when a heading names a page."""
    text = title.strip()
    found = _PAGE_FILE.match(text)
    if found:
        stem = found.group("stem")
        return found.group("file"), stem if is_slug(stem) else slugify(stem, words=12)
    named = _PAGE_NAMED.match(text)
    if named:
        name = named.group("name").strip().strip("`*").strip()
        return name, name if is_slug(name) else slugify(name, words=12)
    return None


def looks_like_page_review(doc: Markdown) -> bool:
    """A heading that names a page, and feedback or expected-knowledge parts under pages."""
    titles = [s.title.text for s in doc.root.walk() if s.level]
    pages = sum(page_name(title) is not None for title in titles)
    parts = sum(
        any(cue in canon(title) for cue in ("feedback", "expected knowledge", "suggestion"))
        for title in titles
    )
    return pages >= 1 and parts >= 1


@dataclass
class Suggestion:
    """A suggestion and the feedback bullet it answers (None when it stands alone)."""

    label: Located
    issue: Item | None
    parts: list[Located] = field(default_factory=list)


@dataclass
class Page:
    """One page of the review as read."""

    name: Located  # as written: `loss-functions.md`
    lesson: str  # the lesson id the name stands for
    index: int
    questions: list[Data] = field(default_factory=list)
    review: Data = field(default_factory=dict)  # overall_assessment, findings (no identity)
    date: datetime.date | None = None

    @property
    def has_feedback(self) -> bool:
        return bool(self.review.get("overall_assessment") or self.review.get("findings"))


class PageReviewReader:
    """Reads every page of a page review; `read()` returns them in document order."""

    def __init__(self, doc: Markdown, rec: Recorder) -> None:
        self.doc = doc
        self.rec = rec
        self.pages: list[Page] = []

    def read(self) -> list[Page]:
        date, dated = self._date()
        page: _PageState | None = None
        for section, block in flatten(self.doc):
            if block is None:
                named = page_name(section.title.text) if not section.bold else None
                if named is not None:
                    if page is not None:
                        self._finish(page)
                    page = _PageState(self._new_page(section.title, named[1]), section.title)
                    page.page.date = date
                elif page is None:
                    self.rec.unmapped(
                        section.title,
                        f"'{section.title.text}' comes before the first page heading; "
                        "not attached to a lesson",
                    )
                else:
                    self._heading(page, section)
                continue
            if page is None:
                if block.kind != "hr" and not _SEPARATOR.match(block.text.text):
                    self.rec.unmapped(
                        block.text,
                        "text before the first page heading; not attached to a lesson"
                        + (" (the review date is read from it)" if block is dated else ""),
                    )
                continue
            self._block(page, block)
        if page is not None:
            self._finish(page)
        return self.pages

    # --- reading -------------------------------------------------------------------------

    def _new_page(self, title: Located, lesson: str) -> Page:
        text = title.strip()
        found = _PAGE_FILE.match(text.text)
        named = _PAGE_NAMED.match(text.text)
        if found:
            name = text.sub(found, "file")
        elif named:
            name = text.sub(named, "name").strip().strip("`*").strip()
        else:
            name = text
        page = Page(name, lesson, len(self.pages))
        self.rec.text((*PAGES, page.index, "name"), name)
        self.pages.append(page)
        return page

    def _heading(self, state: _PageState, section: Section) -> None:
        name = canon(section.title.text)
        if _SEPARATOR.match(section.title.text):
            # "`---`" over a `---` line is a setext heading made of a separator: one more rule.
            state.suggestion = None
            return
        if section.bold and name.startswith("suggestion"):
            state.start_suggestion(section.title, None)
            return
        if section.bold and state.part != "other":
            # Any other bold label (`**Strengths:**`) is text of the part it stands in.
            state.suggestion = None
            (state.intro if state.part == "intro" else state.prose).append(section.title)
            return
        state.suggestion = None
        if "expected knowledge" in name:
            state.part = "questions"
            state.improved = "improved" in name or "revised" in name
        elif name.startswith("suggestion"):
            state.part = "suggestions"
            state.heading = section.title
        elif "feedback" in name or "what works" in name or name in ("overall", "general"):
            state.part = "feedback"
            state.heading = section.title
        else:
            state.part = "other"
            self.rec.unmapped(
                section.title,
                f"'{section.title.text}' on page '{state.page.name.text}' has no place in a "
                "review record or the expected knowledge; left out",
            )

    def _block(self, state: _PageState, block: Block) -> None:
        if block.kind == "hr" or _SEPARATOR.match(block.text.text):
            state.suggestion = None
            return
        lists = block.kind in ("bullet_list", "ordered_list")
        if state.part == "questions":
            if lists:
                for item in block.items:
                    self._question(state, item)
            elif state.improved:
                state.question_notes.append(block.text)
            else:
                self.rec.unmapped(
                    block.text,
                    "the expected-knowledge section's introduction has no field on the lesson; "
                    "left out",
                )
            return
        if state.part == "other":
            return
        labelled = bold_label(block.text) if block.kind == "paragraph" else None
        if labelled is not None and canon(labelled[0].text).startswith("suggestion"):
            state.start_suggestion(labelled[0], labelled[1].strip())
            return
        items = [item for item in block.items if item.text.text.strip()]
        if lists and state.part == "suggestions":
            for item in items:
                state.start_suggestion(item.text, item.text, standalone=True)
                state.suggestion = None
            return
        if lists:
            state.suggestion = None
            state.bullets.extend(items)
            state.unclaimed = items[-1] if items else None
            return
        if state.suggestion is not None:
            state.suggestion.parts.append(block.text)
        elif state.part == "intro":
            state.intro.append(block.text)
        else:
            state.prose.append(block.text)

    def _question(self, state: _PageState, item: Item) -> None:
        page = state.page
        question = read_question(item.text)
        if not question.prompt.text.strip():
            return  # an empty list item asks nothing
        path: DataPath = (*PAGES, page.index, "questions", len(page.questions))
        entry: Data = {
            "kind": question.kind,
            "prompt": self.rec.text((*path, "prompt"), question.prompt),
        }
        if question.choices:
            entry["choices"] = [
                {
                    "text": self.rec.text((*path, "choices", i), text),
                    **({"correct": True} if ok else {}),
                }
                for i, (text, ok) in enumerate(question.choices)
            ]
        if question.answer is not None and question.answer.text:
            entry["answer"] = self.rec.text((*path, "answer"), question.answer)
        if question.cue:
            self.rec.inferred(
                item.text, f"question {len(page.questions) + 1}: {question.kind}, as {question.cue}"
            )
        if question.unmarked_choices:
            self.rec.unmapped(
                item.text,
                f"question {len(page.questions) + 1} lists choices but marks none correct; "
                f"kept in the prompt of an {question.kind} question",
            )
        page.questions.append(entry)

    def _finish(self, state: _PageState) -> None:
        page = state.page
        claimed = {id(s.issue) for s in state.suggestions if s.issue is not None}
        general = [item for item in state.bullets if id(item) not in claimed]
        parts: list[Located] = list(state.intro)
        if general:
            parts.append(join([Located.plain("- ") + _indent(item.text) for item in general]))
        parts += state.prose
        if state.question_notes:
            parts.append(
                Located.plain("On the expected-knowledge questions: ")
                + join(state.question_notes, "\n\n")
            )
        base: DataPath = (*PAGES, page.index, "review")
        if parts:
            page.review["overall_assessment"] = self.rec.text(
                (*base, "overall_assessment"), join(parts, "\n\n")
            )
        taken: set[str] = set()
        findings = []
        where = state.heading.text if state.heading is not None else "the page"
        for index, suggestion in enumerate(state.suggestions):
            path: DataPath = (*base, "findings", index)
            fix = join(suggestion.parts, "\n\n").strip()
            issue = suggestion.issue.text if suggestion.issue is not None else None
            title = _first_sentence(issue if issue is not None else fix or suggestion.label)
            finding: Data = {
                "id": unique(slugify(title.text, words=6), taken, "suggestion"),
                "severity": "IMPROVEMENT",
                "title": self.rec.text((*path, "title"), title),
                "location": f"{page.name.text} ({where})",
                "issue": self.rec.text((*path, "issue"), issue)
                if issue is not None
                else "TODO: what is wrong (the page review states only the suggestion)",
                "student_impact": _STUDENT_IMPACT,
                "suggested_fix": self.rec.text((*path, "suggested_fix"), fix)
                if fix.text
                else "TODO: the suggestion (the page review's label has no text)",
            }
            findings.append(finding)
            self.rec.inferred(
                suggestion.label,
                f"suggestion on '{page.name.text}' recorded as an IMPROVEMENT finding "
                f"'{finding['id']}': the page review grades none; the reviewer sets the severity "
                "and the student impact (a TODO) before signing",
            )
        if findings:
            page.review["findings"] = findings
        self.rec.mapped(
            page.name,
            f"page '{page.name.text}': {len(page.questions)} expected-knowledge question(s), "
            f"{len(general)} general feedback item(s), {len(findings)} suggestion(s)",
        )

    def _date(self) -> tuple[datetime.date | None, Block | None]:
        """A date the document states (YYYY-MM-DD) before its first page, and its block."""
        for section, block in flatten(self.doc):
            text = section.title if block is None else block.text
            if block is None and page_name(section.title.text) is not None:
                break
            found = _DATE.search(text.text)
            if found:
                try:
                    date = datetime.date(*(int(part) for part in found.groups()))
                except ValueError:
                    continue
                self.rec.text(("date",), text.sub(found))
                return date, block
        return None, None


@dataclass
class _PageState:
    """Where the reader is inside one page."""

    page: Page
    title: Located
    part: str = "intro"  # intro, feedback, suggestions, questions, other
    heading: Located | None = None
    improved: bool = False
    intro: list[Located] = field(default_factory=list)
    prose: list[Located] = field(default_factory=list)
    bullets: list[Item] = field(default_factory=list)
    unclaimed: Item | None = None  # the last bullet, until a suggestion answers it
    suggestion: Suggestion | None = None
    suggestions: list[Suggestion] = field(default_factory=list)
    question_notes: list[Located] = field(default_factory=list)

    def start_suggestion(
        self, label: Located, text: Located | None, *, standalone: bool = False
    ) -> None:
        issue = None if standalone else self.unclaimed
        self.unclaimed = None
        suggestion = Suggestion(label, issue, [text] if text is not None and text.text else [])
        self.suggestions.append(suggestion)
        self.suggestion = suggestion


def _first_sentence(text: Located) -> Located:
    found = _FIRST_SENTENCE.match(text.text)
    sentence = text.sub(found, "sentence") if found else text
    return sentence.strip()


def _indent(text: Located) -> Located:
    """An item's text as the body of a `- ` item: continuation lines indented by two."""
    lines = text.split("\n")
    return join(
        [lines[0], *(Located.plain("  ") + line if line.text else line for line in lines[1:])]
    )
