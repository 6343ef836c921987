"""Which field the cursor is on, read from the text alone.

Completion is asked for while the author types, so the buffer is often not valid YAML (a key
without its colon, an unfinished flow list). The parser cannot help there; the indentation can.
Lessons are block-style YAML, where a field's parents are the nearest less-indented key lines
above it, list items (`- `) open a mapping at the column after the dash, and the lines more
indented than a key that has a value on its own line (`body: |`, a folded plain scalar) are that
value's continuation, never fields. That is all this module knows, and it is enough to say
"the value of `analysis.prerequisites[].concept`, typed so far: 'Grad'" on any buffer.

Columns here are 0-based code points; the server converts them to and from LSP positions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["key", "value", "item", "prose", "comment", "none"]

_KEY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?=[ \t]|$)")
_BLOCK = re.compile(r"^[|>][0-9+-]*$")
_DASH = re.compile(r"-(?:[ \t]+|$)")


@dataclass(frozen=True)
class Token:
    """A piece of text on one line: a value, a list item or a key (columns: [start, end))."""

    text: str
    line: int
    start: int
    end: int


@dataclass(frozen=True)
class Place:
    """Where the cursor is.

    - "key": on a field name (or where one would go); `keys` is the mapping's path.
    - "value": on a one-line value; `keys` ends with its field's name.
    - "item": on an item of a list (block `- x` or flow `[x, y]`); `keys` is the list's path.
    - "prose": inside a multi-line value; `keys` ends with its field's name.
    - "comment": inside a comment; `token` is the word under the cursor.
    `siblings` are the other fields of the mapping the cursor is in, with their one-line values.
    """

    kind: Kind
    keys: tuple[str, ...]
    token: Token
    siblings: dict[str, Token] = field(default_factory=dict)


@dataclass(frozen=True)
class _Line:
    number: int
    text: str
    indent: int  # column of the first character that is not a space
    dashes: tuple[int, ...]  # columns of the `- ` markers that open list items on this line
    key: str | None
    key_col: int  # column of the key, or of what follows the dashes
    value: str  # the one-line value after `key:` (or after the dashes), comment removed
    value_col: int
    comment_col: int | None
    blank: bool  # empty, or a comment only


def _comment_start(text: str, start: int) -> int | None:
    """Column where a comment starts on the line (a '#' after a space, outside quotes)."""
    quote: str | None = None
    for index in range(start, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = None
        elif char in "\"'" and (index == start or text[index - 1] in " \t[{,:"):
            quote = char
        elif char == "#" and (index == 0 or text[index - 1] in " \t"):
            return index
    return None


def _classify(number: int, raw: str) -> _Line:
    text = raw[:-1] if raw.endswith("\r") else raw
    indent = len(text) - len(text.lstrip(" "))
    column = indent
    dashes: list[int] = []
    while column < len(text):
        match = _DASH.match(text, column)
        if match is None:
            break
        dashes.append(column)
        column = match.end()
    comment = _comment_start(text, column)
    end = comment if comment is not None else len(text)
    key: str | None = None
    value_col = column
    key_match = _KEY.match(text, column, end)
    if key_match is not None:
        key = key_match.group("key")
        value_col = key_match.end()
    while value_col < end and text[value_col] in " \t":
        value_col += 1
    value = text[value_col:end].rstrip()
    blank = not text[column:end].strip() and not dashes
    return _Line(number, text, indent, tuple(dashes), key, column, value, value_col, comment, blank)


@dataclass(frozen=True)
class FieldLine:
    """A field written on one line: its full path of keys, its key and its one-line value."""

    keys: tuple[str, ...]
    key: Token
    value: Token


class Outline:
    """The lines of a YAML text, classified once, answering `place` queries."""

    def __init__(self, text: str) -> None:
        self.lines = [_classify(number, raw) for number, raw in enumerate(text.split("\n"))]
        self.owner: dict[int, int] = {}  # continuation line -> the line whose value it continues
        self._find_continuations()
        self._fields: list[FieldLine] | None = None
        self._items: list[tuple[int, tuple[str, ...]]] = []  # (line, path of its list)

    def fields(self) -> list[FieldLine]:
        """Every field written on its own line, in order, with its path (one pass)."""
        if self._fields is not None:
            return self._fields
        self._fields = []
        stack: list[tuple[int, str]] = []  # (key column, key) of the enclosing fields
        for line in self.lines:
            if line.blank or line.number in self.owner:
                continue
            level = line.dashes[0] if line.dashes else line.key_col
            while stack and stack[-1][0] >= level:
                stack.pop()
            parents = tuple(key for _, key in stack)
            if line.dashes:
                self._items.append((line.number, parents))
            if line.key is not None:
                key = Token(line.key, line.number, line.key_col, line.key_col + len(line.key))
                self._fields.append(FieldLine((*parents, line.key), key, _value_token(line)))
                stack.append((line.key_col, line.key))
        return self._fields

    def top(self, key: str) -> Token | None:
        """The one-line value of a top-level field."""
        return next((f.value for f in self.fields() if f.keys == (key,)), None)

    def records(self, keys: tuple[str, ...]) -> list[dict[str, FieldLine]]:
        """The items of the list of mappings at `keys`, each as its one-line fields."""
        fields = self.fields()
        starts = [line for line, parents in self._items if parents == keys]
        records: list[dict[str, FieldLine]] = [{} for _ in starts]
        for found in fields:
            if found.keys[:-1] != keys:
                continue
            index = bisect.bisect_right(starts, found.key.line) - 1
            if index >= 0:
                records[index].setdefault(found.keys[-1], found)
        return records

    def _find_continuations(self) -> None:
        lines = self.lines
        index = 0
        while index < len(lines):
            line = lines[index]
            base = self._value_base(line)
            if base is None:
                index += 1
                continue
            last = index
            scan = index + 1
            while scan < len(lines) and (lines[scan].blank or lines[scan].indent > base):
                if not lines[scan].blank or lines[scan].indent > base:
                    last = scan
                scan += 1
            for inner in range(index + 1, last + 1):
                self.owner[inner] = index
            index = max(last, index) + 1

    @staticmethod
    def _value_base(line: _Line) -> int | None:
        """For a line whose value starts on it (and may continue below), the column its
        continuation must be indented past; None for lines whose children follow instead."""
        if line.blank or not line.value:
            return None
        if line.key is not None:
            return line.key_col
        if line.dashes:
            return line.dashes[-1]
        return None  # a plain line that is no field: a stray word; nothing continues it

    def ancestors(self, number: int, level: int) -> tuple[str, ...]:
        """Keys of the mappings enclosing a node at column `level` on line `number`."""
        keys: list[str] = []
        for index in range(min(number, len(self.lines)) - 1, -1, -1):
            if level <= 0:
                break
            line = self.lines[index]
            if line.blank or index in self.owner or line.indent >= level:
                continue
            if line.key is not None and line.key_col < level:
                keys.append(line.key)
                level = line.dashes[0] if line.dashes else line.key_col
            elif line.dashes:
                level = line.dashes[0]
            else:
                level = line.indent
        return tuple(reversed(keys))

    def siblings(self, number: int, column: int) -> dict[str, Token]:
        """The fields of the mapping whose keys sit at `column`, around line `number`."""
        found: dict[str, Token] = {}

        def add(line: _Line) -> None:
            if line.key is not None and line.key_col == column and line.key not in found:
                found[line.key] = _value_token(line)

        for index in range(number, -1, -1):
            if index >= len(self.lines):
                continue
            line = self.lines[index]
            if line.blank or index in self.owner:
                continue
            if line.indent < column:
                add(line)  # the `- key:` line that opens this list item
                break
            add(line)
        for index in range(number + 1, len(self.lines)):
            line = self.lines[index]
            if line.blank or index in self.owner:
                continue
            if line.indent < column:
                break
            add(line)
        return found

    def place(self, number: int, column: int) -> Place:
        """What the cursor at 0-based `number`, `column` (code points) is on."""
        if not 0 <= number < len(self.lines):
            return Place("none", (), Token("", number, column, column))
        line = self.lines[number]
        column = min(column, len(line.text))
        if line.comment_col is not None and column > line.comment_col:
            return Place("comment", (), _word(line, column))
        if number in self.owner:
            owner = self.lines[self.owner[number]]
            keys = self._keys_of_value(owner)
            if owner.value.startswith(("[", "{")):
                return Place("value", keys, _value_token(owner))
            return Place("prose", keys, _word(line, column))
        if line.blank or (not line.dashes and line.key is None):
            # A new field being typed (or the end of a block scalar's last paragraph).
            before = self._previous(number)
            level = line.indent if not line.blank else column
            if before is not None:
                base = self._value_base(before)
                if base is not None and _BLOCK.match(before.value) and level > base:
                    return Place("prose", self._keys_of_value(before), _word(line, column))
            token = Token(line.text[line.indent : column].strip(), number, line.indent, column)
            if line.blank:
                token = Token("", number, column, column)
            keys = self.ancestors(number, level)
            return Place("key", keys, token, self.siblings(number, level))
        level = line.dashes[0] if line.dashes else line.key_col
        if line.key is None:  # `- item`: a list item written on this line
            keys = self.ancestors(number, level)
            token = _value_token(line)
            if column < line.key_col and line.value:
                token = Token(line.value, number, line.value_col, line.value_col + len(line.value))
            return Place("item", keys, token, self.siblings(number, line.key_col))
        key_end = line.key_col + len(line.key)
        keys = self.ancestors(number, level)
        siblings = self.siblings(number, line.key_col)
        if column <= key_end:
            return Place("key", keys, Token(line.key, number, line.key_col, key_end), siblings)
        keys += (line.key,)
        if line.value.startswith("["):
            return Place("item", keys, _flow_item(line, column), siblings)
        if _BLOCK.match(line.value):
            return Place("prose", keys, _word(line, column), siblings)
        return Place("value", keys, _value_token(line), siblings)

    def _keys_of_value(self, line: _Line) -> tuple[str, ...]:
        level = line.dashes[0] if line.dashes else line.key_col
        keys = self.ancestors(line.number, level)
        return (*keys, line.key) if line.key is not None else keys

    def _previous(self, number: int) -> _Line | None:
        for index in range(number - 1, -1, -1):
            line = self.lines[index]
            if not line.blank:
                owner = self.owner.get(index)
                return self.lines[owner] if owner is not None else line
        return None


def _value_token(line: _Line) -> Token:
    """The line's one-line value, without surrounding quotes."""
    value, start = line.value, line.value_col
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        value, start = value[1:-1], start + 1
    elif value[:1] in ("'", '"'):  # an unfinished quoted value, as typed so far
        value, start = value[1:], start + 1
    return Token(value, line.number, start, start + len(value))


def _flow_item(line: _Line, column: int) -> Token:
    """The item of a one-line flow list (`[a, b]`) at `column` (the first one before it)."""
    first = line.value_col + 1
    last = line.value_col + len(line.value) - (1 if line.value.endswith("]") else 0)
    items: list[tuple[int, int]] = []  # [start, end) of each item's raw text
    item_start = first
    for index in range(first, last + 1):
        if index == last or line.text[index] == ",":
            items.append((item_start, index))
            item_start = index + 1
    chosen = next(((a, b) for a, b in items if a <= column <= b), items[0] if items else None)
    if chosen is None:
        return Token("", line.number, column, column)
    raw = line.text[chosen[0] : chosen[1]]
    stripped = raw.strip()
    begin = chosen[0] + len(raw) - len(raw.lstrip())
    if stripped[:1] in ("'", '"'):
        begin += 1
    text = stripped.strip("\"'")
    if not text:
        begin = min(max(column, chosen[0]), chosen[1])
    return Token(text, line.number, begin, begin + len(text))


def _word(line: _Line, column: int) -> Token:
    """The run of word characters (letters, digits, '-', '_') around `column`."""
    text = line.text
    start = column
    while start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-_"):
        start -= 1
    end = column
    while end < len(text) and (text[end].isalnum() or text[end] in "-_"):
        end += 1
    return Token(text[start:end], line.number, start, end)
