"""C family: claims about other lessons, traced through the records (the concept ledger).

"Each prerequisite traced via the records, not the curriculum plan" (the planning document's
checklist): a lesson's claim that the student has concept X at depth D from lesson L holds only
if L comes earlier in the course and L's own `scope.target_depths` teaches X at depth D or
deeper.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...core.diagnostics import DataPath, Severity
from ...core.suggest import closest
from ...course.concepts import split_qualifier
from ...course.course import Course
from ...course.uses import Role, concept_uses
from ...read.documents import Document
from ...schemas import FindingSeverity, PrerequisiteStatus
from ..context import LessonContext
from ..registry import ChecklistItem, Fix, Hit, Scope, rule

# The reviewer checklist items these rules verify (`lessonkit review --report` ticks them).
_CHECK_TRACED = ChecklistItem(
    "Prerequisite audit", "Each prerequisite traced via the records (not the curriculum plan)"
)
_CHECK_DEPTH_MATCH = ChecklistItem("Prerequisite audit", "Depth match verified for each")
_CHECK_NONE_UNTAUGHT = ChecklistItem("Prerequisite audit", "No untaught concepts remain")
_CHECK_GAPS_RESOLVED = ChecklistItem(
    "Prerequisite audit", "All gaps have explicit resolution plans"
)


def _claims(ctx: LessonContext) -> Iterator[tuple[DataPath, str, str, str, str | None]]:
    """Every (path, name, concept id, claimed depth, source) the lesson asserts. A row with no
    depth (an imported plan's MISSING or NOT TAUGHT) says the student lacks the concept, so it
    claims nothing."""
    for index, row in enumerate(ctx.lesson.student_state.concepts):
        if row.depth is None:
            continue
        yield (
            ("student_state", "concepts", index),
            row.concept,
            ctx.course.ledger.key(row),
            row.depth,
            row.source,
        )
    for index, prerequisite in enumerate(ctx.lesson.analysis.prerequisites):
        if prerequisite.actual_depth is None:
            continue
        yield (
            ("analysis", "prerequisites", index),
            prerequisite.concept,
            ctx.course.ledger.key(prerequisite),
            prerequisite.actual_depth,
            prerequisite.source,
        )


def _cited(ctx: LessonContext, path: DataPath, source: str) -> list[tuple[DataPath, str]]:
    """The lessons a claim row cites, each with where it is written: `source`, then every
    lesson in `also_from` (an imported plan's cell that names several lessons)."""
    section, rows, index = path
    holder = ctx.lesson.student_state if section == "student_state" else ctx.lesson.analysis
    row = getattr(holder, str(rows))[int(index)]
    cited = [((*path, "source"), source)]
    cited += [((*path, "also_from", i), other) for i, other in enumerate(row.also_from)]
    return cited


def _is_earlier(ctx: LessonContext, source: str) -> bool | None:
    """Whether `source` comes before this lesson; None when that cannot be known."""
    if source in ctx.course.broken:
        return None
    ledger = ctx.course.ledger
    here, there = ledger.position(ctx.lesson.id), ledger.position(source)
    if there is None or ctx.course.lesson(source) is None:
        return False
    if here is None:
        return None
    return there < here


def _unreadable_before(ctx: LessonContext) -> list[str]:
    """Lessons that could not be read (S001-S004) and may come before this one: earlier in
    the curriculum, or anywhere when their place is unknown."""
    ledger = ctx.course.ledger
    here = ledger.position(ctx.lesson.id)
    found = []
    for lesson_id in sorted(ctx.course.broken):
        there = ledger.position(lesson_id)
        if there is None or here is None or there < here:
            found.append(lesson_id)
    return found


def _closest_hint(ctx: LessonContext, name: str, key: str, source: str | None) -> str:
    """C001's hint: the closest concepts the course knows, the lessons that teach each (and
    to what depth), and how to make the name count as one of them."""
    ledger = ctx.course.ledger
    close = ledger.closest(name, before=ctx.lesson.id)
    if source is not None:
        # What the cited lesson itself teaches comes first: it is what the row meant.
        close.sort(key=lambda other: ledger.teaches(source, other) is None)
        near = _closest_in(ctx, source, key)
        if not close and near is not None:
            close = [near]
        if not close:
            # Nothing is alike by name: the cited lesson's record is where the concept is.
            taught = [t.concept for t in ledger.taught.get(source, {}).values()]
            if taught:
                listed = ", ".join(f"'{name}'" for name in taught[:6])
                more = f" and {len(taught) - 6} more" if len(taught) > 6 else ""
                return (
                    f"; {source} teaches {listed}{more}; if one of them is this concept, add "
                    f"'{split_qualifier(name).base}' to its aliases in {_glossary_path(ctx)}"
                )
    if not close:
        return ""
    known = ledger.known()
    shown = []
    for other in close:
        shown.append(f"'{known.get(other, other)}' ({_taught_where(ctx, other)})")
    alias = split_qualifier(name).base
    where = _glossary_path(ctx)
    what = "that concept's aliases in" if len(close) == 1 else "the aliases of the one it means in"
    return (
        f"; closest: {', '.join(shown)}; if '{alias}' names the same concept, add it to "
        f"{what} {where}"
    )


def _taught_where(ctx: LessonContext, key: str) -> str:
    ledger = ctx.course.ledger
    teachings = ledger.teachings(key, before=ctx.lesson.id)
    if not teachings:
        later = ledger.teachings(key)
        return f"taught later, by {later[0].lesson}" if later else "taught by no lesson"
    return ", ".join(f"{t.lesson or 'assumed'} {t.depth}" for t in teachings)


def _glossary_path(ctx: LessonContext) -> str:
    document = ctx.course.glossary_document
    if document is not None:
        return ctx.course.relative(document.path)
    return f"{ctx.course.config.lessons}/concepts.yaml"


@rule(
    "C001",
    "concept-never-taught",
    "Prerequisite or student-state concept never taught before this lesson",
    severity=Severity.ERROR,
    review=FindingSeverity.CRITICAL,
    checklist=(
        _CHECK_TRACED,
        _CHECK_NONE_UNTAUGHT,
    ),
)
def concept_never_taught(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that each concept the student is said to have (student state and prerequisites)
    is taught before this lesson: by the named `source` lesson's own record, or, for rows
    without a source, by any earlier lesson or the curriculum's assumed knowledge. Concepts
    are matched by normalised id; an unknown concept gets a did-you-mean suggestion.

    Why: a lesson built on a concept the course never taught loses every student who
    followed the course as written. The plan says what the student knows; the records
    say what was actually taught.

    Bad:
        student_state:
          concepts:
            - concept: torch.optim optimizers
              depth: DEVELOPED
              source: autograd          # autograd defers torch.optim: its scope does not list it

    Good:
        student_state:
          concepts:
            - concept: "`backward()` method"
              depth: DEVELOPED
              source: autograd          # autograd's scope lists it at DEVELOPED
    """
    ledger = ctx.course.ledger
    unreadable = bool(_unreadable_before(ctx))
    for path, name, key, _depth, source in _claims(ctx):
        if source is None:
            # An earlier lesson that could not be read may teach it: C009 notes that instead.
            if ledger.known_before(ctx.lesson.id, key) is None and not unreadable:
                yield Hit(
                    f"'{name}' is never taught before this lesson and is not assumed "
                    f"knowledge{_closest_hint(ctx, name, key, None)}",
                    at=(*path, "concept"),
                )
            continue
        if not _is_earlier(ctx, source):
            continue  # C003 reports the source
        if ledger.teaches(source, key) is None:
            elsewhere = ledger.known_before(ctx.lesson.id, key)
            if elsewhere is not None:
                taught_by = elsewhere.lesson or "the assumed knowledge"
                hint = f"; it is taught by {taught_by}"
            else:
                hint = _closest_hint(ctx, name, key, source)
            yield Hit(f"'{name}' is not taught by {source}{hint}", at=(*path, "concept"))


def _closest_in(ctx: LessonContext, lesson: str, key: str) -> str | None:
    """The concept id `lesson` teaches whose id is closest to `key`, if any is close."""
    taught = ctx.course.ledger.taught.get(lesson, {})
    return closest(key, taught, cutoff=0.5)


@rule(
    "C002",
    "depth-exceeds-record",
    "Claimed depth exceeds what the source lesson's record teaches",
    severity=Severity.ERROR,
    review=FindingSeverity.CRITICAL,
    checklist=(_CHECK_DEPTH_MATCH,),
)
def depth_exceeds_record(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that a concept's claimed depth (student-state `depth`, prerequisite
    `actual_depth`) is no deeper than its source lesson's `scope.target_depths` reaches.

    Why: a concept MENTIONED in passing is not one a student can apply; building on it as if
    it were DEVELOPED is how lessons lose students without anyone noticing.

    Bad:
        student_state:
          concepts:
            - concept: nn.Sequential
              depth: DEVELOPED
              source: nn-module         # nn-module teaches it to INTRODUCED

    Good:
        student_state:
          concepts:
            - concept: nn.Sequential
              depth: INTRODUCED
              source: nn-module
    """
    ledger = ctx.course.ledger
    for path, name, key, depth, source in _claims(ctx):
        if source is None:
            continue
        # A row citing several lessons claims what the deepest of them teaches; lessons that
        # are not earlier are C003's, and a concept none of them teaches is C001's.
        teaching = [
            (lesson, taught)
            for _at, lesson in _cited(ctx, path, source)
            if _is_earlier(ctx, lesson) and (taught := ledger.teaches(lesson, key)) is not None
        ]
        if not teaching:
            continue
        deepest = max(teaching, key=lambda pair: ledger.rank(pair[1].depth))
        if ledger.deeper(depth, deepest[1].depth):
            field = "depth" if path[0] == "student_state" else "actual_depth"
            if len(teaching) == 1:
                said = f"{teaching[0][0]} teaches it to {deepest[1].depth}"
            else:
                names = " and ".join(lesson for lesson, _ in teaching)
                said = f"{names} teach it to {deepest[1].depth} at most"
            cited = {lesson for lesson, _ in teaching}
            more = _earlier_depths(ctx, key, depth, cited)
            yield Hit(f"'{name}' is claimed at {depth}, but {said}{more}", at=(*path, field))


def _earlier_depths(ctx: LessonContext, key: str, depth: str, cited: set[str]) -> str:
    """The depth every earlier lesson teaches the concept to, and one to cite that reaches the
    claimed depth; "" when the cited lessons are its only teachers."""
    ledger = ctx.course.ledger
    teachings = ledger.teachings(key, before=ctx.lesson.id)
    if all(t.lesson in cited for t in teachings):
        return ""
    shown = ", ".join(f"{t.lesson or 'assumed'} {t.depth}" for t in teachings)
    enough = [t for t in teachings if t.lesson and not ledger.deeper(depth, t.depth)]
    cite = f"; cite {enough[-1].lesson} instead" if enough else ""
    return f" (taught before this lesson: {shown}){cite}"


@rule(
    "C003",
    "source-not-earlier",
    "Source lesson missing, or not earlier in the curriculum",
    severity=Severity.ERROR,
    review=FindingSeverity.CRITICAL,
    checklist=(_CHECK_TRACED,),
)
def source_not_earlier(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that every `source` names a lesson of the course that comes before this one.

    Why: a student cannot have learned something from a lesson they have not reached, or
    from one that does not exist.

    Bad:
        student_state:
          concepts:
            - concept: Dataset objects
              depth: DEVELOPED
              source: datasets-and-dataloaders   # no such lesson in the course

    Good:
        student_state:
          concepts:
            - concept: nn.Linear
              depth: DEVELOPED
              source: nn-module                  # comes before training-loop
    """
    for path, name, _key, _depth, first in _claims(ctx):
        if first is None:
            continue
        for at, source in _cited(ctx, path, first):  # `source`, then each of `also_from`
            earlier = _is_earlier(ctx, source)
            if earlier is None:
                continue
            if ctx.course.lesson(source) is None:
                yield Hit(f"source lesson '{source}' of '{name}' does not exist", at=at)
            elif source == ctx.lesson.id:
                yield Hit(f"'{name}' cites this lesson as its own source", at=at)
            elif earlier is False:
                yield Hit(f"source lesson '{source}' of '{name}' comes after this lesson", at=at)


@rule(
    "C004",
    "gap-without-resolution",
    "Prerequisite gap (required depth above actual) with no gap resolution",
    severity=Severity.ERROR,
    review=FindingSeverity.CRITICAL,
    checklist=(_CHECK_GAPS_RESOLVED,),
)
def gap_without_resolution(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that when a prerequisite's `required_depth` is above its `actual_depth`, the
    analysis has a `gap_resolution` saying how the lesson closes the gap.

    Why: a known gap is fine when the lesson plans for it (a recap section, a dedicated
    lesson); an unplanned one is a student stuck on page one.

    Bad:
        analysis:
          prerequisites:
            - concept: Epochs
              required_depth: APPLIED
              actual_depth: DEVELOPED
              source: batching-and-sgd
              status: GAP
              reasoning: The student must choose the number of epochs unaided.
          gap_resolution: null          # no plan to close the gap

    Good:
        analysis:
          prerequisites:
            - concept: Epochs
              required_depth: APPLIED
              actual_depth: DEVELOPED
              source: batching-and-sgd
              status: GAP
              reasoning: The student must choose the number of epochs unaided.
          gap_resolution: Section 6 has the student pick an epoch count from the printed loss curve.
    """
    analysis = ctx.lesson.analysis
    if (analysis.gap_resolution or "").strip():
        return
    for index, row in enumerate(analysis.prerequisites):
        if row.actual_depth is None or ctx.course.ledger.deeper(
            row.required_depth, row.actual_depth
        ):
            has = f"it at {row.actual_depth}" if row.actual_depth else "none of it"
            yield Hit(
                f"'{row.concept}' is required at {row.required_depth} but the student has "
                f"{has}, and there is no gap_resolution",
                at=("analysis", "prerequisites", index, "required_depth"),
            )


@rule(
    "C005",
    "links-disagree-with-order",
    "Previous/next links disagree with curriculum order",
    severity=Severity.ERROR,
    review=FindingSeverity.POLISH,
)
def links_disagree_with_order(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that explicit `previous` and `next` links name the lessons before and after this
    one in teaching order.

    Why: the links drive navigation on rendered pages; stale ones send students around the
    course in the wrong order.

    Bad:
        id: nn-module
        previous: tensors           # autograd comes between them

    Good:
        id: nn-module
        previous: autograd
    """
    ledger = ctx.course.ledger
    index = ledger.position(ctx.lesson.id)
    if index is None:
        return
    expected = {
        "previous": ledger.order[index - 1] if index > 0 else None,
        "next": ledger.order[index + 1] if index + 1 < len(ledger.order) else None,
    }
    for field, want in expected.items():
        have = getattr(ctx.lesson, field)
        if have is not None and have != want and have not in ctx.course.broken:
            detail = f"'{want}' comes {'before' if field == 'previous' else 'after'} it"
            if want is None:
                detail = f"it is the {'first' if field == 'previous' else 'last'} lesson"
            yield Hit(f"{field} is '{have}', but in teaching order {detail}", at=(field,))


@rule(
    "C006",
    "lesson-not-in-curriculum",
    "Lesson missing from the curriculum, or curriculum entry without a lesson file",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    scope=Scope.COURSE,
)
def lesson_not_in_curriculum(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    When `lessons/curriculum.yaml` exists, checks that every lesson is listed in it exactly
    once and that every listed id has a lesson file.

    Why: a lesson outside the curriculum is invisible to students and to the ledger; an entry
    without a file is a hole in the course.

    Bad:
        id: pytorch-training-loop       # curriculum.yaml lists training-loop

    Good:
        id: training-loop
    """
    document = course.curriculum_document
    curriculum = course.curriculum
    if document is None or curriculum is None:
        return
    listed: set[str] = set()
    for s_index, series in enumerate(curriculum.series):
        for m_index, module in enumerate(series.modules):
            for l_index, lesson in enumerate(module.lessons):
                at = ("series", s_index, "modules", m_index, "lessons", l_index)
                if lesson in listed:
                    yield document, Hit(f"'{lesson}' is listed twice in the curriculum", at=at)
                elif lesson not in course.lessons and lesson not in course.broken:
                    yield document, Hit(f"no lesson file has the id '{lesson}'", at=at)
                listed.add(lesson)
    for lesson_id, lesson_document in course.lessons.items():
        if lesson_id not in listed:
            yield (
                lesson_document,
                Hit(f"lesson '{lesson_id}' is not listed in the curriculum", at=("id",)),
            )


@rule(
    "C007",
    "duplicate-lesson-id",
    "Duplicate lesson id",
    severity=Severity.ERROR,
    review=FindingSeverity.CRITICAL,
    scope=Scope.COURSE,
)
def duplicate_lesson_id(course: Course) -> Iterator[tuple[Document, Hit]]:
    """
    Checks that no two lesson files share an `id`. The first file (by path) keeps the id; the
    others are reported.

    Why: ids name review folders, pages and every cross-lesson reference; two lessons with one
    id make all of those ambiguous.

    Bad:
        id: nn-module                   # lessons/nn-module.yaml already has this id

    Good:
        id: training-loop
    """
    for document in course.documents:
        model = document.model
        lesson_id = getattr(model, "id", None)
        if lesson_id is None or document.kind.value != "lesson":
            continue
        first = course.lessons.get(lesson_id)
        if first is not None and first.path != document.path:
            yield (
                document,
                Hit(
                    f"lesson id '{lesson_id}' is already used by {course.relative(first.path)}",
                    at=("id",),
                ),
            )


@rule(
    "C008",
    "module-disagrees-with-curriculum",
    "Lesson's module or position disagrees with the curriculum",
    severity=Severity.ERROR,
    review=FindingSeverity.POLISH,
)
def module_disagrees_with_curriculum(ctx: LessonContext) -> Iterator[Hit]:
    """
    When `lessons/curriculum.yaml` exists, checks that a lesson's `module` and `position`
    match where the curriculum lists it.

    Why: pages and reports number lessons by module and position; when they disagree with the
    curriculum the same lesson shows up under two numbers.

    Bad:
        # lessons/nn-module.yaml: the curriculum lists it third in module 2.1
        module: "2.1"
        position: 2

    Good:
        # lessons/nn-module.yaml
        module: "2.1"
        position: 3
    """
    curriculum = ctx.course.curriculum
    if curriculum is None:
        return
    for series in curriculum.series:
        for module in series.modules:
            if ctx.lesson.id in module.lessons:
                position = module.lessons.index(ctx.lesson.id) + 1
                if ctx.lesson.module != module.id:
                    yield Hit(
                        f"module is '{ctx.lesson.module}', but the curriculum lists this lesson "
                        f"in module {module.id}",
                        at=("module",),
                    )
                elif ctx.lesson.position != position:
                    yield Hit(
                        f"position is {ctx.lesson.position}, but the curriculum lists this "
                        f"lesson at position {position} of module {module.id}",
                        at=("position",),
                    )
                return


@rule(
    "C009",
    "depends-on-unreadable-lesson",
    "Claims or links that could not be checked because a lesson they depend on has errors",
    severity=Severity.INFO,
)
def depends_on_unreadable_lesson(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks whether this lesson depends on a lesson that could not be read or failed its
    schema (S001-S004): a claim citing it as `source`, a `previous` or `next` link to it, or a
    claim without a source on a concept no readable earlier lesson teaches, when the unread
    lesson may come earlier. Those checks are skipped, and one note per lesson says so; the
    unread lesson's own file carries the errors.

    Why: one broken file must not turn into false errors in every lesson that builds on it
    ("source lesson does not exist", "never taught"); fixing that file is the one thing to
    do, and the note says which checks are still to come.

    Bad:
        # lessons/training-loop.yaml, citing nn-module, which has a syntax error
        student_state:
          concepts:
            - concept: nn.Linear
              depth: DEVELOPED
              source: nn-module

    Good:
        # lessons/training-loop.yaml, citing nn-module, which reads and validates
        student_state:
          concepts:
            - concept: nn.Linear
              depth: DEVELOPED
              source: nn-module
    """
    course = ctx.course
    if not course.broken:
        return
    first: DataPath | None = None
    names: dict[str, None] = {}
    skipped = 0
    unreadable = _unreadable_before(ctx)
    for path, _name, key, _depth, source in _claims(ctx):
        if source in course.broken:
            names[source] = None
        elif (
            source is None and unreadable and course.ledger.known_before(ctx.lesson.id, key) is None
        ):
            names.update(dict.fromkeys(unreadable))
        else:
            continue
        skipped += 1
        first = first or (*path, "source" if source else "concept")
    for field in ("previous", "next"):
        have = getattr(ctx.lesson, field)
        if have in course.broken:
            names[have] = None
            skipped += 1
            first = first or (field,)
    if first is None:
        return
    files = ", ".join(f"{name} ({course.relative(course.broken_files[name])})" for name in names)
    checks = "check" if skipped == 1 else "checks"
    yield Hit(
        f"{skipped} {checks} on this lesson could not be made: {files} could not be read or "
        "failed its schema; fix it first, then these are checked",
        at=first,
    )


@rule(
    "C010",
    "ok-prerequisite-below-required",
    "Prerequisite marked OK whose actual depth is below the required depth",
    severity=Severity.ERROR,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_DEPTH_MATCH,),
)
def ok_prerequisite_below_required(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that a prerequisite whose `status` is OK has an `actual_depth` at least as deep as
    its `required_depth`.

    Why: the status column is what a reviewer skims; an OK over a gap hides the gap from
    everyone who reads the table, and the lesson goes out without a plan to close it.

    Bad:
        analysis:
          prerequisites:
            - concept: Epochs
              required_depth: APPLIED
              actual_depth: DEVELOPED
              source: batching-and-sgd
              status: OK

    Good:
        analysis:
          prerequisites:
            - concept: Epochs
              required_depth: DEVELOPED
              actual_depth: DEVELOPED
              source: batching-and-sgd
              status: OK
    """
    ledger = ctx.course.ledger
    for index, row in enumerate(ctx.lesson.analysis.prerequisites):
        if row.status is not PrerequisiteStatus.OK:
            continue
        if row.actual_depth is None:
            has = "the student does not have it (no actual_depth)"
        elif ledger.deeper(row.required_depth, row.actual_depth):
            has = f"the student has it at {row.actual_depth}"
        else:
            continue
        yield Hit(
            f"'{row.concept}' is marked OK, but it is required at {row.required_depth} and "
            f"{has}; mark it GAP and plan how the lesson closes it",
            at=("analysis", "prerequisites", index, "status"),
        )


@rule(
    "C011",
    "file-name-differs-from-id",
    "Lesson file name differs from the lesson's id",
    severity=Severity.WARNING,
    review=FindingSeverity.POLISH,
)
def file_name_differs_from_id(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that a lesson file is named after its id: `lessons/<id>.yaml`.

    Why: reviews, pages and links all go by the id; a reader who opens `lessons/loop.yaml`
    to fix lesson `training-loop` has to search for it, and a link to the file and a link to
    the lesson then name two different things.

    Bad:
        # lessons/training-loop.yaml
        id: pytorch-training-loop

    Good:
        # lessons/training-loop.yaml
        id: training-loop
    """
    document = ctx.document
    if document.origin is None and document.path.stem != ctx.lesson.id:
        yield Hit(
            f"the file is named {document.path.name}, but the lesson's id is "
            f"'{ctx.lesson.id}'; rename the file to {ctx.lesson.id}{document.path.suffix}",
            at=("id",),
        )


@rule(
    "C012",
    "alias-instead-of-canonical",
    "A concept named by a glossary alias instead of its canonical name",
    severity=Severity.WARNING,
    fixable=True,
    review=FindingSeverity.POLISH,
)
def alias_instead_of_canonical(ctx: LessonContext) -> Iterator[Hit]:
    """
    When the course has a glossary (`lessons/concepts.yaml`), checks that every concept row
    (student state, prerequisites, new concepts, connections, target depths) names its
    concept by the glossary's canonical name rather than by one of its aliases. A qualifier
    ("(concept)", "— the intuition") is not part of the name; `--fix` rewrites the name and
    keeps the qualifier. Rows with an explicit `id:` are left as written. A canonical name
    holding YAML or table punctuation (`` ` ``, `:`, `#`, quotes, brackets, `|`) is reported
    without a fix: written into a plain or quoted scalar it could change what the file says.

    Why: the ledger matches aliases, so the lesson is traced either way; but a reader, a
    search or a page that lists where a concept is used finds one name faster than five, and
    the planning tables of a course read as one vocabulary.

    Bad:
        student_state:
          concepts:
            - concept: Mean squared error (formula + squaring rationale)
              depth: DEVELOPED
              source: loss-functions      # the glossary's name is "MSE loss function"

    Good:
        student_state:
          concepts:
            - concept: MSE loss function (formula + squaring rationale)
              depth: DEVELOPED
              source: loss-functions
    """
    concepts = ctx.course.concepts
    if not concepts:
        return
    for use in concept_uses(ctx.lesson):
        if use.explicit or use.role is Role.BUILDS_ON:
            continue
        concept = concepts.alias_used(use.name)
        if concept is None:
            continue
        name = split_qualifier(use.name)
        length = name.end - name.start
        safe = _writable_anywhere(concept.name)
        yield Hit(
            f"'{name.base}' is an alias of '{concept.name}' in the glossary; "
            f"write '{concept.name}'",
            at=use.path,
            offset=name.start,
            length=length,
            fix=Fix(concept.name, name.start, length) if safe else None,
        )


# Characters that could end or change a plain, quoted or flow YAML scalar, or a Markdown table
# cell, when written into one: a canonical name holding one is reported without a fix.
_UNSAFE = frozenset(":#,[]{}\"'\\`|>&*!%@")


def _writable_anywhere(name: str) -> bool:
    """Whether `name` can replace part of any scalar as it is written, whatever its quoting."""
    return (
        bool(name)
        and name == name.strip()
        and not name.startswith(("-", "?"))
        and not any(char in _UNSAFE for char in name)
    )
