"""Vocabulary shared by every lessonkit document: enums, the Markdown marker, the base model.

Each enum is defined here and only here; the rules, the renderer and the JSON Schema export all
import it from this module.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo
from pydantic_core import PydanticCustomError


class LessonStatus(enum.Enum):
    """Where a lesson is in its life: being written, under review, or ready to ship."""

    DRAFT = "draft"
    IN_REVIEW = "in-review"
    READY = "ready"


class PrerequisiteStatus(enum.Enum):
    """Outcome of tracing one prerequisite: OK when the actual depth meets the required depth."""

    OK = "OK"
    GAP = "GAP"
    MISSING = "MISSING"  # the student does not have the concept at all (imported plans say so)


class ExampleKind(enum.Enum):
    """Whether a planned example shows the concept (positive) or marks its boundary (negative)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


class SectionKind(enum.Enum):
    """The role an outline section plays in the lesson's arc."""

    CONTEXT = "context"
    HOOK = "hook"
    EXPLAIN = "explain"
    EXAMPLE = "example"
    NEGATIVE_EXAMPLE = "negative-example"
    CHECK = "check"
    EXPLORE = "explore"  # 5E-style plans: the student investigates before being told
    ELABORATE = "elaborate"  # 5E-style plans: the idea applied to a new case
    PRACTICE = "practice"
    SUMMARY = "summary"
    NEXT = "next"


class Scaffolding(enum.Enum):
    """How much support an exercise gives: guided -> supported -> independent."""

    GUIDED = "guided"
    SUPPORTED = "supported"
    INDEPENDENT = "independent"


class QuestionKind(enum.Enum):
    """Kinds of expected-knowledge questions, as a reviewer's page feedback sets them."""

    EXPLANATION = "explanation"
    MULTIPLE_CHOICE = "multiple-choice"
    TRACING = "tracing"
    PREDICTION = "prediction"


class FindingSeverity(enum.Enum):
    """Severity of a review finding. CRITICAL and IMPROVEMENT block a PASS; POLISH does not."""

    CRITICAL = "CRITICAL"
    IMPROVEMENT = "IMPROVEMENT"
    POLISH = "POLISH"


class Verdict(enum.Enum):
    """A review iteration's verdict."""

    PASS = "PASS"
    NEEDS_REVISION = "NEEDS REVISION"
    MAJOR_REVISION = "MAJOR REVISION"  # needs work like NEEDS REVISION, and says it is a lot


class FixStatus(enum.Enum):
    """What became of a previous iteration's finding."""

    FIXED = "FIXED"
    ACCEPTED = "ACCEPTED"
    STILL_OPEN = "STILL OPEN"


DEFAULT_LESSON_TYPES: tuple[str, ...] = ("BUILD", "STRETCH", "CONSOLIDATE", "PROJECT")
"""Lesson types known out of the box; a project can declare its own (`lesson_types`)."""

DEFAULT_DEPTH_SCALE: tuple[str, ...] = ("MENTIONED", "INTRODUCED", "DEVELOPED", "APPLIED")
"""How deeply a concept is taught, shallowest first; a project can declare its own
(`depth_scale`)."""


class Vocabulary:
    """Marks a string field whose values come from a configurable list (types, depths).

    The list is read from the validation context under `key`, falling back to `default`, so
    the same model serves every project's configuration.
    """

    def __init__(self, key: str, default: tuple[str, ...]) -> None:
        self.key = key
        self.default = default

    def __repr__(self) -> str:
        return f"Vocabulary({self.key!r})"

    def check(self, value: str, info: ValidationInfo) -> str:
        allowed = tuple((info.context or {}).get(self.key, self.default))
        if value not in allowed:
            raise PydanticCustomError(
                "enum", "Input should be {expected}", {"expected": one_of(allowed)}
            )
        return value


def one_of(values: tuple[str, ...]) -> str:
    """`'A', 'B' or 'C'`, as Pydantic words its enum errors."""
    quoted = [repr(value) for value in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


_DEPTHS = Vocabulary("depth_scale", DEFAULT_DEPTH_SCALE)
_TYPES = Vocabulary("lesson_types", DEFAULT_LESSON_TYPES)

DepthName = Annotated[
    str,
    AfterValidator(_DEPTHS.check),
    _DEPTHS,
    Field(json_schema_extra={"x-lessonkit-vocabulary": "depth_scale"}),
]
"""A depth from the project's scale (by default MENTIONED < INTRODUCED < DEVELOPED < APPLIED)."""

LessonType = Annotated[
    str,
    AfterValidator(_TYPES.check),
    _TYPES,
    Field(json_schema_extra={"x-lessonkit-vocabulary": "lesson_types"}),
]
"""A lesson type from the project's list (by default BUILD, STRETCH, CONSOLIDATE)."""


class MarkdownText:
    """Marks a string field as Markdown prose (with `$...$` / `$$...$$` math).

    Prose rules and the renderer find every prose field through this marker instead of a
    hand-kept list of field names.
    """

    def __repr__(self) -> str:
        return "MarkdownText()"


Text = Annotated[str, StringConstraints(min_length=1)]
"""A short, non-empty plain string (a name, a title)."""

Markdown = Annotated[str, StringConstraints(min_length=1), MarkdownText()]
"""Non-empty Markdown prose."""

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$"),
    Field(examples=["training-loop"]),
]
"""A lowercase identifier with hyphens, used for lesson ids and in-lesson references."""

ModuleId = Annotated[
    str,
    StringConstraints(pattern=r"^\d+(?:\.\d+)*$"),
    Field(examples=["2.1"]),
]
"""A module number such as "2.1". Write it quoted in YAML: unquoted 2.10 would be the number 2.1."""


class Record(BaseModel):
    """Base of every lessonkit document model: unknown fields are errors, values are immutable."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        use_enum_values=False,
        validate_default=False,
        str_strip_whitespace=False,
    )


@dataclass(frozen=True)
class FieldShape:
    """What a field annotation holds, once Annotated and Optional are set aside."""

    base: Any  # the type inside (the item type, for a list)
    many: bool  # a list of `base`
    metadata: tuple[Any, ...]  # Annotated metadata describing `base`

    @property
    def is_model(self) -> bool:
        return isinstance(self.base, type) and issubclass(self.base, BaseModel)

    @property
    def is_markdown(self) -> bool:
        return self.base is str and any(isinstance(m, MarkdownText) for m in self.metadata)


def field_shape(annotation: Any, metadata: Iterable[Any] = ()) -> FieldShape:
    """The shape of a model field's annotation (with the field's own metadata, if any).

    The one place that reads annotations: the schema's error hints, the prose walk, the
    generated docs and the tests all ask it rather than unpicking typing objects themselves.
    """
    collected = list(metadata)
    many = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation, *extra = typing.get_args(annotation)
            collected += extra
        elif origin in (typing.Union, types.UnionType):
            options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            if len(options) != 1:
                break
            annotation = options[0]
        elif origin is list and not many:
            many = True
            annotation = typing.get_args(annotation)[0]
            collected = []  # a list's constraints describe the list, not its items
        else:
            break
    return FieldShape(annotation, many, tuple(collected))
