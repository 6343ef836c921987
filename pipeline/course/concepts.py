"""Concept ids: how lessonkit decides that two rows name the same concept.

Designers write concepts the way the seed documents do ("Adam optimizer (concept)",
"`torch.no_grad()` context manager"). Matching them literally would make every small rewording a
broken prerequisite; matching them loosely would hide real differences. The normalised id keeps
what names the concept and drops what only annotates it:

1. Unicode NFKC, then case folding.
2. Markdown emphasis and code marks (`` ` ``, `*`, `_` at word edges) and surrounding quotes go.
3. One trailing parenthetical qualifier preceded by a space goes: "Mini-batch SGD (concept)" ->
   "mini-batch sgd". Parentheses that belong to a name stay: "model.parameters()".
4. "&" becomes "and"; every run of other characters than letters and digits becomes "-".

An explicit `id:` on a row overrides the derived id when two wordings must match anyway.
"""

from __future__ import annotations

import functools
import re
import unicodedata
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
    text = _drop_trailing_qualifier(text)
    text = text.replace("&", " and ")
    return _NON_ALNUM.sub("-", text).strip("-")


def _drop_trailing_qualifier(text: str) -> str:
    if not text.endswith(")"):
        return text
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
                    return head.rstrip()
                return text
    return text
