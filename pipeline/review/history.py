"""What changed in a lesson since its passing review, read from git.

A review records only the hash of the content it passed. To show a reviewer what a later
change was (and whether it is small enough for a light re-review), the passed version is
looked up in the lesson file's git history: the newest committed version whose content hash
is the passed one. Without git, or when no committed version matches, the change is unknown
and the reviewer describes it.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.errors import UsageError
from ..core.git import git
from ..course.reviews import content_hash
from ..read.documents import DocumentKind, check_schema
from ..read.yaml_source import decode, parse
from ..schemas import Config, Lesson

SMALL_CHANGE_WORDS = 20
"""The most words a change may touch and still be re-reviewed lightly."""

_VERSIONS_SEARCHED = 50


@dataclass(frozen=True)
class Change:
    """One field that differs: its path and the changed words, before and after."""

    field: str
    before: str
    after: str
    words: int

    def describe(self) -> str:
        return f"`{self.field}`: {_quote(self.before)} -> {_quote(self.after)}"


@dataclass(frozen=True)
class Comparison:
    """How the lesson now differs from the version a review passed."""

    changes: tuple[Change, ...]
    structural: bool  # fields added or removed (a new section, a row), not only reworded

    @property
    def words(self) -> int:
        return sum(change.words for change in self.changes)

    @property
    def small(self) -> bool:
        return not self.structural and self.words <= SMALL_CHANGE_WORDS


def passed_version(root: Path, path: Path, passed_hash: str, config: Config) -> Lesson | None:
    """The newest committed version of the lesson file at `path` whose content hash is
    `passed_hash`; None when git has none (or there is no git)."""
    try:
        relative = path.resolve().relative_to(root.resolve()).as_posix()
        commits = git(
            root, "log", f"-n{_VERSIONS_SEARCHED}", "--format=%H", "--", f"./{relative}"
        ).split()
    except (UsageError, ValueError):
        return None
    context = {"lesson_types": tuple(config.lesson_types), "depth_scale": tuple(config.depth_scale)}
    for commit in commits:
        try:
            raw = git(root, "show", f"{commit.decode()}:./{relative}")
        except UsageError:
            continue
        text, _ = decode(raw)
        source, _ = parse(text) if text is not None else (None, [])
        if source is None:
            continue
        model, _ = check_schema(source, DocumentKind.LESSON, context=context)
        if isinstance(model, Lesson) and content_hash(model) == passed_hash:
            return model
    return None


def compare(before: Lesson, after: Lesson) -> Comparison:
    """The fields that differ between two versions of a lesson, word by word."""
    old = dict(_flatten(before.model_dump(mode="json", exclude={"status"})))
    new = dict(_flatten(after.model_dump(mode="json", exclude={"status"})))
    structural = set(old) != set(new)
    changes = []
    for field in sorted(set(old) & set(new), key=list(new).index):
        if old[field] != new[field]:
            changes.append(_change(field, str(old[field]), str(new[field])))
    return Comparison(tuple(changes), structural)


def _change(field: str, before: str, after: str) -> Change:
    a, b = before.split(), after.split()
    removed: list[str] = []
    added: list[str] = []
    words = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "equal":
            removed += a[i1:i2]
            added += b[j1:j2]
            words += max(i2 - i1, j2 - j1)
    if not removed and not added:  # only whitespace changed
        return Change(field, before.strip()[:60], after.strip()[:60], 0)
    return Change(field, " ".join(removed), " ".join(added), words)


def _flatten(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [
            item
            for key, child in value.items()
            for item in _flatten(child, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(value, list):
        return [
            item
            for index, child in enumerate(value)
            for item in _flatten(child, f"{path}[{index}]")
        ]
    return [(path, value)]


def _quote(words: str) -> str:
    if not words:
        return "(nothing)"
    shown = words if len(words) <= 80 else words[:77] + "..."
    return f"'{shown}'"
