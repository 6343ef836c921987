"""Benchmark: the course glossary's cost on `validate`, and `lessonkit concepts --suggest`.

    python bench/concepts.py [--lessons N] [--concepts C] [--runs R]

1. `validate`: bench/validate.py's synthetic curriculum of N lessons (default 1,000), checked
   cold and in-process without a glossary and then with a glossary of C concepts (default
   2,000: every concept the lessons teach, with two aliases each, padded with concepts no lesson
   names). The figures should match: the glossary is one index lookup per name.
2. `concepts --suggest`: the same lessons with every concept renamed to words of a small
   vocabulary ("Sparse gradient estimator") and claimed under the names real plans use (plurals,
   "the X", qualifiers, abbreviations), so the matcher has real work; prints its time and the
   number of groups it proposes.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml


def _sibling(name: str) -> Any:
    """A sibling bench script as a module (bench/ is scripts, not a package)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", Path(__file__).with_name(name))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_VALIDATE = _sibling("validate.py")  # the synthetic curriculum and its timings
build, cold, engine = _VALIDATE.build, _VALIDATE.cold, _VALIDATE.engine

# A vocabulary as long-tailed as a real course's: a few words everywhere, most words rare.
_TEXT = """
    sparse dense linear convex stochastic adaptive batch residual recurrent causal latent
    gradient loss kernel tensor graph vector matrix weight bias layer norm score signal
    estimator optimizer schedule penalty encoder decoder sampler buffer filter pooling attention
    momentum dropout softmax entropy margin hinge logit embedding token sequence window stride
    channel feature label target metric recall precision variance prior posterior likelihood
"""
_STEMS = _TEXT.split()
WORDS = _STEMS + [f"{stem}{suffix}" for stem in _STEMS for suffix in ("ic", "al", "or")]


def _name(number: int) -> str:
    """A deterministic three-word concept name for concept `number`."""
    size = len(WORDS)
    first, second, third = number % size, (number * 7 // size) % size, (number * 13 // 5) % size
    return f"{WORDS[first].title()} {WORDS[second]} {WORDS[third]}"


def _variant(name: str, number: int) -> str:
    """One of the ways plans write `name`."""
    words = name.split()
    choice = number % 5
    if choice == 1:
        return f"the {name.lower()}"
    if choice == 2:
        return f"{name} (concept)"
    if choice == 3:
        return "".join(word[0] for word in words).upper()
    if choice == 4:
        return f"{name}s"
    return name


def glossary(folder: Path, concepts: int) -> int:
    """Write a glossary of `concepts` entries: each concept the lessons teach, then padding."""
    taught = set()
    for path in (folder / "lessons").glob("lesson-*.yaml"):
        taught.update(re.findall(r"Concept \d+\.[abc]", path.read_text(encoding="utf-8")))
    names = sorted(taught)
    names += [f"Unused concept {index}" for index in range(max(0, concepts - len(names)))]
    lines = ["concepts:"]
    for index, name in enumerate(names[:concepts]):
        ident = name.lower().replace(" ", "-").replace(".", "-")
        lines += [
            f"  - id: {ident}",
            f"    name: {name}",
            f"    aliases: [Alias {index} one, Alias {index} two]",
            f"    definition: What concept {index} means, in one sentence.",
        ]
    (folder / "lessons" / "concepts.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return min(len(names), concepts)


def rename(folder: Path) -> None:
    """Give every concept a name of words, and write claims the ways plans do."""
    pattern = re.compile(r"Concept (\d+)\.([abc])")
    for path in sorted((folder / "lessons").glob("lesson-*.yaml")):
        text = path.read_text(encoding="utf-8")
        lines = []
        for number, line in enumerate(text.splitlines(keepends=True)):
            claim = "concept:" in line

            def name(match: re.Match[str], number: int = number, claim: bool = claim) -> str:
                concept = int(match.group(1)) * 3 + "abc".index(match.group(2))
                base = _name(concept)
                return _variant(base, number) if claim else base

            lines.append(pattern.sub(name, line))
        path.write_text("".join(lines), encoding="utf-8")
    (folder / "lessons" / "concepts.yaml").unlink(missing_ok=True)


def engine_cpu(folder: Path) -> float:
    """CPU seconds of an in-process validate: steadier than wall time on a busy machine."""
    from lessonkit.check.validate import default_paths, run
    from lessonkit.core.project import open_project

    project = open_project(folder)
    start = time.process_time()
    run(default_paths(project), project=project, cwd=folder)
    return time.process_time() - start


def suggest(folder: Path) -> tuple[float, float, float, int]:
    """(wall, CPU) seconds of `concepts --suggest` in-process, the CPU part of reading the
    course, and the number of groups."""
    from lessonkit.check.validate import run
    from lessonkit.core.project import open_project
    from lessonkit.course.aliases import suggest as propose

    project = open_project(folder)
    wall, cpu = time.perf_counter(), time.process_time()
    course = run([], project=project, cwd=folder).course
    read = time.process_time() - cpu
    assert course is not None
    groups = propose(course)
    return time.perf_counter() - wall, time.process_time() - cpu, read, len(groups)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--concepts", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="lessonkit-bench-concepts-"))
    try:
        build(folder, args.lessons)
        print(f"lessons: {args.lessons}")
        # Runs alternate without and with the glossary, best of each: on a machine shared with
        # other work, back-to-back blocks would measure the neighbours as much as the glossary.
        labels = ("without a glossary", f"with {args.concepts:,} glossary concepts")
        figures: dict[str, list[tuple[float, float, float, int, str]]] = {x: [] for x in labels}
        for _ in range(args.runs):
            for label in labels:
                if label.startswith("with "):
                    assert glossary(folder, args.concepts) == args.concepts
                else:
                    (folder / "lessons" / "concepts.yaml").unlink(missing_ok=True)
                seconds, peak, said = cold(folder)
                figures[label].append((seconds, engine(folder), engine_cpu(folder), peak, said))
        for label in labels:
            runs = figures[label]
            print(f"validate {label}:")
            print(f"  said:               {runs[0][4]}")
            print(f"  cold validate:      {min(r[0] for r in runs):.2f} s (best of {args.runs})")
            wall, cpu = min(r[1] for r in runs), min(r[2] for r in runs)
            print(f"  engine, in-process: {wall:.2f} s wall, {cpu:.2f} s CPU")
            print(f"  peak memory (RSS):  {max(r[3] for r in runs) / 1024:.0f} MiB")
        rename(folder)
        wall, cpu, read, groups = min(suggest(folder) for _ in range(args.runs))
        print(f"concepts --suggest over {args.lessons} lessons: {wall:.2f} s wall, {cpu:.2f} s CPU")
        print(f"  of which reading the course: {read:.2f} s CPU; {groups} groups proposed")
        data = yaml.safe_load((folder / "lessons" / "lesson-0010.yaml").read_text("utf-8"))
        shown = [row["concept"] for row in data["student_state"]["concepts"][:3]]
        print(f"  claims read like:   {shown}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
