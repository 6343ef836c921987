"""Benchmark: issue 13's speed figures, side by side in one run, each next to its goal.

    python bench/speed.py [--lessons N] [--render-lessons M] [--skip-render] [--runs R] [--keep DIR]

Builds N lessons (default 1,000) with bench/validate.py's generator, then prints:

- the bare load: reading the lesson files and `yaml.load` with libyaml's CSafeLoader, in-process;
- cold `validate`: wall time of a fresh `lessonkit validate` process, and its ratio to the load;
- the peak memory (max RSS) of that validate process;
- `render` cold (into an empty folder) and with nothing changed (the same folder again), on M
  lessons (default min(N, 200): rendering 1,000 lessons takes minutes);
- `lessonkit --version` wall time.

Times are the best of R runs (render: one run each). Figures only; nothing is asserted. The
machine's load shows in every figure: compare figures from one run, not across runs.
With --keep DIR the generated courses are kept in DIR and reused when they are already there.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.validate import build  # the same synthetic course as bench/validate.py

LESSONKIT = str(Path(sys.executable).parent / "lessonkit")


def course(folder: Path, count: int) -> list[Path]:
    """The lesson files of a generated `count`-lesson course in folder, built unless there."""
    lessons = folder / "lessons"
    paths = sorted(p for p in lessons.glob("lesson-*.yaml")) if lessons.is_dir() else []
    if len(paths) != count:
        shutil.rmtree(folder, ignore_errors=True)
        paths = build(folder, count)
    return paths


def run_child(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds, the peak RSS (KiB) of exactly this child (wait4), its last output line."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().strip().splitlines()
    return elapsed, usage.ru_maxrss, lines[-1] if lines else ""


def bare_load(paths: list[Path]) -> float:
    start = time.perf_counter()
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return time.perf_counter() - start


def row(name: str, figure: str, goal: str) -> None:
    print(f"{name:<34} {figure:<28} {goal}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--render-lessons", type=int, help="default: min(lessons, 200)")
    parser.add_argument("--skip-render", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the generated courses here, and reuse them")
    args = parser.parse_args()
    render_count = args.render_lessons or min(args.lessons, 200)

    base = args.keep or Path(tempfile.mkdtemp(prefix="lessonkit-speed-"))
    base.mkdir(parents=True, exist_ok=True)
    try:
        folder = base / f"c{args.lessons}"
        paths = course(folder, args.lessons)
        size = sum(path.stat().st_size for path in paths)
        load = min(bare_load(paths) for _ in range(args.runs))
        colds = [run_child([LESSONKIT, "validate"], folder) for _ in range(args.runs)]
        cold = min(run[0] for run in colds)
        peak = max(run[1] for run in colds) / 1024
        version = min(run_child([LESSONKIT, "--version"], folder)[0] for _ in range(args.runs))

        print(f"{args.lessons} lessons, {size / 1e6:.1f} MB of YAML; times best of {args.runs}")
        print(f"validate said: {colds[0][2]}")
        row("figure", "measured", "goal (issue 13)")
        row("bare libyaml load", f"{load:.2f} s", "(the yardstick)")
        row(
            "cold validate, fresh process",
            f"{cold:.2f} s = {cold / load:.2f}x load",
            "<= 1.0x load",
        )
        row("nothing-changed validate", "not measured (no cache)", "<= 0.1x load")
        row("peak RSS of validate", f"{peak:.0f} MiB", "<= 300 MiB at 1,000 lessons")
        row("lessonkit --version", f"{version:.2f} s", "<= 0.15 s")
        if args.skip_render:
            row("render", "skipped (--skip-render)", "")
            return
        render_folder = folder if render_count == args.lessons else base / f"c{render_count}"
        course(render_folder, render_count)
        site = Path(tempfile.mkdtemp(prefix="lessonkit-speed-site-")) / "site"
        try:
            render = [LESSONKIT, "render", "-o", str(site)]
            first, first_peak, first_said = run_child(render, render_folder)
            again, _, again_said = run_child(render, render_folder)
        finally:
            shutil.rmtree(site.parent, ignore_errors=True)
        print(f"render, {render_count} lessons; cold said: {first_said}")
        print(f"                   nothing-changed said: {again_said}")
        row("render cold", f"{first:.2f} s ({first_peak / 1024:.0f} MiB)", "<= 0.5x mkdocs build")
        row(
            "render, nothing changed",
            f"{again:.2f} s = {again / first:.2f}x cold",
            "<= 0.05x cold render",
        )
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
