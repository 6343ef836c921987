"""What can still be known about a lesson file that could not be read or failed its schema.

A lesson that fails S001-S004 (or S002) still exists for the course: other lessons cite it,
the curriculum lists it, reviews are filed under it. Its id is recovered from the parsed data
when there is some, else from an `id:` line of the text (a syntax error further down does not
hide it), else from the file name; the rules that depend on its content then say it could not
be checked, instead of reporting it as missing.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

from ..core.files import inside
from .documents import Document

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# A top-level `id:` line, its value plain or quoted, an end-of-line comment allowed.
_ID_LINE = re.compile(
    r"""^id:[ \t]*(["']?)([a-z0-9]+(?:-[a-z0-9]+)*)\1[ \t]*(?:\#.*)?$""", re.MULTILINE
)


def recovered_id(document: Document, *, root: Path, limit: int) -> str | None:
    """The id a lesson document that has no model most likely has; None when nothing says.
    Only a file inside `root` is read again, and no more than `limit` bytes of it."""
    source = document.source
    data = source.data if source is not None else None
    if isinstance(data, dict) and isinstance(data.get("id"), str) and _SLUG.fullmatch(data["id"]):
        return str(data["id"])
    text = source.text if source is not None else _text(document, root, limit)
    if text is not None:
        match = _ID_LINE.search(text)
        if match:
            return match.group(2)
    stem = document.file.stem
    return stem if _SLUG.fullmatch(stem) else None


def _text(document: Document, root: Path, limit: int) -> str | None:
    """The file's text, as far as it can be decoded; None for a plan, a file outside the
    project or an unreadable file."""
    if document.origin is not None or inside(root, document.path) is None:
        return None  # a Markdown plan's lesson id is in the plan's data; outside is a wall
    try:
        if not stat.S_ISREG(document.path.stat().st_mode):
            return None  # a FIFO or device: never opened
        with document.path.open("rb") as stream:
            raw = stream.read(limit + 1)
    except OSError:  # gone, or unreadable
        return None
    if len(raw) > limit:
        return None  # over the size limit: S004 says so, and its file name is the id
    return raw.decode("utf-8", errors="replace")
