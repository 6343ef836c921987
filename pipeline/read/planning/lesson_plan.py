"""A lesson planning document (seed 002's shape) read into lesson data.

The document's sections are found by what their headings say, not by their order or level:
"Misconceptions Table", "Misconceptions" and a bold `**Misconceptions:**` label all land in
`analysis.misconceptions`. A section no field takes is kept in `other_sections`, never
dropped. Every value is recorded with the text it came from (see `source.Recorder`), and
every guess the reader makes, and everything it cannot place, becomes a note in the import
report with its line.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from ...core.diagnostics import DataPath
from .blocks import Block, Item, Markdown, Section, bold_label, canon
from .located import Located, join
from .source import Recorder
from .tables import Table, read_table
from .values import (
    Citation,
    overlap,
    quoted,
    read_citation,
    read_depth,
    read_status,
    slugify,
    strip_quotes,
    unique,
    words,
)

Data = dict[str, Any]

LESSON: DataPath = ("lesson",)

# Heading words -> the part of the plan the section holds, most specific first.
_SECTION_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("checklists", ("checklist",)),
    ("expected_knowledge", ("expected knowledge",)),
    ("target_depths", ("target depth",)),
    ("target_concept", ("target concept",)),
    ("mental_models", ("mental model",)),
    ("not_covered", ("not covered", "explicitly not")),
    ("readiness", ("readiness",)),
    ("concepts", ("relevant concept", "concepts the student", "student has", "known concept")),
    ("gap_resolution", ("gap resolution",)),
    ("prerequisites", ("prerequisite",)),
    ("misconceptions", ("misconception",)),
    ("examples", ("examples planned", "planned example", "example")),
    ("narrative_arc", ("narrative",)),
    ("modalities", ("modalit",)),
    ("cognitive_load", ("cognitive load",)),
    ("misleading", ("misleading",)),
    ("connections", ("connection",)),
    ("is_not_about", ("is not about", "not about")),
    ("is_about", ("is about",)),
    ("scope", ("scope",)),
    ("outline", ("outline", "lesson structure")),
)
_PHASE = re.compile(r"^phase\s*(\d|one|two|three)\b|^(orient|analy[sz]e|analysis|design)$")
_REVIEW = re.compile(r"^review\b")
_SECTION_KINDS: tuple[tuple[str, str], ...] = (
    ("negative example", "negative-example"),
    ("context", "context"),
    ("hook", "hook"),
    ("explain", "explain"),
    ("explanation", "explain"),
    ("explore", "explore"),
    ("elaborate", "elaborate"),
    ("example", "example"),
    ("check", "check"),
    ("practice", "practice"),
    ("exercise", "practice"),
    ("summar", "summary"),
    ("recap", "summary"),
    ("next", "next"),
    ("preview", "next"),
)
_TITLE = re.compile(
    r"^(?:lesson(?:\s+plan)?\s*(?P<dotted>\d+(?:\.\d+)+)?\s*[:\-—\u2013]\s*)?"
    r"(?P<name>.+?)\s*(?:\((?P<where>[^()]*)\))?\s*$",
    re.IGNORECASE,
)
_WHERE = re.compile(
    r"module\s*(?P<module>\d+(?:\.\d+)*)\s*(?:,\s*lesson\s*(?P<position>\d+))?", re.IGNORECASE
)
_DOTTED = re.compile(r"^(?P<module>\d+(?:\.\d+)*)\.(?P<position>\d+)$")
_NUMBERED_TITLE = re.compile(r"^\s*(?:\*\*)?\s*(?P<number>\d+)[.)]\s+(?P<title>.+?)\s*$")
_SEPARATOR = re.compile(r"\s+(?:--|—|\u2013|-)\s+|:\s+")
_NOTEBOOK = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.ipynb)")
_ANSWER_LABEL = re.compile(
    r"^\s*(?:\*\*)?(?:answer|expected(?:\s+answer)?(?:\s+response)?)\s*:(?:\*\*)?\s*", re.I
)
_FOLLOW_UP = re.compile(r"(?:^|\s)(?:\*\*)?follow[- ]?up(?:\s*question)?\s*:(?:\*\*)?\s*", re.I)
_DETAILS = re.compile(r"<details>\s*(?:<summary>.*?</summary>)?(?P<inner>.*?)</details>", re.S)


def section_key(title: str) -> str | None:
    """Which part of the plan a heading names, or None."""
    name = canon(title)
    if name.startswith("prerequisite audit"):
        return None
    for key, cues in _SECTION_KEYS:
        if any(cue in name for cue in cues):
            return key
    return None


def is_peer(label: str) -> bool:
    """Whether a bold label stands for a section at the level of the heading before it
    (`**Modalities Planned:**` after `### Narrative Arc`), rather than inside it."""
    return not re.match(r"^\s*\d", label) and section_key(label) is not None


def is_phase(title: str) -> bool:
    return bool(_PHASE.match(canon(title)))


def is_review(title: str) -> bool:
    return bool(_REVIEW.match(canon(title)))


def title_heading(doc: Markdown) -> Section | None:
    """The document's first level-1 heading (the lesson title)."""
    return next((s for s in doc.root.children if s.level == 1 and not s.bold), None)


class LessonReader:
    """Reads one planning document's lesson; `read()` returns the lesson data."""

    def __init__(
        self,
        doc: Markdown,
        rec: Recorder,
        *,
        scale: tuple[str, ...],
        types: tuple[str, ...],
        fallback_id: str,
    ) -> None:
        self.doc = doc
        self.rec = rec
        self.scale = scale
        self.types = types
        self.fallback_id = fallback_id
        self.data: Data = {}
        self.ids: dict[str, set[str]] = {}
        self.sections: list[tuple[Section, Data]] = []  # outline sections with their data

    # --- helpers ------------------------------------------------------------------------

    def put(self, path: DataPath, value: Located) -> str:
        return self.rec.text((*LESSON, *path), value)

    def region(self, path: DataPath, section: Section | Block) -> None:
        if isinstance(section, Section):
            self.rec.region((*LESSON, *path), section.start, section.end)
        else:
            start = section.text.start or 0
            self.rec.region((*LESSON, *path), start, section.text.end or start)

    def new_id(self, group: str, text: str, fallback: str) -> str:
        return unique(slugify(text, words=5), self.ids.setdefault(group, set()), fallback)

    def lines(self, section: Section) -> int:
        return section.line + 1

    # --- the document -------------------------------------------------------------------

    def read(self) -> Data:
        title = title_heading(self.doc)
        self._identity(title)
        container = title if title is not None else self.doc.root
        self._header(container)
        for child in container.children:
            self._visit(child)
        if title is not None:
            for sibling in self.doc.root.children:
                if sibling is not title:
                    self._visit(sibling)
        self._practice_notebook()
        self._link_outline()
        return self.data

    def _visit(self, section: Section) -> None:
        name = section.title.text
        if is_review(name):
            return  # the review reader takes these
        key = section_key(name)
        if key is not None:
            getattr(self, f"_{key}")(section)
            return
        if is_phase(name):
            leftover = [b for b in section.blocks if b.kind != "hr"]
            if leftover:
                self._other(section, only_blocks=True)
            for child in section.children:
                self._visit(child)
            return
        self._other(section)

    def _other(self, section: Section, *, only_blocks: bool = False) -> None:
        """A section no field takes: kept with its title and text."""
        others = self.data.setdefault("other_sections", [])
        index = len(others)
        path: DataPath = ("other_sections", index)
        entry: Data = {"title": self.put((*path, "title"), section.title)}
        if only_blocks:
            blocks = [b for b in section.blocks if b.kind != "hr"]
            body = join([b.text for b in blocks], "\n\n")
        else:
            body = self.doc.body(section)
        if body.text:
            entry["body"] = self.put((*path, "body"), body)
        others.append(entry)
        self.region(path, section)
        self.rec.inferred(
            section.title, f"section '{section.title.text}' has no field; kept in other_sections"
        )

    # --- identity -------------------------------------------------------------------------

    def _identity(self, title: Section | None) -> None:
        if title is None:
            self.data["id"] = self.fallback_id
            self.rec.unmapped(0, "no '# Lesson: ...' title; the id comes from the file name")
            return
        match = _TITLE.match(title.title.text)
        assert match is not None
        name = title.title.sub(match, "name").strip()
        where = match.group("where") or ""
        self.rec.region((*LESSON, "id"), title.title.start or 0, title.title.end or 0)
        if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name.text):
            self.data["id"] = self.put(("id",), name)
            self.data["title"] = self.put(("title",), name)
            self.rec.inferred(name, f"the title is only the slug '{name.text}'; kept as the title")
        else:
            slug = re.search(r"`([a-z0-9]+(?:-[a-z0-9]+)*)`", where) or re.search(
                r"\b([a-z0-9]+(?:-[a-z0-9]+)+)\b", where
            )
            lesson_id = slug.group(1) if slug else self.fallback_id
            self.data["id"] = lesson_id
            self.data["title"] = self.put(("title",), name)
            if not slug:
                self.rec.inferred(name, f"id '{lesson_id}' taken from the file name")
        located = _WHERE.search(where)
        dotted = _DOTTED.match(where.strip()) or _DOTTED.match(match.group("dotted") or "")
        module = position = None
        if located:
            module, position = located.group("module"), located.group("position")
        elif dotted:
            module, position = dotted.group("module"), dotted.group("position")
        if module:
            self.data["module"] = module
            self.rec.region((*LESSON, "module"), title.start, title.body_start)
        if position:
            self.data["position"] = int(position)
            self.rec.region((*LESSON, "position"), title.start, title.body_start)

    def _header(self, container: Section) -> None:
        """`**Type:**`, `**Previous lesson:**`, `**Next lesson:**`, ... lines under the title."""
        for block in container.blocks:
            if block.kind != "paragraph":
                continue
            for line in block.text.split("\n"):
                labelled = bold_label(line)
                if labelled is None:
                    continue
                label, value = labelled
                value = value.strip()
                self._header_field(canon(label.text), label, value)

    def _header_field(self, label: str, where: Located, value: Located) -> None:
        if label == "type" or label == "lesson type":
            word = re.match(r"[A-Za-z_-]+", value.text)
            if word and word.group(0).upper() in self.types:
                self.data["type"] = self.put(("type",), value.cut(0, word.end()))
                if value.text.strip() != word.group(0):
                    self.data["type_note"] = self.put(("type_note",), value)
            elif value.text:
                self.data["delivery"] = self.put(("delivery",), value)
                self.rec.inferred(
                    value,
                    f"'{value.text}' in the Type line is not a lesson type; kept as the delivery",
                )
        elif label.startswith("previous"):
            self._link("previous", value)
        elif label.startswith("next"):
            self._link("next", value)
        elif label == "module":
            self.data["module"] = self.put(("module",), value)
        elif label in ("position", "lesson"):
            if value.text.isdigit():
                self.data["position"] = int(value.text)
                self.put(("position",), value)
        elif label == "status":
            self.data["status"] = self.put(("status",), value)
        else:
            self.rec.unmapped(where, f"header line '{where.text}' has no field")

    def _link(self, field: str, value: Located) -> None:
        head = re.match(r"`?([a-z0-9]+(?:-[a-z0-9]+)*)`?(?:\s*\(.*\))?\s*$", value.text)
        if head:
            self.data[field] = self.put((field,), value.cut(head.start(1), head.end(1)))
        elif field == "next" and value.text and not value.text.lower().startswith("none"):
            self.data["next_note"] = self.put(("next_note",), value)
        elif (
            field == "previous"
            and value.text
            and not value.text.lower().startswith(("none", "n/a", "first"))
        ):
            self.data["previous_note"] = self.put(("previous_note",), value)
            self.rec.inferred(value, "previous lesson is not a lesson id; kept as previous_note")

    # --- Phase 1 ------------------------------------------------------------------------

    def _state(self) -> Data:
        return self.data.setdefault("student_state", {})

    def _concepts(self, section: Section) -> None:
        rows = self._state().setdefault("concepts", [])
        base: DataPath = ("student_state", "concepts")
        self.region(base, section)
        table = self._table(section)
        if table is not None:
            concept = table.column("concept")
            depth = table.column("depth")
            source = table.column("source")
            notes = table.column("notes", "note")
            extra = [
                i for i in range(len(table.header)) if i not in (concept, depth, source, notes)
            ]
            for row in table.rows:
                index = len(rows)
                path = (*base, index)
                entry: Data = {}
                self._cell(entry, path, "concept", row.get(concept), unwrap=True)
                self._depth_cell(entry, path, "depth", row.get(depth))
                self._citation(entry, path, row.get(source))
                self._notes(
                    entry, path, row.get(notes), [(table.header[i], row.get(i)) for i in extra]
                )
                if row.merged:
                    self.rec.inferred(row.cells[-1], "a '|' split this row; cells joined")
                rows.append(entry)
            return
        for item in self._items(section):
            index = len(rows)
            rows.append(self._concept_bullet(item, (*base, index)))

    def _concept_bullet(self, item: Item, path: DataPath) -> Data:
        """`- **Concept** -- DEPTH (source): notes` and its close variants."""
        text = item.text
        entry: Data = {}
        scale = "|".join([*self.scale, "MISSING", "NOT TAUGHT"])
        match = re.search(
            rf"\b({scale})\b(?:\s*(?:→|->)\s*[A-Z]+)?(?:\s*\((?P<q>[^)]*)\))?", text.text
        )
        if match is None:
            entry["concept"] = self.put((*path, "concept"), text.unwrap())
            self.rec.unmapped(text, f"no depth found in '{text.text[:60]}'")
            return entry
        concept = text.cut(0, match.start()).strip().rstrip(":-—\u2013,(").strip().unwrap()
        entry["concept"] = self.put((*path, "concept"), concept)
        self._depth_cell(entry, path, "depth", text.cut(match.start(), match.end(1)))
        rest = text.cut(match.end(1)).strip()
        paren = re.match(r"^\(([^)]*)\)", rest.text)
        if paren:
            inside = rest.cut(1, paren.end() - 1)
            citation = read_citation(re.sub(r"^(from|source:?)\s+", "", inside.text, flags=re.I))
            if citation.source or citation.kind != "lesson":
                self._citation(entry, path, inside)
            rest = rest.cut(paren.end()).strip()
        else:
            source = re.match(
                r"^(?:from|source:?)\s+`?([a-z0-9]+(?:-[a-z0-9]+)*)`?", rest.text, re.I
            )
            if source:
                entry["source"] = self.put(
                    (*path, "source"), rest.cut(source.start(1), source.end(1))
                )
                rest = rest.cut(source.end()).strip()
        rest = rest.cut(len(rest.text) - len(rest.text.lstrip(":-—\u2013 "))).strip()
        if rest.text:
            entry["notes"] = self.put((*path, "notes"), rest)
        return entry

    def _mental_models(self, section: Section) -> None:
        rows = self._state().setdefault("mental_models", [])
        base: DataPath = ("student_state", "mental_models")
        self.region(base, section)
        for item in self._items(section):
            path = (*base, len(rows))
            text = item.text
            # The separator is the first one after the bold model, which may hold a dash.
            after = text.text.find("**", 2) + 2 if text.text.startswith("**") else 0
            split = re.compile(r"\s+(?:--|—|\u2013)\s+").search(text.text, max(after, 0))
            head = text.cut(0, split.start()) if split else text
            model = head.unwrap()
            bold = re.fullmatch(r"\*\*(?P<inner>[^*]+)\*\*(?P<rest>.*)", model.text, re.S)
            if bold:  # `**"Ball rolling downhill"** / loss landscape`
                model = model.cut(2, bold.end("inner")) + model.cut(bold.start("rest"))
            entry: Data = {"model": self.put((*path, "model"), model)}
            if split and text.cut(split.end()).text:
                entry["notes"] = self.put((*path, "notes"), text.cut(split.end()).strip())
            rows.append(entry)

    def _not_covered(self, section: Section) -> None:
        self._list(("student_state", "not_covered"), section, self._state(), "not_covered")

    def _readiness(self, section: Section) -> None:
        self._prose(("student_state", "readiness"), section, self._state(), "readiness")

    # --- Phase 2 ------------------------------------------------------------------------

    def _analysis(self) -> Data:
        return self.data.setdefault("analysis", {})

    def _target_concept(self, section: Section) -> None:
        self._prose(("analysis", "target_concept"), section, self._analysis(), "target_concept")

    def _gap_resolution(self, section: Section) -> None:
        self._prose(("analysis", "gap_resolution"), section, self._analysis(), "gap_resolution")

    def _prerequisites(self, section: Section) -> None:
        rows = self._analysis().setdefault("prerequisites", [])
        base: DataPath = ("analysis", "prerequisites")
        self.region(base, section)
        table = self._table(section)
        if table is None:
            self.rec.unmapped(section.title, "no prerequisites table under this heading")
        else:
            concept = table.column("concept")
            required = table.column("required depth", "required")
            actual = table.column("actual depth", "actual")
            source = table.column("source")
            status = table.column("status")
            reasoning = table.column("reasoning", "why", "notes")
            for row in table.rows:
                path = (*base, len(rows))
                entry: Data = {}
                self._cell(entry, path, "concept", row.get(concept), unwrap=True)
                self._depth_cell(entry, path, "required_depth", row.get(required))
                self._depth_cell(entry, path, "actual_depth", row.get(actual))
                self._citation(entry, path, row.get(source))
                cell = row.get(status)
                if cell is not None:
                    value, written = read_status(cell.text)
                    if value is not None:
                        entry["status"] = value
                        self.put((*path, "status"), cell)
                    if written is not None:
                        entry["status_note"] = self.put((*path, "status_note"), cell)
                    if value is None:
                        self.rec.unmapped(cell, f"status '{cell.text}' is not OK, GAP or MISSING")
                self._cell(entry, path, "reasoning", row.get(reasoning))
                rows.append(entry)
        self._labelled_paragraphs(section, {"gap resolution": ("analysis", "gap_resolution")})
        for child in section.children:
            self._visit(child)

    def _misconceptions(self, section: Section) -> None:
        rows = self._analysis().setdefault("misconceptions", [])
        base: DataPath = ("analysis", "misconceptions")
        self.region(base, section)
        table = self._table(section)
        if table is None:
            for item in self._items(section):
                path = (*base, len(rows))
                rows.append(self._misconception_bullet(item, path))
            return
        text = table.column("misconception")
        why = table.column("why")
        negative = table.column("negative example", "negative", "disproves")
        where = table.column("where to address", "where", "address")
        for row in table.rows:
            path = (*base, len(rows))
            cell = row.get(text)
            entry: Data = {"id": self.new_id("misconception", cell.text if cell else "", "m")}
            self._cell(entry, path, "misconception", cell, unwrap=True)
            self.rec.region((*LESSON, *path, "id"), *(_span(cell) if cell else (0, 0)))
            self._cell(entry, path, "why", row.get(why))
            self._cell(entry, path, "negative_example", row.get(negative))
            self._cell(entry, path, "address_in", row.get(where))
            rows.append(entry)

    def _misconception_bullet(self, item: Item, path: DataPath) -> Data:
        """`- **Misconception** -- why` with `Negative example:` / `Address:` lines."""
        lines = item.text.split("\n")
        head = lines[0].split(r"\s+(?:--|—|\u2013)\s+", maxsplit=1)
        entry: Data = {"id": self.new_id("misconception", head[0].text, "m")}
        entry["misconception"] = self.put((*path, "misconception"), head[0].unwrap())
        self.rec.region((*LESSON, *path, "id"), *_span(head[0]))
        if len(head) > 1:
            entry["why"] = self.put((*path, "why"), head[1].strip())
        for line in lines[1:]:
            labelled = bold_label(
                line.strip().lstrip("-* ").strip()
                and line.cut(len(line.text) - len(line.text.lstrip("-* ")))
            )
            if labelled is None:
                continue
            label, value = canon(labelled[0].text), labelled[1].strip()
            field = (
                "negative_example"
                if "negative" in label
                else "address_in"
                if "address" in label or "where" in label
                else "why"
                if "why" in label
                else None
            )
            if field:
                entry[field] = self.put((*path, field), value)
        return entry

    def _examples(self, section: Section) -> None:
        rows = self._analysis().setdefault("examples", [])
        base: DataPath = ("analysis", "examples")
        self.region(base, section)
        table = self._table(section)
        if table is None:
            self.rec.unmapped(section.title, "no examples table under this heading")
            return
        name = table.column("example", "name")
        kind = table.column("type", "kind")
        purpose = table.column("purpose")
        why = table.column("why")
        for row in table.rows:
            path = (*base, len(rows))
            cell = row.get(name)
            entry: Data = {"id": self.new_id("example", cell.text if cell else "", "e")}
            self._cell(entry, path, "name", cell, unwrap=True)
            kind_cell = row.get(kind)
            if kind_cell is not None:
                self._example_kind(entry, path, kind_cell)
            self._cell(entry, path, "purpose", row.get(purpose))
            self._cell(entry, path, "why", row.get(why))
            rows.append(entry)

    def _example_kind(self, entry: Data, path: DataPath, cell: Located) -> None:
        match = re.match(
            r"^\s*(?:\*\*)?(positive|negative)(?:\*\*)?\s*(?:\((?P<role>[^)]*)\))?", cell.text, re.I
        )
        if match is None:
            self.rec.unmapped(cell, f"example type '{cell.text}' is neither positive nor negative")
            entry["kind"] = self.put((*path, "kind"), cell)
            return
        entry["kind"] = match.group(1).lower()
        self.put((*path, "kind"), cell.sub(match, 1))
        if match.group("role"):
            entry["role"] = self.put((*path, "role"), cell.sub(match, "role"))

    # --- Phase 3 ------------------------------------------------------------------------

    def _design(self) -> Data:
        return self.data.setdefault("design", {})

    def _narrative_arc(self, section: Section) -> None:
        self._prose(("design", "narrative_arc"), section, self._design(), "narrative_arc")

    def _modalities(self, section: Section) -> None:
        rows = self._design().setdefault("modalities", [])
        base: DataPath = ("design", "modalities")
        self.region(base, section)
        table = self._table(section)
        if table is None:
            for item in self._items(section):
                path = (*base, len(rows))
                parts = item.text.split(r"\s+(?:--|—|\u2013)\s+|:\s+", maxsplit=1)
                entry: Data = {"id": self.new_id("modality", parts[0].text, "modality")}
                entry["modality"] = self.put((*path, "modality"), parts[0].unwrap())
                if len(parts) > 1:
                    entry["what"] = self.put((*path, "what"), parts[1].strip())
                rows.append(entry)
            return
        modality = table.column("modality")
        what = table.column("what specifically", "what")
        why = table.column("why")
        for row in table.rows:
            path = (*base, len(rows))
            cell = row.get(modality)
            entry = {
                "id": self.new_id("modality", (cell.unwrap().text if cell else ""), "modality")
            }
            self._cell(entry, path, "modality", cell, unwrap=True)
            self._cell(entry, path, "what", row.get(what))
            self._cell(entry, path, "why", row.get(why))
            rows.append(entry)

    def _cognitive_load(self, section: Section) -> None:
        load: Data = self._design().setdefault("cognitive_load", {})
        base: DataPath = ("design", "cognitive_load")
        self.region(base, section)
        concepts = load.setdefault("new_concepts", [])
        said: Located | None = None
        for item in self._items(section):
            first, _, nested = item.text.text.partition("\n")
            head = item.text.cut(0, len(first))
            labelled = bold_label(head)
            if labelled is None:
                continue
            label, value = canon(labelled[0].text), labelled[1].strip()
            if "new concept" in label:
                said = value
                sub = item.text.cut(len(first) + 1) if nested else None
                listed = self._sub_items(sub) if sub is not None else []
                if not listed and value.text and not re.fullmatch(r"[\d\s\u2013—-]+", value.text):
                    listed = [p.strip() for p in value.split(r",\s*|;\s*")]
                    said = None
                for entry_text in listed:
                    path = (*base, "new_concepts", len(concepts))
                    parts = entry_text.split(r"\s+(?:--|—|\u2013)\s+", maxsplit=1)
                    entry: Data = {"concept": self.put((*path, "concept"), parts[0].unwrap())}
                    if len(parts) > 1 and parts[1].text:
                        entry["notes"] = self.put((*path, "notes"), parts[1].strip())
                    concepts.append(entry)
            elif "previous" in label:
                load["previous_lesson_load"] = self.put((*base, "previous_lesson_load"), value)
            elif "this lesson" in label or label == "load" or "load type" in label:
                load["load_rationale"] = self.put((*base, "load_rationale"), value)
                word = re.match(r"[A-Z][A-Z_-]+", value.text)
                if "type" not in self.data and word and word.group(0) in self.types:
                    self.data["type"] = self.put(("type",), value.cut(0, word.end()))
                    self.rec.inferred(value, f"type {word.group(0)} read from the cognitive load")
            elif "assessment" in label:
                load["assessment"] = self.put((*base, "assessment"), value)
            else:
                self.rec.unmapped(head, f"cognitive-load line '{labelled[0].text}' has no field")
        if said is not None and said.text:
            count = re.fullmatch(r"\s*(\d+)\s*", said.text)
            if count and int(count.group(1)) != len(concepts):
                self.rec.unmapped(
                    said, f"the plan says {said.text} new concepts but lists {len(concepts)}"
                )
            elif not count:
                self.rec.inferred(said, f"new-concept count given as '{said.text}'")
        if not concepts:
            del load["new_concepts"]

    def _connections(self, section: Section) -> None:
        connections: Data = self._design().setdefault("connections", {})
        base: DataPath = ("design", "connections")
        self.region(base, section)
        links = connections.setdefault("links", [])
        table = self._table(section)
        if table is not None:
            prior = table.column("prior concept", "prior", "concept")
            source = table.column("source")
            how = table.column("how it connect", "how", "connection")
            for row in table.rows:
                path = (*base, "links", len(links))
                entry: Data = {}
                cell = row.get(prior)
                self._prior(entry, path, cell)
                if source is not None:
                    self._citation(entry, path, row.get(source))
                self._cell(entry, path, "how", row.get(how))
                links.append(entry)
        else:
            for item in self._items(section):
                path = (*base, "links", len(links))
                parts = item.text.split(r"\s+(?:--|—|\u2013)\s+|:\s+", maxsplit=1)
                entry = {}
                self._prior(entry, path, parts[0])
                if len(parts) > 1:
                    entry["how"] = self.put((*path, "how"), parts[1].strip())
                links.append(entry)
        self._labelled_paragraphs(
            section,
            {
                "potentially misleading prior analogies": (*base, "misleading_analogies"),
                "misleading": (*base, "misleading_analogies"),
            },
        )
        for child in section.children:
            self._visit(child)

    def _prior(self, entry: Data, path: DataPath, cell: Located | None) -> None:
        if cell is None:
            return
        text = cell.unwrap()
        match = re.match(
            r"^(?P<concept>.+?)\s+(?:from|in)\s+`?(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)`?"
            r"(?:\s*\((?P<ref>[^)]*)\))?\s*$",
            text.text,
        )
        if match:
            entry["prior_concept"] = self.put((*path, "prior_concept"), text.sub(match, "concept"))
            entry["source"] = self.put((*path, "source"), text.sub(match, "slug"))
        else:
            paren = re.match(
                r"^(?P<concept>.+?)\s*\(`?(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)+)`?\)\s*$", text.text
            )
            if paren:
                entry["prior_concept"] = self.put(
                    (*path, "prior_concept"), text.sub(paren, "concept")
                )
                entry["source"] = self.put((*path, "source"), text.sub(paren, "slug"))
            else:
                entry["prior_concept"] = self.put((*path, "prior_concept"), text)

    def _misleading(self, section: Section) -> None:
        connections = self._design().setdefault("connections", {})
        self._prose(
            ("design", "connections", "misleading_analogies"),
            section,
            connections,
            "misleading_analogies",
        )

    def _scope(self, section: Section) -> None:
        self._design().setdefault("scope", {})
        self.region(("design", "scope"), section)
        for child in section.children:
            self._visit(child)
        for block in section.blocks:
            if block.kind == "paragraph":
                labelled = bold_label(block.text)
                if labelled and "target depth" in canon(labelled[0].text):
                    self._target_sentence(labelled[1].strip())

    def _is_about(self, section: Section) -> None:
        scope = self._design().setdefault("scope", {})
        self._list(("design", "scope", "is_about"), section, scope, "is_about")

    def _is_not_about(self, section: Section) -> None:
        scope = self._design().setdefault("scope", {})
        self._list(("design", "scope", "is_not_about"), section, scope, "is_not_about")

    def _target_depths(self, section: Section) -> None:
        scope = self._design().setdefault("scope", {})
        rows = scope.setdefault("target_depths", [])
        base: DataPath = ("design", "scope", "target_depths")
        self.region(base, section)
        table = self._table(section)
        if table is not None:
            concept, depth, notes = (
                table.column("concept"),
                table.column("depth"),
                table.column("notes", "note"),
            )
            for row in table.rows:
                path = (*base, len(rows))
                entry: Data = {}
                self._cell(entry, path, "concept", row.get(concept), unwrap=True)
                self._depth_cell(entry, path, "depth", row.get(depth))
                self._cell(entry, path, "notes", row.get(notes))
                rows.append(entry)
            return
        items = self._items(section)
        if not items:
            for block in section.blocks:
                if block.kind == "paragraph":
                    self._target_sentence(block.text)
            return
        for item in items:
            path = (*base, len(rows))
            match = re.match(
                r"^(?P<concept>.+?)\s*(?::|—|\u2013|--|\bat\b)\s*"
                r"(?P<depth>[A-Z][A-Z →>-]*[A-Z])\b\s*(?:(?:--|—|\u2013|:)\s*(?P<notes>.*))?$",
                item.text.text,
                re.S,
            )
            if match is None:
                self.rec.unmapped(
                    item.text, f"no depth in target-depth line '{item.text.text[:60]}'"
                )
                continue
            entry = {
                "concept": self.put((*path, "concept"), item.text.sub(match, "concept").unwrap())
            }
            self._depth_cell(entry, path, "depth", item.text.sub(match, "depth"))
            if match.group("notes"):
                entry["notes"] = self.put((*path, "notes"), item.text.sub(match, "notes").strip())
            rows.append(entry)

    def _target_sentence(self, text: Located) -> None:
        """'`X` at DEVELOPED, `Y` at INTRODUCED.' and 'DEVELOPED for X and Y'."""
        scope = self._design().setdefault("scope", {})
        rows = scope.setdefault("target_depths", [])
        base: DataPath = ("design", "scope", "target_depths")
        names = "|".join(self.scale)
        found = False
        for match in re.finditer(
            rf"(?P<concept>[^,;.]+?)\s+(?:at|to)\s+(?P<depth>{names})\b", text.text
        ):
            path = (*base, len(rows))
            concept = text.sub(match, "concept").strip()
            lead = re.match(r"^(?:and|the student reaches|reaches)\s+", concept.text)
            if lead:
                concept = concept.cut(lead.end())
            rows.append(
                {
                    "concept": self.put((*path, "concept"), concept.unwrap()),
                    "depth": self.put((*path, "depth"), text.sub(match, "depth")),
                }
            )
            found = True
        for match in re.finditer(rf"(?P<depth>{names})\s+for\s+(?P<concepts>[^.;]+)", text.text):
            for part in text.sub(match, "concepts").split(r",\s*(?:and\s+)?|\s+and\s+"):
                path = (*base, len(rows))
                rows.append(
                    {
                        "concept": self.put((*path, "concept"), part.strip().unwrap()),
                        "depth": self.put((*path, "depth"), text.sub(match, "depth")),
                    }
                )
                found = True
        if found:
            self.rec.inferred(text, "target depths read from a sentence")
        else:
            self.rec.unmapped(text, "target depth sentence names no concept at a depth")

    # --- the outline --------------------------------------------------------------------

    def _outline(self, section: Section) -> None:
        outline = self._design().setdefault("outline", [])
        self.region(("design", "outline"), section)
        children = [
            c for c in section.children if not c.bold or _NUMBERED_TITLE.match(c.title.text)
        ]
        if children:
            for child in children:
                self._outline_section(child.title, self.doc.body(child), child.line, outline)
            stray = [c for c in section.children if c not in children]
            for child in stray:
                self.rec.unmapped(
                    child.title, f"'{child.title.text}' in the outline is not a numbered section"
                )
            return
        items = [
            item for block in section.blocks for item in block.items if block.kind == "ordered_list"
        ]
        if not items:
            self.rec.unmapped(section.title, "the outline has no sections")
            return
        for item in items:
            first, _, _ = item.text.text.partition("\n")
            head = item.text.cut(0, len(first))
            match = re.match(r"^\*\*(?P<title>[^*]+?)\*\*\s*(?:(?:--|—|\u2013|:)\s*)?", head.text)
            if match:
                title = head.sub(match, "title").strip().rstrip(":").strip()
                body = item.text.cut(match.end()).strip()
            else:
                parts = head.split(r"\s+(?:--|—|\u2013)\s+|:\s+", maxsplit=1)
                title = parts[0]
                body = item.text.cut(len(parts[0].text)).strip().lstrip(":-—\u2013 ").strip()
                body = item.text.cut(len(item.text.text) - len(body.text)) if body.text else body
            self._outline_section(
                title, body, self.doc.line_of(head.start or 0), outline, number=item.number
            )

    def _outline_section(
        self,
        heading: Located,
        body: Located,
        line: int,
        outline: list[Data],
        *,
        number: int | None = None,
    ) -> None:
        path: DataPath = ("design", "outline", len(outline))
        numbered = _NUMBERED_TITLE.match(heading.text)
        title = heading.sub(numbered, "title").unwrap() if numbered else heading.unwrap()
        title = title.strip().rstrip(":").strip() if title.text.endswith(":") else title
        entry: Data = {"title": self.put((*path, "title"), title)}
        kind = _section_kind(title.text)
        if kind is not None:
            entry["kind"] = kind
            self.put((*path, "kind"), title)
        else:
            self.rec.inferred(title, f"outline section '{title.text}' has no kind lessonkit knows")
        if body.text:
            entry["notes"] = self.put((*path, "notes"), body)
        if kind == "check":
            checks = self._checks(body, path)
            if checks:
                entry["checks"] = checks
        if kind == "practice":
            self._exercises(body)
        outline.append(entry)
        start = heading.start or 0
        self.rec.region((*LESSON, *path), start, body.end or start)
        self.sections.append((Section(title, 0, line, start), entry))

    def _checks(self, body: Located, path: DataPath) -> list[Data]:
        """A check's prompt, answer and follow-ups from its section text."""
        text = body.text
        details = _DETAILS.search(text)
        follow_at = [m for m in _FOLLOW_UP.finditer(text)]
        main_end = follow_at[0].start() if follow_at else len(text)
        main = body.cut(0, main_end).strip()
        prompt, rest = _split_prompt(main)
        check: Data = {}
        base = (*path, "checks", 0)
        check["prompt"] = self.put((*base, "prompt"), prompt)
        answer = rest
        if details:
            inner = body.cut(details.start("inner"), details.end("inner")).strip()
            answer = inner
        answer = _drop_label(answer)
        if answer.text:
            check["answer"] = self.put((*base, "answer"), answer)
        else:
            self.rec.unmapped(prompt, "check without an answer")
        follow_ups: list[Data] = []
        for index, match in enumerate(follow_at):
            end = follow_at[index + 1].start() if index + 1 < len(follow_at) else len(text)
            chunk = body.cut(match.end(), end).strip()
            answer_at = re.search(
                r"(?:^|\s)(?:\*\*)?(?:answer|expected[^:\n]*)\s*:(?:\*\*)?\s*", chunk.text, re.I
            )
            fpath = (*base, "follow_ups", len(follow_ups))
            if answer_at:
                question = strip_quotes(chunk.cut(0, answer_at.start()).strip())
                reply = chunk.cut(answer_at.end()).strip()
            else:
                question, reply = _split_prompt(chunk)
                reply = _drop_label(reply)
            follow: Data = {"prompt": self.put((*fpath, "prompt"), question)}
            if reply.text:
                follow["answer"] = self.put((*fpath, "answer"), reply)
            else:
                self.rec.unmapped(question, "follow-up without an answer")
            follow_ups.append(follow)
        if follow_ups:
            check["follow_ups"] = follow_ups
        return [check]

    def _exercises(self, body: Located) -> None:
        practice = self.data.setdefault("practice", {})
        exercises = practice.setdefault("exercises", [])
        for line in body.split("\n"):
            match = re.match(
                r"^\s*(?:\d+[.)]|[-*])\s+(?P<stretch>\(stretch\)\s*)?\*\*(?P<stretch2>\(stretch\)\s*)?(?P<title>[^*]+?)\*\*\s*(?:--|—|\u2013|:)?\s*(?P<rest>.*)$",
                line.text,
                re.I,
            )
            if not match:
                continue
            path: DataPath = ("practice", "exercises", len(exercises))
            entry: Data = {"title": self.put((*path, "title"), line.sub(match, "title").strip())}
            rest = line.sub(match, "rest").strip()
            level = re.search(r"\((guided|supported|independent)\)\s*$", rest.text, re.I)
            if level:
                entry["scaffolding"] = level.group(1).lower()
                self.put((*path, "scaffolding"), rest.sub(level, 1))
                rest = rest.cut(0, level.start()).strip()
            else:
                self.rec.unmapped(line, f"exercise '{entry['title']}' names no scaffolding level")
            if rest.text:
                entry["description"] = self.put((*path, "description"), rest)
            if match.group("stretch") or match.group("stretch2"):
                entry["stretch"] = True
            exercises.append(entry)

    def _practice_notebook(self) -> None:
        """The notebook path: named in the practice section, or else anywhere in the file."""
        text = self.doc.text
        match = _NOTEBOOK.search(text)
        if match is None:
            return
        practice = self.data.setdefault("practice", {})
        located = Located.at(text, match.start(1), match.end(1))
        practice["notebook"] = self.put(("practice", "notebook"), located)
        outline = self.data.get("design", {}).get("outline", [])
        in_practice = any(
            entry.get("kind") == "practice" and match.group(1) in entry.get("notes", "")
            for entry in outline
        )
        if not in_practice:
            self.rec.inferred(
                located, f"notebook '{match.group(1)}' found outside the practice section"
            )

    # --- links stated only in prose -----------------------------------------------------

    def _link_outline(self) -> None:
        """`addresses`, `modalities` and `examples` of outline sections, from explicit text
        (see docs/import.md for the heuristics); every link and every unlinked item is a note."""
        analysis = self.data.get("analysis", {})
        design = self.data.get("design", {})
        outline = design.get("outline", [])
        if not outline:
            return
        plain = [(entry.get("title", ""), entry.get("notes", "")) for entry in outline]
        for misconception in analysis.get("misconceptions", []):
            text = misconception.get("misconception", "")
            hits = [
                index
                for index, (_, notes) in enumerate(plain)
                if any(
                    overlap(phrase, text) >= 0.5 and overlap(text, phrase) >= 0.3
                    for phrase in _address_quotes(notes)
                )
            ]
            how = "its text is quoted after 'Address misconception'"
            if not hits:
                hits = _best_section(misconception.get("address_in", ""), plain, titles_only=True)
                how = "its 'Where to Address' names the section"
            self._links(outline, hits, "addresses", misconception, "misconception", how)
        for modality in design.get("modalities", []):
            cues = _modality_cues(modality.get("modality", ""), modality.get("what", ""))
            hits = [i for i, (_, notes) in enumerate(plain) if any(c(notes) for c in cues)]
            self._links(outline, hits, "modalities", modality, "modality", "the section names it")
        self._link_connections(design)
        for example in analysis.get("examples", []):
            hits = _best_section(example.get("name", ""), plain, titles_only=False)
            self._links(outline, hits, "examples", example, "example", "the section names it")

    def _link_connections(self, design: Data) -> None:
        """A connection anchors the new concepts its row names: a code span of the concept's
        name, or its name before any parenthesis, found in the row's text."""
        concepts = design.get("cognitive_load", {}).get("new_concepts", [])
        links = design.get("connections", {}).get("links", [])
        if not concepts or not links:
            return
        anchored: set[int] = set()
        for index, link in enumerate(links):
            text = f"{link.get('prior_concept', '')} {link.get('how', '')}".lower()
            for number, concept in enumerate(concepts):
                if any(cue in text for cue in _concept_cues(concept.get("concept", ""))):
                    link.setdefault("new_concepts", []).append(concept["concept"])
                    anchored.add(number)
            if link.get("new_concepts"):
                where = self.rec.positions.get(
                    (*LESSON, "design", "connections", "links", index, "how")
                )
                names = ", ".join(link["new_concepts"])
                self.rec.inferred(
                    where if isinstance(where, Located) else None,
                    f"connection {index + 1} anchors {names}: the row names them",
                )
        for number, concept in enumerate(concepts):
            if number not in anchored:
                where = self.rec.positions.get(
                    (*LESSON, "design", "cognitive_load", "new_concepts", number, "concept")
                )
                self.rec.unmapped(
                    where if isinstance(where, Located) else None,
                    f"new concept '{concept.get('concept')}' is named by no connection",
                )

    def _links(
        self, outline: list[Data], hits: list[int], field: str, item: Data, noun: str, how: str
    ) -> None:
        ident = item.get("id", "")
        path, key = {
            "misconception": (("analysis", "misconceptions"), "misconception"),
            "modality": (("design", "modalities"), "modality"),
            "example": (("analysis", "examples"), "name"),
        }[noun]
        where = self.rec.positions.get((*LESSON, *path, _index_of(self.data, path, item), key))
        located = (
            where
            if isinstance(where, Located)
            else (where[0] if isinstance(where, tuple) else None)
        )
        if not hits:
            self.rec.unmapped(located, f"{noun} '{ident}' is linked to no outline section")
            return
        for index in hits:
            outline[index].setdefault(field, []).append(ident)
            self.rec.inferred(
                located,
                f"{noun} '{ident}' linked to outline section {index + 1} "
                f"('{outline[index].get('title', '')}'): {how}",
            )

    # --- after the outline ---------------------------------------------------------------

    def _checklists(self, section: Section) -> None:
        """`### Prerequisite Audit` with `- [x] item` lines, under `## Checklists`."""
        checklists = self.data.setdefault("checklists", [])
        self.region(("checklists",), section)
        for child in [section, *section.children] if section.children else [section]:
            items = [item for block in child.blocks for item in block.items]
            if not items:
                continue
            path: DataPath = ("checklists", len(checklists))
            entry: Data = {"title": self.put((*path, "title"), child.title), "items": []}
            for item in items:
                match = re.match(r"^\[(?P<mark>[ xX✓])\]\s*", item.text.text)
                ipath = (*path, "items", len(entry["items"]))
                text = item.text.cut(match.end()) if match else item.text
                row: Data = {"item": self.put((*ipath, "item"), text)}
                row["done"] = bool(match and match.group("mark") != " ")
                entry["items"].append(row)
            checklists.append(entry)

    def _expected_knowledge(self, section: Section) -> None:
        """Numbered questions; the kind is read from the question's wording."""
        questions = self.data.setdefault("expected_knowledge", [])
        self.region(("expected_knowledge",), section)
        for item in self._items(section):
            path: DataPath = ("expected_knowledge", len(questions))
            text = item.text
            lowered = text.text.lower()
            kind = (
                "prediction"
                if re.search(r"\bpredict|what (?:happens|will happen)", lowered)
                else "tracing"
                if re.search(r"\btrace\b|step by step|after each", lowered)
                else "explanation"
            )
            entry: Data = {"kind": kind, "prompt": self.put((*path, "prompt"), text)}
            self.put((*path, "kind"), text)
            self.rec.inferred(text, f"expected-knowledge question read as {kind}")
            questions.append(entry)

    # --- shared readers ------------------------------------------------------------------

    def _table(self, section: Section) -> Table | None:
        for block in section.blocks:
            if block.kind == "table":
                return read_table(self.doc, block)
        return None

    def _items(self, section: Section) -> list[Item]:
        return [
            item
            for block in section.blocks
            if block.kind in ("bullet_list", "ordered_list")
            for item in block.items
        ]

    def _sub_items(self, text: Located) -> list[Located]:
        out: list[Located] = []
        for line in text.split("\n"):
            match = re.match(r"^\s*(?:\d+[.)]|[-*+])\s+", line.text)
            if match:
                out.append(line.cut(match.end()).strip())
            elif out and line.text.strip():
                out[-1] = out[-1] + "\n" + line.strip()
        return out

    def _list(self, path: DataPath, section: Section, parent: Data, key: str) -> None:
        values = parent.setdefault(key, [])
        self.region(path, section)
        for item in self._items(section):
            values.append(self.put((*path, len(values)), item.text))
        if not values:
            self.rec.unmapped(section.title, f"'{section.title.text}' has no list items")

    def _prose(self, path: DataPath, section: Section, parent: Data, key: str) -> None:
        body = self.doc.body(section)
        labelled = bold_label(body)
        if section.bold is False and labelled is not None and section_key(labelled[0].text) is None:
            pass
        if body.text:
            parent[key] = self.put(path, body)
        else:
            self.rec.unmapped(section.title, f"'{section.title.text}' is empty")

    def _labelled_paragraphs(self, section: Section, fields: dict[str, DataPath]) -> None:
        """`**Gap resolution:** text` paragraphs inside a section."""
        for block in section.blocks:
            if block.kind != "paragraph":
                continue
            labelled = bold_label(block.text)
            if labelled is None:
                continue
            name = canon(labelled[0].text)
            target = next((p for cue, p in fields.items() if cue in name), None)
            if target is None:
                self.rec.unmapped(block.text, f"paragraph '{labelled[0].text}' has no field")
                continue
            parent = self.data
            for key in target[:-1]:
                parent = parent.setdefault(str(key), {})
            parent[str(target[-1])] = self.put(target, labelled[1].strip())

    def _cell(
        self, entry: Data, path: DataPath, key: str, cell: Located | None, *, unwrap: bool = False
    ) -> None:
        if cell is None:
            return
        value = cell.unwrap() if unwrap else cell
        entry[key] = self.put((*path, key), value)

    def _depth_cell(self, entry: Data, path: DataPath, key: str, cell: Located | None) -> None:
        if cell is None:
            return
        depth = read_depth(cell.text, self.scale)
        note_key = {
            "depth": "depth_note",
            "required_depth": "required_note",
            "actual_depth": "depth_note",
        }[key]
        if depth.depth is not None:
            entry[key] = depth.depth
            self.put((*path, key), cell)
        elif depth.known:
            self.put((*path, key), cell)
        else:
            entry[key] = self.put((*path, key), cell)  # S002 reports it, at this cell
        if depth.as_written is not None and depth.known:
            entry[note_key] = self.put((*path, note_key), cell)
            if depth.depth is None:
                self.rec.inferred(cell, f"depth '{cell.text}': the student does not have it")
            else:
                self.rec.inferred(cell, f"depth '{cell.text}' read as {depth.depth}")

    def _citation(self, entry: Data, path: DataPath, cell: Located | None) -> None:
        if cell is None:
            return
        citation: Citation = read_citation(cell.text)
        if citation.source is not None:
            at = cell.text.find(citation.source)
            entry["source"] = self.put(
                (*path, "source"), cell.cut(at, at + len(citation.source)) if at >= 0 else cell
            )
        for extra in citation.also:
            at = cell.text.find(extra)
            entry.setdefault("also_from", []).append(extra)
            self.put(
                (*path, "also_from", len(entry["also_from"]) - 1), cell.cut(at, at + len(extra))
            )
        if citation.note is not None:
            entry["source_note"] = self.put((*path, "source_note"), cell)
        if citation.kind != "lesson":
            self.rec.inferred(
                cell, f"source '{cell.text}' names no lesson ({citation.kind}); kept as source_note"
            )
        elif citation.also:
            self.rec.inferred(cell, f"source '{cell.text}' names {1 + len(citation.also)} lessons")

    def _notes(
        self,
        entry: Data,
        path: DataPath,
        notes: Located | None,
        extra: list[tuple[Located, Located | None]],
    ) -> None:
        parts: list[Located] = [notes] if notes is not None else []
        for header, cell in extra:
            if cell is not None:
                parts.append(Located.plain(f"{header.text}: ") + cell)
                self.rec.inferred(cell, f"column '{header.text}' has no field; added to the notes")
        if parts:
            entry["notes"] = self.put((*path, "notes"), join(parts, "; "))


def _span(value: Located) -> tuple[int, int]:
    return (value.start or 0, value.end or 0)


def _index_of(data: Data, path: DataPath, item: Data) -> int:
    current: Any = data
    for key in path:
        current = current.get(key, {}) if isinstance(current, dict) else {}
    return (
        next((i for i, entry in enumerate(current) if entry is item), 0)
        if isinstance(current, list)
        else 0
    )


def _concept_cues(name: str) -> list[str]:
    """What a row must say to name a new concept: its code spans (without call parentheses),
    or the words before any parenthesis."""
    spans = [re.sub(r"\(\)$", "", span).lower() for span in re.findall(r"`([^`]+)`", name)]
    if spans:
        return [span for span in spans if len(span) > 2]
    head = re.split(r"\s*[(—\u2013]|\s--\s", name, maxsplit=1)[0].strip().lower()
    return [head] if len(head) > 2 else []


def _section_kind(title: str) -> str | None:
    name = canon(title)
    for cue, kind in _SECTION_KINDS:
        if name.startswith(cue) or re.match(rf"^(?:part \d+ )?{cue}", name):
            return kind
    for cue, kind in _SECTION_KINDS:
        if re.search(rf"\b{cue}", name):
            return kind
    return None


def _split_prompt(text: Located) -> tuple[Located, Located]:
    """(the quoted or first-paragraph prompt, the rest)."""
    raw = text.text
    if raw[:1] in '"“':
        close = re.search(
            r"[\"”](?=[ \t]*(?:\n|$|(?:\*\*)?(?:answer|expected)))", raw[1:], re.IGNORECASE
        )
        if close:
            end = close.start() + 1
            return text.cut(1, end).strip(), text.cut(end + 1).strip()
    para = raw.find("\n\n")
    if para == -1:
        question = re.search(r"\?(?=\s)", raw)
        if question:
            return text.cut(0, question.end()).strip(), text.cut(question.end()).strip()
        return text, Located.plain("")
    return strip_quotes(text.cut(0, para).strip()), text.cut(para).strip()


def _drop_label(text: Located) -> Located:
    match = _ANSWER_LABEL.match(text.text)
    return text.cut(match.end()).strip() if match else text


def _address_quotes(notes: str) -> list[str]:
    """Phrases quoted after 'Address misconception' (or 'Addresses misconception')."""
    found: list[str] = []
    for match in re.finditer(
        r"address(?:es|ing)?\s+(?:the\s+)?misconceptions?\b[^\n]*", notes, re.I
    ):
        found += quoted(match.group(0)) or [match.group(0)]
    return found


def _best_section(text: str, sections: list[tuple[str, str]], *, titles_only: bool) -> list[int]:
    """The one section whose title (or title and text) shares the most content words with
    `text`, or a section `text` names by number; none when it is a tie or nothing is shared."""
    number = re.search(r"\bsection\s+(\d+)\b", text, re.I)
    if number and 0 < int(number.group(1)) <= len(sections):
        return [int(number.group(1)) - 1]
    cue = words(text)
    if not cue:
        return []
    scores = []
    for title, notes in sections:
        target = words(title) if titles_only else words(title) | words(notes)
        score = len(cue & words(title)) * 2 + (0 if titles_only else len(cue & target))
        scores.append(score)
    best = max(scores)
    if best < 2 or scores.count(best) > 1:
        return []
    return [scores.index(best)]


def _modality_cues(name: str, what: str) -> list[Callable[[str], bool]]:
    """Tests that a section's text realises a modality: it quotes a phrase the modality
    quotes, or it uses the modality's own words (code fences for code, 'side-by-side' or
    'diagram' for visual, ...)."""
    cues: list[Callable[[str], bool]] = []
    for phrase in quoted(what):
        exact = phrase.strip().strip(".").lower()
        if len(exact) > 3:
            cues.append(functools.partial(_says, exact))
        key = words(phrase)
        if len(key) >= 2:
            need = max(2, -(-len(key) * 2 // 3))
            cues.append(functools.partial(_shares, key, need))
    lowered = name.lower()
    table = {
        "visual": (
            "diagram",
            "picture",
            "drawing",
            "side-by-side",
            "visual",
            "color",
            "colour",
            "plot",
            "chart",
            "figure",
        ),
        "code": ("```",),
        "symbolic": ("```", "$"),
        "concrete": ("concrete", "real numbers", "worked example"),
        "analogy": ("analogy", "metaphor", "like a"),
        "verbal": ("analogy", "metaphor"),
        "intuitive": ("of course", "intuition", "intuitive"),
        "geometric": ("geometric", "picture"),
        "interactive": ("widget", "interactive", "slider"),
    }
    for word, markers in table.items():
        if word in lowered:
            cues.append(functools.partial(_mentions, markers))
    return cues


def _says(phrase: str, notes: str) -> bool:
    return phrase in notes.lower()


def _shares(key: set[str], need: int, notes: str) -> bool:
    return len(key & words(notes)) >= need


def _mentions(markers: tuple[str, ...], notes: str) -> bool:
    lowered = notes.lower()
    return any(marker in lowered for marker in markers)
