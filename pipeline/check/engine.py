"""The rule engine: runs the registered rules over a course and turns hits into findings.

The engine knows nothing about any particular rule. It runs each enabled rule with its
configured options, maps each hit's field path (and prose offset) to a line and column through
the document's source, and leaves stamping severity and file to `validate`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.diagnostics import Finding, join_path
from ..course.course import Course
from ..read.documents import Document, DocumentKind
from ..schemas import Lesson
from . import rules
from .context import LessonContext
from .registry import Hit, Options, Rule, Scope
from .settings import Settings


def check(
    course: Course, settings: Settings, targets: Iterable[Document]
) -> dict[Path, list[Finding]]:
    """Run every enabled rule on `targets` (documents of `course`); findings per file path."""
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
                for hit in _run_lesson_rule(rule, ctx, settings.options_for(rule)):
                    found[document.path].append(to_finding(rule.code, document, hit))
    for rule in rules.REGISTRY.values():
        if rule.scope is not Scope.COURSE:
            continue
        for document, hit in _run_course_rule(rule, course, settings.options_for(rule)):
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


def _run_lesson_rule(rule: Rule, ctx: LessonContext, options: Options | None) -> Iterable[Hit]:
    assert rule.check is not None and rule.scope is Scope.LESSON
    return rule.check(ctx, options) if rule.options else rule.check(ctx)


def _run_course_rule(rule: Rule, course: Course, options: Options | None) -> Iterable[Any]:
    assert rule.check is not None and rule.scope is Scope.COURSE
    return rule.check(course, options) if rule.options else rule.check(course)
