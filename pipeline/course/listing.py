"""`lessonkit concepts`: the course's concepts, where each is taught and claimed, and the names
no lesson teaches and the glossary does not know.

Plain data built from the course and its ledger; the command line prints it as text or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .concepts import split_qualifier
from .course import Course
from .uses import Role, concept_uses


@dataclass(frozen=True)
class Mention:
    """One row naming a concept: the lesson, what the row says, its name as written."""

    lesson: str
    role: str
    name: str
    qualifier: str | None
    depth: str | None = None
    source: str | None = None
    line: int | None = None
    column: int | None = None


@dataclass
class ConceptEntry:
    """A concept of the course: its glossary entry if any, and every row that names it."""

    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    definition: str | None = None
    introduced_by: str | None = None
    in_glossary: bool = False
    taught: list[Mention] = field(default_factory=list)
    claimed: list[Mention] = field(default_factory=list)
    used: list[Mention] = field(default_factory=list)
    assumed: str | None = None  # the depth the curriculum assumes, if it does

    @property
    def names(self) -> list[str]:
        """Every name the lessons write for it (qualifiers aside), most frequent first."""
        counts: dict[str, int] = {}
        for mention in (*self.taught, *self.claimed, *self.used):
            base = split_qualifier(mention.name).base
            counts[base] = counts.get(base, 0) + 1
        return sorted(counts, key=lambda n: (-counts[n], n))


@dataclass
class Listing:
    concepts: list[ConceptEntry]
    unknown: list[tuple[str, Mention]]  # (file, mention): names no one teaches or knows

    def as_json(self) -> dict[str, object]:
        def mention(m: Mention) -> dict[str, object]:
            return {k: v for k, v in m.__dict__.items() if v is not None}

        return {
            "version": 1,
            "concepts": [
                {
                    "id": entry.id,
                    "name": entry.name,
                    "in_glossary": entry.in_glossary,
                    "aliases": entry.aliases,
                    "definition": entry.definition,
                    "introduced_by": entry.introduced_by,
                    "assumed": entry.assumed,
                    "names": entry.names,
                    "taught": [mention(m) for m in entry.taught],
                    "claimed": [mention(m) for m in entry.claimed],
                    "used": [mention(m) for m in entry.used],
                }
                for entry in self.concepts
            ],
            "unknown": [{"path": path, **mention(m)} for path, m in self.unknown],
        }


def listing(course: Course) -> Listing:
    """Every concept of `course` in teaching order (glossary-only concepts last), and the
    rows whose name neither the glossary nor any lesson's record knows."""
    ledger = course.ledger
    entries: dict[str, ConceptEntry] = {}
    for key, concept in course.concepts.concepts.items():
        entries[key] = ConceptEntry(
            key,
            concept.name,
            list(concept.aliases),
            concept.definition,
            concept.introduced_by,
            in_glossary=True,
        )
    for key, teaching in ledger.assumed.items():
        entry = entries.setdefault(key, ConceptEntry(key, teaching.concept))
        entry.assumed = teaching.depth
    unknown: list[tuple[str, Mention]] = []
    reported: set[tuple[str, str]] = set()
    for lesson_id in ledger.order:
        document = course.lessons.get(lesson_id)
        lesson = course.lesson(lesson_id)
        if document is None or lesson is None:
            continue
        for use in concept_uses(lesson):
            key = ledger.resolve(use.name, use.explicit)
            line = column = None
            if document.source is not None:
                span = document.source.span(use.path)
                line, column = span.line, span.column
            mention = Mention(
                lesson_id,
                use.role.value,
                use.name,
                split_qualifier(use.name).qualifier,
                use.depth,
                use.source if use.role is not Role.TEACHES else None,
                line,
                column,
            )
            if use.role is Role.TEACHES:
                entry = entries.setdefault(key, ConceptEntry(key, split_qualifier(use.name).base))
                entry.taught.append(mention)
                continue
            known = key in entries or ledger.teachings(key)
            if not known and use.role is not Role.BUILDS_ON:
                if (lesson_id, key) not in reported:  # once per lesson: its first row
                    reported.add((lesson_id, key))
                    unknown.append((course.relative(document.file), mention))
                continue
            if key not in entries:
                if use.role is Role.BUILDS_ON:
                    continue  # free text that names nothing the course knows
                entries[key] = ConceptEntry(key, split_qualifier(use.name).base)
            target = entries[key].claimed if use.claims else entries[key].used
            target.append(mention)
    first = {key: index for index, key in enumerate(entries)}

    def order(entry: ConceptEntry) -> tuple[int, int, int]:
        where = min((ledger.position(m.lesson) or 0 for m in entry.taught), default=1 << 30)
        return (entry.assumed is None, where, first[entry.id])

    return Listing(sorted(entries.values(), key=order), unknown)


def text(result: Listing) -> str:
    """The listing as the terminal shows it."""
    lines: list[str] = []
    for entry in result.concepts:
        head = f"{entry.name}  [{entry.id}]"
        if entry.in_glossary and entry.aliases:
            head += f"  aliases: {', '.join(entry.aliases)}"
        lines.append(head)
        if entry.assumed:
            lines.append(f"  assumed: {entry.assumed}")
        if entry.taught:
            lines.append("  taught: " + ", ".join(f"{m.lesson} {m.depth}" for m in entry.taught))
        elif not entry.assumed:
            lines.append("  taught: by no lesson")
        if entry.claimed:
            lines.append("  claimed: " + ", ".join(_claim(m) for m in entry.claimed))
        if entry.used:
            lines.append("  used: " + ", ".join(f"{m.lesson} ({m.role})" for m in entry.used))
        others = [n for n in entry.names if n != split_qualifier(entry.name).base]
        if others:
            lines.append("  written as: " + ", ".join(f"'{n}'" for n in others))
    if result.unknown:
        lines.append("")
        lines.append("Names no lesson teaches and the glossary does not know:")
        for path, m in result.unknown:
            where = f"{path}:{m.line}:{m.column}" if m.line else path
            lines.append(f"  {where}: '{m.name}' ({_role(m)})")
    glossary = sum(1 for entry in result.concepts if entry.in_glossary)
    unknown = len(result.unknown)
    lines.append(
        f"{len(result.concepts)} concepts ({glossary} in the glossary), "
        f"{unknown} unknown {'name' if unknown == 1 else 'names'}."
    )
    return "\n".join(lines)


def _claim(mention: Mention) -> str:
    source = f" from {mention.source}" if mention.source else ""
    depth = f" {mention.depth}" if mention.depth else ""
    return f"{mention.lesson}{depth}{source}"


def _role(mention: Mention) -> str:
    source = f", from {mention.source}" if mention.source else ""
    return f"{mention.role}{source}"
