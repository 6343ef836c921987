"""`lessonkit validate`: every file read, parsed and checked; diagnostics collected, never raised.

The engine is deliberately plain: collect the files, check each one on its own (a broken file
never stops the others), stamp each finding with its file and the rule's severity, sort.
It never writes anything.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import rules
from .diagnostics import Diagnostic, Finding, Severity, Span
from .documents import YAML_SUFFIXES, DocumentKind, classify, validate
from .load import decode, parse, too_large
from .project import Project


@dataclass(frozen=True)
class CheckedFile:
    """One file's outcome: what it is and what was found in it."""

    path: Path
    kind: DocumentKind
    findings: tuple[Finding, ...]


@dataclass
class Result:
    """Everything `validate` found, ready for a formatter."""

    diagnostics: list[Diagnostic]
    files: int
    internal_errors: list[str] = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity is severity)

    @property
    def exit_code(self) -> int:
        if self.internal_errors:
            return 2
        return 1 if self.count(Severity.ERROR) else 0


class NothingToCheck(Exception):
    """No paths were given and the project has no lessons or reviews folder."""


def default_paths(project: Project) -> list[Path]:
    """The project's lessons and reviews folders, those that exist."""
    paths = [folder for folder in (project.lessons_dir, project.reviews_dir) if folder.is_dir()]
    if not paths:
        raise NothingToCheck(
            f"no '{project.config.lessons}/' folder in {project.root}; "
            "pass the files or folders to check"
        )
    return paths


def collect(paths: Iterable[Path]) -> list[Path]:
    """The YAML files named by `paths`: files as given, folders searched recursively."""
    found: dict[Path, None] = {}
    for path in paths:
        path = path.resolve()
        if path.is_dir():
            for candidate in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in candidate.relative_to(path).parts)
                if candidate.suffix in YAML_SUFFIXES and candidate.is_file() and not hidden:
                    found[candidate] = None
        else:
            found[path] = None
    return list(found)


def check_file(path: Path, *, project: Project) -> CheckedFile:
    """Read, parse and schema-check one file."""
    kind = classify(path, reviews_dir=project.reviews_dir.resolve())
    return CheckedFile(path, kind, tuple(_findings(path, kind, project)))


def _findings(path: Path, kind: DocumentKind, project: Project) -> list[Finding]:
    limit = project.config.max_file_size
    try:
        size = path.stat().st_size
        if size > limit:
            return [too_large(size, limit)]
        raw = path.read_bytes()
    except OSError as error:
        return [Finding("S004", f"cannot read the file: {error.strerror}", Span(1, 1))]
    text, findings = decode(raw)
    if text is None:
        return findings
    source, findings = parse(text)
    if source is None:
        return findings
    _, schema_findings = validate(
        source, kind, context={"lesson_types": tuple(project.config.lesson_types)}
    )
    return findings + schema_findings


def run(paths: Sequence[Path], *, project: Project, cwd: Path) -> Result:
    """Check every YAML file under `paths` and return the sorted diagnostics."""
    files = collect(paths)
    diagnostics: list[Diagnostic] = []
    internal: list[str] = []
    for path in files:
        shown = display_path(path, cwd)
        try:
            checked = check_file(path, project=project)
        except Exception:  # a bug in lessonkit must not hide the other files' results
            internal.append(f"internal error while checking {shown}:\n{traceback.format_exc()}")
            continue
        diagnostics.extend(stamp(finding, shown) for finding in checked.findings)
    diagnostics.sort(key=lambda diagnostic: diagnostic.sort_key)
    return Result(diagnostics, len(files), internal)


def stamp(finding: Finding, path: str) -> Diagnostic:
    """A finding as a diagnostic of `path`, with its rule's severity."""
    rule = rules.get(finding.code)
    span = finding.span
    return Diagnostic(
        path=path,
        line=span.line,
        column=span.column,
        code=finding.code,
        severity=rule.severity,
        message=finding.message,
        end_line=span.end_line,
        end_column=span.end_column,
        fixable=finding.fixable,
    )


def display_path(path: Path, cwd: Path) -> str:
    """`path` relative to the current folder, with forward slashes."""
    return Path(os.path.relpath(path, cwd)).as_posix()
