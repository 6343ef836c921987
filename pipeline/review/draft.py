"""Drafting the next review iteration of a lesson from what the rules report now.

The draft's findings come from the lesson's diagnostics (each rule declares the review
severity its findings get), the previous iteration's findings are re-checked for the
fix-verification table, and a verdict is proposed. An existing iteration is never overwritten.

A draft says `draft: true` and names no reviewer: it is what the rules found, and it opens
the review gate only once a person signs it (`review.sign`). Rounds come in cycles: a signed
PASS closes a cycle, and a change to the lesson after it opens the next, numbered from 1 in
`reviews/<id>/cycle-<n>/`. When that change is small (found by comparing with the passed
version in git) and the rules report nothing, the first iteration of the new cycle is a light
re-review that lists the change for the reviewer to confirm.
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
from ..schemas import FindingSeverity, FixStatus, Lesson, Review, Verdict
from . import history


@dataclass(frozen=True)
class Round:
    """Where the next iteration goes: its cycle and number, the iteration before it in the
    same cycle (whose findings it verifies), and the PASS that closed the previous cycle when
    it opens a new one."""

    cycle: int
    iteration: int
    previous: Review | None = None
    closing: Review | None = None


@dataclass(frozen=True)
class Draft:
    """The data of the next review iteration, before it is written as YAML."""

    data: dict[str, object]
    iteration: int
    cycle: int = 1
    lesson: str = ""

    @property
    def light(self) -> bool:
        return "re_review" in self.data


def name(review: Review) -> str:
    """`iteration 2`, or `cycle 2, iteration 1` after the first cycle."""
    if review.cycle > 1:
        return f"cycle {review.cycle}, iteration {review.iteration}"
    return f"iteration {review.iteration}"


def next_round(
    lesson_id: str, reviews: Sequence[Review], current_hash: str | None, *, maximum: int
) -> Round:
    """The round after `reviews` (the lesson's iterations in order); UsageError when there
    is none to draft now, saying what to do instead."""
    if not reviews:
        return Round(1, 1)
    latest = reviews[-1]
    if latest.draft:
        raise UsageError(
            f"{lesson_id}'s {name(latest)} is an unsigned draft; complete it and sign it "
            f'(`lessonkit review {lesson_id} --sign "Your Name"`) before the next iteration'
        )
    if latest.verdict is Verdict.PASS:
        if latest.content_hash is not None and latest.content_hash == current_hash:
            raise UsageError(
                f"{lesson_id} passed {name(latest)} as it is now; nothing changed to review"
            )
        return Round(latest.cycle + 1, 1, closing=latest)
    if latest.iteration >= maximum:
        raise UsageError(
            f"{lesson_id} has had {maximum} review iterations in this cycle, the most "
            f"allowed ([tool.lessonkit.rules.R004] maximum); a lesson that still needs work "
            "after the last round needs a redesign, not another round (docs/reviews.md, "
            '"After the last round")'
        )
    return Round(latest.cycle, latest.iteration + 1, previous=latest)


def draft(
    lesson: Lesson,
    after: Round | Review | None,
    diagnostics: Sequence[Diagnostic],
    *,
    today: datetime.date,
    re_review: dict[str, object] | None = None,
    note: str | None = None,
) -> Draft:
    """The next iteration: findings from `diagnostics` (the lesson file's, with field paths),
    the previous iteration's findings re-checked, counts, a proposed verdict and the hash.
    `after` is the round to draft, or the iteration it follows in the same cycle."""
    if isinstance(after, Round):
        round_ = after
    else:
        round_ = Round(after.cycle, after.iteration + 1, after) if after else Round(1, 1)
    previous = round_.previous
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
    iteration = round_.iteration
    data: dict[str, object] = {"lesson": lesson.id}
    if round_.cycle > 1:
        data["cycle"] = round_.cycle
    data |= {
        "iteration": iteration,
        "draft": True,
        "date": today,
        "content_hash": content_hash(lesson),
    }
    if re_review is not None:
        data["re_review"] = re_review
    data["summary"] = counts(FindingSeverity(str(f["severity"])) for f in findings)
    review = Review.model_validate(
        {**data, "verdict": "PASS", "findings": findings, "fix_verification": verification}
    )
    data["verdict"] = proposed_verdict(review).value
    data["verdict_note"] = note or (
        "Proposed by lessonkit from the rules; the reviewer confirms or changes it."
    )
    data["fix_verification"] = verification
    data["findings"] = findings
    return Draft(data, iteration, round_.cycle, lesson.id)


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
    header = draft_header(draft)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as stream:  # never overwrite an iteration
        stream.write(header + body)


DRAFT_HEADER = "# Draft of review "
"""How the header of a drafted review begins (signing rewrites it)."""


def draft_header(draft: Draft) -> str:
    """The comment a draft starts with: what it is and how to finish it."""
    where = f"iteration {draft.iteration}" + (f" of cycle {draft.cycle}" if draft.cycle > 1 else "")
    kind = "a light re-review" if draft.light else "findings from the rules"
    task = (
        "# Check each change listed under re_review, confirm the verdict, then sign it:\n"
        if draft.light
        else "# Edit the prose, confirm or change the verdict, add what only a reviewer can\n"
        "# see, then sign it:\n"
    )
    return (
        f"{DRAFT_HEADER}{where}, by `lessonkit review` ({kind}); unsigned.\n"
        + task
        + f'#   lessonkit review {draft.lesson} --sign "Your Name"\n'
    )


def iteration_path(reviews_dir: Path, lesson_id: str, cycle: int, iteration: int) -> Path:
    """`reviews/<id>/iteration-<n>.yaml`, or `reviews/<id>/cycle-<c>/iteration-<n>.yaml`."""
    folder = reviews_dir / lesson_id
    if cycle > 1:
        folder = folder / f"cycle-{cycle}"
    return folder / f"iteration-{iteration}.yaml"


def draft_next(
    project: Project,
    result: Result,
    document: Document,
    *,
    today: datetime.date,
    cwd: Path,
) -> Path:
    """Write the next review iteration of the lesson in `document`, drafted from `result` (a
    validate run of the whole course); returns its path. UsageError when there is nothing to
    draft now (an unsigned draft, a PASS of the current content, the last round of a cycle
    failed), or the file exists."""
    assert result.course is not None and result.settings is not None
    lesson = document.model
    assert isinstance(lesson, Lesson)
    course = result.course
    maximum = result.settings.max_review_iterations
    round_ = next_round(
        lesson.id, course.history(lesson.id), course.content_hash(lesson.id), maximum=maximum
    )
    path = iteration_path(project.reviews_dir, lesson.id, round_.cycle, round_.iteration)
    if path.exists():
        raise UsageError(f"{display_path(path, cwd)} exists; it is never overwritten")
    shown = display_path(document.path, cwd)
    mine = [d for d in result.diagnostics if d.path == shown]
    re_review, note = None, None
    if round_.closing is not None:
        re_review, note = _after_pass(project, document, lesson, round_.closing, mine)
    made = draft(lesson, round_, mine, today=today, re_review=re_review, note=note)
    write_draft(path, made)
    return path


def _after_pass(
    project: Project,
    document: Document,
    lesson: Lesson,
    closing: Review,
    diagnostics: Sequence[Diagnostic],
) -> tuple[dict[str, object] | None, str]:
    """The re-review block and verdict note of the first iteration after a PASS: a light
    re-review when git shows the change since the PASS is small and the rules report nothing
    a review files, else a full review of the new cycle."""
    passed = None
    if closing.content_hash is not None and document.origin is None:
        passed = history.passed_version(
            project.root, document.path, closing.content_hash, project.config
        )
    if passed is None:
        return None, (
            f"A new cycle: the lesson changed after {name(closing)} passed, and lessonkit "
            "found no committed version with the passed content hash to compare with, so "
            "this is a full review. Proposed by lessonkit from the rules; the reviewer "
            "confirms or changes it."
        )
    comparison = history.compare(passed, lesson)
    filed = [d for d in diagnostics if _files(d.code)]
    if not comparison.small or filed:
        why = (
            "fields were added or removed"
            if comparison.structural
            else f"{comparison.words} words changed"
        )
        if comparison.small:
            why = "the rules report findings"
        return None, (
            f"A new cycle: the lesson changed after {name(closing)} passed ({why}), so this "
            "is a full review. Proposed by lessonkit from the rules; the reviewer confirms "
            "or changes it."
        )
    words = f"{comparison.words} word{'' if comparison.words == 1 else 's'}"
    fields = len(comparison.changes)
    re_review: dict[str, object] = {
        "passed_hash": closing.content_hash,
        "changes": [change.describe() for change in comparison.changes],
    }
    return re_review, (
        f"Light re-review: a small change ({words} in {fields} "
        f"field{'' if fields == 1 else 's'}) after {name(closing)} passed, and the rules "
        "report nothing. The reviewer confirms each change and signs."
    )


def _files(code: str) -> bool:
    """Whether a review files findings of rule `code`."""
    rule = rules.REGISTRY.get(code)
    return rule is not None and rule.review_severity is not None
