"""The position map of an imported Markdown document, and the notes of its import report.

`Recorder` is what the readers write through: every value they put at a data path is kept
with the located text it came from. `MarkdownSource` answers the same questions as a YAML
`Source` (where is this field, where is character n of this string, can these characters be
rewritten in place) from that map, so the schema check, the rules, suppressions and `--fix`
work on a `.md` plan exactly as on a YAML lesson, and report the Markdown line and column.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from ...core.diagnostics import DataPath, Edit, Span
from ..yaml_source import Source
from .blocks import Markdown
from .located import Located

Region = tuple[int, int]  # text offsets of a container value (a table, a list, a section)


class NoteKind(enum.Enum):
    """What the importer did with a part of the document."""

    MAPPED = "mapped"
    INFERRED = "inferred"
    UNMAPPED = "unmapped"


@dataclass(frozen=True)
class Note:
    """One line of the import report."""

    kind: NoteKind
    line: int  # 1-based line in the Markdown file
    message: str


@dataclass
class Recorder:
    """Collects a document's data paths with their source and the import report's notes."""

    doc: Markdown
    positions: dict[DataPath, Located | Region] = field(default_factory=dict)
    notes: list[Note] = field(default_factory=list)

    def text(self, path: DataPath, value: Located) -> str:
        """`value` as a plain string, remembering where it was written."""
        self.positions[path] = value
        return value.text

    def region(self, path: DataPath, start: int, end: int) -> None:
        """Where a container value (a table, a list, a section) was written."""
        self.positions.setdefault(path, (start, end))

    def line_of(self, value: Located | int | None) -> int:
        """1-based line of a located value or a text offset (1 when unknown)."""
        offset = value.start if isinstance(value, Located) else value
        return self.doc.line_of(offset) + 1 if offset is not None else 1

    def note(self, kind: NoteKind, where: Located | int | None, message: str) -> None:
        self.notes.append(Note(kind, self.line_of(where), message))

    def mapped(self, where: Located | int | None, message: str) -> None:
        self.note(NoteKind.MAPPED, where, message)

    def inferred(self, where: Located | int | None, message: str) -> None:
        self.note(NoteKind.INFERRED, where, message)

    def unmapped(self, where: Located | int | None, message: str) -> None:
        self.note(NoteKind.UNMAPPED, where, message)


@dataclass
class MarkdownSource(Source):
    """A `Source` whose positions come from a Markdown document's position map.

    There is no YAML node tree (`root` is None); `span`, `prose_span` and `prose_edit` answer
    from `positions`, falling back to the nearest mapped ancestor of a path, as `node_at` does
    for YAML.
    """

    positions: dict[DataPath, Located | Region] = field(default_factory=dict, repr=False)
    line_starts: list[int] = field(default_factory=list, repr=False)
    prefix: DataPath = ()  # the part of the map's paths this document's data lives under

    def release(self) -> None:
        """Nothing to drop: the map is what positions come from."""

    def _lookup(self, path: DataPath) -> Located | Region | None:
        full = (*self.prefix, *path)
        for length in range(len(full), len(self.prefix) - 1, -1):
            found = self.positions.get(full[:length])
            if found is not None and (not isinstance(found, Located) or found.runs):
                return found
        return None

    def _position(self, offset: int) -> tuple[int, int]:
        import bisect

        line = max(0, bisect.bisect_right(self.line_starts, offset) - 1)
        return line + 1, offset - self.line_starts[line] + 1

    def span(self, path: DataPath, *, key: bool = False) -> Span:
        found = self._lookup(path)
        if found is None:
            return Span(1, 1)
        start, end = (found.start, found.end) if isinstance(found, Located) else found
        assert start is not None and end is not None
        line, column = self._position(start)
        end_line, end_column = self._position(max(start, end - 1))
        if end_line == line and end > start:
            return Span(line, column, end_line, end_column + 1)
        return Span(line, column)

    def prose_span(self, path: DataPath, offset: int, length: int = 1) -> Span:
        found = self.positions.get((*self.prefix, *path))
        if not isinstance(found, Located):
            return self.span(path)
        first = found.offset(offset)
        last = found.offset(offset + max(length, 1) - 1)
        if first is None:
            return self.span(path)
        line, column = self._position(first)
        if last is None or last < first:
            return Span(line, column)
        end_line, end_column = self._position(last)
        return Span(line, column, end_line, end_column + 1)

    def prose_edit(self, path: DataPath, offset: int, length: int, replacement: str) -> Edit | None:
        found = self.positions.get((*self.prefix, *path))
        if not isinstance(found, Located) or length < 1 or not found.contiguous(offset, length):
            return None
        start = found.offset(offset)
        if start is None:
            return None
        end = start + length
        if self.text[start:end] != found.text[offset : offset + length]:
            return None
        return Edit(start, end, replacement)


def markdown_source(
    doc: Markdown, data: Any, positions: dict[DataPath, Located | Region], prefix: DataPath = ()
) -> MarkdownSource:
    """The source of one document (a lesson, or one review under `prefix`) of a Markdown file."""
    return MarkdownSource(
        doc.text, None, data, positions=positions, line_starts=doc.line_starts, prefix=prefix
    )
