"""Review records as data: content hashes, what a review leaves open, its proposed verdict.

The content hash is what makes "a passing review of its current content" checkable. It covers
the lesson's meaning, not its text: the SHA-256 of the parsed lesson as canonical JSON (keys
sorted, values at their default left out), leaving out `status`. Reformatting the YAML,
reordering keys, changing quoting or adding comments leave it unchanged; changing any value
changes it. Status
is left out because marking a reviewed lesson ready is the point of the review, not a change
of content.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable

from ..schemas import FindingSeverity, FixStatus, Lesson, Review, Verdict

BLOCKING = (FindingSeverity.CRITICAL, FindingSeverity.IMPROVEMENT)
"""Severities that a PASS verdict may not leave open."""


def content_hash(lesson: Lesson) -> str:
    """`sha256:<hex>` of the lesson's meaning (see the module docstring)."""
    # Values left at their default are left out, so a lesson means the same whether or not it
    # writes a default out, and a field a later lessonkit adds does not make every review stale.
    data = lesson.model_dump(mode="json", exclude={"status"}, exclude_defaults=True)
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
