"""What a field path means: its model field, and which fields name concepts or lessons.

`locate` says which keys lead to the cursor; this module says what lives there, from the
Pydantic models (the same ones `validate` checks against) and from the lesson format's own
vocabulary of concept rows and lesson references.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..core.diagnostics import DataPath
from ..course.concepts import concept_id, concept_key
from ..docs.generate import model_doc
from ..read.documents import DocumentKind
from ..schemas import Config, Curriculum, Lesson, field_shape
from ..schemas.common import Vocabulary

# Rows that claim a concept the student already has, and what rows of this kind are called.
CLAIMS: dict[tuple[str, ...], str] = {
    ("student_state", "concepts"): "student state",
    ("analysis", "prerequisites"): "prerequisite",
}
# Every list of concept rows (`concept`, optional `id`) in a lesson.
CONCEPT_ROWS: tuple[tuple[str, ...], ...] = (
    *CLAIMS,
    ("design", "scope", "target_depths"),
    ("design", "cognitive_load", "new_concepts"),
)
CONCEPT_LISTS = (("design", "connections", "links", "new_concepts"),)  # plain names
# Fields holding a lesson id, and which lessons fit there: "earlier", "later" or "any".
LESSON_REFERENCES: dict[tuple[str, ...], str] = {
    ("student_state", "concepts", "source"): "earlier",
    ("analysis", "prerequisites", "source"): "earlier",
    ("design", "connections", "links", "source"): "earlier",
    ("previous",): "earlier",
    ("next",): "later",
}
# Outline references to the lesson's own plans: the list an id points into.
OUTLINE_REFERENCES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("design", "outline", "addresses"): ("analysis", "misconceptions"),
    ("design", "outline", "modalities"): ("design", "modalities"),
    ("design", "outline", "examples"): ("analysis", "examples"),
}
_LINK = re.compile(r"\[([^\]]+)\]\(#[^)]*\)")


def model_at(root: type[BaseModel], keys: tuple[str, ...]) -> type[BaseModel] | None:
    """The model of the mapping at `keys` (list items are implicit), or None."""
    current: type[BaseModel] | None = root
    for key in keys:
        info = current.model_fields.get(key) if current is not None else None
        if info is None:
            return None
        shape = field_shape(info.annotation, info.metadata)
        current = shape.base if shape.is_model else None
    return current


def field_at(root: type[BaseModel], keys: tuple[str, ...]) -> FieldInfo | None:
    """The model field at `keys`, or None."""
    if not keys:
        return None
    parent = model_at(root, keys[:-1])
    return parent.model_fields.get(keys[-1]) if parent is not None else None


def choices(info: FieldInfo, config: Config) -> list[tuple[str, str]]:
    """The values a field takes, when they are a closed set: (value, what the set is)."""
    shape = field_shape(info.annotation, info.metadata)
    base = shape.base
    if isinstance(base, type) and issubclass(base, enum.Enum):
        doc = (base.__doc__ or "").strip().split("\n")[0]
        return [(str(member.value), doc) for member in base]
    if base is bool:
        return [("true", ""), ("false", "")]
    for item in shape.metadata:
        if isinstance(item, Vocabulary):
            values = getattr(config, item.key, item.default)
            return [(str(value), f"from `{item.key}`") for value in values]
    return []


def field_documentation(model: type[BaseModel], name: str) -> str | None:
    """A field's documentation, as `docs/lesson-format.md` gives it: type, default, description."""
    for doc in model_doc(model).fields:
        if doc.name == name:
            kind = _LINK.sub(r"\1", doc.type)
            need = "required" if doc.required else f"optional, default {doc.default}"
            return f"**{model.__name__}.{doc.name}**: {kind} ({need})\n\n{doc.description}"
    return None


def is_concept_field(kind: DocumentKind, keys: tuple[str, ...]) -> bool:
    """Whether the value at `keys` names a concept."""
    if kind is DocumentKind.CURRICULUM:
        return keys == ("assumed", "concept")
    if kind is not DocumentKind.LESSON:
        return False
    return (keys[:-1] in CONCEPT_ROWS and keys[-1:] == ("concept",)) or keys in CONCEPT_LISTS


def lesson_reference(kind: DocumentKind, keys: tuple[str, ...]) -> str | None:
    """For a field holding a lesson id: which lessons fit ("earlier", "later", "any")."""
    if kind is DocumentKind.LESSON:
        return LESSON_REFERENCES.get(keys)
    if (kind is DocumentKind.REVIEW and keys == ("lesson",)) or (
        kind is DocumentKind.CURRICULUM and keys == ("series", "modules", "lessons")
    ):
        return "any"
    return None


@dataclass(frozen=True)
class ConceptRow:
    """A place in a document that names a concept."""

    path: DataPath  # to the name (the `concept` field, or the list item)
    name: str
    id: str
    role: str  # "taught", "claimed", "new", "connected", "assumed"


def concept_rows(kind: DocumentKind, model: BaseModel | None) -> Iterator[ConceptRow]:
    """Every concept named in a lesson (or assumed by the curriculum), with its path."""
    if isinstance(model, Lesson):
        lesson = model
        rows: list[tuple[tuple[str, ...], str, list[Any]]] = [
            (("student_state", "concepts"), "claimed", list(lesson.student_state.concepts)),
            (("analysis", "prerequisites"), "claimed", list(lesson.analysis.prerequisites)),
        ]
        scope, load = lesson.design.scope, lesson.design.cognitive_load
        if scope is not None:
            rows.append((("design", "scope", "target_depths"), "taught", list(scope.target_depths)))
        if load is not None:
            rows.append(
                (("design", "cognitive_load", "new_concepts"), "new", list(load.new_concepts))
            )
        for keys, role, items in rows:
            for index, row in enumerate(items):
                yield ConceptRow((*keys, index, "concept"), row.concept, concept_key(row), role)
        connections = lesson.design.connections
        for link_index, link in enumerate(connections.links if connections else []):
            for index, name in enumerate(link.new_concepts):
                path = ("design", "connections", "links", link_index, "new_concepts", index)
                yield ConceptRow(path, name, concept_id(name), "connected")
    elif isinstance(model, Curriculum):
        for index, row in enumerate(model.assumed):
            yield ConceptRow(
                ("assumed", index, "concept"), row.concept, concept_key(row), "assumed"
            )
