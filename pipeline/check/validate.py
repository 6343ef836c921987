"""`lessonkit validate`: every file read, parsed and checked; diagnostics collected, never raised.

The engine is deliberately plain: collect the files, check each one on its own (a broken file
never stops the others), stamp each finding with its file and the rule's severity, sort.
It never writes anything.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import os
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.diagnostics import Diagnostic, Finding, Severity, Span, unreadable
from ..core.errors import UsageError
from ..core.files import inside, is_special_file
from ..core.project import Project, open_project
from ..course.course import Course
from ..course.reviews import content_hash
from ..read.documents import YAML_SUFFIXES, Document, DocumentKind, classify, read_document
from ..read.planning import (
    MARKDOWN_SUFFIXES,
    Plan,
    looks_like_plan,
    plan_documents,
    read_plan,
)
from . import engine, suppress
from .settings import Settings, project_settings


@dataclass
class Result:
    """Everything `validate` found, ready for a formatter."""

    diagnostics: list[Diagnostic]
    checked: list[str]  # the files checked, as displayed
    internal_errors: list[str] = field(default_factory=list)
    course: Course | None = None
    settings: Settings | None = None

    @property
    def files(self) -> int:
        return len(self.checked)

    def count(self, severity: Severity) -> int:
        return sum(1 for diagnostic in self.diagnostics if diagnostic.severity is severity)

    @property
    def exit_code(self) -> int:
        if self.internal_errors:
            return 2
        return 1 if self.count(Severity.ERROR) else 0


def default_paths(project: Project) -> list[Path]:
    """The project's lessons and reviews folders, those that exist."""
    paths = [folder for folder in (project.lessons_dir, project.reviews_dir) if folder.is_dir()]
    if not paths:
        raise UsageError(
            f"no '{project.config.lessons}/' folder in {project.root}; "
            "pass the files or folders to check"
        )
    return paths


def collect(paths: Iterable[Path], *, root: Path | None = None) -> list[Path]:
    """The YAML files named by `paths`: files as given, folders searched recursively.

    A file keeps its own name, a symlink included (only its folder is resolved), so that a
    link out of the project is reported where it is (`read_file`) rather than followed. A
    Markdown file is looked into to tell a plan from a README; with `root`, one that resolves
    outside it is passed over unread.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            path = path.resolve()
            for candidate in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in candidate.relative_to(path).parts)
                if hidden or not candidate.is_file():
                    continue
                if candidate.suffix in YAML_SUFFIXES or (
                    candidate.suffix in MARKDOWN_SUFFIXES
                    and (root is None or inside(root, candidate) is not None)
                    and looks_like_plan(candidate)
                ):
                    found[candidate] = None
        else:
            path = path.absolute()
            found[path.parent.resolve() / path.name] = None
    return list(found)


class ReadCache:
    """Documents read before, by everything that decides them: the file's place in its project,
    its kind, the configuration and its bytes. Validating many copies of one course (the test
    suite does, once per rule example and per mutation) then reads each distinct file once.
    Documents are not changed after reading, so one can serve every copy under its own path."""

    def __init__(self) -> None:
        self._documents: dict[tuple[str, DocumentKind, str, bytes], Document] = {}

    def read(self, path: Path, kind: DocumentKind, project: Project) -> Document:
        if is_special_file(path):
            return read_document(path, kind, project.config)
        try:
            raw = path.read_bytes() if path.stat().st_size <= project.config.max_file_size else b""
        except OSError:
            return read_document(path, kind, project.config)
        where = path.resolve().relative_to(project.root.resolve()).as_posix()
        key = (where, kind, project.config.model_dump_json(), raw)
        if not raw or key not in self._documents:
            document = read_document(path, kind, project.config)
            if not raw:
                return document
            self._documents[key] = document
        return dataclasses.replace(self._documents[key], path=path)


def read_file(
    path: Path, *, project: Project, text: str | None = None, cache: ReadCache | None = None
) -> Document:
    """Read one file as the kind of document its place in the project makes it (from `text`,
    when an editor holds it unsaved; through `cache` when it may have been read before)."""
    kind = classify(path, reviews_dir=project.reviews_dir.resolve())
    if inside(project.root, path) is None:
        return _outside(path, kind)
    if cache is not None and text is None:
        return cache.read(path, kind, project)
    return read_document(path, kind, project.config, text)


def _outside(path: Path, kind: DocumentKind) -> Document:
    """The document of a file outside the project root: reported, never read. The root is a
    wall: a lesson that is a symlink to /etc/passwd is neither read nor quoted."""
    message = "this file resolves outside the project root (through a symlink?); it is not read"
    return Document(path, kind, findings=[Finding("A003", message, Span(1, 1))])


def read_plan_file(
    path: Path, *, project: Project, text: str | None = None, plan: Plan | None = None
) -> list[Document]:
    """A Markdown planning document as the lesson and review documents it holds, imported in
    memory; every position is in the Markdown file. `plan` is the file read already (by
    `lessonkit import`, which then need not read it twice)."""
    if inside(project.root, path) is None:
        return [_outside(path, DocumentKind.LESSON)]
    if plan is not None:
        return plan_documents(plan, project.config, content_hash=content_hash)
    if text is None and is_special_file(path):  # a FIFO would hang the plan reader
        unread = unreadable("not a regular file (a FIFO, device or folder); not read", Span(1, 1))
        return [Document(path, DocumentKind.LESSON, findings=[unread])]
    plan = read_plan(path, project.config, text=text)
    return plan_documents(plan, project.config, content_hash=content_hash)


# A run allocates millions of small objects that live until it ends (positions, models, findings):
# with the default gen-0 threshold of 700 the collector walks them again and again, a third of a
# cold 1,000-lesson run. A larger threshold lets it run far less often; freezing the course after
# reading was measured too and gained nothing more (bench/speed.py measures time and memory).
GC_THRESHOLD = (50_000, 20, 100)


@contextlib.contextmanager
def _collector_for_a_run() -> Iterator[None]:
    """The collector tuned for one run, then as it was (the language server runs again and
    again in one process)."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


@_collector_for_a_run()
def run(
    paths: Sequence[Path],
    *,
    project: Project,
    cwd: Path,
    texts: Mapping[Path, str] | None = None,
    plans: Mapping[Path, Plan] | None = None,
    cache: ReadCache | None = None,
) -> Result:
    """Check every YAML file under `paths`, against the whole course, and sort the diagnostics.

    The course is every lesson and review of the project plus the files given, so a lesson
    checked on its own is still traced against the lessons before it and gated by its reviews.
    `texts` holds the unsaved content of some files (by resolved path), read instead of the disk;
    `plans` Markdown plans read already, by resolved path; `cache` documents read before.
    """
    settings = project_settings(project)
    texts = texts or {}
    plans = plans or {}
    targets = collect(paths, root=project.root)
    folders = [project.lessons_dir, project.reviews_dir]
    course_paths = collect([folder for folder in folders if folder.is_dir()], root=project.root)
    documents: dict[Path, Document] = {}
    internal: list[str] = []
    for path in dict.fromkeys([*course_paths, *targets]):
        try:
            if path.suffix in MARKDOWN_SUFFIXES:  # a plan: its lesson and each of its reviews
                read = read_plan_file(
                    path, project=project, text=texts.get(path), plan=plans.get(path)
                )
                for document in read:
                    documents[document.path] = document
            else:
                documents[path] = read_file(
                    path, project=project, text=texts.get(path), cache=cache
                )
        except Exception:  # a bug in lessonkit must not hide the other files' results
            shown = display_path(path, cwd)
            internal.append(f"internal error while reading {shown}:\n{traceback.format_exc()}")
    course = Course(project.root, project.config, list(documents.values()))
    chosen = set(targets)
    wanted = [document for document in documents.values() if document.file in chosen]
    diagnostics, problems = diagnose(course, settings, wanted, cwd=cwd)
    checked = [display_path(path, cwd) for path in targets]
    return Result(diagnostics, checked, internal + problems, course, settings)


def diagnose(
    course: Course, settings: Settings, wanted: Sequence[Document], *, cwd: Path
) -> tuple[list[Diagnostic], list[str]]:
    """The sorted diagnostics of the `wanted` documents of `course`, and internal errors.

    The half of a run after reading, for callers that keep documents between runs (the
    language server re-reads only what changed).
    """
    internal: list[str] = []
    try:
        found = engine.check(course, settings, wanted, crashes=internal)
    except Exception:
        internal.append(f"internal error while running the rules:\n{traceback.format_exc()}")
        found = {}
    diagnostics: list[Diagnostic] = []
    for document in wanted:
        shown = display_path(document.file, cwd)
        relative = course.relative(document.file)

        answers: dict[str, bool] = {}  # asked once per finding: 80,000 of one code happen

        def enabled(
            code: str, relative: str = relative, answers: dict[str, bool] = answers
        ) -> bool:
            if code not in answers:
                answers[code] = settings.enabled(code, relative)
            return answers[code]

        findings = [*document.findings, *found.get(document.path, [])]
        if document.source is not None:
            findings = suppress.apply(document.source, findings, enabled)
        findings = [finding for finding in findings if enabled(finding.code)]
        for finding in cap(findings, course.config.max_diagnostics_per_code):
            diagnostics.append(stamp(finding, shown, settings.severity(finding.code)))
    diagnostics.sort(key=lambda diagnostic: diagnostic.sort_key)
    return diagnostics, internal


def cap(findings: list[Finding], limit: int) -> list[Finding]:
    """At most `limit` findings of each code, the first by position; the rest of a code are
    counted in one S004 at the first of them, so 30,000 unknown keys make a readable report."""
    by_code: dict[str, list[Finding]] = {}
    for finding in findings:
        by_code.setdefault(finding.code, []).append(finding)
    if all(len(group) <= limit for group in by_code.values()):
        return findings
    kept: list[Finding] = []
    for code, group in by_code.items():
        if len(group) <= limit:
            kept += group
            continue
        group.sort(key=lambda finding: (finding.span.line, finding.span.column))
        kept += group[:limit]
        hidden = len(group) - limit
        kept.append(
            unreadable(
                f"{hidden:,} more {code} diagnostics in this file are not shown "
                f"(max_diagnostics_per_code = {limit})",
                group[limit].span,
            )
        )
    return kept


def stamp(finding: Finding, path: str, severity: Severity) -> Diagnostic:
    """A finding as a diagnostic of `path`."""
    span = finding.span
    return Diagnostic(
        path=path,
        line=span.line,
        column=span.column,
        code=finding.code,
        severity=severity,
        message=finding.message,
        end_line=span.end_line,
        end_column=span.end_column,
        edit=finding.edit,
        field=finding.field,
    )


def display_path(path: Path, cwd: Path) -> str:
    """`path` relative to the current folder, with forward slashes."""
    return Path(os.path.relpath(path, cwd)).as_posix()


def validate_project(cwd: Path) -> tuple[Project, Result]:
    """The project above `cwd`, validated as a whole: what review, status, new and render start
    from. Raises LessonkitError for bad configuration or nothing to check."""
    project = open_project(cwd)
    result = run(default_paths(project), project=project, cwd=cwd)
    return project, result
