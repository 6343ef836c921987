"""Files lessonkit writes and paths it follows: atomic writes, and the project root as a wall."""

from __future__ import annotations

import os
import stat
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


class NotRegularFile(OSError):
    """The path names a FIFO, a device, a socket or a folder: nothing lessonkit reads."""


class TooLarge(OSError):
    """The file holds more than the limit; `size` is what it holds as far as is known."""

    def __init__(self, size: int) -> None:
        super().__init__(f"file of {size} bytes is over the limit")
        self.size = size


def exists(path: Path, *, as_file: bool = False) -> bool:
    """Whether `path` exists (as a file); False for a name the OS refuses to look up (longer
    than it allows, say), which no file can have."""
    try:
        return path.is_file() if as_file else path.exists()
    except (OSError, ValueError):
        return False


def is_special_file(path: Path) -> bool:
    """Whether `path` (symlinks followed) is a FIFO, a device, a socket or a folder: something
    no reader should open. False when it cannot be looked at; its reader then says why."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except (OSError, ValueError):
        return False


# Opening a FIFO for reading waits for a writer; non-blocking, the open returns at once and
# fstat says what the path is before anything is read.
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`, never more than `limit` read.

    Raises NotRegularFile for anything but a regular file (a FIFO passed by name, a symlink to
    /dev/zero), TooLarge when it holds more than `limit` bytes, whatever its size claims to be
    (st_size of a file that grows, or of /proc files, is not what a read returns), and OSError
    when it cannot be opened.
    """
    descriptor = os.open(path, _READ_FLAGS)
    with os.fdopen(descriptor, "rb", buffering=0) as stream:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(f"{path} is not a regular file")
        if info.st_size > limit:
            raise TooLarge(info.st_size)
        chunks = []
        remaining = limit + 1  # one byte past the limit tells a file that grew
        while remaining > 0:
            chunk = stream.read(min(remaining, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            remaining -= len(chunk)
        data = b"".join(chunks)
    if len(data) > limit:
        raise TooLarge(max(info.st_size, len(data)))
    return data
