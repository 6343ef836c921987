"""Hints for YAML syntax errors (S001): what usually causes the parser's message.

The parser says what it found ("mapping values are not allowed in this context"); a lesson
author needs what to change. The common causes are few: an unquoted `: ` inside a value, a
tab used to indent, a line indented more or less than the keys around it, a key without its
colon, a quote never closed. Each hint looks at the offending line and the one above it.
"""

from __future__ import annotations

import re

_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):(?:\s+|$)")


def hint(problem: str, text: str, line: int, column: int) -> str | None:
    """A hint for the S001 `problem` found at 1-based `line` and `column` of `text`, or None
    when no common cause fits."""
    lines = text.split("\n")
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    above = _previous(lines, line - 1)
    if "\t" in _indent(here) or (here.strip() == "" and "\t" in _indent(above)):
        return "a tab indents this line; YAML indents with spaces only"
    if "mapping values are not allowed" in problem:
        return _colon_or_indent(here, above, column)
    if "expected key" in problem or "expected '-' indicator" in problem or "<block end>" in problem:
        return (
            "this line lines up with no key or list item above it; the keys of one mapping "
            "(and the items of one list) start in the same column"
        )
    if "could not find expected ':'" in problem:
        return (
            "a key without its ':' on this line or the one above, or a value continued on a "
            "new line without quotes (use `>` for a long value)"
        )
    if "while scanning a quoted scalar" in problem:
        return "a quote opened on that line is never closed"
    return None


def _colon_or_indent(here: str, above: str, column: int) -> str:
    key = _KEY.match(here)
    if key is not None and key.end() < column - 1:
        # The line already has its `key:`; the colon the parser stopped at is in the value.
        value = here[key.end() :].strip().replace('"', '\\"')
        return (
            "the value contains ': ', which YAML reads as another key; put the value in quotes: "
            f'{key.group(2)}: "{value}"'
        )
    if len(_indent(here)) > len(_indent(above)):
        return (
            "this line is indented more than the line above, as if it were inside that line's "
            "value; line it up with the keys around it"
        )
    return "check the indentation of this line against the lines above it"


def _previous(lines: list[str], index: int) -> str:
    """The nearest line before 0-based `index` that is neither blank nor a comment."""
    for candidate in reversed(lines[:index]):
        if candidate.strip() and not candidate.lstrip().startswith("#"):
            return candidate
    return ""


def _indent(line: str) -> str:
    return line[: len(line) - len(line.lstrip(" \t"))]
