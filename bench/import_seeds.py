"""Seed 002 imported and compared, field by field, with its hand conversion.

Reads ../shared/seeds/002_*.txt when it is there (it is not part of the repository; the tests
never read it), imports it in memory, and prints every field where the import differs from
lessons/training-loop.yaml and reviews/training-loop/iteration-1.yaml, iteration-2.yaml,
grouped by the documented reason (docs/import.md, "Seed 002 against its hand conversion").

Usage: python bench/import_seeds.py [SEED]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from lessonkit.read.planning import read_plan

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"

# Why a field differs: the first pattern that matches the path names the documented reason.
REASONS = [
    (
        r"\.body$|checks\[|follow_ups|expected_knowledge",
        "hand-written student text (not in the plan)",
    ),
    (
        r"(^|\.)id$|addresses|modalities\[\d+\]$|examples\[\d+\]$|\.finding$|\.at$|\.rule$",
        "ids and links chosen by hand (the import derives them)",
    ),
    (r"^title$", "the plan's title is only the slug"),
    (r"reviewer|content_hash", "not in the plan"),
    (r"", "text: dashes fixed by hand (`validate --fix` does it), or re-worded"),
]


def flatten(data: object, prefix: str = "") -> dict[str, object]:
    if isinstance(data, dict):
        out: dict[str, object] = {}
        for key, value in data.items():
            out.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(data, list):
        out = {}
        for index, value in enumerate(data):
            out.update(flatten(value, f"{prefix}[{index}]"))
        return out
    return {prefix: data}


def normal(value: object) -> object:
    if isinstance(value, str):
        return " ".join(value.replace(" -- ", "—").replace("--", "—").split())
    return str(value) if value is not None else None


def compare(name: str, imported: dict, hand: dict) -> None:
    mine, theirs = flatten(imported), flatten(hand)
    same = sum(1 for key in theirs if key in mine and normal(mine[key]) == normal(theirs[key]))
    reasons: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for key in sorted(set(mine) | set(theirs)):
        if key in mine and key in theirs and normal(mine[key]) == normal(theirs[key]):
            continue
        reason = next(text for pattern, text in REASONS if re.search(pattern, key))
        reasons[reason] += 1
        examples.setdefault(reason, key)
    print(f"{name}: {same} of {len(theirs)} hand-converted fields equal (dashes normalised)")
    for reason, count in reasons.most_common():
        print(f"  {count:4d} differ: {reason} (e.g. {examples[reason]})")


def main() -> None:
    found = sorted(SEEDS.glob("002_*")) if SEEDS.is_dir() else []
    seed = Path(sys.argv[1]) if len(sys.argv) > 1 else (found[0] if found else None)
    if seed is None or not seed.exists():
        print("seed 002 not found; nothing to compare")
        return
    plan = read_plan(seed)
    assert plan.lesson is not None
    load = lambda path: yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))  # noqa: E731
    compare("lesson", plan.lesson, load("lessons/training-loop.yaml"))
    for index, review in enumerate(plan.reviews[:2], start=1):
        compare(f"review {index}", review, load(f"reviews/training-loop/iteration-{index}.yaml"))
    counts = Counter(note.kind.value for note in plan.notes)
    print(f"import report: {dict(counts)}")


if __name__ == "__main__":
    main()
