"""How alike two concept names are: the words they share once spelled alike.

Both the did-you-mean hints of C001 and `lessonkit concepts --suggest` compare names this way:

- a name is reduced to its words (`words`): the qualifier goes ("(concept)", "— the
  intuition"), then case, Markdown marks and punctuation; small words that never name a concept
  ("the", "of") go, and each word is stemmed lightly (plural and British spellings:
  "optimisers" -> "optimizer"), so "the Epochs" and "epoch" have the same words;
- an abbreviation is expanded when the other name spells it out ("MSE" against "mean squared
  error"), from the initials of consecutive words;
- the words are then scored by rapidfuzz (token-sort ratio for reworded and misspelt names,
  token-set ratio for a name inside a longer one), 0-100.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .concepts import split_qualifier

_WORD = re.compile(r"[0-9a-z]+")
_MARKS = str.maketrans({"`": " ", "*": " ", '"': " ", "\u201c": " ", "\u201d": " "})
STOP_WORDS = frozenset({"the", "a", "an", "of", "to", "for", "in", "on", "its", "their", "and"})
_BRITISH = re.compile(r"is(e|er|ers|es|ed|ing|ation|ations)$")


@functools.lru_cache(maxsize=1 << 16)
def words(name: str) -> tuple[str, ...]:
    """The name's words as they are compared: no qualifier, small words or plural endings."""
    text = unicodedata.normalize("NFKC", name).translate(_MARKS)
    base = split_qualifier(text).base.casefold()
    found = [stem(word) for word in _WORD.findall(base)]
    kept = [word for word in found if word not in STOP_WORDS]
    return tuple(kept or found)


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A light stemmer: plurals and British -ise spellings, nothing a reader would not see as
    the same word ("losses" -> "loss", "optimisers" -> "optimizer", "batches" -> "batch")."""
    if len(word) <= 3 or word.isdigit():
        return word
    word = _BRITISH.sub(r"iz\1", word) if len(word) > 5 else word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def initials(tokens: Sequence[str]) -> str:
    return "".join(token[0] for token in tokens if token)


def expand(short: tuple[str, ...], long: tuple[str, ...]) -> tuple[str, ...]:
    """`short` with each word that abbreviates consecutive words of `long` spelled out:
    ("mse", "loss") against ("mean", "squared", "error") -> ("mean", "squared", "error", "loss")."""
    out: list[str] = []
    changed = False
    for token in short:
        spelled = _spelled_out(token, long) if 2 <= len(token) <= 6 and token not in long else None
        if spelled:
            out.extend(spelled)
            changed = True
        else:
            out.append(token)
    return tuple(out) if changed else short


def _spelled_out(token: str, long: tuple[str, ...]) -> tuple[str, ...] | None:
    size = len(token)
    for start in range(len(long) - size + 1):
        run = long[start : start + size]
        if initials(run) == token:
            return run
    return None


def score(a: tuple[str, ...], b: tuple[str, ...]) -> float:
    """How alike two names' words are, 0-100, abbreviations expanded."""
    if a == b:
        return 100.0
    a, b = expand(a, b), expand(b, a)
    if a == b or sorted(a) == sorted(b):
        return 100.0
    left, right = " ".join(a), " ".join(b)
    return max(fuzz.token_sort_ratio(left, right), 0.9 * fuzz.token_set_ratio(left, right))


@dataclass
class NameMatcher:
    """Did-you-mean over many names: rapidfuzz picks candidates in C, then `score` (which knows
    abbreviations) ranks them. `places[i]` is where name i becomes known (a lesson's index in
    teaching order), so a hint never names a concept taught after the lesson asking."""

    names: list[str]
    places: list[int]

    def __post_init__(self) -> None:
        self._words = [words(name) for name in self.names]
        self._joined = [" ".join(w) for w in self._words]
        self._acronyms: dict[str, list[int]] = {}  # initials of a name of several words
        self._single: dict[str, list[int]] = {}  # names of one word (an abbreviation?)
        for position, tokens in enumerate(self._words):
            if len(tokens) >= 2:
                self._acronyms.setdefault(initials(tokens), []).append(position)
            elif tokens:
                self._single.setdefault(tokens[0], []).append(position)

    def closest(self, name: str, *, before: int | None = None, cutoff: float = 60) -> list[str]:
        """The names closest to `name`, best first (at most a handful)."""
        query = words(name)
        if not query:
            return []
        candidates = {
            position
            for _, _, position in process.extract(
                " ".join(query), self._joined, scorer=fuzz.token_set_ratio, limit=24
            )
        }
        for token in query:
            candidates.update(self._acronyms.get(token, ()))
        if len(query) >= 2:
            candidates.update(self._single.get(initials(query), ()))
        ranked = []
        for position in candidates:
            if before is not None and self.places[position] >= before:
                continue
            value = score(query, self._words[position])
            if value >= cutoff:
                ranked.append((-value, self.names[position]))
        return [found for _, found in sorted(ranked)[:8]]


def closest_names(name: str, choices: Sequence[str], cutoff: float = 60) -> list[str]:
    """The choices closest to `name`, best first."""
    return NameMatcher(list(choices), [0] * len(choices)).closest(name, cutoff=cutoff)
