"""Proposed alias groups: names of the course that probably mean one concept.

`lessonkit concepts --suggest` reads every concept name of every lesson, as the ledger resolves
it today (through the glossary, then the normalised id), and proposes which of the resulting
concepts are one. Evidence, strongest first:

- **same words**: the names differ only in case, plurals, British spellings or small words
  ("the Epochs", "epoch");
- **abbreviation**: one name abbreviates words of the other ("MSE" and "Mean squared error"),
  or a name's qualifier abbreviates it ("Mean squared error (MSE)");
- **similar words**: rapidfuzz's token-sort ratio over the words (rewordings, misspellings),
  and a name inside a longer one when the extra words are common in the course (so "MSE loss
  function" joins "MSE", but "Stochastic gradient descent" does not join "Gradient descent":
  "stochastic" is rare, it says something);
- **same source lesson**: a row claims a concept from lesson L under a name L does not teach,
  and L teaches one concept whose name is close. This is the planning document's own
  cross-reference, and raises the confidence of the pair it points at.

Two concepts that one lesson's `target_depths` lists side by side are never grouped (the lesson
says they differ), nor are two concepts of the glossary (the author has kept them apart).
Groups are built from the most confident pairs down, and ranked by their weakest link.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from .concepts import concept_id, split_qualifier
from .course import Course
from .similar import expand, initials, words
from .uses import Role, concept_uses

# Words that are in more than this share of the course's concepts are too common to propose a
# pair on their own (they still count once a pair is proposed by a rarer word).
_COMMON_SHARE = 0.05
_MIN_POSTING = 40


@dataclass
class Node:
    """One concept as names resolve today: every name written for it, and who teaches it."""

    key: str
    names: Counter[str] = field(default_factory=Counter)  # base names as written -> uses
    qualifiers: set[str] = field(default_factory=set)
    teachers: set[str] = field(default_factory=set)  # lessons whose target_depths name it
    first: int = 1 << 30  # teaching-order index of its first teaching
    glossary: bool = False

    @property
    def name(self) -> str:
        """The name written most often (ties: the first written)."""
        return self.names.most_common(1)[0][0]


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    confidence: float
    reason: str


@dataclass
class Group:
    """A proposed alias group: the canonical concept and the names to add as its aliases."""

    id: str
    name: str
    new: bool  # not in the glossary yet: --write adds the concept itself
    aliases: list[str]
    members: list[str]  # the concept ids merged
    uses: int
    confidence: float
    reasons: list[str]

    def as_json(self, number: int) -> dict[str, object]:
        return {
            "number": number,
            "confidence": round(self.confidence, 2),
            "id": self.id,
            "name": self.name,
            "new": self.new,
            "aliases": self.aliases,
            "members": self.members,
            "uses": self.uses,
            "reasons": self.reasons,
        }


def nodes(course: Course) -> dict[str, Node]:
    """Every concept of the course by its id today, with its names and teachers."""
    ledger = course.ledger
    found: dict[str, Node] = {}
    for key, concept in course.concepts.concepts.items():
        node = found.setdefault(key, Node(key, glossary=True))
        node.names[split_qualifier(concept.name).base] += 0
    for row in course.curriculum.assumed if course.curriculum else []:
        key = ledger.key(row)
        found.setdefault(key, Node(key)).names[split_qualifier(row.concept).base] += 1
    for lesson_id in course.lessons:
        lesson = course.lesson(lesson_id)
        if lesson is None:
            continue
        index = ledger.position(lesson_id)
        for use in concept_uses(lesson):
            if use.role is Role.BUILDS_ON:
                continue  # free prose ("Linear regression $wx+b$"): not a concept's name
            key = ledger.resolve(use.name, use.explicit)
            node = found.setdefault(key, Node(key))
            name = split_qualifier(use.name)
            node.names[name.base] += 1
            if name.qualifier:
                node.qualifiers.add(name.qualifier)
            if use.role is Role.TEACHES:
                node.teachers.add(lesson_id)
                if index is not None:
                    node.first = min(node.first, index)
    return found


def suggest(course: Course, *, min_confidence: float = 0.6) -> list[Group]:
    """The proposed alias groups of `course`, most confident first."""
    graph = nodes(course)
    pairs = _pairs(course, graph)
    return _groups(course, graph, [p for p in pairs if p.confidence >= min_confidence])


# --- pairs ------------------------------------------------------------------------------------


class _Words:
    """The words of every name of every concept, and how common each word is in the course."""

    def __init__(self, graph: dict[str, Node]) -> None:
        self.of: dict[str, list[tuple[str, ...]]] = {}
        frequency: Counter[str] = Counter()
        for key, node in graph.items():
            variants = list(dict.fromkeys(words(name) for name in node.names))
            variants = [v for v in variants if v]
            self.of[key] = variants
            frequency.update({word for variant in variants for word in variant})
        self.total = max(len(graph), 1)
        self.frequency = frequency
        # Per name: its set of words, and the initials of each run of 2-6 consecutive words
        # (what an abbreviation of part of it would be): pairs are rejected on these cheaply.
        self.sets: dict[tuple[str, ...], frozenset[str]] = {}
        self.runs: dict[tuple[str, ...], frozenset[str]] = {}
        for variants in self.of.values():
            for variant in variants:
                self.sets[variant] = frozenset(variant)
                self.runs[variant] = frozenset(
                    initials(variant[start:end])
                    for start in range(len(variant))
                    for end in range(start + 2, min(len(variant), start + 6) + 1)
                )

    def weight(self, word: str) -> float:
        """How much a word says: rare words say more (inverse document frequency)."""
        return math.log((self.total + 1) / (self.frequency.get(word, 0) + 0.5))


def _pairs(course: Course, graph: dict[str, Node]) -> list[Pair]:
    vocabulary = _Words(graph)
    best: dict[tuple[str, str], Pair] = {}

    def offer(a: str, b: str, confidence: float, reason: str) -> None:
        if a == b:
            return
        ordered = (a, b) if a < b else (b, a)
        current = best.get(ordered)
        if current is None or confidence > current.confidence:
            best[ordered] = Pair(*ordered, confidence, reason)

    for a, b in _candidates(graph, vocabulary):
        found = _compare(vocabulary, graph[a], graph[b], a, b)
        if found is not None:
            offer(a, b, *found)
    for a, b, confidence, reason in _cited(course, graph, vocabulary):
        current = best.get((a, b) if a < b else (b, a))
        if current is not None and current.confidence >= confidence:
            confidence = min(0.99, current.confidence + 0.1)
            reason = f"{current.reason}; {reason}"
        offer(a, b, confidence, reason)
    return list(best.values())


def _candidates(graph: dict[str, Node], vocabulary: _Words) -> Iterable[tuple[str, str]]:
    """Pairs of concepts worth comparing, never all pairs (10,000 concepts are 50 million):
    each name is paired with the concepts that hold its rarest word (a name inside another, or
    the same words, always share the smaller one's rarest word), and each single word with the
    concepts whose initials it is."""
    postings: dict[str, set[str]] = {}
    acronyms: dict[str, set[str]] = {}
    for key, variants in vocabulary.of.items():
        for variant in variants:
            for word in variant:
                postings.setdefault(word, set()).add(key)
            if len(variant) >= 2:
                acronyms.setdefault(initials(variant), set()).add(key)
        for qualifier in graph[key].qualifiers:
            for word in words(qualifier):
                postings.setdefault(word, set()).add(key)
    limit = max(_MIN_POSTING, int(_COMMON_SHARE * vocabulary.total))
    seen: set[tuple[str, str]] = set()
    for key, variants in vocabulary.of.items():
        for variant in variants:
            rarest = min(variant, key=lambda w: (len(postings[w]), w))
            others = postings[rarest] if len(postings[rarest]) <= limit else set()
            if len(variant) == 1:
                others = others | acronyms.get(variant[0], set())
            for other in others:
                pair = (key, other) if key < other else (other, key)
                if other != key and pair not in seen:
                    seen.add(pair)
                    yield pair
        for qualifier in graph[key].qualifiers:
            for word in words(qualifier):
                for other in postings.get(word, set()) | acronyms.get(word, set()):
                    pair = (key, other) if key < other else (other, key)
                    if other != key and pair not in seen and len(postings[word]) <= limit:
                        seen.add(pair)
                        yield pair


def _compare(
    vocabulary: _Words, left: Node, right: Node, a: str, b: str
) -> tuple[float, str] | None:
    """The best evidence that two concepts are one, from their names and qualifiers."""
    found: tuple[float, str] | None = None
    for x in vocabulary.of.get(a, []):
        for y in vocabulary.of.get(b, []):
            result = _similar(vocabulary, x, y)
            if result is not None and (found is None or result[0] > found[0]):
                found = result
    # A qualifier that abbreviates or restates the other name: "Mean squared error (MSE)".
    for node, other in ((left, b), (right, a)):
        for qualifier in node.qualifiers:
            q = words(qualifier)
            for y in vocabulary.of.get(other, []):
                if q and (q == y or (len(q) == 1 and len(y) == 1 and q[0] == y[0])):
                    reason = f"'{node.name} ({qualifier})' names it in its qualifier"
                    if found is None or found[0] < 0.9:
                        found = (0.9, reason)
    return found


def _similar(
    vocabulary: _Words, x: tuple[str, ...], y: tuple[str, ...]
) -> tuple[float, str] | None:
    sx, sy = vocabulary.sets[x], vocabulary.sets[y]
    if x == y or (sx == sy and sorted(x) == sorted(y)):
        return 0.95, "same words once case, plurals and small words are set aside"
    abbreviated = sx & vocabulary.runs[y] or sy & vocabulary.runs[x]
    if not abbreviated and 2 * len(sx & sy) < max(len(sx), len(sy)) and len(sx) + len(sy) > 2:
        return None  # neither the same words, one inside the other, nor a close rewording
    ex, ey = (expand(x, y), expand(y, x)) if abbreviated else (x, y)
    if (ex != x or ey != y) and sorted(ex) == sorted(ey):
        short, long = (x, y) if ex != x else (y, x)
        return 0.92, f"'{' '.join(short)}' abbreviates '{' '.join(long)}'"
    left, right = " ".join(ex), " ".join(ey)
    ratio = fuzz.token_sort_ratio(left, right) / 100
    if ratio >= 0.85:
        return 0.6 + 0.3 * (ratio - 0.85) / 0.15, f"similar words ({ratio:.0%} alike)"
    small, large = (set(ex), set(ey)) if len(set(ex)) <= len(set(ey)) else (set(ey), set(ex))
    if small and small < large:
        extra = large - small
        said = sum(vocabulary.weight(w) for w in extra)
        total = sum(vocabulary.weight(w) for w in large)
        share = said / total if total else 1.0
        if share <= 0.35:
            named = ", ".join(f"'{w}'" for w in sorted(extra))
            return 0.85 - share, f"one name inside the other; the extra words ({named}) are common"
    return None


def _cited(
    course: Course, graph: dict[str, Node], vocabulary: _Words
) -> Iterable[tuple[str, str, float, str]]:
    """Pairs a row's cited source lesson points at: the row's concept, and the concept of
    that lesson's record whose name is closest, when one is clearly closest."""
    ledger = course.ledger
    counted: Counter[tuple[str, str]] = Counter()
    for lesson_id in course.lessons:
        lesson = course.lesson(lesson_id)
        if lesson is None:
            continue
        for use in concept_uses(lesson):
            if not use.claims or use.source is None:
                continue
            key = ledger.resolve(use.name, use.explicit)
            taught = ledger.taught.get(use.source, {})
            if not taught or key in taught:
                continue
            scored = []
            for other in taught:
                if other in graph:
                    value = _closeness(vocabulary, graph[key], graph[other], key, other)
                    scored.append((value, other))
            scored.sort(reverse=True)
            if not scored or scored[0][0] < 0.4:
                continue
            if len(scored) > 1 and scored[1][0] > scored[0][0] - 0.1:
                continue  # two of the source's concepts are as close: the row says nothing
            counted[(key, scored[0][1])] += 1
    for (key, other), rows in counted.items():
        value = _closeness(vocabulary, graph[key], graph[other], key, other)
        confidence = min(0.97, 0.5 + 0.4 * value + 0.03 * min(rows, 3))
        source = sorted(graph[other].teachers)[0] if graph[other].teachers else "its source"
        plural = "row cites" if rows == 1 else "rows cite"
        reason = f"{rows} {plural} {source}, which teaches it as '{graph[other].name}'"
        yield key, other, confidence, reason


def _closeness(vocabulary: _Words, left: Node, right: Node, a: str, b: str) -> float:
    """0-1: how alike two concepts' names are, by the strongest evidence or the fuzzy score."""
    found = _compare(vocabulary, left, right, a, b)
    if found is not None:
        return found[0]
    value = 0.0
    for x in vocabulary.of.get(a, []):
        for y in vocabulary.of.get(b, []):
            ex, ey = expand(x, y), expand(y, x)
            value = max(value, fuzz.token_set_ratio(" ".join(ex), " ".join(ey)) / 100 * 0.8)
    return value


# --- groups -----------------------------------------------------------------------------------


def _groups(course: Course, graph: dict[str, Node], pairs: list[Pair]) -> list[Group]:
    parent = {key: key for key in graph}
    members: dict[str, set[str]] = {key: {key} for key in graph}
    weakest: dict[str, float] = {key: 1.0 for key in graph}
    reasons: dict[str, list[str]] = {key: [] for key in graph}

    def root(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for pair in sorted(pairs, key=lambda p: (-p.confidence, p.a, p.b)):
        x, y = root(pair.a), root(pair.b)
        if x == y or not _compatible(graph, members[x], members[y]):
            continue
        parent[y] = x
        members[x] |= members.pop(y)
        weakest[x] = min(weakest[x], weakest.pop(y), pair.confidence)
        reasons[x] += [
            *reasons.pop(y),
            f"{_shown(graph, pair.a)} ~ {_shown(graph, pair.b)}: {pair.reason}",
        ]
    groups = []
    for top, keys in members.items():
        if len(keys) < 2:
            continue
        group = _group(course, graph, keys, weakest[top], reasons[top])
        if group.aliases:
            groups.append(group)
    groups.sort(key=lambda g: (-g.confidence, g.name.casefold()))
    return groups


def _compatible(graph: dict[str, Node], x: set[str], y: set[str]) -> bool:
    """Whether two sets of concepts may be one: no lesson lists one of each among the concepts
    it teaches, and at most one of them is a glossary concept."""
    teachers_x = set().union(*(graph[k].teachers for k in x))
    teachers_y = set().union(*(graph[k].teachers for k in y))
    if teachers_x & teachers_y:
        return False
    return sum(graph[k].glossary for k in x | y) <= 1


def _shown(graph: dict[str, Node], key: str) -> str:
    return f"'{graph[key].name}'"


def _group(
    course: Course, graph: dict[str, Node], keys: set[str], confidence: float, why: list[str]
) -> Group:
    ordered = sorted(
        keys,
        key=lambda k: (
            not graph[k].glossary,
            graph[k].first,
            -sum(graph[k].names.values()),
            k,
        ),
    )
    head = graph[ordered[0]]
    concept = course.concepts.canonical(head.key)
    name = concept.name if concept is not None else head.name
    ident = head.key if concept is not None else (concept_id(name) or head.key)
    known = {concept_id(n) for n in course.concepts.alias_names(head.key)} | {concept_id(name)}
    # A glossary concept's names already match names of the same words; a new concept lists
    # every name, so the entry says in full what it groups.
    covered = {words(n) for n in course.concepts.alias_names(head.key)} if concept else set()
    aliases: list[str] = []
    for key in ordered:
        for written, _ in graph[key].names.most_common():
            if concept_id(written) in known or words(written) in covered:
                continue  # the glossary matches it already (by id, or by its words)
            known.add(concept_id(written))
            aliases.append(written)
    uses = sum(sum(graph[k].names.values()) for k in keys)
    return Group(ident, name, concept is None, aliases, ordered, uses, confidence, why)


def text(groups: Sequence[Group]) -> str:
    """The proposed groups as the terminal shows them, numbered for `--accept`."""
    lines: list[str] = []
    for number, group in enumerate(groups, 1):
        state = "new concept" if group.new else "in the glossary"
        lines.append(f"{number}. {group.confidence:.2f}  {group.name}  [{group.id}, {state}]")
        lines.append("   add aliases: " + ", ".join(f"'{alias}'" for alias in group.aliases))
        for reason in group.reasons:
            lines.append(f"   - {reason}")
    count = len(groups)
    lines.append(f"{count} proposed alias {'group' if count == 1 else 'groups'}.")
    return "\n".join(lines)
