"""Pipe tables cut into located cells, and their columns matched to fields by header name.

markdown-it's `table` rule says where a table is; the rows are cut here, one line at a time,
because a `|` inside math (`$P(A|B)$`) or a code span must not split a cell, and because each
cell must keep the column it was written at. A row with more cells than the header (a `|`
that split anyway) has its extra cells joined to the last column and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import Block, Markdown, canon
from .located import Located, lines_of


@dataclass
class Row:
    """A body row: its cells by column index, and its 0-based line."""

    cells: list[Located]
    line: int
    merged: bool = False  # extra cells were joined into the last one

    def get(self, index: int | None) -> Located | None:
        if index is None or index >= len(self.cells):
            return None
        cell = self.cells[index]
        return cell if cell.text else None


@dataclass
class Table:
    """A pipe table: header cells and body rows."""

    header: list[Located]
    rows: list[Row] = field(default_factory=list)
    line: int = 0

    def column(self, *names: str) -> int | None:
        """The index of the first column whose header matches one of `names` (canonical
        prefixes: 'source' matches 'Source' and 'Source Lesson')."""
        headers = [canon(cell.text) for cell in self.header]
        for name in names:
            for index, header in enumerate(headers):
                if header == name:
                    return index
        for name in names:
            for index, header in enumerate(headers):
                if header.startswith(name) or f" {name}" in f" {header}":
                    return index
        return None


def read_table(doc: Markdown, block: Block) -> Table:
    """The table in `block` (a `table` block)."""
    start = doc.line_starts[block.first]
    end = block.text.end or start
    lines = [line for line in lines_of(doc.text, start, end)]
    header = split_row(lines[0]) if lines else []
    table = Table(header, line=block.first)
    for offset, line in enumerate(lines[2:], start=2):
        if not line.text.strip():
            continue
        cells = split_row(line)
        merged = False
        if header and len(cells) > len(header):
            last = cells[len(header) - 1]
            extra = cells[len(header) :]
            joined = last
            for cell in extra:
                joined = joined + " | " + cell
            cells = [*cells[: len(header) - 1], joined]
            merged = True
        table.rows.append(Row(cells, block.first + offset, merged))
    return table


def split_row(line: Located) -> list[Located]:
    """The cells of one table line, stripped, without splitting inside `code` or $math$."""
    text = line.text
    cells: list[Located] = []
    begin = 0
    index = 0
    ticks = 0  # length of the open code span's backtick run, 0 when outside code
    math = False
    stripped = text.strip()
    lead = len(text) - len(text.lstrip())
    if stripped.startswith("|"):
        begin = index = lead + 1
    while index < len(text):
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == "`":
            run = len(text[index:]) - len(text[index:].lstrip("`"))
            if ticks == 0:
                ticks = run
            elif run == ticks:
                ticks = 0
            index += run
            continue
        if char == "$" and not ticks:
            math = not math
            index += 1
            continue
        if char == "|" and not ticks and not math:
            cells.append(line.cut(begin, index).strip())
            begin = index + 1
        index += 1
    tail = line.cut(begin).strip()
    if tail.text or not stripped.endswith("|") or (math or ticks):
        if math or ticks:  # an unclosed span: split it after all, as markdown-it would
            cells.extend(part.strip() for part in tail.split(r"(?<!\\)\|"))
        else:
            cells.append(tail)
    return cells
