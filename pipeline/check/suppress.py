"""Inline suppressions: `# lessonkit: ignore[CODE, ...] reason` as a YAML comment.

A suppression silences the listed codes
- on its own line, when it trails a value (`title: ...  # lessonkit: ignore[W001] quoted`);
- over a whole field, when it trails that field's key or stands on the line above the key:

      # lessonkit: ignore[W001] quoting the original style guide
      is_not_about:
        - No DataLoader or Dataset objects — raw tensors for data

A reason is required (S005 otherwise, and the suppression does nothing), codes must exist
(S005), and a suppression that silences nothing is reported (S006), so they cannot pile up
unnoticed. Comments are found with one regular-expression search of the text; files without
"lessonkit:" in them cost nothing more. Everything after is linear in the file and the
findings (one line index, one sweep), so 16,000 suppressions cost no more than their parse.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.diagnostics import Finding, Span, bad_suppression, unused_suppression
from ..read.yaml_source import Source
from . import rules

_COMMENT = re.compile(
    r"(?P<lead>^[ \t]*|[ \t]+)#[ \t]*lessonkit:[ \t]*"
    r"ignore\[(?P<codes>[^\]\n]*)\](?P<reason>[^\n]*)",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Suppression:
    """One suppression comment and the lines (1-based, inclusive) it covers."""

    codes: frozenset[str]
    first_line: int
    last_line: int
    span: Span


def apply(source: Source, findings: list[Finding], enabled: Callable[[str], bool]) -> list[Finding]:
    """`findings` less the suppressed ones, plus S005/S006 about the comments themselves.

    A suppression of rules that are all disabled by configuration is not reported as unused.
    """
    if "lessonkit:" not in source.text:
        return findings
    suppressions, problems = _parse(source)
    matches = _first_covering(suppressions, findings)
    used = {suppressions[index] for index in matches.values()}
    kept = [finding for number, finding in enumerate(findings) if number not in matches]
    for suppression in suppressions:
        if suppression not in used and any(enabled(code) for code in suppression.codes):
            codes = ", ".join(sorted(suppression.codes))
            problems.append(
                unused_suppression(
                    f"unused suppression: nothing here reports {codes}", suppression.span
                )
            )
    return kept + problems


def _first_covering(suppressions: list[Suppression], findings: list[Finding]) -> dict[int, int]:
    """Finding number -> number of the first suppression (in file order) that covers it.

    One sweep per code over the findings in line order: a suppression joins a heap (keyed by
    its number) when its first line is reached, and leaves it for good once a finding lies
    past its last line, so the heap's top is always the first suppression covering the line.
    """
    by_code: dict[str, list[int]] = {}
    for number, suppression in enumerate(suppressions):
        for code in suppression.codes:
            by_code.setdefault(code, []).append(number)
    matches: dict[int, int] = {}
    wanted: dict[str, list[int]] = {}
    for number, finding in enumerate(findings):
        if finding.code in by_code:
            wanted.setdefault(finding.code, []).append(number)
    for code, numbers in wanted.items():
        pending = sorted(by_code[code], key=lambda n: suppressions[n].first_line)
        active: list[tuple[int, int]] = []  # (suppression number, last line)
        next_pending = 0
        for number in sorted(numbers, key=lambda n: findings[n].span.line):
            line = findings[number].span.line
            while (
                next_pending < len(pending)
                and suppressions[pending[next_pending]].first_line <= line
            ):
                index = pending[next_pending]
                heapq.heappush(active, (index, suppressions[index].last_line))
                next_pending += 1
            while active and active[0][1] < line:
                heapq.heappop(active)
            if active:
                matches[number] = active[0][0]
    return matches


def _parse(source: Source) -> tuple[list[Suppression], list[Finding]]:
    text = source.text
    scalar_lines = _multiline_scalar_lines(source.root)
    key_spans = _key_spans(source.root)
    next_content = _NextContentLine(text)
    suppressions: list[Suppression] = []
    problems: list[Finding] = []
    for match in _COMMENT.finditer(text):
        hash_index = text.index("#", match.start())
        line, column = source.line_column(hash_index)
        if line in scalar_lines:
            continue  # "# lessonkit:" inside a block of prose or code is text, not a comment
        span = Span(line, column, line, column + len(match.group(0).strip()))
        codes = frozenset(code.strip() for code in match.group("codes").split(",") if code.strip())
        unknown = sorted(code for code in codes if code not in rules.REGISTRY)
        if unknown or not codes:
            shown = ", ".join(unknown) or "(none)"
            problems.append(bad_suppression(f"suppression names no known rule: {shown}", span))
            continue
        reason = match.group("reason").strip()
        if not reason or reason.startswith("#"):
            problems.append(
                bad_suppression("suppression without a reason: say why after the ']'", span)
            )
            continue
        own_line = not match.group("lead").strip() and _line_is_comment(text, hash_index)
        target = next_content(line) if own_line else line
        last = key_spans.get(target, target)
        suppressions.append(Suppression(codes, target, last, span))
    return suppressions, problems


def _line_is_comment(text: str, hash_index: int) -> bool:
    start = text.rfind("\n", 0, hash_index) + 1
    return not text[start:hash_index].strip()


class _NextContentLine:
    """The first line after a given one that is neither blank nor a comment (the line itself
    when there is none), from one backwards pass over the lines, made on first use."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._next: list[int] | None = None

    def __call__(self, line: int) -> int:
        if self._next is None:
            lines = self._text.split("\n")
            following = [0] * (len(lines) + 1)  # 1-based; 0: no content line after
            after = 0
            for number in range(len(lines), 0, -1):
                following[number] = after
                stripped = lines[number - 1].strip()
                if stripped and not stripped.startswith("#"):
                    after = number
            self._next = following
        return self._next[line] or line


def _walk(node: Node | None) -> Iterator[tuple[Node | None, Node]]:
    """(key node or None, value node) for every node of the tree."""
    stack: list[tuple[Node | None, Node]] = [(None, node)] if node is not None else []
    while stack:
        key, current = stack.pop()
        yield key, current
        if isinstance(current, MappingNode):
            stack.extend(current.value)
        elif isinstance(current, SequenceNode):
            stack.extend((None, item) for item in current.value)


def _last_line(node: Node) -> int:
    end = node.end_mark
    # Block values end at the start of the next line; the value's last line is the one before.
    return end.line if end.column == 0 and end.line > node.start_mark.line else end.line + 1


def _key_spans(root: Node | None) -> dict[int, int]:
    """1-based line of each mapping key (and list item) -> last line of its value."""
    spans: dict[int, int] = {}
    for key, value in _walk(root):
        start = (key or value).start_mark.line + 1
        spans[start] = max(spans.get(start, start), _last_line(value))
    return spans


def _multiline_scalar_lines(root: Node | None) -> set[int]:
    """Lines holding the content of multi-line scalars (where '#' is text, not a comment)."""
    lines: set[int] = set()
    for _, value in _walk(root):
        if isinstance(value, ScalarNode) and value.end_mark.line > value.start_mark.line:
            lines.update(range(value.start_mark.line + 2, _last_line(value) + 1))
    return lines
