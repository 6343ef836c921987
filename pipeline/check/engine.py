"""The rule engine: runs the registered rules over a course and turns hits into findings.

The engine knows nothing about any particular rule. It runs each enabled rule with its
configured options, maps each hit's field path (and prose offset) to a line and column through
the document's source, and leaves stamping severity and file to `validate`.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.diagnostics import Finding, Span, glossary_conflict, join_path, rule_crashed
from ..course.course import Course
from ..read.documents import Document, DocumentKind
from ..schemas import Lesson
from . import rules
from .context import LessonContext
from .registry import Hit, Options, Rule, Scope
from .settings import Settings


def check(
    course: Course,
    settings: Settings,
    targets: Iterable[Document],
    *,
    crashes: list[str] | None = None,
) -> dict[Path, list[Finding]]:
    """Run every enabled rule on `targets` (documents of `course`); findings per file path.

    A rule that raises is a bug in lessonkit, not in the lesson: its failure becomes one S007
    finding for that file and rule (for a course rule, on the first file checked), the findings
    it made before failing and every other rule's are kept, and the traceback is appended to
    `crashes` for the run's internal errors.
    """
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
                try:
                    for hit in _run_lesson_rule(rule, ctx, settings.options_for(rule)):
                        found[document.path].append(to_finding(rule.code, document, hit))
                except Exception as error:
                    found[document.path].append(_crashed(rule, error, "this file"))
                    _record(crashes, f"rule {rule.code} failed on {relative}")
    glossary = course.glossary_document
    if glossary is not None and glossary.path in wanted and glossary.source is not None:
        # The glossary's names are checked as the course indexes them (first claimant wins).
        for conflict in course.concepts.conflicts:
            span = glossary.source.span(conflict.at)
            found[glossary.path].append(glossary_conflict(conflict.message, span))
    first = min(wanted, default=None)
    for rule in rules.REGISTRY.values():
        if rule.scope is not Scope.COURSE:
            continue
        try:
            for document, hit in _run_course_rule(rule, course, settings.options_for(rule)):
                if document.path in wanted and settings.enabled(
                    rule.code, course.relative(document.path)
                ):
                    found[document.path].append(to_finding(rule.code, document, hit))
        except Exception as error:
            if first is not None:
                found[first].append(_crashed(rule, error, "the course"))
            _record(crashes, f"rule {rule.code} failed on the course")
    return found


def _crashed(rule: Rule, error: Exception, where: str) -> Finding:
    """The S007 finding for a rule that raised `error` while checking `where`."""
    try:
        detail = f"{type(error).__name__}: {error}"
    except Exception:  # an exception whose message cannot be built; its type still helps
        detail = type(error).__name__
    if len(detail) > 120:
        detail = detail[:117] + "..."
    return rule_crashed(
        f"rule {rule.code} failed on {where} ({detail}); its findings here may be missing. "
        "This is a bug in lessonkit: please report it with the details printed on stderr",
        Span(1, 1),
    )


def _record(crashes: list[str] | None, what: str) -> None:
    if crashes is not None:
        crashes.append(f"internal error: {what}:\n{traceback.format_exc()}")


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
