"""Fuzz: the hostile-input corpus, thousands of mutated lessons and script payloads in pages.

    python bench/fuzz.py [--mutations N] [--seed S] [--workers W] [--no-render] [--no-browser]
                         [--cases NAME ...] [--start K]

The full count of issue 16's robustness suite (the tests run a bounded count of the same
generators, from tests/robustness/):

- corpus: every case of tests/robustness/corpus.py through the real `lessonkit` command in a
  subprocess, and (unless --no-render) each validate case through `render` as well;
- mutations: N (default 2,000) seeded line and byte mutations of the reference lessons,
  curriculum and reviews, each validated in-process by worker processes (a worker that stops
  answering for 60 s is killed, its mutation counted as a hang, and restarted after it);
- browser (unless --no-browser, or when Chromium or Playwright is missing): the script payloads
  of tests/robustness/xss.py in every field that reaches a page, rendered and loaded in headless
  Chromium.

It prints cases tried, tracebacks, hangs over 10 s, peak RSS (the largest of any one child
process: its VmHWM, read from /proc while it runs or reported by the worker itself), script
executions, and writes outside the project or output folder (hashes of the case folder, and of a
sentinel folder beside each worker's course, before and after). It asserts nothing timed; it
exits 1 when it found a traceback, a hang past the 60 s limit, a script execution or a write
outside, so a CI job can run it as a gate.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import selectors
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from robustness import corpus, mutations  # noqa: E402  (the generators live with the tests)

SLOW = 10.0  # a case slower than this is reported as a hang over 10 s
HANG = corpus.HANG_SECONDS


@dataclass
class Tally:
    """What one pass found."""

    tried: int = 0
    tracebacks: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)  # over SLOW seconds, or killed at HANG
    killed: list[str] = field(default_factory=list)  # no answer within HANG seconds
    writes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # any other way of not being good
    executions: list[str] = field(default_factory=list)
    peak_kb: int = 0
    peak_of: str = ""
    slowest: float = 0.0
    slowest_of: str = ""
    seconds: float = 0.0

    def memory(self, kb: int, what: str) -> None:
        if kb > self.peak_kb:
            self.peak_kb, self.peak_of = kb, what

    def time(self, seconds: float, what: str) -> None:
        if seconds > self.slowest:
            self.slowest, self.slowest_of = seconds, what
        if seconds > SLOW:
            self.hangs.append(f"{what} ({seconds:.1f} s)")


# --- corpus --------------------------------------------------------------------------------------


def run_corpus(cases: list[corpus.Case], workers: int, folder: Path) -> Tally:
    tally = Tally()
    start = time.monotonic()

    def one(case: corpus.Case) -> tuple[corpus.Case, Any]:
        try:
            place, outcome = corpus.run_case(case, folder / case.name.replace("@", "-at-"))
            return case, (place, outcome, corpus.judge(case, place, outcome))
        except Exception:
            return case, traceback.format_exc()

    with ThreadPoolExecutor(max_workers=workers) as pool:
        for case, result in pool.map(one, cases):
            tally.tried += 1
            if isinstance(result, str):
                tally.failures.append(f"{case.name}: the case could not be built: {result}")
                continue
            _, outcome, problems = result
            tally.memory(outcome.maxrss_kb, case.name)
            tally.time(outcome.seconds, case.name)
            if outcome.returncode is None:
                tally.killed.append(case.name)
            for problem in problems:
                shown = f"{case.name}: {problem}"
                if problem.startswith("traceback"):
                    tally.tracebacks.append(shown)
                elif problem.startswith("wrote outside") or "outside the project" in problem:
                    tally.writes.append(shown)
                elif not problem.startswith("hang"):
                    tally.failures.append(shown)
    tally.seconds = time.monotonic() - start
    return tally


# --- mutations -----------------------------------------------------------------------------------


def worker(seed: str, start: int, count: int) -> None:
    """Validate mutations start..start+count-1 of `seed` in this process, one JSON line each."""
    folder = Path(tempfile.mkdtemp(prefix="lessonkit-fuzz-"))
    try:
        course = mutations.copy_course(folder / "course")
        sentinel = folder / "sentinel"
        sentinel.mkdir()
        (sentinel / "victim.txt").write_text("no validate run may change this\n")
        files = mutations.targets(course)
        before = corpus.snapshot(folder)
        for index in range(start, start + count):
            rng = random.Random(f"{seed}:{index}")
            relative = rng.choice(files)
            drawn = mutations.random_mutations(rng)
            path = course / relative
            original = path.read_bytes()
            began = time.perf_counter()
            error = None
            code: int | None = None
            try:
                path.write_bytes(mutations.apply_all(original, drawn))
                code, internal = mutations.check_course(course)
                error = internal[0] if internal else None
            except Exception:
                error = traceback.format_exc()
            finally:
                path.write_bytes(original)
            _emit(
                {
                    "index": index,
                    "file": relative,
                    "mutations": [str(m) for m in drawn],
                    "seconds": time.perf_counter() - began,
                    "code": code,
                    "error": error,
                }
            )
        after = corpus.snapshot(folder)
        changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        _emit({"done": True, "hwm_kb": corpus.high_water_kb(os.getpid()), "changed": changed})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


def _lines(process: subprocess.Popen[bytes], timeout: float) -> Iterator[str | None]:
    """The worker's output lines; None when it says nothing for `timeout` seconds."""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    buffered = ""
    stream = process.stdout.fileno()
    while True:
        if "\n" in buffered:
            line, buffered = buffered.split("\n", 1)
            yield line
            continue
        if not selector.select(timeout):
            yield None
            return
        chunk = os.read(stream, 1 << 16)
        if not chunk:
            return
        buffered += chunk.decode("utf-8", errors="replace")


def run_mutation_range(
    seed: str, start: int, count: int, tally: Tally, lock: threading.Lock
) -> None:
    """Drive workers over start..start+count-1, restarting one after a hang or a crash."""
    following = start
    end = start + count
    while following < end:
        argv = [sys.executable, __file__, "--worker", "--seed", seed]
        argv += ["--start", str(following), "--mutations", str(end - following)]
        # stderr to a file: a chatty worker must not block on a full pipe and look hung.
        with tempfile.TemporaryFile() as errors:
            process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=errors, cwd=REPO)
            following, finished = _drive(process, following, tally, lock)
            process.communicate()
            errors.seek(0)
            stderr = errors.read().decode("utf-8", errors="replace")
        if finished or following >= end:
            break
        if process.returncode != -9:  # it died by itself: a crash, or out of memory
            with lock:
                tally.tried += 1
                tally.tracebacks.append(f"mutation {following}: worker died: {_last_line(stderr)}")
            following += 1


def _drive(
    process: subprocess.Popen[bytes], following: int, tally: Tally, lock: threading.Lock
) -> tuple[int, bool]:
    """Read one worker's records into `tally`; returns (next index, whether it finished)."""
    peak = 0
    for line in _lines(process, HANG):
        peak = max(peak, corpus.high_water_kb(process.pid))
        if line is None:
            process.kill()
            with lock:
                tally.tried += 1
                tally.killed.append(f"mutation {following}")
                tally.hangs.append(f"mutation {following} (over {HANG:.0f} s, killed)")
            return following + 1, False
        record = json.loads(line)
        if record.get("done"):
            with lock:
                tally.memory(max(peak, record["hwm_kb"]), "a mutation worker")
                tally.writes += [f"mutation worker wrote {path}" for path in record["changed"]]
            return following, True
        following = record["index"] + 1
        what = f"mutation {record['index']} of {record['file']} {record['mutations']}"
        with lock:
            tally.tried += 1
            if tally.tried % 250 == 0:
                print(f"  ... {tally.tried} mutations", file=sys.stderr, flush=True)
            tally.time(record["seconds"], what)
            if record["error"]:
                tally.tracebacks.append(f"{what}: {_last_line(record['error'])}")
            elif record["code"] not in (0, 1):
                tally.failures.append(f"{what}: exit {record['code']}")
    return following, False


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(nothing)"


def run_mutations(count: int, seed: str, workers: int, start: int) -> Tally:
    tally = Tally()
    began = time.monotonic()
    lock = threading.Lock()
    share, extra = divmod(count, workers)
    ranges = []
    first = start
    for number in range(workers):
        size = share + (1 if number < extra else 0)
        if size:
            ranges.append((first, size))
        first += size
    threads = [
        threading.Thread(target=run_mutation_range, args=(seed, a, n, tally, lock))
        for a, n in ranges
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tally.seconds = time.monotonic() - began
    return tally


# --- browser -------------------------------------------------------------------------------------


def run_browser(folder: Path) -> tuple[Tally | None, str]:
    """The payload site rendered and scanned; (None, why) when it cannot run here."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        return None, "no Chromium"
    try:
        from playwright.sync_api import sync_playwright  # optional: the test extra installs it
    except ImportError:
        return None, "no Playwright"
    from robustness import xss  # imports lessonkit's models

    tally = Tally()
    began = time.monotonic()
    root = folder / "payloads" / "project"
    root.mkdir(parents=True)
    sentinel = folder / "payloads" / "sentinel"
    sentinel.mkdir()
    (sentinel / "victim.txt").write_text("render may not change this\n")
    fields = xss.build_project(root)
    before = corpus.snapshot(root.parent, root / "site")
    argv = [*corpus.lessonkit_command(), "render", "-o", "site"]
    code, _, stderr, seconds, rss = corpus.run_command(argv, root)
    tally.memory(rss, "render of the payload site")
    tally.time(seconds, "render of the payload site")
    after = corpus.snapshot(root.parent, root / "site")
    tally.writes += [p for p in before.keys() | after.keys() if before.get(p) != after.get(p)]
    if corpus.TRACEBACK in stderr:
        tally.tracebacks.append(f"render of the payload site: {_last_line(stderr)}")
    if code not in (0, 1):
        tally.failures.append(f"render of the payload site exited {code}: {_last_line(stderr)}")
    pages = xss.pages(root / "site")
    tally.tried = len(pages)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=xss.CHROMIUM_ARGS)
        try:
            report = xss.scan_site(root / "site", browser)
        finally:
            browser.close()
    for page, found in sorted(report.items()):
        for item in found:
            shown = f"{page}: {item}"
            (tally.executions if item.startswith("executed") else tally.failures).append(shown)
    tally.seconds = time.monotonic() - began
    note = f"{len(xss.PAYLOADS)} payloads in {fields} fields, {len(pages)} pages"
    return tally, note


# --- report --------------------------------------------------------------------------------------


def _mb(kb: int) -> str:
    return f"{kb / 1024:.0f} MB"


def show(title: str, tally: Tally, note: str = "") -> None:
    print(f"{title}: {tally.tried} tried in {tally.seconds:.1f} s{f' ({note})' if note else ''}")
    print(f"  tracebacks:           {len(tally.tracebacks)}")
    slowest = f" (slowest {tally.slowest:.1f} s: {tally.slowest_of})" if tally.slowest_of else ""
    print(f"  hangs over {SLOW:.0f} s:      {len(tally.hangs)}{slowest}")
    if tally.peak_kb:
        print(f"  peak RSS:             {_mb(tally.peak_kb)} ({tally.peak_of})")
    print(f"  script executions:    {len(tally.executions)}")
    print(f"  writes outside:       {len(tally.writes)}")
    print(f"  other failures:       {len(tally.failures)}")
    for label, items in (
        ("traceback", tally.tracebacks),
        ("hang", tally.hangs),
        ("execution", tally.executions),
        ("write outside", tally.writes),
        ("failure", tally.failures),
    ):
        for item in items[:12]:
            print(f"    {label}: {item[:300]}")
        if len(items) > 12:
            print(f"    ... and {len(items) - 12} more")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mutations", type=int, default=2000, help="mutated lessons to check")
    parser.add_argument("--seed", default="1", help="seed of the mutations")
    parser.add_argument("--start", type=int, default=0, help="index of the first mutation")
    parser.add_argument("--workers", type=int, default=2, help="processes in parallel")
    parser.add_argument("--no-render", action="store_true", help="skip render runs of cases")
    parser.add_argument("--no-browser", action="store_true", help="skip the payload pages")
    parser.add_argument("--no-corpus", action="store_true", help="skip the corpus")
    parser.add_argument("--cases", nargs="*", help="only these corpus cases (names)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.seed, args.start, args.mutations)
        return 0

    folder = Path(tempfile.mkdtemp(prefix="lessonkit-fuzz-"))
    print(f"lessonkit fuzz: seed {args.seed}, {args.workers} workers, in {folder}")
    tallies: list[Tally] = []
    try:
        if not args.no_corpus:
            cases = corpus.all_cases(render_variants=not args.no_render)
            if args.cases:
                cases = [c for c in cases if c.name.split("@")[0] in args.cases]
            tally = run_corpus(cases, args.workers, folder / "corpus")
            show(
                "corpus",
                tally,
                f"{len(corpus.CASES)} cases, render runs included: {not args.no_render}",
            )
            tallies.append(tally)
        if args.mutations:
            tally = run_mutations(args.mutations, args.seed, args.workers, args.start)
            show("mutations", tally, f"seed {args.seed}, from {args.start}")
            tallies.append(tally)
        if not args.no_browser:
            browser, note = run_browser(folder)
            if browser is None:
                print(f"browser: skipped ({note})")
            else:
                show("browser", browser, note)
                tallies.append(browser)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    total = Tally()
    for tally in tallies:
        total.tried += tally.tried
        total.tracebacks += tally.tracebacks
        total.hangs += tally.hangs
        total.killed += tally.killed
        total.writes += tally.writes
        total.executions += tally.executions
        total.failures += tally.failures
        total.memory(tally.peak_kb, tally.peak_of)
    print(
        f"total: {total.tried} cases tried, {len(total.tracebacks)} tracebacks, "
        f"{len(total.hangs)} hangs over {SLOW:.0f} s, peak RSS {_mb(total.peak_kb)}, "
        f"{len(total.executions)} script executions, {len(total.writes)} writes outside, "
        f"{len(total.failures)} other failures"
    )
    found = total.tracebacks or total.killed or total.executions or total.writes
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
