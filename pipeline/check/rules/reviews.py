"""R family: the review gate. Review iterations live in `reviews/<lesson-id>/`, one file each.

A review records the content hash of the lesson it reviewed (see `lessonkit.course.reviews`),
so the rules can tell a review of the current content from a review of something older. A
review drafted by `lessonkit review` says `draft: true` until a person signs it, and a draft
never opens the gate. Iterations come in cycles: a PASS closes one, and a change to the
lesson after it opens the next (`cycle-<n>/iteration-<m>.yaml`), with its own numbering, its
own iteration cap and its own fix verification.
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
    Checks that a lesson with `status: ready` has a latest review iteration that a reviewer
    signed (not a `draft: true` left by `lessonkit review`), whose verdict is PASS and whose
    `content_hash` is the hash of the lesson as it is now.

    Why: "ready" is the promise a course makes to students. It holds only if a person reviewed
    what students will actually read; a review of an earlier version promises nothing, and
    neither does a draft the rules wrote that nobody signed.

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
        elif latest.draft:
            problem = (
                f"its latest review ({_name(latest)}) is an unsigned draft; a reviewer signs "
                f'it with `lessonkit review {lesson_id} --sign "Name"`'
            )
        elif latest.verdict is not Verdict.PASS:
            problem = f"its latest review ({_name(latest)}) is {latest.verdict.value}"
        elif latest.content_hash is None:
            problem = f"its passing review ({_name(latest)}) records no content hash"
        elif latest.content_hash != course.content_hash(lesson_id):
            problem = f"the lesson changed after its passing review ({_name(latest)})"
        else:
            continue
        if latest is None or not latest.draft:
            problem += f"; review it (`lessonkit review {lesson_id}`) or set status: in-review"
        yield document, Hit(f"marked ready, but {problem}", at=("status",))


def _name(review: Review) -> str:
    """`iteration 2`, or `cycle 2, iteration 1` after the first cycle."""
    if review.cycle > 1:
        return f"cycle {review.cycle}, iteration {review.iteration}"
    return f"iteration {review.iteration}"


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
                        f"{'s are' if len(blocking) != 1 else ' is'} still open: {blocking[0]}",
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
    Checks that no review iteration is numbered above `maximum` (default 3, the planning
    document's "Iteration n/3") within its cycle. A PASS closes a cycle; a later change opens
    the next, numbered from 1 again.

    Why: a lesson still failing after the last round needs a redesign conversation, not a
    fourth pass of the same review. A lesson that passed and then had a typo fixed is not
    failing: its new cycle starts from 1.

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
                        f"{_name(review)} is past the maximum of {options.maximum} iterations "
                        "per cycle",
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
    Checks that each review iteration after the first of its cycle has a fix-verification row
    for every finding of the iteration before it, and no row for a finding that did not exist.
    The first iteration of a new cycle verifies nothing: the PASS before it closed the last.

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
            if review.cycle != previous.cycle or review.iteration != previous.iteration + 1:
                continue
            verified = {row.finding for row in review.fix_verification}
            missing = [f.id for f in previous.findings if f.id not in verified]
            if missing:
                where = ("fix_verification",) if review.fix_verification else ("iteration",)
                yield (
                    document,
                    Hit(
                        f"{len(missing)} finding{'s' if len(missing) != 1 else ''} of "
                        f"{_name(previous)} not in the fix verification table: "
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
                            f"{_name(previous)} has no finding '{row.finding}'",
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
    lesson's folder, `reviews/<lesson-id>/` (or its `cycle-<n>/` folder from cycle 2 on).

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
        for document, review in history:
            if course.lesson(lesson_id) is None and lesson_id not in course.broken:
                yield document, Hit(f"no lesson has the id '{lesson_id}'", at=("lesson",))
            elif document.origin is None and _folder(document, review) != lesson_id:
                # (a review inside a Markdown plan lives in the plan; only files are placed)
                where = f"reviews/{lesson_id}/" + (
                    f"cycle-{review.cycle}/" if review.cycle > 1 else ""
                )
                yield (
                    document,
                    Hit(
                        f"a review of {lesson_id} belongs in {where}, not in "
                        f"{document.path.parent.name}/",
                        at=("lesson",),
                    ),
                )


def _folder(document: Document, review: Review) -> str:
    """The lesson folder a review file sits in: its parent, or its grandparent when the parent
    is the `cycle-<n>` folder of the review's cycle (cycle 1 may sit in either place)."""
    parent = document.path.parent
    if parent.name == f"cycle-{review.cycle}":
        return parent.parent.name
    return parent.name if review.cycle == 1 else f"{parent.name}/"


@rule(
    "R008",
    "iterations-out-of-sequence",
    "Review iterations or cycles not numbered 1, 2, 3... without gaps or repeats",
    severity=Severity.ERROR,
    scope=Scope.COURSE,
)
def iterations_out_of_sequence(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that a lesson's review cycles are numbered from 1 with no number missing, that
    the iterations of each cycle are numbered from 1 with no number missing or used twice,
    that a new cycle starts only after the previous one closed with a signed PASS, and that a
    light re-review confirms the content hash of that PASS.

    Why: the fix-verification table of iteration n answers to iteration n - 1; a gap or a
    repeat leaves findings that no table accounts for. A cycle opened over a failing review
    would restart the iteration count and dodge the cap.

    Bad:
        # reviews/training-loop/iteration-2.yaml, between iteration-1.yaml and iteration-3.yaml
        iteration: 3

    Good:
        # reviews/training-loop/iteration-2.yaml
        iteration: 2
    """
    for _lesson_id, history in _iterations(course):
        expected_cycle, expected = 1, 1
        closing: Review | None = None  # the last iteration of the previous cycle
        previous: Review | None = None
        for document, review in history:
            if previous is not None and review.cycle != previous.cycle:
                closing, expected = previous, 1
                expected_cycle = previous.cycle + 1
            if review.cycle > expected_cycle:
                yield (
                    document,
                    Hit(
                        f"cycle {review.cycle}, but cycle {expected_cycle} is missing",
                        at=("cycle",),
                    ),
                )
            elif (
                review.cycle > 1
                and closing is not None
                and review.iteration == 1
                and (closing.verdict is not Verdict.PASS or closing.draft)
            ):
                yield (
                    document,
                    Hit(
                        f"cycle {review.cycle} starts, but cycle {closing.cycle} ended in "
                        f"{'an unsigned draft' if closing.draft else closing.verdict.value}, "
                        "not a signed PASS; a new cycle follows a PASS",
                        at=("cycle",),
                    ),
                )
            if review.iteration < expected:
                message = f"{_name(review)} is used twice"
            elif review.iteration > expected:
                message = f"{_name(review)}, but iteration {expected} of its cycle is missing"
            else:
                message = ""
            if message:
                yield document, Hit(message, at=("iteration",))
            rereview = review.re_review
            if (
                rereview is not None
                and closing is not None
                and review.iteration == 1
                and closing.content_hash
                and rereview.passed_hash != closing.content_hash
            ):
                yield (
                    document,
                    Hit(
                        f"this re-review confirms a change from {rereview.passed_hash[:15]}"
                        f"..., but {_name(closing)} passed {closing.content_hash[:15]}...",
                        at=("re_review", "passed_hash"),
                    ),
                )
            expected = review.iteration + 1
            previous = review


@rule(
    "R009",
    "unsigned-draft-review",
    "Unsigned draft review left in a lesson marked ready, or followed by another iteration",
    severity=Severity.ERROR,
    scope=Scope.COURSE,
)
def unsigned_draft_review(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that a review drafted by `lessonkit review` (`draft: true`) is signed by its
    reviewer before the lesson is marked ready, and before another iteration follows it.
    Signing is `lessonkit review LESSON --sign "Name"`, or by hand: delete `draft: true` and
    write your name as `reviewer`.

    Why: a draft is what the rules found, not what a person judged; on a clean lesson the
    rules propose PASS with no findings. Only a reviewer's name on it makes it a review.

    Bad:
        # reviews/training-loop/iteration-3.yaml
        draft: true

    Good:
        # reviews/training-loop/iteration-3.yaml
        reviewer: lessonkit maintainers
    """
    for lesson_id, history in _iterations(course):
        lesson = course.lesson(lesson_id)
        ready = getattr(lesson, "status", None) is LessonStatus.READY
        for index, (document, review) in enumerate(history):
            if not review.draft:
                continue
            sign = f'`lessonkit review {lesson_id} --sign "Name"`'
            named = (
                f"; it names {review.reviewer} but still says draft: true"
                if review.reviewer
                else ""
            )
            if index + 1 < len(history):
                message = f"this draft was never signed, and another iteration follows it{named}"
            elif ready:
                message = (
                    f"{lesson_id} is marked ready, but this review is an unsigned draft{named}"
                )
            else:
                continue
            yield document, Hit(f"{message}; sign it with {sign}", at=("draft",), key=True)
