"""The rule engine: runs the registered rules over a course and turns hits into findings.

The engine knows nothing about any particular rule. It builds the course (every lesson of the
project, the curriculum and the ledger), runs each enabled rule with its configured options,
maps each hit's field path (and prose offset) to a line and column through the document's
source, and leaves stamping severity and file to `validate`.
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pydantic import ValidationError

from . import rules
from .course import Ledger, build_ledger
from .diagnostics import Finding, Severity
from .documents import Document, DocumentKind
from .errors import ConfigError
from .load import DataPath, join_path
from .prose import ProseText, prose_fields
from .reviews import content_hash
from .rules import Hit, Options, Rule, Scope
from .schemas import Config, Curriculum, Lesson, Review


@dataclass(frozen=True)
class Settings:
    """Configuration resolved against the registry: which rules run, how severely, how."""

    config: Config
    options: Mapping[str, Options]

    def enabled(self, code: str, relative_path: str | None = None) -> bool:
        """Whether `code` is checked (in the file at `relative_path`, for per-path ignores)."""
        chosen = _longest_prefix(code, [*self.config.select, *self.config.extend_select])
        ignored = _longest_prefix(code, self.config.ignore)
        if relative_path is not None:
            for pattern, codes in self.config.per_path_ignores.items():
                if fnmatch.fnmatch(relative_path, pattern):
                    ignored = max(ignored, _longest_prefix(code, codes))
        return chosen > ignored

    def severity(self, code: str) -> Severity:
        level = self.config.severity.get(code)
        return Severity(level) if level else rules.get(code).severity

    def options_for(self, rule: Rule) -> Options | None:
        """The rule's options: configured, else its defaults (None for rules without options)."""
        return self.options.get(rule.code)


def settings_for(config: Config, *, where: str = "configuration") -> Settings:
    """Resolve `config` against the registry; ConfigError names each key that does not fit."""
    problems = []
    codes = list(rules.REGISTRY)

    def check_codes(key: str, values: Iterable[str]) -> None:
        for value in values:
            if value not in rules.FAMILIES and not any(code.startswith(value) for code in codes):
                close = difflib.get_close_matches(value, codes, n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                problems.append(f"{where}: {key}: '{value}' is not a rule code or prefix{hint}")

    check_codes("select", config.select)
    check_codes("extend_select", config.extend_select)
    check_codes("ignore", config.ignore)
    for pattern, values in config.per_path_ignores.items():
        check_codes(f"per_path_ignores.{pattern}", values)
    check_codes("severity", [code for code in config.severity if code not in rules.REGISTRY])
    options: dict[str, Options] = {}
    for code, values in config.rules.items():
        rule = rules.REGISTRY.get(code)
        if rule is None:
            check_codes("rules", [code])
        elif rule.options is None:
            problems.append(f"{where}: rules.{code}: {code} takes no options")
        else:
            try:
                options[code] = rule.options.model_validate(values)
            except ValidationError as error:
                for item in error.errors(include_url=False):
                    key = ".".join(str(part) for part in item["loc"])
                    problems.append(f"{where}: rules.{code}.{key}: {item['msg']}")
    if problems:
        raise ConfigError("\n".join(problems))
    for code, rule in rules.REGISTRY.items():  # defaults once, not on every rule call
        if rule.options is not None and code not in options:
            options[code] = rule.options()
    return Settings(config, options)


def _longest_prefix(code: str, prefixes: Iterable[str]) -> int:
    """Length of the longest entry of `prefixes` that `code` starts with (0 for none)."""
    return max((len(prefix) for prefix in prefixes if code.startswith(prefix)), default=0)


@dataclass
class Course:
    """Every document of the project that the rules may consult, and the ledger."""

    root: Path
    settings: Settings
    documents: list[Document]
    lessons: dict[str, Document] = field(default_factory=dict)
    curriculum_document: Document | None = None
    broken: set[str] = field(default_factory=set)
    reviews: dict[str, list[Document]] = field(default_factory=dict)
    ledger: Ledger = field(init=False)
    _hashes: dict[str, str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for document in sorted(self.documents, key=lambda d: d.path):
            if document.kind is DocumentKind.CURRICULUM and self.curriculum_document is None:
                self.curriculum_document = document
            elif document.kind is DocumentKind.LESSON and isinstance(document.model, Lesson):
                self.lessons.setdefault(document.model.id, document)
            elif document.kind is DocumentKind.LESSON and document.source is not None:
                # A lesson file that failed its schema is reported in its own file; claims
                # that cite it are not checked, rather than reported as missing.
                data = document.source.data
                if isinstance(data, dict) and isinstance(data.get("id"), str):
                    self.broken.add(data["id"])
            elif document.kind is DocumentKind.REVIEW and isinstance(document.model, Review):
                self.reviews.setdefault(document.model.lesson, []).append(document)
        for iterations in self.reviews.values():
            iterations.sort(key=lambda d: (d.model.iteration, d.path))  # type: ignore[union-attr]
        models = {lesson_id: doc.model for lesson_id, doc in self.lessons.items()}
        scale = tuple(self.settings.config.depth_scale)
        self.ledger = build_ledger(models, self.curriculum, scale)  # type: ignore[arg-type]

    @property
    def curriculum(self) -> Curriculum | None:
        document = self.curriculum_document
        return document.model if document and isinstance(document.model, Curriculum) else None

    def content_hash(self, lesson_id: str) -> str | None:
        """The content hash of a lesson, computed once per run and only when asked for."""
        if lesson_id not in self._hashes:
            lesson = self.lesson(lesson_id)
            self._hashes[lesson_id] = content_hash(lesson) if lesson else None
        return self._hashes[lesson_id]

    def lesson(self, lesson_id: str) -> Lesson | None:
        document = self.lessons.get(lesson_id)
        return document.model if document else None  # type: ignore[return-value]

    def relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()


@dataclass(frozen=True)
class LessonContext:
    """What a lesson rule sees: the lesson, its document and the course around it."""

    lesson: Lesson
    document: Document
    course: Course

    @cached_property
    def prose(self) -> list[tuple[DataPath, ProseText]]:
        """Every Markdown string of the lesson with its path; walked once, shared by the rules."""
        return [(path, ProseText(text)) for path, text in prose_fields(self.lesson)]


def check(course: Course, targets: Iterable[Document]) -> dict[Path, list[Finding]]:
    """Run every enabled rule on `targets` (documents of `course`); findings per file path."""
    settings = course.settings
    wanted = {document.path: document for document in targets}
    found: dict[Path, list[Finding]] = {path: [] for path in wanted}
    lesson_rules = [r for r in rules.REGISTRY.values() if r.scope is Scope.LESSON]
    for document in wanted.values():
        if document.kind is not DocumentKind.LESSON or not isinstance(document.model, Lesson):
            continue
        relative = course.relative(document.path)
        ctx = LessonContext(document.model, document, course)
        for rule in lesson_rules:
            if settings.enabled(rule.code, relative):
                for hit in rules.run_lesson_rule(rule, ctx, settings.options_for(rule)):
                    found[document.path].append(to_finding(rule.code, document, hit))
    for rule in rules.REGISTRY.values():
        if rule.scope is not Scope.COURSE:
            continue
        for document, hit in rules.run_course_rule(rule, course, settings.options_for(rule)):
            if document.path in wanted and settings.enabled(
                rule.code, course.relative(document.path)
            ):
                found[document.path].append(to_finding(rule.code, document, hit))
    return found


def to_finding(code: str, document: Document, hit: Hit) -> Finding:
    """A hit as a finding with a position in its document's file."""
    source = document.source
    assert source is not None, "rules only run on parsed documents"
    if hit.offset is not None:
        span = source.prose_span(hit.at, hit.offset, hit.length)
    else:
        span = source.span(hit.at, key=hit.key)
    edit = None
    if hit.fix is not None:  # None when the characters cannot be rewritten on their own
        fix = hit.fix
        edit = source.prose_edit(hit.at, fix.offset, fix.length, fix.replacement)
    return Finding(code, hit.message, span, edit, join_path(hit.at) or None)
