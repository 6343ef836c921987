"""A review iteration: one YAML file per round in `reviews/<lesson-id>/`.

Mirrors the "Review — date (Iteration n/3)" sections of a lesson planning document.
"""

from __future__ import annotations

import datetime

from pydantic import Field

from .common import FindingSeverity, FixStatus, Markdown, Record, Slug, Text, Verdict


class SeverityCounts(Record):
    """The 'Summary' block: how many findings of each severity this iteration reports."""

    critical: int = Field(ge=0, description="Number of CRITICAL findings.")
    improvement: int = Field(ge=0, description="Number of IMPROVEMENT findings.")
    polish: int = Field(ge=0, description="Number of POLISH findings.")


class Finding(Record):
    """One finding of a review."""

    id: Slug = Field(
        description=(
            "Stable id, referenced by the next iteration's fix verification. A finding that a "
            "later iteration carries forward keeps its id there."
        )
    )
    severity: FindingSeverity = Field(description="CRITICAL, IMPROVEMENT or POLISH.")
    title: Markdown = Field(description="One-line statement of the finding.")
    location: Markdown = Field(description="Where in the lesson.")
    issue: Markdown = Field(description="What is wrong.")
    student_impact: Markdown = Field(description="What it does to the student.")
    suggested_fix: Markdown = Field(description="How to fix it.")
    rule: Text | None = Field(
        default=None, description="lessonkit rule code when the finding came from a rule."
    )
    at: Text | None = Field(
        default=None,
        description=(
            "The lesson field the rule reported on (e.g. `analysis.misconceptions[1].id`); "
            "the next draft re-checks the rule there."
        ),
    )


class FixVerification(Record):
    """A row of the fix-verification table: what became of a previous iteration's finding."""

    finding: Slug = Field(description="Id of the previous iteration's finding.")
    title: Markdown | None = Field(
        default=None, description="The finding as the table names it, when worded differently."
    )
    severity: FindingSeverity = Field(description="Severity the finding had.")
    status: FixStatus | None = Field(
        default=None,
        description="FIXED, ACCEPTED or STILL OPEN; empty in a draft until the reviewer verifies.",
    )
    status_as_written: Text | None = Field(
        default=None,
        description="The status as the review wrote it when it is another word (RESOLVED).",
    )
    notes: Markdown | None = Field(default=None, description="What was checked.")


class ReReview(Record):
    """A light re-review: it confirms a small change made to a lesson after a passing review."""

    passed_hash: Text = Field(
        description="The `content_hash` of the passing review whose lesson was changed since."
    )
    changes: list[Markdown] = Field(
        default_factory=list,
        description=(
            "What changed, field by field (`field`: before -> after), as lessonkit found it in "
            "git; empty when the passed version was not found and the reviewer describes it."
        ),
    )


class Review(Record):
    """One review iteration of one lesson."""

    lesson: Slug = Field(description="Id of the lesson reviewed.")
    cycle: int = Field(
        default=1,
        ge=1,
        description=(
            "Review cycle, from 1. A PASS closes a cycle; a change to the lesson after it opens "
            "the next, whose iterations are numbered from 1 again (`cycle-<n>/iteration-<m>.yaml`)."
        ),
    )
    iteration: int = Field(ge=1, description="Iteration number within its cycle, from 1.")
    draft: bool = Field(
        default=False,
        description=(
            "True in a review drafted by `lessonkit review` until a reviewer signs it "
            "(`--sign NAME`, or by deleting this line and writing `reviewer`). A draft never "
            "satisfies the review gate."
        ),
    )
    label: Text | None = Field(
        default=None,
        description=(
            "The iteration as the document labelled it, when its numbering restarted (after a "
            "fix pass) and `iteration` had to differ."
        ),
    )
    date: datetime.date = Field(description="Date of the review, YYYY-MM-DD.")
    reviewer: Text | None = Field(
        default=None,
        description=(
            "Who reviewed: the person who signed it. Left out in a draft, and in an imported "
            "record that does not say."
        ),
    )
    re_review: ReReview | None = Field(
        default=None,
        description="Set when this iteration is a light re-review of a small change after a PASS.",
    )
    content_hash: Text | None = Field(
        default=None, description="Hash of the lesson content this review covers."
    )
    summary: SeverityCounts = Field(description="Finding counts by severity.")
    verdict: Verdict = Field(description="PASS, NEEDS REVISION or MAJOR REVISION.")
    verdict_qualifier: Text | None = Field(
        default=None,
        description="What the verdict line adds after the verdict ('(pending notebook)').",
    )
    verdict_note: Markdown | None = Field(default=None, description="The verdict's explanation.")
    fix_verification: list[FixVerification] = Field(
        default_factory=list,
        description="One row per finding of the previous iteration (empty for iteration 1).",
    )
    findings: list[Finding] = Field(default_factory=list, description="This iteration's findings.")
    what_works_well: list[Markdown] = Field(default_factory=list, description="What works well.")
    patterns_to_watch: list[Markdown] = Field(
        default_factory=list, description="Patterns to watch in later lessons or iterations."
    )
    overall_assessment: Markdown | None = Field(default=None, description="Closing assessment.")
