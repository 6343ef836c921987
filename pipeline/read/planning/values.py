"""Reading the values planning documents write in cells and bullets: depths, citations,
statuses, ids, and the word overlap that links outline sections to what they address.

Each reader returns the value lessonkit stores and, when the author wrote more than that value
(a qualifier, a second lesson, a module instead of a lesson), what was written, so the import
keeps it and the report can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .located import Located

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NOT_A_LESSON = frozenset(
    {"assumed", "prior", "background", "none", "na", "general", "everyday", "various", "tbd"}
)
_MODULE_REF = re.compile(r"\((?P<number>\d+(?:\.\d+){0,2})\)")
_STOP = frozenset(
    re.split(
        r"\s+",
        "a an and are as at be by for from how in into is it its of on or the this that to with "
        "when what where why vs not no do does before after their they them student students "
        "lesson section part",
    )
)

MISSING_DEPTHS = ("MISSING", "NOT TAUGHT", "NOT COVERED", "NONE")


def slugify(text: str, *, words: int = 6) -> str:
    """A short id from free text: lower-case words joined by hyphens (at most `words`)."""
    plain = re.sub(r"[`*_]", "", text).lower()
    tokens = re.findall(r"[a-z0-9]+", plain)
    return "-".join(tokens[:words])


def unique(slug: str, taken: set[str], fallback: str) -> str:
    """`slug` (or `fallback` when empty), with -2, -3 ... appended until unused; recorded."""
    base = slug or fallback
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    taken.add(candidate)
    return candidate


def is_slug(text: str) -> bool:
    return bool(_SLUG.match(text))


# --- depths and statuses ------------------------------------------------------------------


@dataclass(frozen=True)
class Depth:
    """A depth cell: the depth on the scale (None for MISSING/NOT TAUGHT), and the cell as
    written when it says more (a qualifier, a move from one depth to another)."""

    depth: str | None
    as_written: str | None
    known: bool  # False when nothing on the scale (or MISSING) was found


_ARROW = re.compile(r"\s*(?:→|->|=>|⟶)\s*")


def read_depth(cell: str, scale: tuple[str, ...]) -> Depth:
    """DEVELOPED, 'DEVELOPED (assumed)', 'INTRODUCED→DEVELOPED' (the right-hand depth is the
    one reached), MISSING, NOT TAUGHT."""
    written = cell.strip().strip("*").strip()
    upper = written.upper()
    for missing in MISSING_DEPTHS:
        if upper.startswith(missing):
            return Depth(None, written, True)
    parts = _ARROW.split(upper)
    found: str | None = None
    for part in reversed(parts):
        word = re.match(r"[A-Z]+", part.strip())
        if word and word.group(0) in scale:
            found = word.group(0)
            break
    if found is None:
        for name in scale:
            if re.search(rf"\b{name}\b", upper):
                found = name
                break
    if found is None:
        return Depth(None, written or None, False)
    return Depth(found, None if written == found else written, True)


def read_status(cell: str) -> tuple[str | None, str | None]:
    """A prerequisite status: (OK | GAP | MISSING, the cell as written when it says more)."""
    written = cell.strip().strip("*").strip()
    upper = written.upper()
    for status in ("OK", "GAP", "MISSING"):
        if re.match(rf"{status}\b", upper):
            return status, None if written == status else written
    if upper.startswith(("NOT TAUGHT", "UNTAUGHT")):
        return "MISSING", written
    return None, written or None


# --- citations ------------------------------------------------------------------------------


@dataclass
class Citation:
    """A Source cell: the lesson it names first, the others, and the cell as written when it
    is not simply `slug` or `slug (1.1)`."""

    source: str | None = None
    also: list[str] = field(default_factory=list)
    note: str | None = None
    kind: str = "lesson"  # lesson, module, series, assumed, none


def read_citation(cell: str) -> Citation:
    """`slug`, `slug (1.1)`, `slug (1.1.3)`, `slug -- note`, several slugs, a module number
    or name, prior education, N/A."""
    written = cell.strip().strip("*").strip()
    plain = written.strip("`")
    lowered = plain.lower()
    if not plain or lowered in ("n/a", "na", "-", "—", "none", "tbd"):
        return Citation(None, [], written or None, "none")
    if re.match(r"^(series)\b", lowered):
        return Citation(None, [], written, "series")
    if re.match(r"^(module|mod\.?)\s*\d", lowered) or re.match(r"^\d+(\.\d+)*$", lowered):
        return Citation(None, [], written, "module")
    if re.search(r"\b(prior|assumed|background|education|general knowledge|everyday)\b", lowered):
        return Citation(None, [], written, "assumed")
    pieces = [p for p in re.split(r"\s*(?:[,;/+&]|\s and\s)\s*(?![^()]*\))", plain) if p.strip()]
    slugs: list[str] = []
    extra = False
    for piece in pieces:
        head = re.match(r"^`?([a-z0-9]+(?:-[a-z0-9]+)*)`?(.*)$", piece.strip())
        if head is None or head.group(1) in _NOT_A_LESSON:
            extra = True
            continue
        rest = head.group(2).strip()
        if rest and not _MODULE_REF.fullmatch(rest):
            extra = True
        slugs.append(head.group(1))
    if not slugs:
        kind = "module" if re.search(r"\bmodule\b", lowered) else "assumed"
        return Citation(None, [], written, kind)
    return Citation(slugs[0], slugs[1:], written if extra else None, "lesson")


# --- word overlap -------------------------------------------------------------------------


def words(text: str) -> set[str]:
    """Content words of a text for overlap matching: lower case, stop words and plurals
    removed, code identifiers kept whole (`optimizer.step`)."""
    tokens = re.findall(r"[a-z0-9_]+(?:\.[a-z0-9_]+)*", text.lower())
    out = set()
    for token in tokens:
        if token in _STOP or len(token) < 2:
            continue
        if len(token) > 4 and token.endswith("s") and not token.endswith("ss"):
            token = token[:-1]
        out.add(token)
        if "." in token:  # `optimizer.step` also counts as "optimizer" and "step"
            out.update(part for part in token.split(".") if len(part) > 1 and part not in _STOP)
    return out


def overlap(a: str, b: str) -> float:
    """Share of `a`'s content words that `b` has (0 when `a` has none)."""
    left, right = words(a), words(b)
    return len(left & right) / len(left) if left else 0.0


def quoted(text: str) -> list[str]:
    """The phrases a text quotes ("..." or “...”)."""
    return [m.group(1) or m.group(2) for m in re.finditer(r'"([^"\n]+)"|“([^”\n]+)”', text)]


def strip_quotes(value: Located) -> Located:
    text = value.text
    if len(text) >= 2 and text[0] in '"“' and text[-1] in '"”':
        return value.cut(1, len(text) - 1).strip()
    return value
