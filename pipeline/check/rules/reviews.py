"""R family: the review gate. Review iterations live in `reviews/<lesson-id>/`, one file each.

A review records the content hash of the lesson it reviewed (see `lessonkit.reviews`), so the
rules can tell a review of the current content from a review of something older.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from pydantic import Field

from ...core.diagnostics import Severity
from ...course.course import Course
from ...course.reviews import BLOCKING, counts, still_open
from ...read.documents import Document
from ...schemas import LessonStatus, Review, Verdict
from ..registry import Hit, Options, Scope, rule


def _iterations(course: Course) -> Iterator[tuple[str, list[tuple[Document, Review]]]]:
    for lesson_id, documents in sorted(course.reviews.items()):
        yield lesson_id, [(d, d.model) for d in documents]  # type: ignore[misc]


@rule(
    "R001",
    "ready-without-passing-review",
    "Lesson marked ready without a passing review of its current content",
    severity=Severity.ERROR,
    scope=Scope.COURSE,
)
def ready_without_passing_review(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that a lesson with `status: ready` has a latest review iteration whose verdict is
    PASS and whose `content_hash` is the hash of the lesson as it is now.

    Why: "ready" is the promise a course makes to students. It holds only if someone reviewed
    what students will actually read; a review of an earlier version promises nothing.

    Bad:
        # lessons/activation-functions.yaml: no review has passed it yet
        status: ready

    Good:
        # lessons/activation-functions.yaml
        status: in-review
    """
    for lesson_id, document in sorted(course.lessons.items()):
        lesson = document.model
        if getattr(lesson, "status", None) is not LessonStatus.READY:
            continue
        latest = course.latest_review(lesson_id)
        if latest is None:
            problem = "it has no review"
        elif latest.verdict is not Verdict.PASS:
            problem = f"its latest review (iteration {latest.iteration}) is {latest.verdict.value}"
        elif latest.content_hash is None:
            problem = f"its passing review (iteration {latest.iteration}) records no content hash"
        elif latest.content_hash != course.content_hash(lesson_id):
            problem = f"the lesson changed after its passing review (iteration {latest.iteration})"
        else:
            continue
        yield (
            document,
            Hit(
                f"marked ready, but {problem}; review it (`lessonkit review {lesson_id}`) or set "
                "status: in-review",
                at=("status",),
            ),
        )


@rule(
    "R002",
    "review-is-stale",
    "Latest review is stale: the lesson changed after it was reviewed",
    severity=Severity.WARNING,
    scope=Scope.COURSE,
)
def review_is_stale(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that the latest review iteration of each lesson records the content hash of the
    lesson as it is now. A review without a hash cannot be checked and is reported too.

    Why: findings and a verdict describe the content they were made on. After an edit, a
    reader of the review cannot tell which of them still hold.

    Bad:
        # reviews/training-loop/iteration-3.yaml, the latest, after training-loop changed
        content_hash: sha256:0000000000000000000000000000000000000000000000000000000000000000

    Good:
        # reviews/training-loop/iteration-3.yaml: the hash `lessonkit review` wrote for the
        # lesson as it is now
        iteration: 3
    """
    for lesson_id, history in _iterations(course):
        if course.lesson(lesson_id) is None:
            continue
        document, latest = history[-1]
        if latest.content_hash is None:
            yield (
                document,
                Hit(
                    "this review records no content_hash, so nobody can tell what it reviewed",
                    at=("iteration",),
                ),
            )
        elif latest.content_hash != course.content_hash(lesson_id):
            yield (
                document,
                Hit(
                    f"{lesson_id} changed after this review; its findings and verdict may no "
                    "longer hold",
                    at=("content_hash",),
                ),
            )


@rule(
    "R003",
    "verdict-contradicts-findings",
    "Verdict inconsistent with findings (PASS with an open CRITICAL or IMPROVEMENT finding)",
    severity=Severity.ERROR,
    scope=Scope.COURSE,
)
def verdict_contradicts_findings(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that a PASS verdict leaves nothing CRITICAL or IMPROVEMENT open: no such finding in
    this iteration, and no such finding of the previous one verified as STILL OPEN (or not
    verified). POLISH findings may stay open.

    Why: the verdict is what the review gate reads. A PASS over an open improvement ships
    a lesson its own reviewer said needs work.

    Bad:
        # reviews/training-loop/iteration-3.yaml
        verdict: PASS
        findings:
          - id: graph-lifecycle
            severity: IMPROVEMENT
            title: Misconception 2 (graph lifecycle) is not addressed
            location: Sections 3-6
            issue: The built lesson never addresses graph lifecycle.
            student_impact: The student may think the graph must be reset by hand.
            suggested_fix: Add two sentences after the annotated loop.

    Good:
        # reviews/training-loop/iteration-3.yaml
        verdict: PASS
    """
    for _lesson_id, history in _iterations(course):
        for document, review in history:
            if review.verdict is not Verdict.PASS:
                continue
            blocking = [title for severity, title in still_open(review) if severity in BLOCKING]
            if blocking:
                yield (
                    document,
                    Hit(
                        f"verdict is PASS but {len(blocking)} CRITICAL or IMPROVEMENT finding"
                        f"{'s are' if len(blocking) > 1 else ' is'} still open: {blocking[0]}",
                        at=("verdict",),
                    ),
                )


class MaximumIterations(Options):
    maximum: int = Field(default=3, ge=1, description="Most review iterations per lesson.")


@rule(
    "R004",
    "too-many-iterations",
    "More review iterations than allowed (default 3)",
    severity=Severity.ERROR,
    scope=Scope.COURSE,
    options=MaximumIterations,
)
def too_many_iterations(
    course: Course, options: MaximumIterations
) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that no review iteration is numbered above `maximum` (default 3, seed 002's
    "Iteration n/3").

    Why: a lesson still failing after the last round needs a redesign conversation, not a
    fourth pass of the same review.

    Bad:
        # reviews/training-loop/iteration-3.yaml
        iteration: 4

    Good:
        # reviews/training-loop/iteration-3.yaml
        iteration: 3
    """
    for _lesson_id, history in _iterations(course):
        for document, review in history:
            if review.iteration > options.maximum:
                yield (
                    document,
                    Hit(
                        f"iteration {review.iteration} is past the maximum of {options.maximum}",
                        at=("iteration",),
                    ),
                )


@rule(
    "R005",
    "finding-not-verified",
    "A finding of the previous iteration missing from the fix verification table",
    severity=Severity.ERROR,
    scope=Scope.COURSE,
)
def finding_not_verified(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that each review iteration after the first has a fix-verification row for every
    finding of the iteration before it, and no row for a finding that did not exist.

    Why: the verification table is how a team knows each finding was dealt with; a finding
    that drops out of it silently is a finding nobody fixed.

    Bad:
        # reviews/training-loop/iteration-2.yaml
        fix_verification:
          - finding: graph-lifecycle-not-addressed
            severity: IMPROVEMENT
            status: FIXED

    Good:
        # reviews/training-loop/iteration-2.yaml: its seven rows, one per finding of iteration 1
        iteration: 2
    """
    for _lesson_id, history in _iterations(course):
        for (_, previous), (document, review) in itertools.pairwise(history):
            if review.iteration != previous.iteration + 1:
                continue
            verified = {row.finding for row in review.fix_verification}
            missing = [f.id for f in previous.findings if f.id not in verified]
            if missing:
                where = ("fix_verification",) if review.fix_verification else ("iteration",)
                yield (
                    document,
                    Hit(
                        f"{len(missing)} finding{'s' if len(missing) > 1 else ''} of iteration "
                        f"{previous.iteration} not in the fix verification table: "
                        + ", ".join(missing),
                        at=where,
                        key=True,
                    ),
                )
            known = {f.id for f in previous.findings}
            for index, row in enumerate(review.fix_verification):
                if row.finding not in known:
                    yield (
                        document,
                        Hit(
                            f"iteration {previous.iteration} has no finding '{row.finding}'",
                            at=("fix_verification", index, "finding"),
                        ),
                    )


@rule(
    "R006",
    "summary-counts-disagree",
    "Summary counts disagree with the findings",
    severity=Severity.ERROR,
    scope=Scope.COURSE,
)
def summary_counts_disagree(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that the `summary` counts of a review iteration match the severities of its
    findings.

    Why: readers and `lessonkit status` take the counts at their word; a stale count hides a
    critical finding that was added after the summary was written.

    Bad:
        # reviews/training-loop/iteration-1.yaml: it has 4 IMPROVEMENT findings
        summary: {critical: 0, improvement: 3, polish: 3}

    Good:
        # reviews/training-loop/iteration-1.yaml
        summary: {critical: 0, improvement: 4, polish: 3}
    """
    for _lesson_id, history in _iterations(course):
        for document, review in history:
            actual = counts(finding.severity for finding in review.findings)
            for key, value in actual.items():
                stated = getattr(review.summary, key)
                if stated != value:
                    yield (
                        document,
                        Hit(
                            f"summary says {stated} {key} finding{'' if stated == 1 else 's'}, "
                            f"the review lists {value}",
                            at=("summary", key),
                        ),
                    )


@rule(
    "R007",
    "review-of-unknown-lesson",
    "Review of a lesson that does not exist, or filed in another lesson's folder",
    severity=Severity.ERROR,
    scope=Scope.COURSE,
)
def review_of_unknown_lesson(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that a review's `lesson` names an existing lesson and that the file sits in that
    lesson's folder, `reviews/<lesson-id>/`.

    Why: the gate finds a lesson's reviews by its id; a review filed under the wrong name
    gates nothing and leaves the lesson looking unreviewed.

    Bad:
        # reviews/training-loop/iteration-2.yaml
        lesson: training-loops

    Good:
        # reviews/training-loop/iteration-2.yaml
        lesson: training-loop
    """
    for lesson_id, history in _iterations(course):
        for document, _review in history:
            if course.lesson(lesson_id) is None and lesson_id not in course.broken:
                yield document, Hit(f"no lesson has the id '{lesson_id}'", at=("lesson",))
            elif document.origin is None and document.path.parent.name != lesson_id:
                # (a review inside a Markdown plan lives in the plan; only files are placed)
                yield (
                    document,
                    Hit(
                        f"a review of {lesson_id} belongs in reviews/{lesson_id}/, not in "
                        f"{document.path.parent.name}/",
                        at=("lesson",),
                    ),
                )


@rule(
    "R008",
    "iterations-out-of-sequence",
    "Review iterations not numbered 1, 2, 3... without gaps or repeats",
    severity=Severity.ERROR,
    scope=Scope.COURSE,
)
def iterations_out_of_sequence(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that a lesson's review iterations are numbered from 1 with no number missing or
    used twice.

    Why: the fix-verification table of iteration n answers to iteration n - 1; a gap or a
    repeat leaves findings that no table accounts for.

    Bad:
        # reviews/training-loop/iteration-2.yaml, between iteration-1.yaml and iteration-3.yaml
        iteration: 3

    Good:
        # reviews/training-loop/iteration-2.yaml
        iteration: 2
    """
    for _lesson_id, history in _iterations(course):
        expected = 1
        for document, review in history:
            if review.iteration < expected:
                message = f"iteration {review.iteration} is used twice"
            elif review.iteration > expected:
                message = f"iteration {review.iteration}, but iteration {expected} is missing"
            else:
                message = ""
            if message:
                yield document, Hit(message, at=("iteration",))
            expected = review.iteration + 1
