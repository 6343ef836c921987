"""The lesson record: one YAML file per lesson, mirroring the lesson planning document.

The document reads top to bottom as the designer works: identity, Phase 1 (student state),
Phase 2 (analysis), Phase 3 (design: arc, modalities, load, connections, scope, outline), then
practice, expected knowledge and the designer's checklists.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from .common import (
    DepthName,
    ExampleKind,
    LessonStatus,
    LessonType,
    Markdown,
    ModuleId,
    PrerequisiteStatus,
    QuestionKind,
    Record,
    Scaffolding,
    SectionKind,
    Slug,
    Text,
)

ConceptName = Annotated[
    str,
    Field(
        min_length=1,
        description=(
            "The concept as the designer writes it. Matched across lessons by its normalised id "
            "(see `id`)."
        ),
    ),
]
ConceptId = Annotated[
    Slug | None,
    Field(
        description=(
            "Explicit concept id, when the name does not normalise to the id the teaching lesson "
            "uses. Normally left out."
        )
    ),
]


# --- Phase 1: student state -------------------------------------------------------------------


AlsoFrom = Annotated[
    list[Slug],
    Field(
        default_factory=list,
        description=(
            "Further lessons the plan cites for the same row (`source` is the first). In the "
            "student state and the prerequisites, C003 checks that each comes earlier and C002 "
            "takes the deepest depth they teach."
        ),
    ),
]
SourceNote = Annotated[
    Text | None,
    Field(
        description=(
            "The citation as the plan wrote it when it is more than a lesson id: a module or "
            "series ('Module 1.3'), assumed knowledge ('prior education'), 'N/A', or a lesson "
            "with a remark. A row without `source` is checked against the assumed knowledge."
        )
    ),
]
DepthNote = Annotated[
    Text | None,
    Field(
        description=(
            "The depth as the plan wrote it when it says more than one level: a qualifier "
            "('DEVELOPED (assumed)'), a move ('INTRODUCED→DEVELOPED', stored as the depth "
            "reached), or MISSING / NOT TAUGHT (stored as no depth)."
        )
    ),
]


class KnownConcept(Record):
    """A row of 'Relevant Concepts the Student Has'."""

    concept: ConceptName
    id: ConceptId = None
    depth: DepthName | None = Field(
        default=None,
        description=(
            "Depth the student has the concept at; left out when the plan marks it MISSING or "
            "NOT TAUGHT (such a row claims nothing)."
        ),
    )
    depth_note: DepthNote = None
    source: Slug | None = Field(
        default=None,
        description="Id of the lesson that taught it; left out for assumed background knowledge.",
    )
    also_from: AlsoFrom
    source_note: SourceNote = None
    notes: Markdown | None = Field(default=None, description="What the student knows and how.")


class MentalModel(Record):
    """A mental model the student already holds ('Mental Models Already Established')."""

    model: Markdown = Field(description="The model as a short phrase, e.g. a quoted analogy.")
    notes: Markdown | None = Field(default=None, description="Where it comes from, what it means.")


class StudentState(Record):
    """Phase 1, Orient: what the student brings to this lesson."""

    concepts: list[KnownConcept] = Field(
        default_factory=list, description="Concepts the student has, with depth and source lesson."
    )
    mental_models: list[MentalModel] = Field(
        default_factory=list, description="Mental models already established."
    )
    not_covered: list[Markdown] = Field(
        default_factory=list,
        description="What was explicitly NOT covered so far and matters here.",
    )
    readiness: Markdown | None = Field(default=None, description="Readiness assessment.")


# --- Phase 2: analysis ------------------------------------------------------------------------


class Prerequisite(Record):
    """A row of the prerequisites table."""

    concept: ConceptName
    id: ConceptId = None
    required_depth: DepthName = Field(description="Depth this lesson needs.")
    required_note: DepthNote = None
    actual_depth: DepthName | None = Field(
        default=None,
        description=(
            "Depth the student has, per the source lesson's record; left out when the student "
            "does not have it (MISSING, NOT TAUGHT), which C004 treats as a gap."
        ),
    )
    depth_note: DepthNote = None
    source: Slug | None = Field(
        default=None,
        description="Lesson that taught it; left out for assumed background knowledge.",
    )
    also_from: AlsoFrom
    source_note: SourceNote = None
    status: PrerequisiteStatus = Field(
        description="OK, GAP when actual is below required, MISSING when the student lacks it."
    )
    status_note: Text | None = Field(
        default=None,
        description="The status as the plan wrote it, when it says more: 'GAP (small)'.",
    )
    reasoning: Markdown | None = Field(
        default=None,
        description="Why this lesson needs the concept at that depth (some plans leave it out).",
    )


class Misconception(Record):
    """A row of the misconceptions table."""

    id: Slug = Field(description="Short id that outline sections use in `addresses`.")
    misconception: Markdown = Field(description="What the student might wrongly believe.")
    why: Markdown | None = Field(
        default=None, description="Why they would think this (some plans leave the column out)."
    )
    negative_example: Markdown | None = Field(
        default=None, description="The negative example that disproves it (P002 when missing)."
    )
    address_in: Markdown = Field(description="Where in the lesson it is addressed, and why there.")


class PlannedExample(Record):
    """A row of 'Examples Planned'."""

    id: Slug = Field(description="Short id that outline sections use in `examples`.")
    name: Markdown = Field(description="The example's name.")
    kind: ExampleKind = Field(description="positive or negative.")
    role: Text | None = Field(
        default=None, description="For positive examples: introductory, primary, stretch, ..."
    )
    purpose: Markdown = Field(description="What the example shows.")
    why: Markdown | None = Field(default=None, description="Why this example rather than another.")


class Analysis(Record):
    """Phase 2, Analyze: target concept, prerequisites, misconceptions, examples."""

    target_concept: Markdown = Field(description="What this lesson teaches, in one paragraph.")
    prerequisites: list[Prerequisite] = Field(
        default_factory=list, description="Every assumed concept with required and actual depth."
    )
    gap_resolution: Markdown | None = Field(
        default=None, description="How each prerequisite gap is resolved (or why there are none)."
    )
    misconceptions: list[Misconception] = Field(
        default_factory=list, description="Misconceptions with negative examples."
    )
    examples: list[PlannedExample] = Field(default_factory=list, description="Examples planned.")


# --- Phase 3: design --------------------------------------------------------------------------


class Modality(Record):
    """A row of 'Modalities Planned'."""

    id: Slug = Field(description="Short id that outline sections use in `modalities`.")
    modality: Text = Field(description="The modality, e.g. 'Visual (annotated diagram)'.")
    what: Markdown = Field(description="What specifically the student sees or does.")
    why: Markdown | None = Field(
        default=None, description="Why this modality for this concept (its rationale)."
    )


class NewConcept(Record):
    """A concept this lesson introduces, counted against the cognitive-load budget."""

    concept: ConceptName
    id: ConceptId = None
    notes: Markdown | None = Field(default=None, description="What it is, what it wraps.")


class CognitiveLoad(Record):
    """Cognitive load assessment."""

    new_concepts: list[NewConcept] = Field(
        default_factory=list, description="The genuinely new concepts, each counted once."
    )
    previous_lesson_load: Markdown | None = Field(
        default=None, description="The previous lesson's load, for rhythm."
    )
    load_rationale: Markdown | None = Field(
        default=None, description="Why this lesson's type and load fit at this point."
    )
    assessment: Markdown = Field(description="Overall assessment of the load.")


class Connection(Record):
    """A row of 'Connections to Prior Concepts'."""

    prior_concept: Markdown = Field(description="The prior concept, as the designer names it.")
    source: Slug | None = Field(default=None, description="Lesson that taught the prior concept.")
    also_from: AlsoFrom
    source_note: SourceNote = None
    new_concepts: list[ConceptName] = Field(
        default_factory=list,
        description="New concepts of this lesson that this connection anchors.",
    )
    how: Markdown = Field(description="How it connects.")


class Connections(Record):
    """Connections to prior concepts, and prior analogies that could mislead."""

    links: list[Connection] = Field(default_factory=list, description="One row per prior concept.")
    misleading_analogies: Markdown | None = Field(
        default=None,
        description="Potentially misleading prior analogies, and how they are handled.",
    )


class TargetDepth(Record):
    """A concept this lesson teaches and the depth it reaches: the lesson's entry in the ledger."""

    concept: ConceptName
    id: ConceptId = None
    depth: DepthName = Field(description="Depth the student reaches in this lesson.")
    depth_note: DepthNote = None
    notes: Markdown | None = Field(default=None, description="What that depth means here.")


class Scope(Record):
    """Scope boundaries: what the lesson is about, what it is not, and target depths."""

    is_about: list[Markdown] = Field(default_factory=list, description="This lesson IS about.")
    is_not_about: list[Markdown] = Field(
        default_factory=list, description="This lesson is NOT about."
    )
    target_depths: list[TargetDepth] = Field(
        default_factory=list,
        description="Concepts taught and their depth; this is what later lessons may rely on.",
    )


class FollowUp(Record):
    """A follow-up question to a check, with its own hidden answer."""

    prompt: Markdown = Field(description="The follow-up question.")
    answer: Markdown = Field(description="Its answer, hidden until asked for.")


class Check(Record):
    """A predict-then-verify question; the answer stays hidden until the student asks for it."""

    prompt: Markdown = Field(description="The question the student answers first.")
    answer: Markdown = Field(description="The answer, hidden until asked for.")
    follow_ups: list[FollowUp] = Field(
        default_factory=list, description="Follow-up questions, each with its own hidden answer."
    )


class Section(Record):
    """An outline section, in lesson order."""

    title: Text = Field(description="Section heading.")
    kind: SectionKind | None = Field(
        default=None,
        description="The section's role in the arc; left out when the plan gives it none.",
    )
    body: Markdown | None = Field(default=None, description="What the student reads.")
    notes: Markdown | None = Field(
        default=None,
        description=(
            "The designer's plan for the section; shown in the planning document, "
            "not on the student page."
        ),
    )
    checks: list[Check] = Field(
        default_factory=list, description="Questions whose answers are hidden until asked for."
    )
    addresses: list[Slug] = Field(
        default_factory=list, description="Ids of the misconceptions this section addresses."
    )
    modalities: list[Slug] = Field(
        default_factory=list, description="Ids of the modalities this section realises."
    )
    examples: list[Slug] = Field(
        default_factory=list, description="Ids of the planned examples this section presents."
    )


class Design(Record):
    """Phase 3, Design: narrative, modalities, load, connections, scope and outline."""

    narrative_arc: Markdown | None = Field(
        default=None, description="The problem before the solution, as a coherent paragraph."
    )
    modalities: list[Modality] = Field(default_factory=list, description="Modalities planned.")
    cognitive_load: CognitiveLoad | None = Field(
        default=None, description="Cognitive load assessment."
    )
    connections: Connections | None = Field(
        default=None, description="Connections to prior concepts."
    )
    scope: Scope | None = Field(default=None, description="Scope boundaries and target depths.")
    outline: list[Section] = Field(
        default_factory=list, description="The lesson, section by section."
    )


# --- Practice, expected knowledge, checklists -------------------------------------------------


class Exercise(Record):
    """An exercise in the practice notebook."""

    title: Markdown = Field(description="What the student does.")
    description: Markdown | None = Field(default=None, description="Details and expected outcome.")
    scaffolding: Scaffolding = Field(description="guided, supported or independent.")
    stretch: bool = Field(default=False, description="True for optional stretch exercises.")


class Practice(Record):
    """Practice: the notebook and its exercises."""

    notebook: Text | None = Field(
        default=None, description="Path of the practice notebook, relative to the project root."
    )
    exercises: list[Exercise] = Field(default_factory=list, description="Exercises, in order.")


class Choice(Record):
    """An option of a multiple-choice question."""

    text: Markdown = Field(description="The option.")
    correct: bool = Field(default=False, description="True for the correct option(s).")


class Question(Record):
    """An expected-knowledge question, of the kinds a reviewer's page feedback asks for."""

    # The model validator below, as JSON Schema, so editors enforce it too.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"kind": {"const": "multiple-choice"}}},
            "then": {
                "required": ["choices"],
                "properties": {
                    "choices": {
                        "minItems": 2,
                        "contains": {
                            "properties": {"correct": {"const": True}},
                            "required": ["correct"],
                        },
                    }
                },
            },
            "else": {"properties": {"choices": {"maxItems": 0}}},
        }
    )

    kind: QuestionKind = Field(description="explanation, multiple-choice, tracing or prediction.")
    prompt: Markdown = Field(description="The question.")
    choices: list[Choice] = Field(
        default_factory=list, description="Options; required for multiple-choice."
    )
    answer: Markdown | None = Field(default=None, description="Model answer or what to look for.")

    @model_validator(mode="after")
    def _choices_match_kind(self) -> Question:
        if self.kind is QuestionKind.MULTIPLE_CHOICE:
            if len(self.choices) < 2:
                raise PydanticCustomError(
                    "choices", "a multiple-choice question needs at least two choices"
                )
            if not any(choice.correct for choice in self.choices):
                raise PydanticCustomError(
                    "choices", "a multiple-choice question needs a choice marked correct: true"
                )
        elif self.choices:
            raise PydanticCustomError("choices", "only multiple-choice questions take choices")
        return self


class ChecklistItem(Record):
    """A checklist line a reviewer ticks."""

    item: Markdown = Field(description="What is checked.")
    done: bool = Field(default=False, description="Ticked.")


class OtherSection(Record):
    """A section of an imported document (a plan, an outline) that no field holds, kept with
    its title and text."""

    title: Text = Field(description="The section's heading as written.")
    body: Markdown | None = Field(default=None, description="Its text, as written.")


class Checklist(Record):
    """A named checklist of the planning document (Prerequisite Audit, Pedagogical Design)."""

    title: Text = Field(description="Checklist name.")
    items: list[ChecklistItem] = Field(default_factory=list, description="Its lines.")


# --- The lesson -------------------------------------------------------------------------------


class Lesson(Record):
    """One lesson: identity, student state, analysis, design, practice and expected knowledge."""

    id: Slug = Field(description="Unique lesson id; also the name of its `reviews/` folder.")
    title: Text = Field(description="Lesson title.")
    module: ModuleId = Field(description='Module number, quoted: "2.1".')
    position: int = Field(ge=1, description="Position of the lesson in its module, from 1.")
    type: LessonType = Field(
        description=(
            "Lesson type: BUILD, STRETCH, CONSOLIDATE, PROJECT, or a type the project configures."
        )
    )
    type_note: Text | None = Field(
        default=None, description="The type line as the plan wrote it, when it says more."
    )
    delivery: Text | None = Field(
        default=None,
        description="How the lesson is delivered when the plan says so ('Hands-on', 'Video').",
    )
    status: LessonStatus = Field(description="draft, in-review or ready.")
    previous: Slug | None = Field(default=None, description="Explicit previous lesson id.")
    previous_note: Markdown | None = Field(
        default=None, description="The previous lesson as the plan names it, when not by id."
    )
    next: Slug | None = Field(default=None, description="Explicit next lesson id.")
    next_note: Markdown | None = Field(
        default=None, description="Where the student goes next when that is outside the curriculum."
    )
    student_state: StudentState = Field(description="Phase 1: the student's state.")
    analysis: Analysis = Field(description="Phase 2: analysis.")
    design: Design = Field(description="Phase 3: design.")
    practice: Practice | None = Field(default=None, description="Practice notebook and exercises.")
    expected_knowledge: list[Question] = Field(
        default_factory=list, description="Questions a student should be able to answer after."
    )
    checklists: list[Checklist] = Field(
        default_factory=list, description="The designer's checklists, as ticked."
    )
    other_sections: list[OtherSection] = Field(
        default_factory=list,
        description="Sections of an imported plan that no field holds, in document order.",
    )
