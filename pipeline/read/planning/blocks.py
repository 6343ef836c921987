"""A Markdown file as a tree of sections, each holding its blocks, from markdown-it's tokens.

markdown-it (CommonMark plus the `table` rule) finds the blocks and the line each spans; this
module only groups them under their headings. A paragraph that is nothing but a bold label
(`**This lesson IS about:**`, `**Misconceptions Table**`) counts as a heading one level below
the real heading around it, because planning documents use both for the same thing.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .located import Located, join, lines_of

# Block structure only: a section reader needs the blocks and each heading's text (which the
# block pass sets), never inline tokens; prose fields are parsed by the Markdown model when a
# rule asks. Skipping the inline pass takes a third off reading a plan.
_PARSER = MarkdownIt("commonmark").enable("table").disable("inline")
_BOLD_LABEL = re.compile(r"^\*\*(?P<label>[^*\n]+?)\*\*\s*(?P<colon>:?)\s*$")
_BOLD_LABEL_INSIDE = re.compile(r"^\*\*(?P<label>[^*\n]+?:)\*\*\s*$")
_ITEM_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,9}[.)])(?P<space>[ \t]+|$)")


@dataclass
class Item:
    """A list item: its marker (`-`, `3.`), its number for ordered lists, its text (the
    marker removed and continuation lines dedented, nested lists included)."""

    marker: str
    number: int | None
    text: Located
    line: int  # 0-based


@dataclass
class Block:
    """A top-level block between two headings."""

    kind: str  # paragraph, bullet_list, ordered_list, table, fence, code_block, hr, ...
    first: int  # 0-based first line
    last: int  # 0-based line after the block
    text: Located
    items: list[Item] = field(default_factory=list)


@dataclass
class Section:
    """A heading (or bold label) and everything under it up to the next heading as high."""

    title: Located
    level: int
    line: int  # 0-based line of the heading
    start: int  # text offset of the heading line
    end: int = 0  # text offset where the section (children included) ends
    body_start: int = 0  # text offset just after the heading line
    blocks: list[Block] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    bold: bool = False  # a bold label standing in for a heading

    def walk(self) -> Iterator[Section]:
        """This section and every section below it, in document order."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class Markdown:
    """A parsed Markdown file: its text, line starts and the root section (level 0)."""

    text: str
    line_starts: list[int]
    root: Section

    def line_of(self, offset: int) -> int:
        """The 0-based line holding text offset `offset`."""
        return bisect.bisect_right(self.line_starts, offset) - 1

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a text offset."""
        line = self.line_of(offset)
        return line + 1, offset - self.line_starts[line] + 1

    def lines(self, first: int, last: int) -> Located:
        """Lines first..last (0-based, exclusive) as one located text, without the last newline."""
        start = self.line_starts[first]
        end = self.line_starts[last] if last < len(self.line_starts) else len(self.text)
        if end > start and self.text[end - 1 : end] == "\n":
            end -= 1
        return Located.at(self.text, start, end)

    def body(self, section: Section) -> Located:
        """Everything under a section's heading, children included, without blank edges."""
        return _trim_lines(Located.at(self.text, section.body_start, section.end))


def parse(text: str, *, peer: Callable[[str], bool] | None = None) -> Markdown:
    """The section tree of a Markdown text. A bold label for which `peer` is true closes the
    heading before it (it names a section of its own); other bold labels nest under it."""
    line_starts = [0] + [match.end() for match in re.finditer("\n", text)]
    if line_starts[-1] == len(text) and len(line_starts) > 1:
        line_starts.pop()
    doc = Markdown(text, line_starts, Section(Located.plain(""), 0, -1, 0))
    doc.root.end = len(text)
    stack = [doc.root]
    tokens = _PARSER.parse(text)
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None or token.nesting == -1:
            continue
        first, last = token.map
        if token.type == "heading_open":
            level = int(token.tag[1:])
            title = _inline_located(doc, tokens[index + 1], first)
            _open(doc, stack, Section(title, level, first, doc.line_starts[first]))
            continue
        block = Block(_kind(token), first, last, doc.lines(first, last))
        if block.kind == "paragraph":
            label = _BOLD_LABEL.match(block.text.text)
            if label and "\n" not in block.text.text:
                parent = next(s for s in reversed(stack) if not s.bold)
                title = block.text.sub(label, "label")
                level = parent.level + 1
                if peer is not None and stack[-1].level > 1 and peer(title.text.rstrip(":")):
                    level = stack[-1].level
                section = Section(title, level, first, doc.line_starts[first], bold=True)
                _open(doc, stack, section)
                continue
        if block.kind in ("bullet_list", "ordered_list"):
            block.items = _items(doc, tokens, index)
        stack[-1].blocks.append(block)
    while len(stack) > 1:
        stack.pop().end = len(text)
    for section in doc.root.walk():
        section.end = max(section.end, section.body_start)
    return doc


def _open(doc: Markdown, stack: list[Section], section: Section) -> None:
    while len(stack) > 1 and stack[-1].level >= section.level:
        stack.pop().end = section.start
    next_line = section.line + 1
    section.body_start = (
        doc.line_starts[next_line] if next_line < len(doc.line_starts) else len(doc.text)
    )
    stack[-1].children.append(section)
    stack.append(section)


def _kind(token: Token) -> str:
    return token.type.removesuffix("_open")


def _inline_located(doc: Markdown, inline: Token, line: int) -> Located:
    """A heading's text, located on its line (ATX markers and closing hashes removed)."""
    raw = doc.lines(line, line + 1)
    content = inline.content
    at = raw.text.find(content) if content else -1
    if at < 0:
        return raw.strip().strip("#").strip()
    return raw.cut(at, at + len(content))


def _items(doc: Markdown, tokens: list[Token], index: int) -> list[Item]:
    """The items of the list whose open token is at `index` (its direct items only)."""
    items: list[Item] = []
    depth = 0
    for token in tokens[index + 1 :]:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            if depth == 0:
                break
            depth -= 1
        elif token.type == "list_item_open" and depth == 0 and token.map is not None:
            first, last = token.map
            items.append(_item(doc, first, last))
    return items


def _item(doc: Markdown, first: int, last: int) -> Item:
    lines = list(lines_of(doc.text, doc.line_starts[first], doc.lines(first, last).end or 0))
    if not lines:
        return Item("", None, Located.plain(""), first)
    head = lines[0]
    match = _ITEM_MARKER.match(head.text)
    marker = match.group("marker") if match else ""
    width = match.end() if match else 0
    number = int(marker[:-1]) if marker[:1].isdigit() else None
    parts = [head.cut(width)]
    indent = width if match and match.group("space") else len(marker) + 1
    for line in lines[1:]:
        spaces = len(line.text) - len(line.text.lstrip(" "))
        parts.append(line.cut(min(spaces, indent)))
    return Item(marker, number, _trim_lines(join(parts)), first)


def _trim_lines(text: Located) -> Located:
    """Without leading blank lines and trailing whitespace."""
    value = text.text
    begin = 0
    while True:
        newline = value.find("\n", begin)
        if newline == -1 or value[begin:newline].strip():
            break
        begin = newline + 1
    return text.cut(begin, len(value.rstrip()))


def bold_label(text: Located) -> tuple[Located, Located] | None:
    """(`Label`, rest) for text starting with `**Label:**` or `**Label**:`; None otherwise."""
    match = re.match(r"^\s*\*\*(?P<label>[^*\n]+?)(?::\*\*|\*\*\s*:)\s*", text.text)
    if not match:
        return None
    return text.sub(match, "label").strip(), text.cut(match.end())


def canon(text: str) -> str:
    """A heading or label reduced for matching: lower case, letters and digits, single spaces."""
    text = re.sub(r"[*_`#]", "", text).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def flatten(doc: Markdown) -> Iterator[tuple[Section, Block | None]]:
    """The document in reading order: each heading (or bold label) as `(section, None)`, each
    block as `(section it is under, block)`. For readers of documents whose structure is a
    sequence rather than a tree (a page review's suggestions follow the bullet they answer)."""
    for section in doc.root.walk():
        if section.level:
            yield section, None
        for block in section.blocks:
            yield section, block
