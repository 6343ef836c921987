"""Review reports and the review status of a course, from the records and the rules.

The report follows seed 002's Review sections (summary, verdict, fix verification, findings,
review notes) and seed 000's page feedback (general feedback, suggestions, the expected
knowledge questions), and ends with the reviewer checklist of seed 002, split into what
lessonkit verified (ticked from the rules, naming their codes) and what needs a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import rules
from .docgen import environment
from .engine import Course
from .reviews import still_open
from .schemas import FindingSeverity, Lesson, Review


@dataclass(frozen=True)
class ChecklistItem:
    text: str
    codes: tuple[str, ...]  # empty: a human judgement


CHECKLIST: tuple[tuple[str, tuple[ChecklistItem, ...]], ...] = (
    (
        "Prerequisite audit",
        (
            ChecklistItem(
                "Each prerequisite traced via the records (not the curriculum plan)",
                ("C001", "C003"),
            ),
            ChecklistItem("Depth match verified for each", ("C002",)),
            ChecklistItem("No untaught concepts remain", ("C001",)),
            ChecklistItem("All gaps have explicit resolution plans", ("C004",)),
            ChecklistItem("Every assumed concept listed with the depth the lesson needs", ()),
            ChecklistItem("No multi-concept jumps in widgets or exercises", ()),
        ),
    ),
    (
        "Pedagogical design",
        (
            ChecklistItem(
                "Narrative arc stated before the solution (present, substantial)", ("P010",)
            ),
            ChecklistItem("At least 3 modalities planned, each with rationale", ("P005", "P006")),
            ChecklistItem("At least 2 positive examples and 1 negative example", ("P003", "P004")),
            ChecklistItem(
                "At least 3 misconceptions, each with a negative example", ("P001", "P002")
            ),
            ChecklistItem("Cognitive load within the budget for the lesson type", ("P007",)),
            ChecklistItem(
                "Every new concept connected to at least one existing concept", ("P008",)
            ),
            ChecklistItem("Scope boundaries explicitly stated", ("P009",)),
            ChecklistItem("The narrative reads as one story, problem before solution", ()),
            ChecklistItem("The examples are the right ones for this student", ()),
        ),
    ),
    (
        "The plan, realised",
        (
            ChecklistItem("Every planned misconception addressed in the outline", ("P012", "P015")),
            ChecklistItem("Every planned modality realised in the outline", ("P013",)),
            ChecklistItem("Checks hide each answer until the student asks", ("P014",)),
            ChecklistItem(
                "Practice notebook and links resolve inside the project", ("A001", "A002", "A003")
            ),
            ChecklistItem("Code parses; runnable files define what they use", ("W003", "W004")),
            ChecklistItem("House style for dashes", ("W001", "W002")),
            ChecklistItem("Each misconception is dispelled convincingly, not only named", ()),
        ),
    ),
)


def review_report(course: Course, lesson_id: str, *, firing: set[str] | None = None) -> str:
    """The Markdown review report of one lesson (`firing`: codes reported on it now)."""
    document = course.lessons[lesson_id]
    lesson = document.model
    assert isinstance(lesson, Lesson)
    history: list[Review] = [d.model for d in course.reviews.get(lesson_id, [])]  # type: ignore[misc]
    latest = history[-1] if history else None
    maximum = course.settings.options_for(rules.get("R004")).maximum  # type: ignore[union-attr]
    current = latest is not None and latest.content_hash == course.content_hash(lesson_id)
    checklist = [
        (
            title,
            [(item, not (set(item.codes) & (firing or set()))) for item in items if item.codes],
            [item for item in items if not item.codes],
        )
        for title, items in CHECKLIST
    ]
    return (
        environment()
        .get_template("review-report.md.j2")
        .render(
            lesson=lesson,
            history=history,
            latest=latest,
            maximum=maximum,
            current=current,
            checklist=checklist,
        )
    )


def status_rows(course: Course) -> list[dict[str, object]]:
    """One row per lesson, in teaching order: type, status, latest review and what is open."""
    maximum = course.settings.options_for(rules.get("R004")).maximum  # type: ignore[union-attr]
    ordered = [i for i in course.ledger.order if i in course.lessons]
    ordered += sorted(i for i in course.lessons if i not in ordered)
    rows = []
    for lesson_id in ordered:
        lesson = course.lessons[lesson_id].model
        assert isinstance(lesson, Lesson)
        history = course.reviews.get(lesson_id, [])
        latest: Review | None = history[-1].model if history else None  # type: ignore[assignment]
        open_counts = {severity.value.lower(): 0 for severity in FindingSeverity}
        for severity, _title in still_open(latest) if latest else []:
            open_counts[severity.value.lower()] += 1
        rows.append(
            {
                "id": lesson_id,
                "module": lesson.module,
                "position": lesson.position,
                "type": lesson.type,
                "status": lesson.status.value,
                "iteration": latest.iteration if latest else None,
                "max_iterations": maximum,
                "verdict": latest.verdict.value if latest else None,
                "open": open_counts,
                "current": (
                    latest.content_hash == course.content_hash(lesson_id) if latest else None
                ),
            }
        )
    return rows


def status_table(rows: list[dict[str, object]]) -> str:
    """`lessonkit status` as an aligned text table."""
    header = ("lesson", "module", "type", "status", "review", "verdict", "open C/I/P", "current")
    lines = [header]
    for row in rows:
        opened: dict[str, int] = row["open"]  # type: ignore[assignment]
        review = f"{row['iteration']}/{row['max_iterations']}" if row["iteration"] else "-"
        current = {True: "yes", False: "STALE", None: "-"}[row["current"]]  # type: ignore[index]
        lines.append(
            (
                str(row["id"]),
                f"{row['module']}.{row['position']}",
                str(row["type"]),
                str(row["status"]),
                review,
                str(row["verdict"] or "-"),
                f"{opened['critical']}/{opened['improvement']}/{opened['polish']}",
                current,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
