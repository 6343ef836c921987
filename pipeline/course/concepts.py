"""Concept ids: how lessonkit decides that two rows name the same concept.

Designers write concepts the way planning documents do ("Adam optimizer (concept)",
"`torch.no_grad()` context manager", "Backpropagation — the intuition"). Matching them literally
would make every small rewording a broken prerequisite; matching them loosely would hide real
differences. A name is first split into the concept's name and a qualifier (`split_qualifier`):

- one trailing parenthetical preceded by a space: "MSE (concept + formula)" is the concept
  "MSE" qualified "concept + formula". Parentheses that belong to a name stay:
  "model.parameters()";
- a dash and what follows it: "X — the intuition", "X -- the intuition", "X - recap" (an em
  dash, spaced or not; an en dash, a double or a single hyphen, spaced).

The qualifier is never dropped from the lesson: the row keeps its name as written, pages and
`lessonkit concepts` show the qualifier beside the concept as a note, and the alias fix
(C012) rewrites only the concept's name, leaving the qualifier as it is. It only takes no part
in matching. The normalised id of the concept's name is then:

1. Unicode NFKC, then case folding.
2. Markdown emphasis and code marks (`` ` ``, `*`, `_` at word edges) and surrounding quotes go.
3. "&" becomes "and"; every run of other characters than letters and digits becomes "-".

The course glossary (`lessons/concepts.yaml`, see `glossary.py`) maps the ids of aliases onto
canonical concepts; an explicit `id:` on a row overrides the derived id when two wordings must
match anyway.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_QUOTES = "\"'\u201c\u201d\u2018\u2019"


class ConceptRow(Protocol):
    """A row that names a concept: student state, prerequisite, new concept, target depth."""

    @property
    def id(self) -> str | None: ...

    @property
    def concept(self) -> str: ...


def concept_key(row: ConceptRow) -> str:
    """The id a row's concept is matched by: its explicit `id`, else the normalised name."""
    return row.id or concept_id(row.concept)


@functools.lru_cache(maxsize=1 << 16)  # the language server rebuilds the ledger per keystroke
def concept_id(name: str) -> str:
    """The normalised id of a concept name (see the module docstring for the rules)."""
    text = unicodedata.normalize("NFKC", name).casefold().strip()
    text = text.replace("`", "").replace("**", "").strip().strip(_QUOTES).strip()
    text = split_qualifier(text).base
    text = text.replace("&", " and ")
    return _NON_ALNUM.sub("-", text).strip("-")


@dataclass(frozen=True)
class QualifiedName:
    """A concept name as written, split into the concept's name and its qualifier.

    `start` and `end` are where the name (`base`) sits in the written text, so a fix can
    rewrite it and nothing else.
    """

    written: str
    base: str
    qualifier: str | None
    start: int
    end: int


# A dash qualifier: an em dash (spaced or not), or a spaced en dash, double or single hyphen.
_DASH = re.compile(r"\s*\u2014\s*|\s+(?:\u2013|--|-)\s+")


@functools.lru_cache(maxsize=1 << 16)
def split_qualifier(name: str) -> QualifiedName:
    """`name` as (concept name, qualifier): "MSE (concept + formula)" -> ("MSE", "concept +
    formula"); "X — the intuition" -> ("X", "the intuition"); a name without one is all base."""
    end = len(name.rstrip())
    start = len(name) - len(name.lstrip())
    qualifiers: list[str] = []
    cut = _trailing_parenthetical(name[:end])
    if cut is not None and cut > start:
        qualifiers.append(name[cut:end].strip()[1:-1].strip())
        end = len(name[:cut].rstrip())
    dash = _DASH.search(name, start, end)
    if dash is not None and dash.start() > start and dash.end() < end:
        qualifiers.insert(0, name[dash.end() : end].strip())
        end = dash.start()
    qualifier = "; ".join(q for q in qualifiers if q) or None
    return QualifiedName(name, name[start:end], qualifier, start, end)


def _trailing_parenthetical(text: str) -> int | None:
    """Where a trailing " (...)" qualifier starts in `text`, or None."""
    if not text.endswith(")"):
        return None
    depth = 0
    for index in range(len(text) - 1, -1, -1):
        char = text[index]
        if char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                head = text[:index]
                if head.endswith((" ", "\t")) and head.strip():
                    return index
                return None
    return None
