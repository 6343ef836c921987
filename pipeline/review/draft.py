"""Drafting the next review iteration of a lesson from what the rules report now.

The draft's findings come from the lesson's diagnostics (each rule declares the review
severity its findings get), the previous iteration's findings are re-checked for the
fix-verification table, and a verdict is proposed. An existing iteration is never overwritten.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..check import rules
from ..check.registry import Rule
from ..check.ruledoc import parse
from ..check.validate import Result, display_path
from ..core.diagnostics import Diagnostic
from ..core.errors import UsageError
from ..core.project import Project
from ..course.concepts import concept_id
from ..course.reviews import content_hash, counts, proposed_verdict
from ..read.documents import Document
from ..schemas import FindingSeverity, FixStatus, Lesson, Review


@dataclass(frozen=True)
class Draft:
    """The data of the next review iteration, before it is written as YAML."""

    data: dict[str, object]
    iteration: int


def draft(
    lesson: Lesson,
    previous: Review | None,
    diagnostics: Sequence[Diagnostic],
    *,
    reviewer: str,
    today: datetime.date,
) -> Draft:
    """The next iteration: findings from `diagnostics` (the lesson file's, with field paths),
    the previous iteration's findings re-checked, counts, a proposed verdict and the hash."""
    findings: list[dict[str, object]] = []
    used_ids: set[str] = set()
    for diagnostic in diagnostics:
        rule = rules.REGISTRY.get(diagnostic.code)
        if rule is None or rule.review_severity is None:
            continue
        finding_id = _unique(rule.name, used_ids)
        findings.append(
            {
                "id": finding_id,
                "severity": rule.review_severity.value,
                "title": diagnostic.message[:1].upper() + diagnostic.message[1:],
                "location": f"{diagnostic.path}:{diagnostic.line}:{diagnostic.column}"
                + (f" ({diagnostic.field})" if diagnostic.field else ""),
                "issue": f"{rule.summary} ({rule.code}).",
                "student_impact": _why(rule),
                "suggested_fix": (
                    "Run `lessonkit validate --fix`."
                    if rule.fixable
                    else f"See `lessonkit rule {rule.code}` for a good example."
                ),
                "rule": rule.code,
                **({"at": diagnostic.field} if diagnostic.field else {}),
            }
        )
    verification = []
    if previous is not None:
        firing = {(d.code, d.field) for d in diagnostics}
        codes = {d.code for d in diagnostics}
        for finding in previous.findings:
            row: dict[str, object] = {
                "finding": finding.id,
                "title": finding.title,
                "severity": finding.severity.value,
            }
            # A finding tied to a rule is re-checked: where it was (`at`), or anywhere.
            fires = (finding.rule, finding.at) in firing if finding.at else finding.rule in codes
            if finding.rule and fires:
                row["status"] = FixStatus.STILL_OPEN.value
                row["notes"] = f"{finding.rule} still reports this at {finding.at or 'the lesson'}."
            elif finding.rule:
                row["status"] = FixStatus.FIXED.value
                row["notes"] = f"{finding.rule} no longer reports this."
            else:
                row["notes"] = "Not from a rule: verify by hand and set the status."
            verification.append(row)
    iteration = previous.iteration + 1 if previous else 1
    data: dict[str, object] = {
        "lesson": lesson.id,
        "iteration": iteration,
        "date": today,
        "reviewer": reviewer,
        "content_hash": content_hash(lesson),
        "summary": counts(FindingSeverity(str(f["severity"])) for f in findings),
    }
    review = Review.model_validate(
        {**data, "verdict": "PASS", "findings": findings, "fix_verification": verification}
    )
    data["verdict"] = proposed_verdict(review).value
    data["verdict_note"] = (
        "Proposed by lessonkit from the rules; the reviewer confirms or changes it."
    )
    data["fix_verification"] = verification
    data["findings"] = findings
    return Draft(data, iteration)


def _unique(base: str, used: set[str]) -> str:
    candidate, number = base, 2
    while candidate in used:
        candidate = f"{base}-{number}"
        number += 1
    used.add(candidate)
    return concept_id(candidate)


def _why(rule: Rule) -> str:
    return parse(rule.doc).why or rule.summary


def write_draft(path: Path, draft: Draft) -> None:
    """Write a draft as YAML, refusing to replace an existing file."""

    class Dumper(yaml.SafeDumper):
        pass

    def text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    body = yaml.dump(draft.data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
    header = (
        f"# Draft of review iteration {draft.iteration}, written by `lessonkit review`.\n"
        "# Findings and fix verification come from the rules; edit the prose, confirm the\n"
        "# verdict and add what only a reviewer can see, then commit.\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:  # never overwrite an iteration
        stream.write(header + body)


def draft_next(
    project: Project,
    result: Result,
    document: Document,
    *,
    reviewer: str,
    today: datetime.date,
    cwd: Path,
) -> Path:
    """Write the next review iteration of the lesson in `document`, drafted from `result` (a
    validate run of the whole course); returns its path. UsageError when the lesson has had
    the most iterations allowed, or the file exists."""
    assert result.course is not None and result.settings is not None
    lesson = document.model
    assert isinstance(lesson, Lesson)
    previous = result.course.latest_review(lesson.id)
    maximum = result.settings.max_review_iterations
    iteration = previous.iteration + 1 if previous else 1
    if iteration > maximum:
        raise UsageError(
            f"{lesson.id} has had {maximum} review iterations, the most "
            f"allowed ([tool.lessonkit.rules.R004] maximum); a lesson that still needs work "
            "after the last round needs a redesign, not another round"
        )
    path = project.reviews_dir / lesson.id / f"iteration-{iteration}.yaml"
    if path.exists():
        raise UsageError(f"{display_path(path, cwd)} exists; it is never overwritten")
    shown = display_path(document.path, cwd)
    mine = [d for d in result.diagnostics if d.path == shown]
    write_draft(path, draft(lesson, previous, mine, reviewer=reviewer, today=today))
    return path
