"""The one diagnostic record every check produces and every output format serialises."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field

DataPath = tuple[str | int, ...]
"""A location inside a document: mapping keys and sequence indices from the root."""


def join_path(path: Sequence[str | int]) -> str:
    """`analysis.prerequisites[2].required_depth` style rendering of a path."""
    out = ""
    for element in path:
        if isinstance(element, int):
            out += f"[{element}]"
        else:
            out += ("." if out else "") + element
    return out


class Severity(enum.Enum):
    """How much a diagnostic matters: errors fail `validate`, warnings do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Span:
    """A 1-based position in a file, with an optional end (exclusive column)."""

    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None


@dataclass(frozen=True)
class Edit:
    """Replace text[start:end] of a file's text with `replacement` (character offsets)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True)
class Finding:
    """What a check reports before the engine knows the file and the configured severity."""

    code: str
    message: str
    span: Span
    edit: Edit | None = None
    field: str | None = None  # the document field it is about, e.g. "design.outline[3].body"

    @property
    def fixable(self) -> bool:
        return self.edit is not None


@dataclass(frozen=True)
class Diagnostic:
    """A finding stamped with its file and severity; sorted by (path, line, column, code)."""

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    end_line: int | None = None
    end_column: int | None = None
    edit: Edit | None = field(default=None, compare=False, repr=False)
    field: str | None = field(default=None, compare=False, repr=False)

    @property
    def fixable(self) -> bool:
        return self.edit is not None

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.code)

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.code} {self.message}"


# --- the S family: findings about reading a file, made only through these ------------------
# Each S-code is produced in several places (the loader, the schema check, the suppression
# parser, the engine); naming the constructor instead of the code keeps its meaning in one place.


def syntax_error(message: str, span: Span) -> Finding:
    """S001: the file is not well-formed YAML."""
    return Finding("S001", message, span)


def schema_violation(message: str, span: Span) -> Finding:
    """S002: a value does not fit the document's model."""
    return Finding("S002", message, span)


def duplicate_key(message: str, span: Span) -> Finding:
    """S003: a mapping key given twice."""
    return Finding("S003", message, span)


def unreadable(message: str, span: Span) -> Finding:
    """S004: input lessonkit will not read (encoding, size, anchors, tags, limits)."""
    return Finding("S004", message, span)


def bad_suppression(message: str, span: Span) -> Finding:
    """S005: a suppression comment without a known rule or a reason."""
    return Finding("S005", message, span)


def unused_suppression(message: str, span: Span) -> Finding:
    """S006: a suppression comment that suppresses nothing."""
    return Finding("S006", message, span)


def rule_crashed(message: str, span: Span) -> Finding:
    """S007: a rule raised on this file (a bug in lessonkit)."""
    return Finding("S007", message, span)


def glossary_conflict(message: str, span: Span) -> Finding:
    """S008: a glossary name given to two concepts, or twice."""
    return Finding("S008", message, span)
