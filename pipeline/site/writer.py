"""The site writer: files inside one folder only, atomically, and only when their content changed.

The output folder is a wall. A path is refused when it leaves the folder or passes through a
symbolic link to a folder; a symbolic link standing where a page goes is replaced by the page
(the link's target is never opened, read or written).

Each file written is recorded in a manifest with the SHA-256 of its content, so `--clean`
removes exactly the pages lessonkit made earlier that no longer have a source, and only while
they still hold what lessonkit wrote: a file the manifest names but someone changed, or one it
never wrote, stays. A manifest that is not lessonkit's (unreadable, not JSON, another shape) is
ignored with a warning, and the new one is written atomically like every page.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
from pathlib import Path, PurePosixPath

from .. import __version__
from ..core.errors import UsageError
from ..core.files import atomic_write

MANIFEST = ".lessonkit-site.json"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MANIFEST_LIMIT = 64 * 1024 * 1024  # far above any real site's manifest; never read past it
# Not following a link, and not waiting on a FIFO's writer (flags absent on Windows are 0).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


class Writer:
    """Writes files inside one folder only: atomically, and only when their content changed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.made: dict[str, str] = {}  # relative path -> SHA-256 of the content written
        self.written = 0
        self.unchanged = 0
        self.warnings: list[str] = []
        self._record: dict[str, str] | None = None  # the earlier manifest, read once

    def write(self, relative: str, content: str | bytes) -> None:
        target = self._target(relative)
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.made[target.relative_to(self.root).as_posix()] = _sha256(data)
        if _read_regular(target) == data:
            self.unchanged += 1
            return
        # A symbolic link at `target` is replaced, not followed: atomic_write renames over it.
        try:
            atomic_write(target, data)
        except OSError as error:  # a name too long for the file system, a full disk
            raise UsageError(f"could not write {relative}: {error.strerror}") from error
        self.written += 1

    def read(self, relative: str) -> str | None:
        """The text of a page an earlier run wrote here, while it still holds what that run
        recorded in the manifest; None for anything else (missing, changed, not ours)."""
        digest = self._earlier().get(relative)
        target = self._existing(relative)
        data = _read_regular(target) if digest is not None and target is not None else None
        if data is None or _sha256(data) != digest:
            return None
        return data.decode("utf-8", errors="replace")

    def finish(self, *, clean: bool) -> list[str]:
        """Record what was made; with `clean`, remove earlier pages that were not made now."""
        earlier = self._earlier()
        removed = []
        if clean:
            for relative in sorted(set(earlier) - set(self.made)):
                target = self._existing(relative)
                if target is None:
                    continue
                data = _read_regular(target)
                if data is None or _sha256(data) != earlier[relative]:
                    self.warnings.append(
                        f"kept {relative}: its content is not what lessonkit wrote there"
                    )
                    continue
                target.unlink()
                removed.append(relative)
            kept = dict(self.made)
        else:
            kept = {r: h for r, h in earlier.items() if self._existing(r) is not None}
            kept.update(self.made)
        text = json.dumps(
            {"generator": f"lessonkit {__version__}", "files": dict(sorted(kept.items()))},
            indent=1,
        )
        manifest = self.root / MANIFEST
        data = (text + "\n").encode("utf-8")
        if _read_regular(manifest) != data:
            if manifest.is_dir() and not manifest.is_symlink():
                self.warnings.append(f"could not record the site: {MANIFEST} is a folder")
            else:
                atomic_write(manifest, data)
        return removed

    # --- paths -------------------------------------------------------------------------------

    def _target(self, relative: str) -> Path:
        """Where `relative` goes, checked: inside the folder, through real folders only."""
        parts = _parts(relative)
        if parts is None:
            raise UsageError(f"refusing to write {relative}: it is outside {self.root}")
        target = self.root.joinpath(*parts)
        for folder in [*reversed(target.parents[: len(parts) - 1]), target]:
            try:
                mode = os.lstat(folder).st_mode
            except FileNotFoundError:
                break  # made by the write; nothing below it exists either
            except (OSError, ValueError) as error:  # a name too long, a NUL byte
                raise UsageError(f"could not write {relative}: {error}") from error
            if folder == target:
                if stat.S_ISDIR(mode):
                    raise UsageError(
                        f"refusing to write {relative}: a folder of that name is there"
                    )
            elif not stat.S_ISDIR(mode):
                inside = folder.relative_to(self.root).as_posix()
                raise UsageError(
                    f"refusing to write {relative}: {inside} is a symbolic link or a file, "
                    f"not a folder inside {self.root}; remove it and render again"
                )
        return target

    def _existing(self, relative: str) -> Path | None:
        """`relative` as a regular file reached through real folders inside the root, or None."""
        parts = _parts(relative)
        if parts is None:
            return None
        target = self.root.joinpath(*parts)
        try:
            for folder in reversed(target.parents[: len(parts) - 1]):
                if not stat.S_ISDIR(os.lstat(folder).st_mode):
                    return None  # a symbolic link (or a file) on the way
            return target if stat.S_ISREG(os.lstat(target).st_mode) else None
        except (OSError, ValueError):  # missing, a name too long, a NUL byte
            return None

    def _earlier(self) -> dict[str, str]:
        """The previous run's record: relative path -> SHA-256; {} (with a warning) when the
        manifest is unreadable or not one lessonkit wrote."""
        if self._record is None:
            self._record = self._read_manifest()
        return self._record

    def _read_manifest(self) -> dict[str, str]:
        manifest = self.root / MANIFEST
        if not os.path.lexists(manifest):
            return {}
        files, problem = _record(manifest)
        if files is None:
            self.warnings.append(
                f"ignored {MANIFEST} in {self.root}: {problem}; "
                "no earlier page is removed this time"
            )
            return {}
        return files


def _record(manifest: Path) -> tuple[dict[str, str] | None, str]:
    """The manifest's files, or None and what is wrong with it."""
    if manifest.is_symlink():
        return None, "it is a symbolic link"
    data = _read_regular(manifest, limit=_MANIFEST_LIMIT)
    if data is None:
        return None, "it is not a readable file of a sensible size"
    try:
        record = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # not UTF-8, not JSON, nested too deep
        return None, "it is not JSON"
    files = record.get("files") if isinstance(record, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(digest, str) and _SHA256.fullmatch(digest) for digest in files.values()
    ):
        return None, 'it has no "files" object with the SHA-256 of each file'
    return files, ""


def _parts(relative: str) -> tuple[str, ...] | None:
    """The components of a relative POSIX path, or None when it is absolute or climbs out."""
    path = PurePosixPath(relative)
    if path.is_absolute() or not path.parts or any(p in ("..", ".") for p in path.parts):
        return None
    return path.parts


def _read_regular(path: Path, *, limit: int | None = None) -> bytes | None:
    """The bytes of `path` when it is a regular file (a symbolic link is not followed), else
    None; None too when it is larger than `limit`."""
    try:
        descriptor = os.open(path, _READ_FLAGS)
    except (OSError, ValueError):  # missing, a symbolic link (ELOOP), unreadable, a NUL byte
        return None
    with os.fdopen(descriptor, "rb") as stream:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None  # a FIFO or a device: never read from it
        data = stream.read() if limit is None else stream.read(limit + 1)
    return None if limit is not None and len(data) > limit else data


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
