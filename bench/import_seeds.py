"""The seeds imported and checked: the planning document against its hand conversion, the
curriculum outline, the page review and the study notes.

Reads ../shared/seeds/ when it is there (it is not part of the repository; the tests never
read it) and prints, for each seed it finds:
- 002, the planning document: imported in memory and compared field by field with
  lessons/training-loop.yaml and reviews/training-loop/iteration-1.yaml, iteration-2.yaml,
  every difference grouped by its documented reason (docs/import.md);
- 004, the curriculum outline: its chapters and modules with their content bullets (5
  chapters and 14 modules);
- 000, the page review: imported (dry run) into the reference course, each page with the
  lesson it is attached to and its Expected Knowledge questions, or why it is not attached;
- 003, the study notes: the draft lesson they become.

Usage: python bench/import_seeds.py [SEED-002]
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from lessonkit.authoring import importer
from lessonkit.check.validate import validate_project
from lessonkit.read.planning import PlanKind, read_plan

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


def seed(number: str) -> Path | None:
    found = sorted(SEEDS.glob(f"{number}_*")) if SEEDS.is_dir() else []
    return found[0] if found else None


def planning_document(path: Path) -> None:
    plan = read_plan(path)
    assert plan.lesson is not None
    load = lambda path: yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))  # noqa: E731
    compare("lesson", plan.lesson, load("lessons/training-loop.yaml"))
    for index, review in enumerate(plan.reviews[:2], start=1):
        compare(f"review {index}", review, load(f"reviews/training-loop/iteration-{index}.yaml"))
    counts = Counter(note.kind.value for note in plan.notes)
    print(f"import report: {dict(counts)}")


def outline(path: Path) -> None:
    plan = read_plan(path)
    assert plan.kind is PlanKind.OUTLINE and plan.outline is not None, plan.kind
    series = plan.outline.curriculum["series"]
    modules = [module for chapter in series for module in chapter["modules"]]
    bullets = sum(len(module.get("content", [])) for module in modules)
    print(
        f"outline: {plan.outline.curriculum['title']!r}: {len(series)} chapters, "
        f"{len(modules)} modules, {bullets} content bullets"
    )
    for chapter in series:
        print(f"  series {chapter['id']} {chapter['title']!r}")
        for module in chapter["modules"]:
            print(
                f"    module {module['id']} {module['title']!r} ({module.get('label')}): "
                f"{len(module.get('content', []))} bullets"
            )


def page_review(path: Path) -> None:
    project, result = validate_project(ROOT)
    assert result.course is not None
    planned = importer.plan_import(
        [path], project=project, course=result.course, output=ROOT, cwd=ROOT
    )
    (document,) = planned.documents
    print(f"page review: {len(document.plan.pages)} pages")
    attached = {o.path.relative_to(ROOT).as_posix() for o in planned.outputs}
    for page in document.plan.pages:
        kinds = Counter(question["kind"] for question in page.questions)
        lesson = (
            page.lesson
            if f"lessons/{page.lesson}.yaml" in attached
            or any(p.startswith(f"reviews/{page.lesson}/") for p in attached)
            else None
        )
        where = f"lesson {lesson}" if lesson else "no lesson of the reference course"
        print(
            f"  {page.name.text}: {where}; {len(page.questions)} expected-knowledge questions "
            f"{dict(kinds)}, {len(page.review.get('findings', []))} suggestions"
        )
    for note in document.plan.notes:
        if note.kind.value == "unmapped" and "names no lesson" in note.message:
            print(f"  line {note.line}: {note.message}")


def study_notes(path: Path) -> None:
    plan = read_plan(path)
    assert plan.kind is PlanKind.STUDY_NOTES and plan.lesson is not None, plan.kind
    lesson = plan.lesson
    sections = lesson["design"]["outline"]
    checks = [check for section in sections for check in section.get("checks", [])]
    answered = [check for check in checks if not check["answer"].startswith("TODO")]
    todos = str(lesson).count("TODO")
    print(
        f"study notes: draft lesson {lesson['id']!r} (status {lesson['status']}): "
        f"{len(sections)} sections, {len(checks)} checks ({len(answered)} answered in the "
        f"notes), {len(lesson['expected_knowledge'])} expected-knowledge questions, "
        f"{todos} TODO placeholders"
    )


def main() -> None:
    given = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    found = {number: seed(number) for number in ("002", "004", "000", "003")}
    if given is not None:
        found = {"002": given}
    if not any(found.values()):
        print("no seeds found; nothing to check")
        return
    readers = {"002": planning_document, "004": outline, "000": page_review, "003": study_notes}
    for number, path in found.items():
        if path is not None and path.exists():
            print(f"--- seed {number}")
            readers[number](path)


if __name__ == "__main__":
    main()
