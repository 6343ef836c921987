"""The rule registry: what a rule is, and the table of every code lessonkit can report.

A rule is one decorated function in the module of its family (`pedagogy`, `curriculum`,
`writing`, `assets`), with its code, name, summary, default severity and typed options in the
decorator and a docstring of fixed shape (what it checks, why, then `Bad:` and `Good:`
examples). It yields `Hit`s that point at a place in the document; the engine turns them into
positions, applies configuration and suppressions, and stamps code and severity.

`lessonkit rules`, `lessonkit rule CODE`, `docs/rules.md` and the engine all read REGISTRY,
through `lessonkit.check.rules`, whose explicit imports of the family modules fill it (never a
directory scan).
"""

from __future__ import annotations

import enum
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..core.diagnostics import DataPath, Severity
from ..schemas import FindingSeverity


class Scope(enum.Enum):
    """What a rule's check function receives."""

    ENGINE = "engine"  # applied while reading and schema-checking (the S family)
    LESSON = "lesson"  # check(ctx: LessonContext, options) -> Iterable[Hit]
    COURSE = "course"  # check(course: Course, options) -> Iterable[tuple[Document, Hit]]


@dataclass(frozen=True)
class Fix:
    """Replace `length` characters at `offset` of the hit's string with `replacement`.

    The range may be wider than the hit (a dash's surrounding spaces). The engine applies it
    only where those characters are written as they read in the file (`Source.prose_edit`);
    elsewhere (a folded line break, an escape) the finding is reported as not fixable.
    """

    replacement: str
    offset: int
    length: int


@dataclass(frozen=True)
class Hit:
    """Where a rule found a problem: a field path, and for prose an offset inside the string."""

    message: str
    at: DataPath = ()
    offset: int | None = None
    length: int = 1
    key: bool = False
    fix: Fix | None = None


class Options(BaseModel):
    """Base of rule options: unknown keys are configuration errors."""

    model_config = ConfigDict(extra="forbid", frozen=True)


@dataclass(frozen=True)
class ChecklistItem:
    """An item of the reviewer checklist (the planning document's), under one of its sections.
    The review report ticks it when none of the rules that declare it reports the lesson."""

    section: str
    text: str


@dataclass(frozen=True)
class Rule:
    """A rule's identity, documentation and check."""

    code: str
    name: str
    summary: str
    severity: Severity
    doc: str
    scope: Scope
    options: type[Options] | None = None
    check: Callable[..., Iterable[Any]] | None = None
    fixable: bool = False
    review_severity: FindingSeverity | None = None  # what a review draft files its hits as
    checklist: tuple[ChecklistItem, ...] = ()  # the reviewer checklist items it verifies

    @property
    def family(self) -> str:
        return self.code[0]


REGISTRY: dict[str, Rule] = {}

FAMILIES = {
    "S": "syntax and schema",
    "P": "pedagogy",
    "C": "curriculum and the concept ledger",
    "W": "writing style and code in prose",
    "A": "assets: notebooks, links and paths",
    "R": "reviews",
}
"""The code families of the catalogue; every code starts with one of these letters."""


def _register(rule: Rule) -> Rule:
    if rule.code in REGISTRY:
        raise ValueError(f"rule {rule.code} registered twice")
    REGISTRY[rule.code] = rule
    return rule


def declare(code: str, name: str, summary: str, severity: Severity, doc: str) -> Rule:
    """Register a rule applied by the engine itself (the S family: reading and schema)."""
    return _register(Rule(code, name, summary, severity, inspect.cleandoc(doc), Scope.ENGINE))


def rule(
    code: str,
    name: str,
    summary: str,
    *,
    severity: Severity,
    options: type[Options] | None = None,
    scope: Scope = Scope.LESSON,
    fixable: bool = False,
    review: FindingSeverity | None = None,
    checklist: tuple[ChecklistItem, ...] = (),
) -> Callable[[Callable[..., Iterable[Any]]], Callable[..., Iterable[Any]]]:
    """Register the decorated function as the check of rule `code`."""

    def decorate(check: Callable[..., Iterable[Any]]) -> Callable[..., Iterable[Any]]:
        doc = inspect.cleandoc(check.__doc__ or "")
        _register(
            Rule(
                code,
                name,
                summary,
                severity,
                doc,
                scope,
                options,
                check,
                fixable,
                review,
                checklist,
            )
        )
        return check

    return decorate


def get(code: str) -> Rule:
    """The registered rule for `code`; KeyError when there is none."""
    return REGISTRY[code]
