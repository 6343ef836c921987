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
