"""The site writer: files inside one folder only, atomically, and only when their content changed.

Each file written is recorded in a manifest, so `--clean` removes exactly the pages lessonkit
made earlier that no longer have a source, and nothing else.
"""

from __future__ import annotations

import json
from pathlib import Path

from .. import __version__
from ..core.errors import UsageError
from ..core.files import atomic_write

MANIFEST = ".lessonkit-site.json"


class Writer:
    """Writes files inside one folder only: atomically, and only when their content changed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.made: set[str] = set()
        self.written = 0
        self.unchanged = 0

    def write(self, relative: str, content: str | bytes) -> None:
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root) or target == self.root:
            raise UsageError(f"refusing to write {relative}: it is outside {self.root}")
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.made.add(target.relative_to(self.root).as_posix())
        if target.is_file() and target.read_bytes() == data:
            self.unchanged += 1
            return
        atomic_write(target, data)
        self.written += 1

    def finish(self, *, clean: bool) -> list[str]:
        """Record what was made; with `clean`, remove earlier pages that were not made now."""
        manifest = self.root / MANIFEST
        earlier: list[str] = []
        if manifest.is_file():
            try:
                earlier = json.loads(manifest.read_text(encoding="utf-8")).get("files", [])
            except ValueError:
                earlier = []
        removed = []
        if clean:
            for relative in sorted(set(earlier) - self.made):
                target = (self.root / relative).resolve()
                if target.is_relative_to(self.root) and target.is_file():
                    target.unlink()
                    removed.append(relative)
        kept = sorted(self.made | (set() if clean else set(earlier) & _existing(self.root)))
        text = json.dumps({"generator": f"lessonkit {__version__}", "files": kept}, indent=1)
        if not manifest.is_file() or manifest.read_text(encoding="utf-8") != text + "\n":
            manifest.write_text(text + "\n", encoding="utf-8")
        return removed


def _existing(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}
