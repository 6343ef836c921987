"""Benchmark: `lessonkit validate` on a synthetic curriculum shaped like the reference lessons.

    python bench/validate.py [--lessons N] [--runs R] [--keep DIR]

Builds N lessons (default 1,000) from the reference lessons' own text, rewired into a consistent
concept ledger (each lesson teaches its own concepts and claims concepts that earlier lessons
teach), plus a curriculum.yaml of modules of ten. Then it prints:

- cold `validate`: wall time of a fresh `lessonkit validate` process (imports included), best of R;
- engine: the in-process time of the same run, without interpreter start-up;
- bare parse: reading the files and `yaml.load` with libyaml's CSafeLoader, nothing else;
- the ratio engine / bare parse, and the peak memory (max RSS) of the validate process.
"""

from __future__ import annotations

import argparse
import copy
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
LESSONS_PER_MODULE = 10


class _BlockDumper(yaml.SafeDumper):
    """Writes multi-line strings as `|` blocks, as authors do."""


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.endswith((" ", "\n\n")) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str)


def _templates() -> list[dict[str, Any]]:
    lessons = []
    for path in sorted((REPO / "lessons").glob("*.yaml")):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        if (
            isinstance(data, dict) and "design" in data
        ):  # lessons only, not the curriculum or glossary
            lessons.append(data)
    if not lessons:
        sys.exit("bench: no reference lessons in lessons/ to shape the synthetic ones after")
    return lessons


def build(folder: Path, count: int) -> list[Path]:
    """Write `count` lessons and a curriculum into folder/lessons; returns the lesson paths."""
    templates = _templates()
    lessons_dir = folder / "lessons"
    lessons_dir.mkdir(parents=True)
    (folder / "pyproject.toml").write_text("", encoding="utf-8")
    shutil.copytree(REPO / "notebooks", folder / "notebooks")  # the lessons' practice notebooks
    ids = [f"lesson-{index:04d}" for index in range(count)]
    paths = []
    modules: list[dict[str, Any]] = []
    for index, lesson_id in enumerate(ids):
        module = f"{index // LESSONS_PER_MODULE + 1}.1"
        position = index % LESSONS_PER_MODULE + 1
        if position == 1:
            modules.append({"id": module, "title": f"Module {module}", "lessons": []})
        modules[-1]["lessons"].append(lesson_id)
        lesson = _shape(templates[index % len(templates)], ids, index, module, position)
        path = lessons_dir / f"{lesson_id}.yaml"
        path.write_text(yaml.dump(lesson, Dumper=_BlockDumper, sort_keys=False, width=100))
        paths.append(path)
    curriculum = {
        "title": "Synthetic curriculum",
        "series": [{"id": "1", "title": "Synthetic", "modules": modules}],
    }
    (lessons_dir / "curriculum.yaml").write_text(yaml.dump(curriculum, sort_keys=False))
    return paths


def _taught(index: int, count: int) -> list[str]:
    return [f"Concept {index}.{letter}" for letter in "abc"[:count]]


def _shape(
    template: dict[str, Any], ids: list[str], index: int, module: str, position: int
) -> dict[str, Any]:
    lesson = copy.deepcopy(template)
    lesson.update(id=ids[index], module=module, position=position)
    lesson.pop("previous", None)
    lesson.pop("next", None)
    if index:
        lesson["previous"] = ids[index - 1]
    if index + 1 < len(ids):
        lesson["next"] = ids[index + 1]
    lesson["status"] = "in-review"
    # A rhythm the P011 rule accepts, whatever order the templates come in.
    lesson["type"] = ("BUILD", "STRETCH", "BUILD", "CONSOLIDATE")[index % 4]
    # The ledger: this lesson teaches its template's number of concepts under fresh names, and
    # every student-state and prerequisite row cites a concept an earlier lesson teaches.
    scope = lesson["design"]["scope"]
    names = _taught(index, 3)
    for row, name in zip(scope["target_depths"], names * 10, strict=False):
        row.update(concept=name, depth="DEVELOPED")
        row.pop("id", None)
    for rows, depth_key in (
        (lesson["student_state"]["concepts"], "depth"),
        (lesson["analysis"]["prerequisites"], "actual_depth"),
    ):
        if index == 0:
            rows.clear()  # the first lesson builds on nothing
        for offset, row in enumerate(rows):
            row.pop("id", None)
            source = max(0, index - 1 - offset % 5)
            row.update(concept=f"Concept {source}.a", source=ids[source])
            row[depth_key] = "DEVELOPED"
            if "required_depth" in row:
                row["required_depth"] = "DEVELOPED"
    return lesson


def bare_parse(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def engine(folder: Path) -> float:
    from lessonkit.check.validate import default_paths, run
    from lessonkit.core.project import open_project

    project = open_project(folder)
    start = time.perf_counter()
    result = run(default_paths(project), project=project, cwd=folder)
    elapsed = time.perf_counter() - start
    if result.internal_errors:
        sys.exit("bench: internal errors:\n" + "\n".join(result.internal_errors))
    return elapsed


def cold(folder: Path) -> tuple[float, int, str]:
    executable = Path(sys.executable).parent / "lessonkit"
    start = time.perf_counter()
    completed = subprocess.run(
        [str(executable), "validate"], cwd=folder, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = completed.stdout.strip().splitlines()[-1] if completed.stdout else completed.stderr
    return elapsed, peak_kib, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the curriculum here and keep it")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="lessonkit-bench-"))
    if args.keep and folder.exists():
        shutil.rmtree(folder)
    try:
        paths = build(folder, args.lessons)
        size = sum(path.stat().st_size for path in paths)
        colds = [cold(folder) for _ in range(args.runs)]
        parse = min(bare_parse(paths) for _ in range(args.runs))
        inproc = min(engine(folder) for _ in range(args.runs))
        best = min(run[0] for run in colds)
        print(f"lessons:             {args.lessons} ({size / 1e6:.1f} MB of YAML)")
        print(f"validate said:       {colds[0][2]}")
        print(f"cold validate:       {best:.2f} s  (fresh process, best of {args.runs})")
        print(f"engine, in-process:  {inproc:.2f} s")
        print(f"bare C-loader parse: {parse:.2f} s  (libyaml: {yaml.__with_libyaml__})")
        print(f"ratio engine/parse:  {inproc / parse:.2f}")
        print(f"peak memory (RSS):   {max(run[1] for run in colds) / 1024:.0f} MiB")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
