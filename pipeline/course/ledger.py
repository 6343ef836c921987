"""The course as a whole: its lessons in teaching order and the concept ledger.

The ledger is what the records say each lesson teaches (its `scope.target_depths`), in
curriculum order, starting from the curriculum's assumed background knowledge. It is plain data:
the C rules check claims against it, and pages or scaffolding read the student's state at any
point of the course from it.

Teaching order is `lessons/curriculum.yaml` when it exists, else (module, position, id).

Every concept name is matched through the course glossary (`lessons/concepts.yaml`) first,
then by its normalised id (`ConceptIndex.resolve`): the ledger's keys are canonical ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from ..schemas import DEFAULT_DEPTH_SCALE, Curriculum, Lesson
from .concepts import ConceptRow
from .glossary import ConceptIndex
from .similar import NameMatcher


@dataclass(frozen=True)
class Teaching:
    """One ledger entry: `lesson` teaches `concept` to `depth` (lesson None: assumed knowledge)."""

    concept: str
    id: str
    depth: str
    lesson: str | None


@dataclass(frozen=True)
class Ledger:
    """What each lesson teaches, in teaching order."""

    order: tuple[str, ...]
    scale: tuple[str, ...]
    assumed: Mapping[str, Teaching]
    taught: Mapping[str, Mapping[str, Teaching]]
    concepts: ConceptIndex
    _index: Mapping[str, int] = field(repr=False)
    _by_concept: Mapping[str, tuple[tuple[int, Teaching], ...]] = field(repr=False)

    def key(self, row: ConceptRow) -> str:
        """The canonical id a row's concept is matched by: glossary, then normalised id."""
        return self.concepts.key(row)

    def resolve(self, name: str, explicit: str | None = None) -> str:
        """The canonical id of a concept name (see `ConceptIndex.resolve`)."""
        return self.concepts.resolve(name, explicit)

    def rank(self, depth: str) -> int:
        """Where `depth` sits on the scale, shallowest 0 (unknown names rank below all)."""
        return self.scale.index(depth) if depth in self.scale else -1

    def deeper(self, depth: str, than: str) -> bool:
        """Whether `depth` is deeper than `than` on the scale."""
        return self.rank(depth) > self.rank(than)

    def position(self, lesson: str) -> int | None:
        """Index of `lesson` in teaching order, or None when it is not in the course."""
        return self._index.get(lesson)

    def teaches(self, lesson: str, concept: str) -> Teaching | None:
        """What `lesson`'s own record teaches of concept id `concept`."""
        return self.taught.get(lesson, {}).get(concept)

    def known_before(self, lesson: str, concept: str) -> Teaching | None:
        """The deepest teaching of `concept` before `lesson` (assumed knowledge included)."""
        limit = self._index.get(lesson, len(self.order))
        best = self.assumed.get(concept)
        for index, teaching in self._by_concept.get(concept, ()):
            if index < limit and (best is None or self.deeper(teaching.depth, best.depth)):
                best = teaching
        return best

    def state_before(self, lesson_index: int) -> dict[str, Teaching]:
        """The student's concepts before the lesson at `lesson_index`: id -> deepest teaching."""
        state = dict(self.assumed)
        for lesson in self.order[:lesson_index]:
            for key, teaching in self.taught.get(lesson, {}).items():
                if key not in state or self.deeper(teaching.depth, state[key].depth):
                    state[key] = teaching
        return state

    def teachings(self, concept: str, before: str | None = None) -> list[Teaching]:
        """Every lesson's teaching of `concept` (before lesson `before`, when given), in
        teaching order; the assumed knowledge first."""
        limit = self._index.get(before, len(self.order)) if before else len(self.order)
        found = [self.assumed[concept]] if concept in self.assumed else []
        return found + [t for index, t in self._by_concept.get(concept, ()) if index < limit]

    def known(self) -> dict[str, str]:
        """Every concept id the course knows (glossary, assumed, taught) -> a display name."""
        names = {key: concept.name for key, concept in self.concepts.concepts.items()}
        for teaching in self.assumed.values():
            names.setdefault(teaching.id, teaching.concept)
        for key, entries in self._by_concept.items():
            names.setdefault(key, entries[0][1].concept)
        return names

    def closest(self, name: str, before: str | None = None, limit: int = 3) -> list[str]:
        """The ids of the known concepts whose names are closest to `name`, best first:
        glossary names and aliases, and the names lessons teach under, before `before`."""
        matcher, keys = self._matcher
        bound = self._index.get(before, len(self.order)) if before else None
        found: list[str] = []
        for match in matcher.closest(name, before=bound):
            key = keys[match]
            if key not in found and key != self.resolve(name):
                found.append(key)
            if len(found) == limit:
                break
        return found

    @cached_property
    def _matcher(self) -> tuple[NameMatcher, dict[str, str]]:
        """Every name the course knows a concept by (glossary names and aliases, assumed and
        taught names) with where it becomes known; built once, on the first hint asked for."""
        keys: dict[str, str] = {}
        places: dict[str, int] = {}
        for key, concept in self.concepts.concepts.items():
            for alias in (concept.name, *concept.aliases):
                keys.setdefault(alias, key)
                places.setdefault(alias, -1)  # the glossary is known from the start
        for teaching in self.assumed.values():
            keys.setdefault(teaching.concept, teaching.id)
            places.setdefault(teaching.concept, -1)
        for key, entries in self._by_concept.items():
            for index, teaching in entries:
                keys.setdefault(teaching.concept, key)
                places[teaching.concept] = min(places.get(teaching.concept, index), index)
        names = list(keys)
        return NameMatcher(names, [places[name] for name in names]), keys

    def suggest(self, concept: str, before: str | None = None) -> str | None:
        """The closest known concept name to concept `concept`, for did-you-mean hints."""
        close = self.closest(concept.replace("-", " "), before, limit=1)
        return self.known()[close[0]] if close else None


def teaching_order(lessons: Iterable[Lesson], curriculum: Curriculum | None) -> list[str]:
    """Lesson ids in teaching order: the curriculum's, else by (module, position, id)."""
    if curriculum is not None:
        return [
            lesson
            for series in curriculum.series
            for module in series.modules
            for lesson in module.lessons
        ]

    return [lesson.id for lesson in sorted(lessons, key=_order_key)]


def _order_key(lesson: Lesson) -> tuple[tuple[tuple[int, str], ...], int, str]:
    """(module, position, id), comparing module numbers as numbers without int(): a module
    part of 5,000 digits is valid text that int() refuses to convert."""
    parts = tuple(_number(part) for part in lesson.module.split("."))
    return (parts, lesson.position, lesson.id)


def _number(digits: str) -> tuple[int, str]:
    """A string of digits as a key that sorts in numeric order: shorter is smaller."""
    significant = digits.lstrip("0")
    return (len(significant), significant)


def build_ledger(
    lessons: Mapping[str, Lesson],
    curriculum: Curriculum | None,
    scale: tuple[str, ...] = DEFAULT_DEPTH_SCALE,
    concepts: ConceptIndex | None = None,
) -> Ledger:
    """The ledger of `lessons` (by id) in the order the curriculum (or their modules) gives,
    its concept names resolved through the glossary index `concepts`."""
    glossary = concepts if concepts is not None else ConceptIndex()
    order = tuple(teaching_order(lessons.values(), curriculum))
    assumed = {}
    if curriculum is not None:
        for row in curriculum.assumed:
            key = glossary.key(row)
            assumed[key] = Teaching(row.concept, key, row.depth, None)
    taught: dict[str, dict[str, Teaching]] = {}
    by_concept: dict[str, list[tuple[int, Teaching]]] = {}
    for index, lesson_id in enumerate(order):
        lesson = lessons.get(lesson_id)
        if lesson is None or lesson.design.scope is None:
            continue
        entries = taught.setdefault(lesson_id, {})
        for target in lesson.design.scope.target_depths:
            key = glossary.key(target)
            teaching = Teaching(target.concept, key, target.depth, lesson_id)
            if key not in entries or scale.index(target.depth) > scale.index(entries[key].depth):
                entries[key] = teaching
            by_concept.setdefault(key, []).append((index, teaching))
    return Ledger(
        order=order,
        scale=scale,
        assumed=assumed,
        taught=taught,
        concepts=glossary,
        _index={lesson_id: index for index, lesson_id in enumerate(order)},
        _by_concept={key: tuple(entries) for key, entries in by_concept.items()},
    )
