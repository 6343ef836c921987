"""Files lessonkit writes and paths it follows: atomic writes, and the project root as a wall."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(path: Path, data: str | bytes, *, mode: int = 0o644) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader (or a crash) sees the old file or the new one, never a partial one. Text is
    written as UTF-8 exactly as given (no newline translation); the file gets `mode`.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(payload)
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def inside(root: Path, path: str | Path) -> Path | None:
    """`path` (relative to `root`, or absolute) resolved, symlinks included, when it stays
    inside `root`; None when it escapes. `root` is resolved too, so both sides compare alike."""
    base = root.resolve()
    try:
        target = (base / path).resolve()
    except (OSError, RuntimeError, ValueError):  # a symlink loop, a NUL byte, a name too long
        return None
    return target if target == base or base in target.parents else None
