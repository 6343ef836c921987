"""A draft lesson for a document that is not yet a plan (study notes, a lesson named in an
outline): what the document says, and a TODO placeholder for every decision a plan needs
that it does not make.

The placeholders are those `lessonkit new` writes, so a draft reads the same however it was
made: `validate` reports each TODO (W005, a warning) until a designer writes it, and the
pedagogy rules find the three misconceptions, the examples and the modalities they count, so
a draft fails nothing for being a draft.
"""

from __future__ import annotations

from typing import Any

Data = dict[str, Any]

TODO_TYPE = "TODO: choose the lesson type (the one given is a placeholder)"


def draft_lesson(
    *,
    lesson_id: str,
    title: str,
    module: str | None,
    position: int | None,
    lesson_type: str,
    target_concept: str | None = None,
    is_about: list[str] | None = None,
    outline: list[Data] | None = None,
    expected_knowledge: list[Data] | None = None,
    type_note: str | None = TODO_TYPE,
    target_depth: str = "DEVELOPED",
) -> Data:
    """The lesson data of a draft, in the lesson's field order; `module` and `position` may be
    left for the importer, which knows the course, to fill in."""
    lesson: Data = {"id": lesson_id, "title": title}
    if module is not None:
        lesson["module"] = module
    if position is not None:
        lesson["position"] = position
    lesson["type"] = lesson_type
    if type_note is not None:
        lesson["type_note"] = type_note
    lesson["status"] = "draft"
    lesson["student_state"] = {
        "concepts": [],
        "mental_models": [{"model": "TODO: a mental model the student already holds"}],
        "not_covered": ["TODO: what earlier lessons explicitly deferred that matters here"],
        "readiness": "TODO: is the student ready? What does this lesson add to what they have?",
    }
    lesson["analysis"] = {
        "target_concept": target_concept or "TODO: this lesson teaches the student to ...",
        "prerequisites": [],
        "gap_resolution": "TODO: how each prerequisite gap is closed, or why there are none",
        "misconceptions": [
            {
                "id": f"misconception-{n}",
                "misconception": "TODO: a wrong idea the student may bring",
                "why": "TODO: why they would think it",
                "negative_example": "TODO: the concrete case that disproves it",
                "address_in": "TODO: where the lesson dispels it, and why there",
            }
            for n in (1, 2, 3)
        ],
        "examples": [
            _example("positive-1", "TODO: first positive example", "positive"),
            _example("positive-2", "TODO: second positive example", "positive"),
            _example("negative-1", "TODO: a negative example", "negative"),
        ],
    }
    lesson["design"] = {
        "narrative_arc": (
            "TODO: write the arc as one paragraph that states the problem before the solution. "
            "Start from what the student can already do, show where it stops being enough, "
            "raise the question this lesson answers, and end with what they will be able to do "
            "afterwards. Make the problem felt before any new name or API appears, and keep it "
            "to the story of this one lesson."
        ),
        "modalities": [
            _modality("concrete", "Concrete example with real numbers"),
            _modality("symbolic", "Symbolic / Code"),
            _modality("visual", "Visual"),
        ],
        "cognitive_load": {
            "new_concepts": [{"concept": "TODO: the new concept"}],
            "assessment": f"TODO: is the load right for a {lesson_type} lesson?",
        },
        "connections": {
            "links": [
                {
                    "prior_concept": "TODO: a concept the student already has",
                    "new_concepts": ["TODO: the new concept"],
                    "how": "TODO: how the new concept builds on it",
                }
            ]
        },
        "scope": {
            "is_about": is_about or ["TODO: what this lesson is about"],
            "is_not_about": ["TODO: what it deliberately leaves out"],
            "target_depths": [{"concept": "TODO: the new concept", "depth": target_depth}],
        },
        "outline": outline
        or [{"title": "TODO: the first section", "body": "TODO: what the student reads"}],
    }
    lesson["expected_knowledge"] = expected_knowledge or [
        {
            "kind": "explanation",
            "prompt": "TODO: a question a student should be able to answer after this lesson",
        }
    ]
    return lesson


def _example(example_id: str, name: str, kind: str) -> Data:
    return {"id": example_id, "name": name, "kind": kind, "purpose": "TODO", "why": "TODO"}


def _modality(modality_id: str, name: str) -> Data:
    return {"id": modality_id, "modality": name, "what": "TODO", "why": "TODO"}
