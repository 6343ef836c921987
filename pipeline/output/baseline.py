"""Baselines: record today's findings once, then report only the new ones.

`--baseline FILE` records findings by their stable fingerprints (the same as SARIF's), with
paths relative to the project root, so a course with hundreds of existing findings can turn
the gate on before it has fixed them all.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from ..core.diagnostics import Diagnostic
from ..core.errors import UsageError
from ..core.files import atomic_write
from .formats import fingerprints


def _keys(diagnostics: list[Diagnostic], root: Path, cwd: Path) -> list[str]:
    """Fingerprints with paths relative to the project root, so any folder gives the same."""

    def rebased(path: str) -> str:
        absolute = (cwd / path).resolve()
        return absolute.relative_to(root).as_posix() if absolute.is_relative_to(root) else path

    return fingerprints([dataclasses.replace(d, path=rebased(d.path)) for d in diagnostics])


def write_baseline(path: Path, diagnostics: list[Diagnostic], root: Path, cwd: Path) -> None:
    """Record `diagnostics` as the accepted findings."""
    entries = {
        key: {"code": d.code, "path": d.path, "message": d.message}
        for key, d in zip(_keys(diagnostics, root, cwd), diagnostics, strict=True)
    }
    document = {"version": 1, "findings": entries}
    atomic_write(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def apply_baseline(
    path: Path, diagnostics: list[Diagnostic], root: Path, cwd: Path
) -> tuple[list[Diagnostic], int]:
    """Diagnostics not in the baseline, and how many baseline entries are now fixed."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))["findings"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UsageError(f"cannot read the baseline {path}: {error}") from None
    keys = _keys(diagnostics, root, cwd)
    new = [d for d, key in zip(diagnostics, keys, strict=True) if key not in recorded]
    fixed = len(set(recorded) - set(keys))
    return new, fixed
