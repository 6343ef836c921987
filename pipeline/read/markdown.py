"""Prose in lessons: which fields hold Markdown, and the one Markdown model of their text.

One configured markdown-it parser (`MARKDOWN`) reads every prose field, for the rules and for
the pages alike, so what a rule calls code is what the page shows as code. `parse()` keeps
each string's parse in a bounded cache, so a field is parsed once and shared by every rule
that asks and by the page that renders it.

While parsing, the parser records where in the string each construct that is not prose
sits: code spans, inline and display math, fences and indented code (inside lists and quotes
too), link and image destinations, autolinks, raw HTML and HTML comments, and reference
definitions. `ProseText` answers "is this offset prose?" from those ranges, lists the fenced
code blocks with their info strings, and the link destinations with their offsets, so a rule
reports offsets into the original string (which `Source.prose_span` maps to the file).

Rules stay cheap on clean text: they look for their pattern in the raw string first and ask
for the parse only when something matched.
"""

from __future__ import annotations

import ast
import bisect
import functools
import re
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pydantic import BaseModel

from ..core.diagnostics import DataPath
from ..schemas import field_shape

_TITLE = re.compile(r"""title=(?:"([^"]+)"|'([^']+)'|(\S+))""")
_REFERENCE_TARGET = re.compile(r"\]:[ \t]*\n?[ \t]*")

# Keys of the parse's env under which the recording rules leave what they saw.
_SPANS = "lessonkit_spans"  # (inline token index, kind, start, end) in that token's content
_INLINE = "lessonkit_inline"  # index of the inline token being parsed
_REFERENCES = "lessonkit_reference_lines"  # (first line, end line) of reference definitions

# Inline constructs whose whole source is not prose; links and images are handled apart,
# because their label is prose and only their destination and title are not.
_OPAQUE_INLINE = ("backticks", "math_inline", "autolink", "html_inline")
_OPAQUE_BLOCKS = ("fence", "code_block", "math_block", "math_block_label", "html_block")


# --- the parser --------------------------------------------------------------------------------


def _recording_inline(name: str, rule: Any) -> Any:
    def record(state: StateInline, silent: bool) -> bool:
        start = state.pos
        matched: bool = rule(state, silent)
        spans = state.env.get(_SPANS)
        if matched and not silent and spans is not None:
            where = state.env[_INLINE]
            if name in ("link", "image"):
                target = _destination_start(state, start + (1 if name == "image" else 0))
                if target is not None:
                    spans.append((where, "target", target, state.pos))
            else:
                spans.append((where, "opaque", start, state.pos))
        return matched

    return record


def _destination_start(state: StateInline, label_start: int) -> int | None:
    """Where the `(destination "title")` part of an inline link starts, or None for a
    reference link (whose destination is in its definition)."""
    saved = state.pos
    try:
        label_end = parseLinkLabel(state, label_start, True)
    finally:
        state.pos = saved
    after = label_end + 1
    if label_end < 0 or after >= len(state.src) or state.src[after] != "(":
        return None
    return after


def _recording_reference(rule: Any) -> Any:
    def record(state: StateBlock, start: int, end: int, silent: bool) -> bool:
        matched: bool = rule(state, start, end, silent)
        lines = state.env.get(_REFERENCES)
        if matched and not silent and lines is not None:
            lines.append((start, state.line))
        return matched

    return record


def _inline_stage(state: StateCore) -> None:
    """markdown-it's core `inline` stage, telling the recording rules which token they are in."""
    for index, token in enumerate(state.tokens):
        if token.type == "inline":
            if token.children is None:
                token.children = []
            if _SPANS in state.env:
                state.env[_INLINE] = index
            state.md.inline.parse(token.content, state.md, state.env, token.children)


def _make() -> MarkdownIt:
    # Raw HTML is recognised (so rules know it is markup) but never passed through: the page
    # renderer escapes it, and drops comments.
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable(
        ["table", "strikethrough"]
    )
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=True,
        allow_digits=True,
        double_inline=True,
    )
    for name in (*_OPAQUE_INLINE, "link", "image"):
        _wrap(md.inline.ruler, name, _recording_inline(name, _rule_fn(md.inline.ruler, name)))
    _wrap(md.block.ruler, "reference", _recording_reference(_rule_fn(md.block.ruler, "reference")))
    _wrap(md.core.ruler, "inline", _inline_stage)
    return md


def _rule_fn(ruler: Any, name: str) -> Any:
    return ruler.__rules__[ruler.__find__(name)].fn


def _wrap(ruler: Any, name: str, fn: Any) -> None:
    alt = ruler.__rules__[ruler.__find__(name)].alt
    ruler.at(name, fn, {"alt": alt})


MARKDOWN = _make()
"""The one Markdown parser of lessonkit: CommonMark, tables, strikethrough and `$` math."""


# --- a parsed string -----------------------------------------------------------------------


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block: its info string, language, title and content with its offset."""

    info: str
    language: str
    title: str | None
    content: str
    line: int  # 0-based line of the string where the content starts


@dataclass(frozen=True)
class Link:
    """A link or image destination written in the text, at `offset` of the string."""

    offset: int
    target: str


@dataclass
class Markdown:
    """A string parsed once: the token tree the pages render, and what the rules need."""

    text: str
    tokens: list[Token]
    env: MutableMapping[str, Any]
    excluded: list[tuple[int, int]]  # sorted, non-overlapping ranges that are not prose
    code_blocks: list[CodeBlock]
    links: list[Link]
    _starts: list[int] = field(default_factory=list, repr=False)

    def is_prose(self, offset: int) -> bool:
        """False when `offset` lies in code, math, a link destination, HTML or a comment."""
        index = bisect.bisect_right(self._starts, offset) - 1
        return index < 0 or offset >= self.excluded[index][1]


@functools.lru_cache(maxsize=2048)
def parse(text: str) -> Markdown:
    """`text` parsed by the one Markdown model (cached: each string is parsed once)."""
    env: dict[str, Any] = {_SPANS: [], _REFERENCES: [], _INLINE: -1}
    tokens = MARKDOWN.parse(text, env)
    lines = _LineIndex(text)
    excluded: list[tuple[int, int]] = []
    blocks: list[CodeBlock] = []
    links: list[Link] = []
    for token in tokens:
        if token.type in _OPAQUE_BLOCKS and token.map:
            excluded.append((lines.start(token.map[0]), lines.start(token.map[1])))
        if token.type == "fence" and token.map:
            blocks.append(_code_block(token))
    for first, end in env[_REFERENCES]:
        start, stop = lines.start(first), lines.start(end)
        excluded.append((start, stop))
        links.extend(_reference_targets(text, start, stop))
    inline_offsets = _InlineOffsets(text, tokens, lines)
    for where, kind, start, end in env[_SPANS]:
        span = inline_offsets.span(where, start, end)
        if span is None:
            continue
        excluded.append(span)
        if kind == "target":
            target = _parsed_target(text, span[0] + 1, span[1])
            if target is not None:
                links.append(target)
    merged = _merge(excluded)
    for key in (_SPANS, _REFERENCES, _INLINE):
        del env[key]
    return Markdown(text, tokens, env, merged, blocks, links, [start for start, _ in merged])


@functools.lru_cache(maxsize=2048)
def parse_inline(text: str) -> list[Token]:
    """A one-line string (a title, a table cell) parsed as inline Markdown only."""
    return MARKDOWN.parseInline(text, {})


def _code_block(token: Token) -> CodeBlock:
    info = token.info.strip()
    language = info.split()[0].lower() if info else ""
    match = _TITLE.search(info)
    title = next((group for group in match.groups() if group), None) if match else None
    assert token.map is not None
    return CodeBlock(info, language, title, token.content, token.map[0] + 1)


def _parsed_target(text: str, start: int, end: int) -> Link | None:
    """The destination of `(destination "title")` starting at `start` of `text`."""
    position = start
    while position < end and text[position] in " \t\n":
        position += 1
    result = parseLinkDestination(text, position, end)
    if not result.ok or result.pos <= position:
        return None
    raw = text[position : result.pos]
    if raw.startswith("<") and raw.endswith(">"):
        return Link(position + 1, raw[1:-1])
    return Link(position, raw)


def _reference_targets(text: str, start: int, stop: int) -> Iterator[Link]:
    """The destinations of the reference definitions in text[start:stop]."""
    for match in _REFERENCE_TARGET.finditer(text, start, stop):
        link = _parsed_target(text, match.end(), stop)
        if link is not None:
            yield link


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        elif end > start:
            merged.append((start, end))
    return merged


class _LineIndex:
    """Offsets of the lines of a string."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def start(self, line: int) -> int:
        """Offset where 0-based `line` starts (the text's length past the last line)."""
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def line(self, number: int) -> str:
        """0-based line `number`, without its line break."""
        end = self.start(number + 1)
        return self.text[self.start(number) : end].rstrip("\n")


class _InlineOffsets:
    """Maps an offset in an inline token's content back to an offset in the whole string.

    A paragraph's content is its lines with the block markers (quote `>`, list indentation)
    and surrounding spaces taken off; a table cell is a piece of its row. Each content line
    is found in its source line, after the previous cell of the same line."""

    def __init__(self, text: str, tokens: list[Token], lines: _LineIndex) -> None:
        self.tokens = tokens
        self.lines = lines
        self._starts: dict[int, list[int] | None] = {}
        self._cursor: dict[int, int] = {}  # per source line: where the next cell may start

    def span(self, index: int, start: int, end: int) -> tuple[int, int] | None:
        starts = self._line_starts(index)
        if starts is None:
            return None
        content = self.tokens[index].content
        return self._offset(starts, content, start), self._offset(starts, content, end)

    def _offset(self, starts: list[int], content: str, offset: int) -> int:
        line = content.count("\n", 0, offset)
        column = offset - (content.rfind("\n", 0, offset) + 1)
        return starts[line] + column

    def _line_starts(self, index: int) -> list[int] | None:
        if index not in self._starts:
            self._starts[index] = self._locate(self.tokens[index])
        return self._starts[index]

    def _locate(self, token: Token) -> list[int] | None:
        if not token.map:
            return None
        starts = []
        for number, content_line in enumerate(token.content.split("\n")):
            source_line = token.map[0] + number
            if source_line >= token.map[1]:
                return None
            raw = self.lines.line(source_line)
            cursor = self._cursor.get(source_line, 0)
            column = raw.find(content_line, cursor) if content_line else len(raw.rstrip())
            if column < 0:
                return None
            self._cursor[source_line] = column + len(content_line)
            starts.append(self.lines.start(source_line) + column)
        return starts


# --- which fields are prose ----------------------------------------------------------------


def prose_fields(model: BaseModel, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """Every Markdown string in `model`, with its path, in document order."""
    for name, how in _plan(type(model)):
        value = getattr(model, name)
        if value is None:
            continue
        where = (*path, name)
        if how == "text":
            yield where, value
        elif how == "texts":
            for index, item in enumerate(value):
                yield (*where, index), item
        elif how == "model":
            yield from prose_fields(value, where)
        else:
            for index, item in enumerate(value):
                yield from prose_fields(item, (*where, index))


def all_strings(value: object, path: DataPath = ()) -> Iterator[tuple[DataPath, str]]:
    """Every string in a model (prose or not), with its path, in document order."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from all_strings(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from all_strings(item, (*path, index))


@functools.cache
def _plan(model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(field, how) for the fields of `model` that hold prose or models that may."""
    plan = []
    for name, info in model.model_fields.items():
        shape = field_shape(info.annotation, info.metadata)
        if shape.is_model:
            plan.append((name, "models" if shape.many else "model"))
        elif shape.is_markdown:
            plan.append((name, "texts" if shape.many else "text"))
    return tuple(plan)


# --- what the rules ask of a prose string ----------------------------------------------------


# Lessons copy code blocks from one another (a training loop, the imports): parse each distinct
# block once per process (bounded). The rules only read the trees, so sharing them is safe.
@functools.lru_cache(maxsize=1024)
def _python(content: str) -> ast.Module | SyntaxError:
    try:
        return ast.parse(content)
    except SyntaxError as error:
        return error


class ProseText:
    """A Markdown string as the rules see it; parsed on the first question that needs it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._parsed: dict[int, ast.Module | SyntaxError] = {}

    @functools.cached_property
    def markdown(self) -> Markdown:
        return parse(self.text)

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        return _LineIndex(self.text).starts

    def offset_of_line(self, line: int) -> int:
        """Offset where 0-based `line` starts (the text's length past the last line)."""
        starts = self._line_starts
        return starts[line] if line < len(starts) else len(self.text)

    def is_prose(self, offset: int) -> bool:
        """False when `offset` lies in code, math, a link destination, HTML or a comment."""
        return self.markdown.is_prose(offset)

    @property
    def code_blocks(self) -> list[CodeBlock]:
        """The fenced code blocks, in order, wherever they are nested."""
        return self.markdown.code_blocks

    @property
    def links(self) -> list[Link]:
        """The link and image destinations written in the text, in order."""
        return sorted(self.markdown.links, key=lambda link: link.offset)

    def parsed(self, block: CodeBlock) -> ast.Module | SyntaxError:
        """The block parsed as Python (once per block, shared by the rules that need it)."""
        key = block.line
        if key not in self._parsed:
            self._parsed[key] = _python(block.content)
        return self._parsed[key]

    def code_offset(self, block: CodeBlock, line: int, column: int) -> int:
        """Offset in the string of (0-based `line`, 0-based `column`) of a block's content."""
        content_lines = block.content.splitlines() or [""]
        source_line = block.line + line
        start = self.offset_of_line(source_line)
        end = self.offset_of_line(source_line + 1)
        raw = self.text[start:end].rstrip("\n")
        content_line = content_lines[line] if line < len(content_lines) else ""
        indent = max(0, len(raw) - len(content_line))  # fences nested in lists and quotes
        return min(start + indent + column, max(start, end - 1))
