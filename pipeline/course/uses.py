"""Every place a lesson names a concept: the rows the ledger, C012 and `lessonkit concepts` read.

One walk over a lesson, in document order, so the rule that flags an alias, the concept
listing and the alias suggestions all see the same names at the same paths.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

from ..core.diagnostics import DataPath
from ..schemas import Lesson


class Role(enum.Enum):
    """What a lesson says about a concept where it names it."""

    HAS = "has"  # student state: the student has it, from `source`
    REQUIRES = "requires"  # a prerequisite: needed at a depth, had from `source`
    NEW = "new"  # a new concept, counted against the cognitive load
    CONNECTS = "connects"  # a new concept a connection anchors
    BUILDS_ON = "builds on"  # a connection's prior concept (free text, from `source`)
    TEACHES = "teaches"  # a target depth: what the lesson's record teaches


@dataclass(frozen=True)
class Use:
    """One concept name in a lesson: where (the path of the name's string), as written, with
    the row's explicit id, claimed depth and cited source where the row has them."""

    path: DataPath
    name: str
    role: Role
    explicit: str | None = None
    depth: str | None = None
    source: str | None = None

    @property
    def claims(self) -> bool:
        """Whether the row says the student already has the concept."""
        return self.role in (Role.HAS, Role.REQUIRES)


def concept_uses(lesson: Lesson) -> Iterator[Use]:
    """Every concept name of `lesson`, in document order."""
    at: DataPath
    for index, known in enumerate(lesson.student_state.concepts):
        at = ("student_state", "concepts", index, "concept")
        yield Use(at, known.concept, Role.HAS, known.id, known.depth, known.source)
    for index, row in enumerate(lesson.analysis.prerequisites):
        at = ("analysis", "prerequisites", index, "concept")
        yield Use(at, row.concept, Role.REQUIRES, row.id, row.actual_depth, row.source)
    design = lesson.design
    if design.cognitive_load is not None:
        for index, new in enumerate(design.cognitive_load.new_concepts):
            at = ("design", "cognitive_load", "new_concepts", index, "concept")
            yield Use(at, new.concept, Role.NEW, new.id)
    if design.connections is not None:
        for link_index, link in enumerate(design.connections.links):
            here: DataPath = ("design", "connections", "links", link_index)
            yield Use(
                (*here, "prior_concept"), link.prior_concept, Role.BUILDS_ON, source=link.source
            )
            for index, name in enumerate(link.new_concepts):
                yield Use((*here, "new_concepts", index), name, Role.CONNECTS)
    if design.scope is not None:
        for index, target in enumerate(design.scope.target_depths):
            at = ("design", "scope", "target_depths", index, "concept")
            yield Use(at, target.concept, Role.TEACHES, target.id, target.depth, lesson.id)
