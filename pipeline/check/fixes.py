"""`validate --fix` and `--diff`: rewrite only the characters a fixable diagnostic reports.

Edits are character ranges in a file's decoded text, computed from the parser's own marks
(`Source.prose_edit`), so everything outside them (comments, quoting, indentation, line
endings, a byte-order mark) stays byte for byte. A file is rewritten atomically: written to a
temporary file beside it, then renamed over it.
"""

from __future__ import annotations

import difflib
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..core.diagnostics import Diagnostic, Edit
from ..core.files import atomic_write

_UTF8_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class FileFix:
    """The planned rewrite of one file."""

    path: Path
    shown: str
    before: str
    after: str
    bom: bool
    count: int

    def diff(self) -> str:
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            fromfile=f"a/{self.shown}",
            tofile=f"b/{self.shown}",
        )
        return "".join(lines)


def apply_edits(text: str, edits: Iterable[Edit]) -> tuple[str, int]:
    """`text` with the non-overlapping `edits` applied (first one wins), and how many applied.

    Two fixes may claim the same spaces (`one — — update`: each dash's fix takes the space
    between them, whichever rule reported it). The later one then starts where the earlier
    ends, less its leading space when the earlier one's replacement ends with one, so one run
    applies both and a second finds nothing left to fix.
    """
    chosen: list[Edit] = []
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if chosen and edit.start < chosen[-1].end:
            previous = chosen[-1]
            if edit.end <= previous.end or text[edit.start : previous.end].strip(" \t"):
                continue
            replacement = edit.replacement
            if previous.replacement.endswith(" "):
                replacement = replacement.lstrip(" ")
            edit = Edit(previous.end, edit.end, replacement)
        chosen.append(edit)
    for edit in reversed(chosen):
        text = text[: edit.start] + edit.replacement + text[edit.end :]
    return text, len(chosen)


def plan(diagnostics: Iterable[Diagnostic], cwd: Path) -> list[FileFix]:
    """The rewrite each file with fixable diagnostics would get."""
    by_file: dict[str, list[Edit]] = {}
    for diagnostic in diagnostics:
        if diagnostic.edit is not None:
            by_file.setdefault(diagnostic.path, []).append(diagnostic.edit)
    fixes = []
    for shown, edits in sorted(by_file.items()):
        path = cwd / shown
        raw = path.read_bytes()
        bom = raw.startswith(_UTF8_BOM)
        before = raw[len(_UTF8_BOM) if bom else 0 :].decode("utf-8")
        after, count = apply_edits(before, edits)
        if after != before:
            fixes.append(FileFix(path, shown, before, after, bom, count))
    return fixes


def write(fix: FileFix) -> None:
    """Replace the file with its fixed text, atomically, keeping its permissions."""
    data = (_UTF8_BOM if fix.bom else b"") + fix.after.encode("utf-8")
    atomic_write(fix.path, data, mode=stat.S_IMODE(fix.path.stat().st_mode))
