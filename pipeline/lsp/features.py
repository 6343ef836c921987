"""Completion, hover, definition, references and document symbols, from the course's ledger.

Each feature reads the buffer as the editor holds it (through `locate`, so a half-typed line
still has a meaning) and the course as last checked (`CourseState.course`): the ledger says
which concepts the student has before this lesson and which lesson teaches each.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from lsprotocol import types
from pydantic import BaseModel
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..check import rules
from ..check.ruledoc import describe_rule
from ..core.diagnostics import DataPath, Diagnostic
from ..course.course import Course
from ..course.ledger import Ledger
from ..read.documents import Document, DocumentKind
from ..read.yaml_source import parse
from ..schemas import field_shape
from .actions import rule_href
from .course_state import CourseState
from .fields import (
    CLAIMS,
    OUTLINE_REFERENCES,
    choices,
    concept_rows,
    field_at,
    field_documentation,
    is_concept_field,
    lesson_reference,
    model_at,
)
from .locate import Outline, Place, Token
from .positions import Lines


@dataclass(frozen=True)
class View:
    """One request's view: a document as the editor holds it, and the course around it."""

    state: CourseState
    path: Path
    uri: str
    text: str
    kind: DocumentKind
    encoding: str
    uris: Mapping[Path, str]  # the URIs the editor uses for its open documents

    @cached_property
    def lines(self) -> Lines:
        return Lines(self.text, self.encoding)

    @cached_property
    def outline(self) -> Outline:
        return Outline(self.text)

    @property
    def course(self) -> Course | None:
        return self.state.course

    @property
    def lesson_id(self) -> str | None:
        token = self.outline.top("id") if self.kind is DocumentKind.LESSON else None
        return token.text if token is not None and token.text else None

    def place(self, position: types.Position) -> Place:
        line, column = self.lines.point(position)
        return self.outline.place(line, column)

    def token_range(self, token: Token) -> types.Range:
        return types.Range(
            self.lines.at(token.line, token.start), self.lines.at(token.line, token.end)
        )

    def uri_of(self, path: Path) -> str:
        return self.uris.get(path) or path.as_uri()

    def location(self, document: Document, path: DataPath) -> types.Location | None:
        """Where the value at `path` of another (or this) document is written."""
        source = document.source
        if source is None:
            return None
        span = source.span(path)
        lines = Lines(source.text, self.encoding)
        found = lines.range(span.line, span.column, span.end_line, span.end_column)
        return types.Location(self.uri_of(document.path), found)


def _index_before(ledger: Ledger, lesson_id: str | None) -> int:
    """Where the lesson sits in teaching order (after everything when it is not listed)."""
    position = ledger.position(lesson_id) if lesson_id else None
    return len(ledger.order) if position is None else position


# --- completion ---------------------------------------------------------------------------------


def completion(view: View, position: types.Position) -> list[types.CompletionItem]:
    """What can be written at `position`."""
    place = view.place(position)
    root = view.kind.model
    if place.kind in ("key", "item") and (place.kind == "key" or _rows_of(root, place.keys)):
        return _field_names(view, place, root)
    if place.kind not in ("value", "item"):
        return []
    keys = place.keys
    replace = _replace_range(view, place)
    course = view.course
    if is_concept_field(view.kind, keys) and keys[:-1] in CLAIMS:
        return _concepts(view, course, replace) if course else []
    which = lesson_reference(view.kind, keys)
    if which is not None:
        return _lessons(view, course, which, replace) if course else []
    if view.kind is DocumentKind.LESSON and keys in OUTLINE_REFERENCES:
        return _planned(view, OUTLINE_REFERENCES[keys], replace)
    info = field_at(root, keys)
    if info is None:
        return []
    return [
        types.CompletionItem(
            label=value,
            kind=types.CompletionItemKind.EnumMember,
            detail=detail or None,
            text_edit=types.TextEdit(replace, value),
            sort_text=f"{index:03d}",
        )
        for index, (value, detail) in enumerate(choices(info, view.state.project.config))
    ]


def _rows_of(root: type[BaseModel], keys: tuple[str, ...]) -> bool:
    """Whether `keys` is a list of mappings (where `- ` starts a row of fields)."""
    info = field_at(root, keys)
    return info is not None and field_shape(info.annotation, info.metadata).is_model


def _replace_range(view: View, place: Place) -> types.Range:
    """The whole value being written, quotes included, so a completion replaces all of it."""
    token = place.token
    line = view.outline.lines[token.line]
    block = place.kind == "value" or (place.kind == "item" and not line.value.startswith("["))
    if block and line.value and line.value_col <= token.start:
        return types.Range(
            view.lines.at(token.line, line.value_col),
            view.lines.at(token.line, line.value_col + len(line.value)),
        )
    return view.token_range(token)


def _field_names(view: View, place: Place, root: type[BaseModel]) -> list[types.CompletionItem]:
    model = model_at(root, place.keys)
    if model is None:
        return []
    typed = place.token.text
    items = []
    for index, (name, info) in enumerate(model.model_fields.items()):
        if name in place.siblings and name != typed:
            continue
        shape = field_shape(info.annotation, info.metadata)
        opens = shape.is_model or shape.many
        documentation = field_documentation(model, name)
        items.append(
            types.CompletionItem(
                label=name,
                kind=types.CompletionItemKind.Field,
                detail="required" if info.is_required() else "optional",
                documentation=_markdown(documentation) if documentation else None,
                text_edit=types.TextEdit(
                    view.token_range(place.token), f"{name}:" if opens else f"{name}: "
                ),
                sort_text=f"{0 if info.is_required() else 1}{index:03d}",
            )
        )
    return items


def _concepts(view: View, course: Course, replace: types.Range) -> list[types.CompletionItem]:
    """The concepts the student has before this lesson, each with its depth and teacher."""
    ledger = course.ledger
    state = ledger.state_before(_index_before(ledger, view.lesson_id))
    items = []
    for teaching in sorted(state.values(), key=lambda t: t.concept.casefold()):
        teacher = f"taught by {teaching.lesson}" if teaching.lesson else "assumed knowledge"
        name = _scalar(teaching.concept)
        items.append(
            types.CompletionItem(
                label=teaching.concept,
                label_details=types.CompletionItemLabelDetails(
                    detail=f" {teaching.depth}", description=teaching.lesson or "assumed"
                ),
                kind=types.CompletionItemKind.Value,
                detail=f"{teaching.depth}, {teacher}",
                documentation=_markdown(_concept_summary(course, teaching.id, view.lesson_id)),
                text_edit=types.TextEdit(replace, name),
                filter_text=name,
            )
        )
    return items


def _lessons(
    view: View, course: Course, which: str, replace: types.Range
) -> list[types.CompletionItem]:
    """Lesson ids: earlier ones for a source or `previous`, later ones for `next`."""
    order = course.ledger.order
    here = _index_before(course.ledger, view.lesson_id)
    if which == "earlier":
        candidates = list(reversed(order[:here]))  # the nearest first
    elif which == "later":
        candidates = list(order[here + 1 :])
    else:
        candidates = [*order, *sorted(set(course.lessons) - set(order))]
    items = []
    for rank, lesson_id in enumerate(candidates):
        lesson = course.lesson(lesson_id)
        items.append(
            types.CompletionItem(
                label=lesson_id,
                kind=types.CompletionItemKind.Reference,
                detail=lesson.title if lesson else None,
                documentation=_markdown(_lesson_summary(course, lesson_id)),
                text_edit=types.TextEdit(replace, lesson_id),
                sort_text=f"{rank:05d}",
            )
        )
    return items


def _planned(
    view: View, list_keys: tuple[str, ...], replace: types.Range
) -> list[types.CompletionItem]:
    """Ids of this lesson's planned misconceptions, modalities or examples."""
    items = []
    for record in view.outline.records(list_keys):
        found = record.get("id")
        if found is None or not found.value.text:
            continue
        described = next(
            (f.value.text for name, f in record.items() if name != "id" and f.value.text), None
        )
        items.append(
            types.CompletionItem(
                label=found.value.text,
                kind=types.CompletionItemKind.Reference,
                detail=described,
                text_edit=types.TextEdit(replace, found.value.text),
            )
        )
    return items


_PLAIN = re.compile(r"[A-Za-z0-9(][^\n]*")
_NOT_TEXT = re.compile(r"(?i)(true|false|yes|no|on|off|null|~|[-+]?[0-9][0-9_.e+-]*)")


def _scalar(text: str) -> str:
    """`text` as a YAML value: plain when it reads back as the same string, else quoted."""
    plain = (
        _PLAIN.fullmatch(text) is not None
        and ": " not in text
        and " #" not in text
        and not text.endswith((":", " "))
        and _NOT_TEXT.fullmatch(text) is None
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


# --- hover ----------------------------------------------------------------------------------------


def hover(
    view: View, position: types.Position, diagnostics: Iterable[Diagnostic]
) -> types.Hover | None:
    """What the thing under the cursor is, and the rules of the diagnostics there."""
    place = view.place(position)
    parts: list[str] = []
    course = view.course
    keys = place.keys
    if place.kind == "comment":
        code = place.token.text.upper()
        if code in rules.REGISTRY:
            parts.append(_rule_summary(code))
    elif place.kind == "key":
        model = model_at(view.kind.model, keys)
        documentation = field_documentation(model, place.token.text) if model else None
        if documentation:
            parts.append(documentation)
    elif place.kind in ("value", "item") and place.token.text:
        parts.extend(_value_hover(view, place, course))
    codes = dict.fromkeys(diagnostic.code for diagnostic in diagnostics)
    parts.extend(_rule_summary(code) for code in codes if code in rules.REGISTRY)
    if not parts:
        return None
    return types.Hover(
        contents=_markdown("\n\n---\n\n".join(parts)), range=view.token_range(place.token)
    )


def _value_hover(view: View, place: Place, course: Course | None) -> list[str]:
    keys, text = place.keys, place.token.text
    if is_concept_field(view.kind, keys) and course is not None:
        return [_concept_summary(course, _concept_key(place, course), view.lesson_id, name=text)]
    if lesson_reference(view.kind, keys) is not None and course is not None:
        return [_lesson_summary(course, text)]
    if view.kind is DocumentKind.LESSON and keys in OUTLINE_REFERENCES:
        planned = ".".join(OUTLINE_REFERENCES[keys])
        for record in view.outline.records(OUTLINE_REFERENCES[keys]):
            found = record.get("id")
            if found is not None and found.value.text == text:
                rows = [f"- **{name}**: {f.value.text}" for name, f in record.items()]
                return [f"**{text}**, planned in `{planned}`\n\n" + "\n".join(rows)]
        return [f"`{text}` is not planned in `{planned}`"]
    model = model_at(view.kind.model, keys[:-1])
    documentation = field_documentation(model, keys[-1]) if model and keys else None
    return [documentation] if documentation else []


def _concept_key(place: Place, course: Course) -> str:
    """The concept id of the row at the cursor, as the ledger matches it: through the glossary,
    then its explicit `id`, else the normalised name."""
    explicit = place.siblings.get("id")
    if place.kind == "value" and explicit is not None and explicit.text:
        return course.ledger.resolve(place.token.text, explicit.text)
    return course.ledger.resolve(place.token.text)


def _concept_summary(course: Course, key: str, lesson_id: str | None, name: str = "") -> str:
    ledger = course.ledger
    title = name or next(
        (t.concept for lesson in ledger.order if (t := ledger.teaches(lesson, key))),
        ledger.assumed[key].concept if key in ledger.assumed else key,
    )
    head = [f"**{title}** (concept `{key}`)"]
    if lesson_id is not None and ledger.position(lesson_id) is not None:
        before = ledger.known_before(lesson_id, key)
        if before is None:
            head.append(f"Not taught before `{lesson_id}`.")
        elif before.lesson is None:
            head.append(f"Before this lesson: {before.depth}, assumed background knowledge.")
        else:
            head.append(f"Before this lesson: {before.depth}, from `{before.lesson}`.")
    if key in ledger.assumed:
        head.append(f"Assumed by the curriculum at {ledger.assumed[key].depth}.")
    taught = []
    for lesson in ledger.order:
        teaching = ledger.teaches(lesson, key)
        if teaching is not None:
            model = course.lesson(lesson)
            shown = f" ({model.title})" if model else ""
            taught.append(f"- `{lesson}`{shown}: {teaching.depth}")
    if taught:
        head.append("Taught in:\n" + "\n".join(taught))
    elif key not in ledger.assumed:
        head.append("No lesson of the course teaches it.")
    return "\n\n".join(head)


def _lesson_summary(course: Course, lesson_id: str) -> str:
    lesson = course.lesson(lesson_id)
    if lesson is None:
        if lesson_id in course.broken:
            return f"`{lesson_id}`: the lesson has schema errors."
        return f"`{lesson_id}`: no lesson of the course has this id."
    position = course.ledger.position(lesson_id)
    where = f"lesson {position + 1} of {len(course.ledger.order)}" if position is not None else ""
    lines = [
        f"**{lesson.title}** (`{lesson_id}`)",
        f"Module {lesson.module}, position {lesson.position}, {lesson.type}, {lesson.status.value}"
        + (f"; {where}" if where else ""),
    ]
    scope = lesson.design.scope
    if scope is not None and scope.target_depths:
        lines.append(
            "Teaches:\n" + "\n".join(f"- {row.concept}: {row.depth}" for row in scope.target_depths)
        )
    return "\n\n".join(lines)


def _rule_summary(code: str) -> str:
    return f"[{code} in the rules]({rule_href(code)})\n\n```text\n{describe_rule(code)}\n```"


def _markdown(text: str) -> types.MarkupContent:
    return types.MarkupContent(kind=types.MarkupKind.Markdown, value=text)


# --- definition and references ------------------------------------------------------------------


def definition(view: View, position: types.Position) -> list[types.Location]:
    """From a lesson id to its file, from a concept to the lesson that teaches it, and from an
    outline reference to the misconception, modality or example it names."""
    place = view.place(position)
    text = place.token.text
    if place.kind not in ("value", "item") or not text:
        return []
    keys = place.keys
    course = view.course
    if view.kind is DocumentKind.LESSON and keys in OUTLINE_REFERENCES:
        for record in view.outline.records(OUTLINE_REFERENCES[keys]):
            planned = record.get("id")
            if planned is not None and planned.value.text == text:
                return [types.Location(view.uri, view.token_range(planned.value))]
        return []
    if course is None:
        return []
    if lesson_reference(view.kind, keys) is not None:
        document = course.lessons.get(text)
        found = view.location(document, ("id",)) if document else None
        return [found] if found else []
    if is_concept_field(view.kind, keys):
        key = _concept_key(place, course)
        teacher = _teacher(course, key, view.lesson_id, place.siblings.get("source"))
        document = course.lessons.get(teacher) if teacher else None
        if document is None:
            return []
        for row in concept_rows(document.kind, document.model):
            if row.role == "taught" and row.id == key:
                found = view.location(document, row.path)
                return [found] if found else []
    return []


def _teacher(course: Course, key: str, lesson_id: str | None, source: Token | None) -> str | None:
    """The lesson that teaches concept `key` to a claim in `lesson_id`: its cited source when
    that lesson teaches it, else the deepest teaching before the lesson."""
    ledger = course.ledger
    if source is not None and ledger.teaches(source.text, key) is not None:
        return source.text
    if lesson_id is not None and ledger.position(lesson_id) is not None:
        before = ledger.known_before(lesson_id, key)
        if before is not None and before.lesson != lesson_id:
            return before.lesson
    teachers = [lesson for lesson in ledger.order if ledger.teaches(lesson, key)]
    others = [lesson for lesson in teachers if lesson != lesson_id]
    chosen = others or teachers
    return chosen[0] if chosen else None


def references(view: View, position: types.Position, *, declaration: bool) -> list[types.Location]:
    """Every row of the course that names the concept at `position`."""
    place = view.place(position)
    course = view.course
    if course is None or place.kind not in ("value", "item") or not place.token.text:
        return []
    if not is_concept_field(view.kind, place.keys):
        return []
    key = _concept_key(place, course)
    documents = list(course.lessons.values())
    if course.curriculum_document is not None:
        documents.append(course.curriculum_document)
    found = []
    for document in documents:
        for row in concept_rows(document.kind, document.model):
            same = row.id == key or course.concepts.names.get(row.id) == key  # an alias's id
            if same and (declaration or row.role != "taught"):
                location = view.location(document, row.path)
                if location is not None:
                    found.append(location)
    return found


# --- document symbols ---------------------------------------------------------------------------

_NAMES = ("title", "id", "concept", "name", "lesson", "prompt", "item", "model", "modality")
_MAX_DEPTH = 8  # deeper structure is no outline a person reads


def symbols(text: str, encoding: str) -> list[types.DocumentSymbol]:
    """The document's fields as an outline: sections by title, rows by id or concept."""
    source, _ = parse(text)
    root = source.root if source is not None else None
    if not isinstance(root, MappingNode):
        return []
    lines = Lines(text, encoding)
    found = []
    for key, value in root.value:
        if isinstance(key, ScalarNode):
            found.append(_symbol(key.value, key, value, lines, 0))
    return found


def _symbol(name: str, key: Node, value: Node, lines: Lines, depth: int) -> types.DocumentSymbol:
    whole = types.Range(
        lines.at(key.start_mark.line, key.start_mark.column),
        lines.at(value.end_mark.line, value.end_mark.column),
    )
    selected = types.Range(
        lines.at(key.start_mark.line, key.start_mark.column),
        lines.at(key.end_mark.line, key.end_mark.column),
    )
    if whole.end.line < whole.start.line or (
        whole.end.line == whole.start.line and whole.end.character < whole.start.character
    ):
        whole = selected
    children: list[types.DocumentSymbol] = []
    kind = types.SymbolKind.Field
    detail = None
    if isinstance(value, MappingNode):
        kind = types.SymbolKind.Namespace if depth == 0 else types.SymbolKind.Object
        if depth < _MAX_DEPTH:
            children = [
                _symbol(k.value, k, v, lines, depth + 1)
                for k, v in value.value
                if isinstance(k, ScalarNode) and isinstance(v, (MappingNode, SequenceNode))
            ]
    elif isinstance(value, SequenceNode):
        kind = types.SymbolKind.Array
        if depth < _MAX_DEPTH:
            for index, item in enumerate(value.value):
                if isinstance(item, MappingNode):
                    children.append(_item_symbol(index, item, lines, depth + 1))
    elif isinstance(value, ScalarNode):
        detail = value.value.split("\n", 1)[0][:80] or None
    return types.DocumentSymbol(
        name=name or "(empty)",
        kind=kind,
        range=whole,
        selection_range=selected,
        detail=detail,
        children=children or None,
    )


def _item_symbol(index: int, item: MappingNode, lines: Lines, depth: int) -> types.DocumentSymbol:
    fields = {k.value: v for k, v in item.value if isinstance(k, ScalarNode)}
    label_node = next(
        (fields[name] for name in _NAMES if isinstance(fields.get(name), ScalarNode)), None
    )
    label = label_node.value.split("\n", 1)[0][:80] if isinstance(label_node, ScalarNode) else ""
    kind_node = fields.get("kind")
    detail = kind_node.value if isinstance(kind_node, ScalarNode) else None
    symbol = _symbol(label or f"[{index}]", label_node or item, item, lines, depth)
    return types.DocumentSymbol(
        name=symbol.name,
        kind=types.SymbolKind.Struct,
        range=types.Range(lines.at(item.start_mark.line, item.start_mark.column), symbol.range.end),
        selection_range=symbol.selection_range,
        detail=detail,
        children=symbol.children,
    )
