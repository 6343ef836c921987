"""Prose in lessons: which fields hold Markdown, and which parts of a Markdown string are prose.

Prose rules never look inside code (fenced or indented blocks, inline code spans) or math
(`$...$`, `$$...$$`). `ProseText` answers "is this offset prose?" and lists the fenced code
blocks with their info strings, so a rule can work on the text it cares about and report
offsets into the original string (which `Source.prose_span` maps to the file).

Masks are computed lazily: a rule first looks for its pattern with a regular expression over
the whole string and asks for the mask only when something matched, so clean prose costs one
regex search per field.
"""

from __future__ import annotations

import ast
import bisect
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pydantic import BaseModel

from ..core.diagnostics import DataPath
from ..schemas import field_shape

_MARKDOWN = MarkdownIt("commonmark").use(dollarmath_plugin)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).+?(?<!`)\1(?!`)", re.DOTALL)
_INLINE_MATH = re.compile(r"\$\$.+?\$\$|(?<![\\$])\$(?![\s$]).*?(?<![\s\\])\$(?!\d)", re.DOTALL)
_BLOCKS = ("fence", "code_block", "math_block", "math_block_label")
_FENCE_OPEN = re.compile(r"^([ \t]*)(`{3,}|~{3,})([^`\n]*)$")
_TITLE = re.compile(r"""title=(?:"([^"]+)"|'([^']+)'|(\S+))""")


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


# --- what inside a Markdown string is prose --------------------------------------------------


@dataclass(frozen=True)
class CodeBlock:
    """A fenced code block: its info string, language, title and content with its offset."""

    info: str
    language: str
    title: str | None
    content: str
    line: int  # 0-based line of the string where the content starts


class ProseText:
    """A Markdown string with lazily computed masks of code and math."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._parsed: dict[int, ast.Module | SyntaxError] = {}

    @functools.cached_property
    def _line_starts(self) -> list[int]:
        starts = [0]
        starts.extend(match.end() for match in re.finditer("\n", self.text))
        return starts

    @functools.cached_property
    def _tokens(self) -> list[Any]:
        return _MARKDOWN.parse(self.text)

    @functools.cached_property
    def _block_ranges(self) -> list[tuple[int, int]]:
        """Character ranges of code blocks and display math."""
        ranges = []
        for token in self._tokens:
            if token.type in _BLOCKS and token.map:
                start, end = token.map
                ranges.append((self.offset_of_line(start), self.offset_of_line(end)))
        return ranges

    @functools.cached_property
    def _inline_ranges(self) -> list[tuple[int, int]]:
        """Character ranges of inline code and inline math, outside the blocks."""
        ranges = []
        for pattern in (_CODE_SPAN, _INLINE_MATH):
            for match in pattern.finditer(self.text):
                if not self._in(match.start(), self._block_ranges):
                    ranges.append((match.start(), match.end()))
        ranges.sort()
        return ranges

    def offset_of_line(self, line: int) -> int:
        """Offset where 0-based `line` starts (the text's length past the last line)."""
        starts = self._line_starts
        return starts[line] if line < len(starts) else len(self.text)

    def line_of(self, offset: int) -> int:
        """0-based line of `offset`."""
        return bisect.bisect_right(self._line_starts, offset) - 1

    @staticmethod
    def _in(offset: int, ranges: list[tuple[int, int]]) -> bool:
        return any(start <= offset < end for start, end in ranges)

    def is_prose(self, offset: int) -> bool:
        """False when `offset` lies in code or math."""
        return not self._in(offset, self._block_ranges) and not self._in(
            offset, self._inline_ranges
        )

    @functools.cached_property
    def code_blocks(self) -> list[CodeBlock]:
        """The fenced code blocks, in order (found by a line scan, not a full Markdown parse)."""
        blocks = []
        lines = self.text.split("\n")
        index = 0
        while index < len(lines):
            opening = _FENCE_OPEN.match(lines[index])
            if opening is None:
                index += 1
                continue
            indent, fence, info = opening.group(1), opening.group(2), opening.group(3).strip()
            closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
            end = index + 1
            while end < len(lines) and not closing.match(lines[end]):
                end += 1
            body = [
                line[len(indent) :] if line.startswith(indent) else line.lstrip()
                for line in lines[index + 1 : end]
            ]
            content = "\n".join(body) + ("\n" if body else "")
            language = info.split()[0].lower() if info else ""
            match = _TITLE.search(info)
            title = next((group for group in match.groups() if group), None) if match else None
            blocks.append(CodeBlock(info, language, title, content, index + 1))
            index = end + 1
        return blocks

    def parsed(self, block: CodeBlock) -> ast.Module | SyntaxError:
        """The block parsed as Python (once per block, shared by the rules that need it)."""
        key = block.line
        if key not in self._parsed:
            try:
                self._parsed[key] = ast.parse(block.content)
            except SyntaxError as error:
                self._parsed[key] = error
        return self._parsed[key]

    def code_offset(self, block: CodeBlock, line: int, column: int) -> int:
        """Offset in the string of (0-based `line`, 0-based `column`) of a block's content."""
        content_lines = block.content.splitlines() or [""]
        source_line = block.line + line
        start = self.offset_of_line(source_line)
        end = self.offset_of_line(source_line + 1)
        raw = self.text[start:end].rstrip("\n")
        content_line = content_lines[line] if line < len(content_lines) else ""
        indent = max(0, len(raw) - len(content_line))  # fences nested in lists are indented
        return min(start + indent + column, max(start, end - 1))
