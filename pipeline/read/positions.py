"""Where each character of a YAML string value came from in the file.

A prose rule finds a problem at an offset inside a string value ("the em dash at offset 212 of
this paragraph"); authors need the file's line and column. YAML gets in the way: block scalars
strip indentation, folded and plain scalars join lines, quoted scalars have escapes. This module
re-reads the scalar's source text the way the YAML scanner does and records, for every character
of the value, the index of the source character that produced it.

It runs only for scalars a diagnostic points into, never on the hot path, and it checks its own
work: if its reading does not reproduce the parser's value exactly, it returns None and callers
fall back to the start of the scalar rather than guess.
"""

from __future__ import annotations

import bisect
from collections.abc import Generator, Iterator

_BREAKS = "\r\n\x85\u2028\u2029"
_ESCAPES = {
    "0": "\0",
    "a": "\x07",
    "b": "\x08",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}


def scalar_offsets(
    text: str, start: int, end: int, style: str | None, value: str
) -> list[int] | None:
    """Source index of each character of `value`, the scalar spanning text[start:end].

    Returns a list as long as `value`, or None when the scalar cannot be mapped exactly.
    """
    try:
        if style in ("|", ">"):
            pairs = _block_scalar(text, start, end, folded=style == ">", value=value)
        elif style == '"':
            pairs = list(
                _flow_scalar(text, start + 1, _closing_quote(text, start, end), double=True)
            )
        elif style == "'":
            pairs = list(
                _flow_scalar(text, start + 1, _closing_quote(text, start, end), double=False)
            )
        else:
            pairs = list(_plain_scalar(text, start, end))
    except (IndexError, ValueError):
        return None
    if pairs is None or "".join(char for char, _ in pairs) != value:
        return None
    return [index for _, index in pairs]


def line_column(text: str, index: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a character index.

    Scans the text up to `index`: right for one position (a syntax error); a file with many
    positions to map uses a `LineIndex` instead.
    """
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


class LineIndex:
    """Line and column of any character index of one text, by binary search.

    Built once per text (one pass over its line breaks), so mapping every one of 80,000
    findings in a file costs a logarithm each instead of a scan of the file each.
    """

    def __init__(self, text: str) -> None:
        starts = [0]
        position = text.find("\n")
        while position != -1:
            starts.append(position + 1)
            position = text.find("\n", position + 1)
        self._starts = starts

    def line_column(self, index: int) -> tuple[int, int]:
        """1-based line and column (in characters) of character `index`; as `line_column`."""
        # A break at `index` itself belongs to the line it ends, as text.count(..., 0, index)
        # does not count it.
        line = bisect.bisect_right(self._starts, index)
        return line, index - self._starts[line - 1] + 1


def _closing_quote(text: str, start: int, end: int) -> int:
    # The parser's end mark sits just past the closing quote.
    closing = end - 1
    if text[closing] not in "\"'":
        raise ValueError("scalar does not end with a quote")
    return closing


# --- block scalars ----------------------------------------------------------------------------


def _block_scalar(
    text: str, start: int, end: int, *, folded: bool, value: str
) -> list[tuple[str, int]] | None:
    header_end = text.index("\n", start)
    header = text[start + 1 : header_end].split("#", 1)[0].strip()
    chomping = "+" if "+" in header else "-" if "-" in header else ""
    body_start = header_end + 1
    lines = _split_lines(text, body_start, end)
    auto = _auto_indent(text, lines)
    # An explicit indentation indicator is relative to the parent's indentation, which the
    # node does not record; try the detected indentation first, then the others.
    candidates = [auto, *[n for n in range(1, 40) if n != auto]]
    for indent in candidates:
        pairs = _block_lines(text, lines, indent, folded=folded, chomping=chomping)
        if "".join(char for char, _ in pairs) == value:
            return pairs
    return None


def _split_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each source line in text[start:end]; end excludes the line break."""
    lines = []
    position = start
    while position < end:
        newline = text.find("\n", position, end)
        if newline == -1:
            lines.append((position, end))
            break
        line_end = newline - 1 if newline > position and text[newline - 1] == "\r" else newline
        lines.append((position, line_end))
        position = newline + 1
    return lines


def _auto_indent(text: str, lines: list[tuple[int, int]]) -> int:
    indent = 1
    for line_start, line_end in lines:
        spaces = _leading_spaces(text, line_start, line_end)
        if line_start + spaces < line_end:
            return max(indent, spaces)
        indent = max(indent, spaces)
    return indent


def _leading_spaces(text: str, start: int, end: int) -> int:
    count = 0
    while start + count < end and text[start + count] == " ":
        count += 1
    return count


def _block_lines(
    text: str, lines: list[tuple[int, int]], indent: int, *, folded: bool, chomping: str
) -> list[tuple[str, int]]:
    """Mirror of the scanner's block-scalar loop, keeping source indices."""
    out: list[tuple[str, int]] = []
    breaks: list[tuple[str, int]] = []  # empty lines seen since the last content line
    pending_break: tuple[str, int] | None = None  # the break ending the last content line
    previous_leading_blank = False
    seen_content = False
    for line_start, line_end in lines:
        spaces = _leading_spaces(text, line_start, line_end)
        content_start = line_start + min(spaces, indent)
        is_content = spaces >= indent and content_start < line_end
        if not is_content:
            if line_start + spaces < line_end and spaces < indent:
                break  # a less-indented non-empty line ends the scalar
            breaks.append(("\n", line_end))
            continue
        leading_blank = text[content_start] in " \t"
        if seen_content and pending_break is not None:
            if folded and not previous_leading_blank and not leading_blank:
                if not breaks:
                    out.append((" ", pending_break[1]))
            else:
                out.append(pending_break)
        out.extend(breaks)
        breaks = []
        out.extend((text[i], i) for i in range(content_start, line_end))
        pending_break = ("\n", line_end)
        previous_leading_blank = leading_blank
        seen_content = True
    if chomping != "-" and pending_break is not None:
        out.append(pending_break)
    if chomping == "+":
        out.extend(breaks)
    return out


# --- flow scalars -----------------------------------------------------------------------------


def _plain_scalar(text: str, start: int, end: int) -> Iterator[tuple[str, int]]:
    position = start
    while position < end:
        char = text[position]
        if char in " \t" or char in _BREAKS:
            position = yield from _fold_whitespace(text, position, end, keep_trailing=False)
            continue
        yield char, position
        position += 1


def _flow_scalar(text: str, start: int, end: int, *, double: bool) -> Iterator[tuple[str, int]]:
    position = start
    while position < end:
        char = text[position]
        if not double and char == "'" and text[position + 1] == "'":
            yield "'", position
            position += 2
        elif double and char == "\\":
            escape = text[position + 1]
            if escape in _BREAKS:
                # An escaped line break joins the lines without a space.
                position += 2
                while position < end and text[position] in " \t":
                    position += 1
            elif escape in _HEX_ESCAPES:
                width = _HEX_ESCAPES[escape]
                yield chr(int(text[position + 2 : position + 2 + width], 16)), position
                position += 2 + width
            else:
                yield _ESCAPES[escape], position
                position += 2
        elif char in " \t" or char in _BREAKS:
            position = yield from _fold_whitespace(text, position, end, keep_trailing=True)
        else:
            yield char, position
            position += 1


def _fold_whitespace(
    text: str, position: int, end: int, *, keep_trailing: bool
) -> Generator[tuple[str, int], None, int]:
    """Fold a run of spaces and line breaks the YAML way; returns the index after the run."""
    run_start = position
    while position < end and text[position] in " \t":
        position += 1
    if position >= end or text[position] not in _BREAKS:
        if position < end or keep_trailing:
            yield from ((text[i], i) for i in range(run_start, position))
        return position
    first_break = position
    breaks = 0
    empty_line_breaks: list[int] = []
    while position < end and (text[position] in " \t" or text[position] in _BREAKS):
        if text[position] in _BREAKS:
            if text[position] == "\r" and position + 1 < end and text[position + 1] == "\n":
                position += 1
            if breaks:
                empty_line_breaks.append(position)
            breaks += 1
        position += 1
    if empty_line_breaks:
        yield from (("\n", i) for i in empty_line_breaks)
    else:
        yield " ", first_break
    return position
