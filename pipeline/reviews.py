"""The review loop as data: content hashes, review histories, drafts of the next iteration.

The content hash is what makes "a passing review of its current content" checkable. It covers
the lesson's meaning, not its text: the SHA-256 of the parsed lesson as canonical JSON (keys
sorted, defaults filled in), leaving out `status`. Reformatting the YAML, reordering keys,
changing quoting or adding comments leave it unchanged; changing any value changes it. Status
is left out because marking a reviewed lesson ready is the point of the review, not a change
of content.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from .concepts import concept_id
from .diagnostics import Diagnostic
from .schemas import FindingSeverity, FixStatus, Lesson, Review, Verdict

BLOCKING = (FindingSeverity.CRITICAL, FindingSeverity.IMPROVEMENT)
"""Severities that a PASS verdict may not leave open."""


def content_hash(lesson: Lesson) -> str:
    """`sha256:<hex>` of the lesson's meaning (see the module docstring)."""
    data = lesson.model_dump(mode="json", exclude={"status"})
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def still_open(review: Review) -> list[tuple[FindingSeverity, str]]:
    """(severity, title) of everything a review leaves open: its own findings, and previous
    findings it verified as STILL OPEN or did not verify."""
    items = [(finding.severity, finding.title) for finding in review.findings]
    carried = {finding.id for finding in review.findings}
    for row in review.fix_verification:
        if row.finding not in carried and row.status in (FixStatus.STILL_OPEN, None):
            items.append((row.severity, row.title or row.finding))
    return items


def proposed_verdict(review: Review) -> Verdict:
    """PASS when nothing CRITICAL or IMPROVEMENT is left open, else NEEDS REVISION."""
    blocking = any(severity in BLOCKING for severity, _ in still_open(review))
    return Verdict.NEEDS_REVISION if blocking else Verdict.PASS


def counts(severities: Iterable[FindingSeverity]) -> dict[str, int]:
    """Summary counts by severity, as the review's `summary` block has them."""
    totals = {severity.value.lower(): 0 for severity in FindingSeverity}
    for severity in severities:
        totals[severity.value.lower()] += 1
    return totals


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
    from . import rules  # the rule registry imports this module; import it when drafting

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


def _why(rule: object) -> str:
    from .ruledocs import parse

    return parse(rule.doc).why or rule.summary  # type: ignore[attr-defined]


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
