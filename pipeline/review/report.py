"""The review report of a lesson, from its records and the rules.

The report follows seed 002's Review sections (summary, verdict, fix verification, findings,
review notes) and seed 000's page feedback (general feedback, suggestions, the expected
knowledge questions), and ends with the reviewer checklist of seed 002, split into what
lessonkit verified (ticked from the rules, naming their codes) and what needs a person.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..check import rules
from ..core.templating import environment
from ..course.course import Course


@dataclass(frozen=True)
class ChecklistLine:
    text: str
    codes: tuple[str, ...]  # empty: a human judgement


SECTIONS = ("Prerequisite audit", "Pedagogical design", "The plan, realised")
"""The sections of the reviewer checklist, in the order the report shows them."""

HUMAN_JUDGEMENT: dict[str, tuple[str, ...]] = {
    "Prerequisite audit": (
        "Every assumed concept listed with the depth the lesson needs",
        "No multi-concept jumps in widgets or exercises",
    ),
    "Pedagogical design": (
        "The narrative reads as one story, problem before solution",
        "The examples are the right ones for this student",
    ),
    "The plan, realised": ("Each misconception is dispelled convincingly, not only named",),
}
"""The checklist items no rule can verify; everything else comes from the rules' metadata."""


def reviewer_checklist() -> list[tuple[str, list[ChecklistLine]]]:
    """The reviewer checklist: per section, the items the rules declare (with the codes that
    verify each, in catalogue order), then the items that need a person."""
    verified: dict[tuple[str, str], list[str]] = {}
    for code, rule in rules.REGISTRY.items():
        for item in rule.checklist:
            verified.setdefault((item.section, item.text), []).append(code)
    return [
        (
            section,
            [
                ChecklistLine(text, tuple(codes))
                for (sec, text), codes in verified.items()
                if sec == section
            ]
            + [ChecklistLine(text, ()) for text in HUMAN_JUDGEMENT.get(section, ())],
        )
        for section in SECTIONS
    ]


# One environment for every report of a run: building one per lesson compiled the template again
# each time (16% of a render). Jinja still reloads the template when its file changes.
_environment = functools.cache(environment)


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
        for title, items in reviewer_checklist()
    ]
    return (
        _environment()
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
