"""Read-only git for the commands that look at history (`--changed-since`, review cycles).

Every call leaves the repository as it was: no optional locks, and no refresh of the index's
stat cache (`git diff` would otherwise rewrite .git/index while a validate run reads it).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from .errors import UsageError

READ_ONLY = ("--no-optional-locks", "-c", "diff.autoRefreshIndex=false")


def git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """The standard output of `git ARGS` run in `root`; UsageError when git is missing or the
    command fails (its message included)."""
    try:
        completed = subprocess.run(
            ["git", *READ_ONLY, *args], cwd=root, input=stdin, capture_output=True, check=False
        )
    except OSError as error:
        raise UsageError(f"git is needed here: {error}") from None
    if completed.returncode != 0:
        problem = completed.stderr.decode("utf-8", "replace").strip()
        raise UsageError(f"git {' '.join(args)}: {problem}")
    return completed.stdout


def names(output: bytes) -> list[str]:
    """NUL-separated paths (`-z`), as the file system spells them."""
    return [os.fsdecode(name) for name in output.split(b"\0") if name]
