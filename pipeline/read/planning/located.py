"""Text that remembers where each of its characters was written in a Markdown file.

The planning-document readers cut cells out of table rows, strip bold markers, drop list
indentation and join lines; each of those operations keeps, for every character of the
result, its offset in the Markdown text. That is what lets a diagnostic about
`analysis.misconceptions[2].negative_example` point at the line and column of the plan, and
what lets `validate --fix` rewrite a spaced em dash in the `.md` file itself.

Offsets are kept as runs (value offset, text offset, length) rather than one number per
character, so a 900-line plan costs a few hundred tuples.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

Run = tuple[int, int, int]  # (offset in the value, offset in the Markdown text, length)


@dataclass(frozen=True)
class Located:
    """A string and, for each of its characters, where it was written (None: synthesised)."""

    text: str
    runs: tuple[Run, ...] = ()

    @classmethod
    def at(cls, source: str, start: int, end: int) -> Located:
        """The characters `source[start:end]`, exactly as written."""
        return cls(source[start:end], ((0, start, end - start),) if end > start else ())

    @classmethod
    def plain(cls, text: str) -> Located:
        """Text lessonkit wrote itself (a joining newline, a default): it maps nowhere."""
        return cls(text, ())

    # --- where ----------------------------------------------------------------------------

    def offset(self, index: int) -> int | None:
        """The text offset of character `index`, or None when it was synthesised."""
        for start, at, length in self.runs:
            if start <= index < start + length:
                return at + index - start
        return None

    @property
    def start(self) -> int | None:
        """The text offset of the first written character."""
        return self.runs[0][1] if self.runs else None

    @property
    def end(self) -> int | None:
        """The text offset just past the last written character."""
        return self.runs[-1][1] + self.runs[-1][2] if self.runs else None

    def contiguous(self, index: int, length: int) -> bool:
        """Whether characters index..index+length are written side by side in the text."""
        return any(start <= index and index + length <= start + n for start, _, n in self.runs)

    # --- string operations that keep positions --------------------------------------------

    def __len__(self) -> int:
        return len(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __str__(self) -> str:
        return self.text

    def cut(self, begin: int, end: int | None = None) -> Located:
        """The characters begin..end (Python slice bounds, non-negative)."""
        end = len(self.text) if end is None else min(end, len(self.text))
        begin = max(0, min(begin, end))
        runs: list[Run] = []
        for start, at, length in self.runs:
            lo, hi = max(start, begin), min(start + length, end)
            if lo < hi:
                runs.append((lo - begin, at + lo - start, hi - lo))
        return Located(self.text[begin:end], tuple(runs))

    def strip(self, chars: str | None = None) -> Located:
        text = self.text
        begin = len(text) - len(text.lstrip(chars))
        end = len(text.rstrip(chars))
        return self.cut(begin, max(begin, end))

    def lstrip(self, chars: str | None = None) -> Located:
        return self.cut(len(self.text) - len(self.text.lstrip(chars)))

    def rstrip(self, chars: str | None = None) -> Located:
        return self.cut(0, len(self.text.rstrip(chars)))

    def __add__(self, other: Located | str) -> Located:
        if isinstance(other, str):
            other = Located.plain(other)
        shift = len(self.text)
        runs = list(self.runs) + [(s + shift, at, n) for s, at, n in other.runs]
        return Located(self.text + other.text, _merge(runs))

    def split(self, pattern: str | re.Pattern[str], maxsplit: int = 0) -> list[Located]:
        """Split at each match of `pattern` (a regular expression), like `re.split`."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        parts: list[Located] = []
        last = 0
        for count, match in enumerate(regex.finditer(self.text), start=1):
            parts.append(self.cut(last, match.start()))
            last = match.end()
            if maxsplit and count >= maxsplit:
                break
        parts.append(self.cut(last))
        return parts

    def unwrap(self, marker: str = "**") -> Located:
        """The text without a surrounding `marker` pair (bold), when it has one."""
        stripped = self.strip()
        n = len(marker)
        text = stripped.text
        if len(stripped) > 2 * n and text.startswith(marker) and text.endswith(marker):
            return stripped.cut(n, len(stripped) - n).strip()
        return stripped

    def sub(self, match: re.Match[str], group: int | str = 0) -> Located:
        """The part of this text a regex match (made on `self.text`) captured."""
        return self.cut(match.start(group), match.end(group))


def join(parts: Iterable[Located], separator: str = "\n") -> Located:
    """The parts joined by `separator` (synthesised) into one located text."""
    result = Located.plain("")
    for index, part in enumerate(parts):
        if index:
            result = result + separator
        result = result + part
    return result


def lines_of(source: str, start: int, end: int) -> Iterator[Located]:
    """Each line of source[start:end] (without its newline), located."""
    at = start
    while at < end:
        newline = source.find("\n", at, end)
        stop = end if newline == -1 else newline
        yield Located.at(source, at, stop)
        at = stop + 1


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    merged: list[Run] = []
    for start, at, length in runs:
        if length <= 0:
            continue
        if merged:
            p_start, p_at, p_len = merged[-1]
            if p_start + p_len == start and p_at + p_len == at:
                merged[-1] = (p_start, p_at, p_len + length)
                continue
        merged.append((start, at, length))
    return tuple(merged)
