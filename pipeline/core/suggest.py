"""Did-you-mean: the one place a misspelt name is matched against the names that exist."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The choice closest to `word` (an exact match ignoring case first), or None."""
    options = list(choices)
    folded = word.casefold()
    for option in options:
        if option.casefold() == folded:
            return option
    close = difflib.get_close_matches(word, options, n=1, cutoff=cutoff)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = 0.6) -> str:
    """ "; did you mean 'X'?" for the closest choice, or "" when nothing is close."""
    match = closest(word, choices, cutoff=cutoff)
    return f"; did you mean '{match}'?" if match is not None else ""
