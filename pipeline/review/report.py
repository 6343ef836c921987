"""The review report of a lesson, from its records and the rules.

The report follows seed 002's Review sections (summary, verdict, fix verification, findings,
review notes) and seed 000's page feedback (general feedback, suggestions, the expected
knowledge questions), and ends with the reviewer checklist of seed 002, split into what
lessonkit verified (ticked from the rules, naming their codes) and what needs a person.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.templating import environment
from ..course.course import Course


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


def review_report(
    course: Course, lesson_id: str, *, maximum: int, firing: set[str] | None = None
) -> str:
    """The Markdown review report of one lesson (`maximum`: the iterations allowed; `firing`:
    codes reported on it now)."""
    lesson = course.lesson(lesson_id)
    assert lesson is not None
    history = course.history(lesson_id)
    latest = history[-1] if history else None
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
