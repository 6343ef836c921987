"""The course glossary as an index: every name of a concept -> its canonical id.

`lessons/concepts.yaml` lists canonical concepts with their aliases (see
`lessonkit.schemas.glossary`). The ledger resolves every concept name of every lesson through
this index first, then falls back to the name's normalised id, so a course without a glossary
(or a concept the glossary does not list) matches exactly as before.

Names are indexed by their normalised id (`concept_id`): case, Markdown marks and a trailing
qualifier never make two aliases differ. A name that matches no glossary name that way is
tried once more by its stemmed words (`similar.words`: plurals, British spellings and small
words such as "the" set aside), so "the training epochs" finds the alias "Training epoch".

A name claimed twice is a conflict: a duplicate alias within one concept, or an alias (or
name, or id) claimed by two concepts. The first claimant keeps it; each conflict is reported
as S008 at the later name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..core.diagnostics import DataPath
from ..schemas import Glossary, GlossaryConcept
from .concepts import ConceptRow, concept_id, split_qualifier
from .similar import words


@dataclass(frozen=True)
class Conflict:
    """A name the glossary gives twice: where the later one is written, and why it clashes."""

    at: DataPath
    message: str


@dataclass
class ConceptIndex:
    """Canonical concepts by id, and every name's normalised id -> the concept it names."""

    concepts: dict[str, GlossaryConcept] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    # Words of each name, stemmed (see `similar.words`) -> concept id, for names that differ
    # from a glossary name only in plurals or small words ("Training epochs" for the alias
    # "Training epoch"); None where two concepts share the words, which then match nothing.
    loose: dict[tuple[str, ...], str | None] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.concepts)

    def resolve(self, name: str, explicit: str | None = None) -> str:
        """The id a concept name is matched by: through the glossary (an explicit id first,
        then the name), else the explicit id, else the name's normalised id."""
        if explicit:
            return self.names.get(explicit, explicit)
        key = concept_id(name)
        found = self.names.get(key)
        if found is None and self.loose:
            found = self.loose.get(words(name))
        return found or key

    def key(self, row: ConceptRow) -> str:
        """The id a row's concept is matched by (see `resolve`)."""
        return self.resolve(row.concept, row.id)

    def canonical(self, key: str) -> GlossaryConcept | None:
        """The glossary concept of id `key`, or None when the glossary does not list it."""
        return self.concepts.get(key)

    def alias_used(self, name: str, explicit: str | None = None) -> GlossaryConcept | None:
        """The glossary concept that `name` names by another name than its canonical one
        (an alias, or its id), or None when it uses the canonical name or no glossary name."""
        concept = self.concepts.get(self.resolve(name, explicit))
        if concept is None:
            return None
        if concept_id(name) == concept_id(concept.name):
            return None
        return concept

    def alias_names(self, key: str) -> list[str]:
        """Every name of concept `key` the glossary gives: its canonical name, then aliases."""
        concept = self.concepts.get(key)
        return [concept.name, *concept.aliases] if concept else []


def build_index(glossary: Glossary | None) -> ConceptIndex:
    """The index of `glossary` (an empty index when there is none)."""
    index = ConceptIndex()
    if glossary is None:
        return index
    claimed: dict[str, tuple[int, str]] = {}  # normalised name -> (concept index, as written)
    for position, concept in enumerate(glossary.concepts):
        here: DataPath = ("concepts", position)
        if concept.id in index.concepts:
            other = index.concepts[concept.id]
            index.conflicts.append(
                Conflict(
                    (*here, "id"),
                    f"concept id '{concept.id}' is already the id of '{other.name}'; "
                    "give this concept another id, or merge the two",
                )
            )
            continue
        index.concepts[concept.id] = concept
        for at, written in _names(concept, here):
            key = concept_id(written) if at[-1] != "id" else written
            if not key:
                continue
            if key not in claimed:
                claimed[key] = (position, written)
                index.names[key] = concept.id
                loose = words(written)
                if index.loose.get(loose, concept.id) != concept.id:
                    index.loose[loose] = None  # two concepts: matched by their names only
                else:
                    index.loose[loose] = concept.id
                continue
            owner, as_written = claimed[key]
            if owner != position:
                holder = glossary.concepts[owner]
                index.conflicts.append(
                    Conflict(
                        at,
                        f"'{written}' is claimed by two concepts: '{holder.name}' "
                        f"({holder.id}) already has it as '{as_written}'; keep it in one",
                    )
                )
            elif at[-2] == "aliases":
                index.conflicts.append(
                    Conflict(
                        at,
                        f"duplicate alias '{written}': '{concept.name}' already has it as "
                        f"'{as_written}'; remove one",
                    )
                )
    return index


def _names(concept: GlossaryConcept, here: DataPath) -> Iterator[tuple[DataPath, str]]:
    """Every name a concept claims, with where it is written: id, name, then each alias."""
    yield (*here, "id"), concept.id
    yield (*here, "name"), concept.name
    for position, alias in enumerate(concept.aliases):
        yield (*here, "aliases", position), alias


def qualifier_note(name: str) -> str | None:
    """The qualifier a concept name carries ("concept + formula"), kept as a note."""
    return split_qualifier(name).qualifier
