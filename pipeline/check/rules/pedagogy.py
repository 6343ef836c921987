"""P family: the pedagogical design checks of the planning document's checklist.

Each rule reads the lesson model; none of them needs the file's text. Positions come from the
field paths the hits name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from pydantic import Field

from ...core.diagnostics import DataPath, Severity
from ...core.words import plural
from ...course.concepts import concept_id, concept_key
from ...schemas import ExampleKind, FindingSeverity, SectionKind
from ..context import LessonContext
from ..registry import ChecklistItem, Hit, Options, rule

# The reviewer checklist items these rules verify (`lessonkit review --report` ticks them).
_CHECK_NARRATIVE = ChecklistItem(
    "Pedagogical design", "Narrative arc stated before the solution (present, substantial)"
)
_CHECK_MODALITIES = ChecklistItem(
    "Pedagogical design", "At least 3 modalities planned, each with rationale"
)
_CHECK_EXAMPLES = ChecklistItem(
    "Pedagogical design", "At least 2 positive examples and 1 negative example"
)
_CHECK_MISCONCEPTIONS = ChecklistItem(
    "Pedagogical design", "At least 3 misconceptions, each with a negative example"
)
_CHECK_LOAD = ChecklistItem(
    "Pedagogical design", "Cognitive load within the budget for the lesson type"
)
_CHECK_CONNECTED = ChecklistItem(
    "Pedagogical design", "Every new concept connected to at least one existing concept"
)
_CHECK_SCOPE = ChecklistItem("Pedagogical design", "Scope boundaries explicitly stated")
_CHECK_ADDRESSED = ChecklistItem(
    "The plan, realised", "Every planned misconception addressed in the outline"
)
_CHECK_REALISED = ChecklistItem(
    "The plan, realised", "Every planned modality realised in the outline"
)
_CHECK_HIDDEN = ChecklistItem(
    "The plan, realised", "Checks hide each answer until the student asks"
)

_MISCONCEPTIONS = ("analysis", "misconceptions")
_EXAMPLES = ("analysis", "examples")
_MODALITIES = ("design", "modalities")


class MinimumCount(Options):
    minimum: int = Field(default=3, ge=0, description="Fewest entries accepted.")


@rule(
    "P001",
    "too-few-misconceptions",
    "Fewer than 3 misconceptions planned",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    options=MinimumCount,
    checklist=(_CHECK_MISCONCEPTIONS,),
)
def too_few_misconceptions(ctx: LessonContext, options: MinimumCount) -> Iterator[Hit]:
    """
    Checks that the analysis plans at least `minimum` misconceptions (default 3).

    Why: a lesson designed without the wrong ideas students bring is designed for a student
    who does not exist. The planning document's design checklist asks for at least three,
    each with a negative example that disproves it.

    Bad:
        analysis:
          misconceptions:
            - id: step-is-magic
              misconception: "`optimizer.step()` is a black box."
              why: Software engineers trust abstractions.
              negative_example: For SGD it runs `param -= lr * param.grad`, nothing more.
              address_in: Right after introducing `optimizer.step()`.

    Good:
        analysis:
          misconceptions:
            - id: step-is-magic
              misconception: "`optimizer.step()` is a black box."
              why: Software engineers trust abstractions.
              negative_example: For SGD it runs `param -= lr * param.grad`, nothing more.
              address_in: Right after introducing `optimizer.step()`.
            - id: zero-grad-differs
              misconception: "`optimizer.zero_grad()` differs from `model.zero_grad()`."
              why: Two objects, one method name.
              negative_example: Print `.grad` after each call; both clear the same tensors.
              address_in: When introducing the optimizer.
            - id: graph-rebuilt
              misconception: "`loss.backward()` in a loop must rebuild the graph by hand."
              why: Each `model(x)` call builds a fresh graph.
              negative_example: The forward pass builds it and backward frees it; nothing to reset.
              address_in: During the annotated training loop.
    """
    count = len(ctx.lesson.analysis.misconceptions)
    if count < options.minimum:
        yield Hit(
            f"{count} misconception{'' if count == 1 else 's'} planned; plan at least "
            f"{options.minimum}, each with a negative example",
            at=_MISCONCEPTIONS,
            key=True,
        )


@rule(
    "P002",
    "misconception-without-negative-example",
    "A misconception without a negative example that disproves it",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_MISCONCEPTIONS,),
)
def misconception_without_negative_example(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that every planned misconception has a `negative_example`.

    Why: naming a misconception does not dispel it; showing a concrete case where the wrong
    idea predicts the wrong outcome does.

    Bad:
        analysis:
          misconceptions:
            - id: loss-is-stateful
              misconception: Loss objects keep state between calls.
              why: They are class instances.
              address_in: When introducing nn.MSELoss.

    Good:
        analysis:
          misconceptions:
            - id: loss-is-stateful
              misconception: Loss objects keep state between calls.
              why: They are class instances.
              negative_example: Call `criterion` twice on the same tensors; the results are equal.
              address_in: When introducing nn.MSELoss.
    """
    for index, item in enumerate(ctx.lesson.analysis.misconceptions):
        if not (item.negative_example or "").strip():
            yield Hit(
                f"misconception '{item.id}' has no negative example that disproves it",
                at=(*_MISCONCEPTIONS, index, "id"),
            )


class MinimumPositive(Options):
    minimum: int = Field(default=2, ge=0, description="Fewest positive examples accepted.")


def _count_examples(ctx: LessonContext, kind: ExampleKind) -> int:
    return sum(1 for example in ctx.lesson.analysis.examples if example.kind is kind)


@rule(
    "P003",
    "too-few-positive-examples",
    "Fewer than 2 positive examples planned",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    options=MinimumPositive,
    checklist=(_CHECK_EXAMPLES,),
)
def too_few_positive_examples(ctx: LessonContext, options: MinimumPositive) -> Iterator[Hit]:
    """
    Checks that at least `minimum` positive examples are planned (default 2).

    Why: one example shows an instance; two show the pattern, and let the student separate
    what is essential from what belongs to the example.

    Bad:
        examples:
          - {id: mse, name: Manual MSE vs nn.MSELoss, kind: positive, purpose: ..., why: ...}

    Good:
        examples:
          - {id: mse, name: Manual MSE vs nn.MSELoss, kind: positive, purpose: ..., why: ...}
          - {id: step, name: Manual update vs step(), kind: positive, purpose: ..., why: ...}
    """
    count = _count_examples(ctx, ExampleKind.POSITIVE)
    if count < options.minimum:
        yield Hit(
            f"{count} positive example{'' if count == 1 else 's'} planned; plan at least "
            f"{options.minimum}",
            at=_EXAMPLES,
            key=True,
        )


@rule(
    "P004",
    "no-negative-example",
    "No negative example planned",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_EXAMPLES,),
)
def no_negative_example(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that at least one negative example is planned.

    Why: a negative example marks the concept's boundary: where it does not apply, or what
    goes wrong without it. Without one, students over-generalise.

    Bad:
        examples:
          - {id: loop, name: Complete training loop, kind: positive, purpose: ..., why: ...}

    Good:
        examples:
          - {id: loop, name: Complete training loop, kind: positive, purpose: ..., why: ...}
          - {id: no-zero-grad, name: Forgetting zero_grad(), kind: negative, purpose: ..., why: ...}
    """
    if _count_examples(ctx, ExampleKind.NEGATIVE) == 0:
        yield Hit("no negative example planned; plan at least one", at=_EXAMPLES, key=True)


@rule(
    "P005",
    "too-few-modalities",
    "Fewer than 3 modalities planned",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    options=MinimumCount,
    checklist=(_CHECK_MODALITIES,),
)
def too_few_modalities(ctx: LessonContext, options: MinimumCount) -> Iterator[Hit]:
    """
    Checks that the core concept is planned in at least `minimum` modalities (default 3).

    Why: a concept met only as code, or only as an analogy, is held by one thread. Concrete
    numbers, a visual, code and an analogy each catch students the others miss.

    Bad:
        modalities:
          - {id: code, modality: Symbolic / Code, what: ..., why: ...}

    Good:
        modalities:
          - {id: numbers, modality: Concrete example with real numbers, what: ..., why: ...}
          - {id: code, modality: Symbolic / Code, what: ..., why: ...}
          - {id: analogy, modality: Verbal / Analogy, what: ..., why: ...}
    """
    count = len(ctx.lesson.design.modalities)
    if count < options.minimum:
        yield Hit(
            f"{count} modalit{'y' if count == 1 else 'ies'} planned; plan at least "
            f"{options.minimum}",
            at=_MODALITIES,
            key=True,
        )


@rule(
    "P006",
    "modality-without-rationale",
    "A modality without its rationale",
    severity=Severity.WARNING,
    review=FindingSeverity.POLISH,
    checklist=(_CHECK_MODALITIES,),
)
def modality_without_rationale(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that every planned modality says `why` it suits this concept.

    Why: the rationale is what makes a modality a design decision rather than decoration,
    and it is what a reviewer weighs when the built lesson realises it differently.

    Bad:
        design:
          modalities:
            - id: visual
              modality: Visual (annotated diagram)
              what: Side-by-side NumPy and PyTorch loops.

    Good:
        design:
          modalities:
            - id: visual
              modality: Visual (annotated diagram)
              what: Side-by-side NumPy and PyTorch loops.
              why: The student needs to SEE that the structure is identical.
    """
    for index, modality in enumerate(ctx.lesson.design.modalities):
        if not (modality.why or "").strip():
            yield Hit(
                f"modality '{modality.id}' has no rationale: say why it suits this concept",
                at=(*_MODALITIES, index, "id"),
            )


class LoadBudget(Options):
    default: int = Field(default=3, ge=0, description="Most new concepts in any lesson.")
    by_type: dict[str, int] = Field(
        default_factory=dict, description="Lesson type -> most new concepts, overriding `default`."
    )

    def budget(self, lesson_type: str) -> int:
        """The most new concepts a lesson of `lesson_type` may introduce."""
        return self.by_type.get(lesson_type, self.default)


@rule(
    "P007",
    "cognitive-load-over-budget",
    "Cognitive load over the budget for the lesson type",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    options=LoadBudget,
    checklist=(_CHECK_LOAD,),
)
def cognitive_load_over_budget(ctx: LessonContext, options: LoadBudget) -> Iterator[Hit]:
    """
    Checks that the lesson introduces no more new concepts than its type allows (default 3).

    Why: working memory holds a handful of new things at once; a lesson over budget teaches
    none of them well. Configure `by_type` to give CONSOLIDATE lessons less room, for example.

    Bad:
        cognitive_load:
          new_concepts: [{concept: nn.MSELoss}, {concept: torch.optim.SGD},
                         {concept: DataLoader}, {concept: lr schedulers}]

    Good:
        cognitive_load:
          new_concepts: [{concept: nn.MSELoss}, {concept: torch.optim.SGD}]
    """
    load = ctx.lesson.design.cognitive_load
    if load is None:
        return
    budget = options.budget(ctx.lesson.type)
    count = len(load.new_concepts)
    if count > budget:
        yield Hit(
            f"{plural(count, 'new concept')} in a {ctx.lesson.type} lesson; the budget is {budget}",
            at=("design", "cognitive_load", "new_concepts"),
            key=True,
        )


@rule(
    "P008",
    "new-concept-not-connected",
    "A new concept not connected to any prior concept",
    severity=Severity.WARNING,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_CONNECTED,),
)
def new_concept_not_connected(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that each new concept appears in the `new_concepts` of some connection row.

    Why: new knowledge sticks when it is hung on something the student already has; a concept
    connected to nothing is memorised, not understood.

    Bad:
        cognitive_load:
          new_concepts: [{concept: nn.MSELoss}]
        connections:
          links: []

    Good:
        cognitive_load:
          new_concepts: [{concept: nn.MSELoss}]
        connections:
          links:
            - prior_concept: MSE loss
              source: loss-functions
              new_concepts: [nn.MSELoss]
              how: It computes the identical formula.
    """
    design = ctx.lesson.design
    if design.cognitive_load is None:
        return
    links = design.connections.links if design.connections else []
    anchored = {concept_id(name) for link in links for name in link.new_concepts}
    for index, concept in enumerate(design.cognitive_load.new_concepts):
        if concept_key(concept) not in anchored:
            yield Hit(
                f"new concept '{concept.concept}' is not connected to any prior concept; "
                "list it in a connection's new_concepts",
                at=("design", "cognitive_load", "new_concepts", index, "concept"),
            )


@rule(
    "P009",
    "scope-boundaries-missing",
    "Scope boundaries missing (is-about or is-not-about empty)",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_SCOPE,),
)
def scope_boundaries_missing(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that the scope states both what the lesson is about and what it is not about.

    Why: the is-not-about list is what keeps a lesson from creeping into the next one, and
    what tells a reviewer that an omission is deliberate.

    Bad:
        scope:
          is_about: [nn.MSELoss as a loss function object]
          is_not_about: []

    Good:
        scope:
          is_about: [nn.MSELoss as a loss function object]
          is_not_about: [Cross-entropy loss or multi-class classification]
    """
    scope = ctx.lesson.design.scope
    if scope is None:
        yield Hit(
            "no scope boundaries: state what the lesson is and is not about",
            at=("design",),
            key=True,
        )
        return
    for field in ("is_about", "is_not_about"):
        if not getattr(scope, field):
            label = field.replace("_", "-")
            yield Hit(f"scope has no {label} entries", at=("design", "scope", field), key=True)


class NarrativeLength(Options):
    min_words: int = Field(default=50, ge=0, description="Fewest words in the narrative arc.")


@rule(
    "P010",
    "narrative-arc-missing",
    "Narrative arc missing or too short to state the problem before the solution",
    severity=Severity.WARNING,
    review=FindingSeverity.IMPROVEMENT,
    options=NarrativeLength,
    checklist=(_CHECK_NARRATIVE,),
)
def narrative_arc_missing(ctx: LessonContext, options: NarrativeLength) -> Iterator[Hit]:
    """
    Checks that the design has a narrative arc of at least `min_words` words (default 50).

    Why: students engage with a solution when they have felt the problem first. A one-line
    arc cannot state a problem, the tension and the resolution.

    Bad:
        narrative_arc: We learn the training loop.

    Good:
        narrative_arc: >
          You have learned every piece of the PyTorch puzzle separately: tensors, autograd and
          nn.Module. But you have not yet put them together, and on its own each piece trains
          nothing. The question is: what does a complete training loop look like when you use all of
          them at once? The answer will feel familiar, because the pattern is the one you wrote from
          scratch in NumPy: forward, loss, backward, update.
    """
    arc = ctx.lesson.design.narrative_arc
    words = len(arc.split()) if arc else 0
    if words == 0:
        yield Hit(
            "no narrative arc: state the problem before the solution", at=("design",), key=True
        )
    elif words < options.min_words:
        yield Hit(
            f"narrative arc has {plural(words, 'word')}; state the problem before the solution "
            f"in at least {options.min_words}",
            at=("design", "narrative_arc"),
            key=True,
        )


class Rhythm(Options):
    forbidden: list[list[str]] = Field(
        default_factory=lambda: [["STRETCH", "STRETCH"]],
        description="Sequences of lesson types that must not occur in a row.",
    )


@rule(
    "P011",
    "lesson-rhythm-broken",
    "Lesson type rhythm broken (e.g. two STRETCH lessons in a row)",
    severity=Severity.WARNING,
    review=FindingSeverity.POLISH,
    options=Rhythm,
)
def lesson_rhythm_broken(ctx: LessonContext, options: Rhythm) -> Iterator[Hit]:
    """
    Checks that the lesson and the ones before it in teaching order do not form a forbidden
    sequence of lesson types (default: two STRETCH lessons in a row).

    Why: stretch lessons are demanding; back to back they leave no room to consolidate, and
    students fall behind where the course is hardest.

    Bad:
        # lessons/nn-module.yaml: autograd, just before it, is a STRETCH lesson
        type: STRETCH

    Good:
        # lessons/nn-module.yaml
        type: BUILD
    """
    ledger = ctx.course.ledger
    index = ledger.position(ctx.lesson.id)
    if index is None:
        return
    for sequence in options.forbidden:
        if not sequence or sequence[-1] != ctx.lesson.type or index + 1 < len(sequence):
            continue
        earlier = ledger.order[index + 1 - len(sequence) : index]
        types = [getattr(ctx.course.lesson(lesson), "type", None) for lesson in earlier]
        if types == sequence[:-1]:
            yield Hit(
                f"{' then '.join(sequence)} in a row ({', '.join(earlier)} before this lesson); "
                "put a lighter lesson between them",
                at=("type",),
            )


@rule(
    "P012",
    "misconception-not-addressed",
    "A planned misconception that no outline section addresses",
    severity=Severity.WARNING,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_ADDRESSED,),
)
def misconception_not_addressed(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that every planned misconception is named in some outline section's `addresses`.

    Why: a misconception planned but never addressed is the most common gap between a plan and
    the built lesson (the training-loop lesson's first review found exactly this).

    Bad:
        analysis:
          misconceptions:
            - id: graph-lifecycle
              misconception: "`loss.backward()` in a loop must rebuild the graph by hand."
              why: Each `model(x)` call builds a fresh graph.
              negative_example: The forward pass builds it and backward frees it.
              address_in: During the annotated training loop.
        design:
          outline:
            - {title: The Complete Training Loop, kind: explain, addresses: []}

    Good:
        analysis:
          misconceptions:
            - id: graph-lifecycle
              misconception: "`loss.backward()` in a loop must rebuild the graph by hand."
              why: Each `model(x)` call builds a fresh graph.
              negative_example: The forward pass builds it and backward frees it.
              address_in: During the annotated training loop.
        design:
          outline:
            - {title: The Complete Training Loop, kind: explain, addresses: [graph-lifecycle]}
    """
    addressed = {item for section in ctx.lesson.design.outline for item in section.addresses}
    for index, item in enumerate(ctx.lesson.analysis.misconceptions):
        if item.id not in addressed:
            yield Hit(
                f"misconception '{item.id}' is addressed by no outline section",
                at=(*_MISCONCEPTIONS, index, "id"),
            )


@rule(
    "P013",
    "modality-not-realised",
    "A planned modality that no outline section realises",
    severity=Severity.WARNING,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_REALISED,),
)
def modality_not_realised(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that every planned modality is named in some outline section's `modalities`.

    Why: modalities are easy to plan and easy to drop while writing; the student only gets
    the ones the outline realises.

    Bad:
        design:
          modalities:
            - {id: visual, modality: Visual, what: Side-by-side loops., why: Structure at a glance.}
          outline:
            - {title: Side by Side, kind: explain, modalities: []}

    Good:
        design:
          modalities:
            - {id: visual, modality: Visual, what: Side-by-side loops., why: Structure at a glance.}
          outline:
            - {title: Side by Side, kind: explain, modalities: [visual]}
    """
    realised = {item for section in ctx.lesson.design.outline for item in section.modalities}
    for index, modality in enumerate(ctx.lesson.design.modalities):
        if modality.id not in realised:
            yield Hit(
                f"modality '{modality.id}' is realised by no outline section",
                at=(*_MODALITIES, index, "id"),
            )


# A line that asks something (ends with "?", several words) followed by more text.
_QUESTION_LINE = re.compile(r"^[ \t>*_-]*(\S[^\n]{12,}\?)[*_\"']*[ \t]*$", re.MULTILINE)
_FENCE = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1", re.MULTILINE | re.DOTALL)


def _embedded_question(text: str) -> int | None:
    """Offset of a question inside an answer that is followed by more text (its answer)."""
    fenced = [(m.start(), m.end()) for m in _FENCE.finditer(text)]
    for match in _QUESTION_LINE.finditer(text):
        start = match.start(1)
        if any(a <= start < b for a, b in fenced):
            continue
        if text[match.end() :].strip():
            return start
    return None


@rule(
    "P014",
    "check-answer-not-hidden",
    "A check whose answer (or a follow-up's answer) is not hidden on its own",
    severity=Severity.WARNING,
    review=FindingSeverity.POLISH,
    checklist=(_CHECK_HIDDEN,),
)
def check_answer_not_hidden(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that every check lets the student predict before reading: a `kind: check` section
    puts its questions in `checks`, and no answer carries a further question with its answer
    (a follow-up belongs in `follow_ups`, with its own hidden answer).

    Why: predict-then-verify only works if the answer is out of sight while the student
    thinks. A follow-up inside the first answer is read passively (the training-loop lesson's
    first review).

    Bad:
        checks:
          - prompt: After one step, what is the parameter?
            answer: |
              4.8. What if you forgot zero_grad() and the next gradient is 3.0?
              The optimizer sees 5.0.

    Good:
        checks:
          - prompt: After one step, what is the parameter?
            answer: "4.8"
            follow_ups:
              - prompt: What if you forgot zero_grad() and the next gradient is 3.0?
                answer: The optimizer sees 5.0.
    """
    for s_index, section in enumerate(ctx.lesson.design.outline):
        where = ("design", "outline", s_index)
        if section.kind is SectionKind.CHECK and not section.checks:
            yield Hit(
                f"check section '{section.title}' has no checks: put each question in `checks` "
                "so its answer stays hidden until asked for",
                at=(*where, "kind"),
            )
        for c_index, item in enumerate(section.checks):
            answers: list[tuple[DataPath, str]] = [
                ((*where, "checks", c_index, "answer"), item.answer)
            ]
            answers += [
                ((*where, "checks", c_index, "follow_ups", f_index, "answer"), follow.answer)
                for f_index, follow in enumerate(item.follow_ups)
            ]
            for path, answer in answers:
                offset = _embedded_question(answer)
                if offset is not None:
                    yield Hit(
                        "this answer holds a further question and its answer; move it to "
                        "`follow_ups` with its own hidden answer",
                        at=path,
                        offset=offset,
                    )


@rule(
    "P015",
    "unknown-outline-reference",
    "An outline section names a misconception, modality or example that is not planned",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_ADDRESSED,),
)
def unknown_outline_reference(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that the ids in each section's `addresses`, `modalities` and `examples` name a
    planned misconception, modality or example.

    Why: a misspelt id silently leaves the real one unaddressed, and P012/P013 would then
    blame the plan instead of the typo.

    Bad:
        outline:
          - title: The Complete Training Loop
            kind: explain
            addresses: [backward-rebuild-graph]   # the id is backward-rebuilds-graph

    Good:
        outline:
          - title: The Complete Training Loop
            kind: explain
            addresses: [backward-rebuilds-graph]
    """
    lesson = ctx.lesson
    planned = {
        "addresses": ({m.id for m in lesson.analysis.misconceptions}, "misconception"),
        "modalities": ({m.id for m in lesson.design.modalities}, "modality"),
        "examples": ({e.id for e in lesson.analysis.examples}, "example"),
    }
    for s_index, section in enumerate(lesson.design.outline):
        for field, (known, label) in planned.items():
            for i_index, item in enumerate(getattr(section, field)):
                if item not in known:
                    yield Hit(
                        f"no planned {label} has the id '{item}'",
                        at=("design", "outline", s_index, field, i_index),
                    )
