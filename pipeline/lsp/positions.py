"""Positions: lessonkit's (1-based line, 1-based column in code points) and LSP's.

LSP positions are 0-based and count columns in the code units of the negotiated encoding:
UTF-16 unless client and server agree on another. A column past the end of its line means the
line's end, and a line past the end of the text means the end of the text, as the protocol
asks. Lines are split on "\\n" only, as lessonkit counts them (a "\\r" before it is the line's
last character, which no diagnostic points at).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from lsprotocol import types

UTF16 = types.PositionEncodingKind.Utf16


def units(text: str, encoding: str = UTF16) -> int:
    """How many code units `text` takes in `encoding`."""
    if encoding == types.PositionEncodingKind.Utf32:
        return len(text)
    if encoding == types.PositionEncodingKind.Utf8:
        return len(text.encode("utf-8", "surrogatepass"))
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


@dataclass
class Lines:
    """A text's lines, for turning positions and character offsets into each other."""

    text: str
    encoding: str = UTF16
    starts: list[int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.starts = [0]
        index = self.text.find("\n")
        while index != -1:
            self.starts.append(index + 1)
            index = self.text.find("\n", index + 1)

    def line(self, number: int) -> str:
        """Line `number` (0-based) without its line break; "" past the end."""
        if not 0 <= number < len(self.starts):
            return ""
        end = self.starts[number + 1] - 1 if number + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[number] : end]

    @property
    def count(self) -> int:
        return len(self.starts)

    # --- LSP -> lessonkit --------------------------------------------------------------------

    def point(self, position: types.Position) -> tuple[int, int]:
        """(0-based line, 0-based column in code points) of an LSP position, clamped."""
        if position.line < 0:
            return 0, 0
        if position.line >= len(self.starts):
            last = len(self.starts) - 1
            return last, len(self.line(last))
        text = self.line(position.line)
        wanted = max(position.character, 0)
        if self.encoding == types.PositionEncodingKind.Utf32:
            return position.line, min(wanted, len(text))
        spent = 0
        for column, char in enumerate(text):
            if spent >= wanted:
                return position.line, column
            spent += units(char, self.encoding)
        return position.line, len(text)

    def offset(self, position: types.Position) -> int:
        """The character offset into the text of an LSP position."""
        line, column = self.point(position)
        return self.starts[line] + column

    # --- lessonkit -> LSP --------------------------------------------------------------------

    def position(self, line: int, column: int) -> types.Position:
        """The LSP position of lessonkit's 1-based `line` and code-point `column`."""
        return self.at(line - 1, column - 1)

    def at(self, line: int, column: int) -> types.Position:
        """The LSP position of a 0-based line and code-point column (clamped to the text)."""
        if line >= len(self.starts):
            last = len(self.starts) - 1
            return types.Position(last, units(self.line(last), self.encoding))
        line = max(line, 0)
        text = self.line(line)
        column = min(max(column, 0), len(text))
        return types.Position(line, units(text[:column], self.encoding))

    def position_of_offset(self, offset: int) -> types.Position:
        """The LSP position of a character offset into the text."""
        offset = min(max(offset, 0), len(self.text))
        line = bisect.bisect_right(self.starts, offset) - 1
        return self.at(line, offset - self.starts[line])

    def range(
        self, line: int, column: int, end_line: int | None, end_column: int | None
    ) -> types.Range:
        """The LSP range of a lessonkit span; without an end, the word it starts (or one
        character), so an editor has something to underline."""
        start = self.position(line, column)
        if end_line is not None and end_column is not None:
            end = self.position(end_line, end_column)
            if (end.line, end.character) >= (start.line, start.character):
                return types.Range(start, end)
        text = self.line(line - 1)
        first = min(max(column - 1, 0), len(text))
        last = first
        while last < len(text) and not text[last].isspace():
            last += 1
        if last == first:
            last = min(first + 1, len(text))
        return types.Range(start, self.at(line - 1, last))
