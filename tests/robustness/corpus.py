"""Hostile and broken input (issue 16), generated into a temporary folder and run through the
real command line in a subprocess.

Each case builds a small project in `<folder>/project` next to `<folder>/outside`, a folder of
sentinel files that no command may change or echo, runs one `lessonkit` command there and judges
the outcome by what "good" means for it. Every case, whatever its kind:

- no traceback on stdout or stderr, and an exit within HANG_SECONDS (else it is a hang);
- nothing changed outside the project, nor inside it outside the output folder when rendering;
- nothing of `outside/` echoed in the output or copied into the site.

and then, by kind (`Good`):

- REPORT: exit 0 or 1, the expected coded diagnostics at the expected lines, and the witness
  lesson's planted W001 still reported, so one broken file hides nothing of the others;
- CONFIG_ERROR: exit 2 with a single line `lessonkit: ...` on stderr;
- REPORT_OR_REFUSAL: either of the above, for cases where refusing the run is as right as
  reporting on it.

Nothing binary is committed: every file is written by the builders below. `bench/fuzz.py` runs
the whole corpus (and each case through `render` as well); the tests run it with a bounded
count, the heavy cases marked slow.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import json
import os
import re
import resource
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
BASE_LESSON = (REPO / "tests" / "fixtures" / "complete_lesson.yaml").read_text(encoding="utf-8")
HANG_SECONDS = 60.0
# Address space per command: a runaway case fails (MemoryError) instead of taking the machine.
MEMORY_LIMIT = 2 << 30
TRACEBACK = "Traceback (most recent call last)"
SECRET = "SECRET-7f3a9c"  # written only outside the project; must never come back out
MANIFEST = ".lessonkit-site.json"
SNAPSHOT_HASH_LIMIT = 8 << 20
OUTPUT = "site"


def line_of(text: str, marker: str) -> int:
    """The 1-based line of the first occurrence of `marker` in `text`."""
    index = text.index(marker)
    return text.count("\n", 0, index) + 1


def lesson(lesson_id: str, *edits: tuple[str, str], append: str = "") -> str:
    """The base lesson (it passes every rule) with another id, `edits` made and `append`
    added at the end."""
    text = BASE_LESSON.replace("id: fixture-lesson", f"id: {lesson_id}", 1)
    for old, new in edits:
        if old not in text:
            raise ValueError(f"the base lesson has no {old!r} to edit")
        text = text.replace(old, new, 1)
    return text + append


TITLE = "title: Mean squared error"
POSITION = "position: 1"
BODY = "      body: |\n"
WITNESS_MARK = "You trained nothing yet — but"
WITNESS = lesson("witness", ("You trained nothing yet, but", WITNESS_MARK))
WITNESS_LINE = line_of(WITNESS, WITNESS_MARK)

REVIEW = """\
lesson: witness
iteration: 1
date: 2024-03-01
reviewer: A. Reviewer
summary: {critical: 0, improvement: 0, polish: 0}
verdict: PASS
"""


def curriculum(*lesson_ids: str) -> str:
    listed = ", ".join(lesson_ids)
    return (
        "title: A course\n"
        "series:\n"
        "  - id: '1'\n"
        "    title: The series\n"
        "    modules:\n"
        "      - id: '1.1'\n"
        "        title: The module\n"
        f"        lessons: [{listed}]\n"
    )


NOTEBOOK = '{{"cells": [], "metadata": {{"lesson": "{0}"}}, "nbformat": 4, "nbformat_minor": 5}}\n'


# --- the folders of one case ---------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where one case runs: `folder/project` (the root, the command's current folder) and
    `folder/outside`, which holds sentinel files."""

    folder: Path

    @property
    def root(self) -> Path:
        return self.folder / "project"

    @property
    def outside(self) -> Path:
        return self.folder / "outside"

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def link(self, relative: str, target: str | Path) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.symlink_to(target)
        return path

    def prepare(self) -> None:
        """The empty project (configuration from its pyproject.toml) and the sentinels."""
        self.root.mkdir(parents=True)
        (self.root / "pyproject.toml").write_text("", encoding="utf-8")
        sentinels = {
            "victim.txt": "a file outside the project: no command may change it\n",
            "secret.yaml": f"{SECRET}: a file outside the project\nid: {SECRET.lower()}\n",
            "secret-review.yaml": f"lesson: witness\n{SECRET}: outside\n",
            "more/extra.yaml": f"id: extra\ntitle: {SECRET}\n",
            "secret.ipynb": NOTEBOOK.format(SECRET),
            "pages/.keep": "",
        }
        for relative, text in sentinels.items():
            path = self.outside / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")


# --- what a case is and what good means -------------------------------------------------------


class Good(enum.Enum):
    REPORT = "exit 0 or 1 with the expected coded diagnostics"
    CONFIG_ERROR = "exit 2 with one line 'lessonkit: ...' on stderr"
    REPORT_OR_REFUSAL = "exit 0 or 1, or exit 2 with one line 'lessonkit: ...'"


@dataclass(frozen=True)
class Expect:
    """A diagnostic the run must report: one of `codes` (codes or code prefixes) on `path` (from
    the root; a diagnostic shown at the symlink's target counts too), on `line` (a number, or a
    marker whose line is meant; None for any line)."""

    path: str
    codes: tuple[str, ...]
    line: int | str | None = None

    def resolved_line(self, root: Path) -> int | None:
        if not isinstance(self.line, str):
            return self.line
        text = (root / self.path).read_bytes().decode("utf-8", errors="replace")
        return line_of(text, self.line)

    def names(self, root: Path, shown: object) -> bool:
        """Whether a diagnostic's displayed path is this one's file."""
        if not isinstance(shown, str):
            return False
        if shown == self.path:
            return True
        try:
            return (root / shown).resolve() == (root / self.path).resolve()
        except (OSError, RuntimeError):  # a symlink loop
            return False


@dataclass
class Outcome:
    returncode: int | None  # None: still running after HANG_SECONDS, killed
    stdout: str
    stderr: str
    seconds: float
    maxrss_kb: int  # the command's peak resident memory
    changed: list[str]  # paths changed where the command may not write


Check = Callable[[Place, Outcome], list[str]]
Build = Callable[[Place], None]


@dataclass(frozen=True)
class Case:
    name: str
    covers: str  # the break of issue 16 it reproduces
    good: Good
    build: Build
    paths: tuple[str, ...] = ()  # explicit paths for `validate` (default: the project)
    command: tuple[str, ...] | None = None  # a whole command instead of `validate`
    expect: tuple[Expect, ...] = ()
    witness: bool = True  # write lessons/witness.yaml and expect its W001
    output: str | None = None  # the folder the command may write into
    check: Check | None = None
    during: Callable[[], contextlib.AbstractContextManager[dict[str, str]]] | None = None
    slow: bool = False

    @property
    def argv(self) -> tuple[str, ...]:
        if self.command is not None:
            return self.command
        return ("validate", "--format", "json", *self.paths)

    @property
    def promise(self) -> str:
        """What good means for this case, in words."""
        parts = [self.good.value]
        parts += [f"{'/'.join(e.codes)} on {e.path}" for e in self.expect]
        if self.witness and self.good is not Good.CONFIG_ERROR:
            parts.append("the witness's W001 kept")
        parts.append("no traceback, no hang, nothing written outside")
        return "; ".join(parts)

    def rendered(self) -> Case | None:
        """The same project through `render`: no traceback, no hang, nothing written outside
        the output folder, nothing of outside/ copied in; exit as for validate."""
        if self.command is not None:
            return None
        return replace(
            self,
            name=f"{self.name}@render",
            command=("render", "-o", OUTPUT, *self.paths),
            expect=(),
            output=OUTPUT,
            check=None,
        )


# --- running a case ---------------------------------------------------------------------------


def lessonkit_command() -> list[str]:
    script = Path(sys.executable).parent / "lessonkit"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from lessonkit.cli import main; main()"]


def _environment() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("GITHUB_") and k not in {"CI", "PYTHONHASHSEED"}
    }
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def run_command(
    argv: list[str], cwd: Path, *, timeout: float = HANG_SECONDS
) -> tuple[int | None, str, str, float, int]:
    """Run argv in its own session with outputs to files (no pipe can fill up) and a memory
    cap; kill the session after `timeout`. Returns (exit or None, stdout, stderr, seconds,
    peak RSS in kB)."""
    out_path = cwd.parent / f".out-{os.getpid()}-{time.monotonic_ns()}"
    err_path = out_path.with_suffix(".err")
    start = time.monotonic()
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(
            argv,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            env=_environment(),
            start_new_session=True,
        )
    with contextlib.suppress(OSError):  # the child may already be gone
        resource.prlimit(process.pid, resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    code: int | None = None
    peak = 0
    deadline = start + timeout
    delay = 0.002
    while True:
        # The child's own high-water mark, read while it runs: its rusage would also count
        # the pages of this (possibly large) process it was forked from.
        peak = max(peak, high_water_kb(process.pid))
        pid, status = os.waitpid(process.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            os.waitpid(process.pid, 0)
            break
        time.sleep(delay)
        delay = min(delay * 1.5, 0.02)
    seconds = time.monotonic() - start
    process.returncode = code if code is not None else -9  # reaped here, not by Popen
    stdout = out_path.read_bytes().decode("utf-8", errors="replace")
    stderr = err_path.read_bytes().decode("utf-8", errors="replace")
    out_path.unlink()
    err_path.unlink()
    return code, stdout, stderr, seconds, peak


def high_water_kb(pid: int) -> int:
    """VmHWM of a running process (its peak resident memory since exec), 0 once it is gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def snapshot(folder: Path, skip: Path | None = None) -> dict[str, str]:
    """Every path under `folder` (symlinks not followed, `skip` left out) with its content
    hash, link target or type: compared before and after to find writes."""
    state: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        dirnames[:] = [d for d in dirnames if here / d != skip]
        for name in [*dirnames, *filenames]:
            path = here / name
            if path == skip:
                continue
            info = path.lstat()
            key = path.relative_to(folder).as_posix()
            if stat.S_ISLNK(info.st_mode):
                state[key] = "link:" + os.readlink(path)
            elif stat.S_ISREG(info.st_mode) and info.st_size > SNAPSHOT_HASH_LIMIT:
                # A (sparse) giant is told by its size and times: a write changes them.
                state[key] = f"big:{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}"
            elif stat.S_ISREG(info.st_mode):
                with open(path, "rb") as stream:
                    state[key] = "file:" + hashlib.file_digest(stream, "sha256").hexdigest()
            elif stat.S_ISDIR(info.st_mode):
                state[key] = "dir"
            else:
                state[key] = f"special:{stat.S_IFMT(info.st_mode)}"
    return state


def run_case(case: Case, folder: Path, *, timeout: float = HANG_SECONDS) -> tuple[Place, Outcome]:
    """Build the case in `folder` (which must not exist yet) and run its command."""
    place = Place(folder)
    place.prepare()
    if case.witness:
        place.write("lessons/witness.yaml", WITNESS)
    case.build(place)
    skip = place.root / case.output if case.output else None
    before = snapshot(folder, skip)
    with case.during() if case.during else contextlib.nullcontext({}) as values:
        argv = [*lessonkit_command(), *(part.format(**values) for part in case.argv)]
        code, stdout, stderr, seconds, maxrss = run_command(argv, place.root, timeout=timeout)
    after = snapshot(folder, skip)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    return place, Outcome(code, stdout, stderr, seconds, maxrss, changed)


# --- judging an outcome -----------------------------------------------------------------------


def judge(case: Case, place: Place, outcome: Outcome) -> list[str]:
    """Everything about the outcome that is not good, as short sentences (empty: good)."""
    problems: list[str] = []
    if outcome.returncode is None:
        problems.append(f"hang: no exit within {HANG_SECONDS:.0f} s")
    text = outcome.stdout + outcome.stderr
    if TRACEBACK in text:
        problems.append(f"traceback: {_traceback_summary(text)}")
    if outcome.changed:
        shown = ", ".join(outcome.changed[:5])
        problems.append(f"wrote outside where it may ({len(outcome.changed)}): {shown}")
    if SECRET.lower() in text.lower():
        problems.append("echoed the contents of a file outside the project")
    if case.output and _secret_in(place.root / case.output):
        problems.append(f"copied the contents of a file outside the project into {case.output}/")
    code = outcome.returncode
    if code is None:
        return problems
    one_line = _one_line_error(outcome.stderr)
    if case.good is Good.CONFIG_ERROR:
        if code != 2:
            problems.append(f"exit {code}, expected 2 (configuration or usage error)")
        elif not one_line:
            problems.append(f"exit 2 without one 'lessonkit: ...' line: {_head(outcome.stderr)}")
    elif case.good is Good.REPORT_OR_REFUSAL:
        if code not in (0, 1) and not (code == 2 and one_line):
            problems.append(f"exit {code} without one 'lessonkit: ...' line: {_head(text)}")
    elif code not in (0, 1):
        problems.append(f"exit {code}, expected 0 or 1: {_head(outcome.stderr)}")
    if case.good is not Good.CONFIG_ERROR and code in (0, 1):
        problems += _expectations(case, place, outcome)
    if case.check is not None and code is not None:
        problems += case.check(place, outcome)
    return problems


def _expectations(case: Case, place: Place, outcome: Outcome) -> list[str]:
    wanted = list(case.expect)
    if case.witness and case.command is None:
        wanted.append(Expect("lessons/witness.yaml", ("W001",), WITNESS_LINE))
    if not wanted:
        return []
    try:
        diagnostics = json.loads(outcome.stdout)["diagnostics"]
    except (ValueError, KeyError, TypeError):
        return [f"stdout is not the JSON report: {_head(outcome.stdout)}"]
    problems = []
    for expect in wanted:
        line = expect.resolved_line(place.root)
        found = [d for d in diagnostics if expect.names(place.root, d.get("path"))]
        if not any(
            str(d.get("code", "")).startswith(expect.codes) and line in (None, d.get("line"))
            for d in found
        ):
            got = ", ".join(f"{d.get('code')}@{d.get('line')}" for d in found[:6]) or "nothing"
            where = f"{expect.path}:{line}" if line else expect.path
            problems.append(f"no {'/'.join(expect.codes)} on {where} (got {got})")
    return problems


def _one_line_error(stderr: str) -> bool:
    lines = stderr.strip("\n").splitlines()
    return len(lines) == 1 and lines[0].startswith("lessonkit: ") and len(lines[0]) > 11


def _head(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "(nothing)")
    return first[:200]


def _traceback_summary(text: str) -> str:
    lines = [line for line in text[text.index(TRACEBACK) :].splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"^[A-Za-z_][\w.]*(Error|Exception)\b", line)]
    return (errors[0] if errors else lines[-1])[:200]


def _secret_in(folder: Path) -> bool:
    if not folder.is_dir() or folder.is_symlink():
        return False
    needle = SECRET.lower().encode()
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            path = Path(dirpath) / name
            if path.is_symlink() or not path.is_file():
                continue
            if needle in path.read_bytes().lower():
                return True
    return False


# --- builders ---------------------------------------------------------------------------------


def files(*pairs: tuple[str, str | bytes]) -> Build:
    """A builder writing each (relative path, content)."""

    def build(place: Place) -> None:
        for relative, content in pairs:
            place.write(relative, content)

    return build


def lessons_each(
    prefix: str, values: list[str], make: Callable[[str, str], str]
) -> list[tuple[str, str]]:
    """One lesson file per value: (lessons/<prefix>-<n>.yaml, make(id, value))."""
    pairs = []
    for index, value in enumerate(values):
        lesson_id = f"{prefix}-{index}"
        pairs.append((f"lessons/{lesson_id}.yaml", make(lesson_id, value)))
    return pairs


def expect_each(
    pairs: list[tuple[str, str]], codes: tuple[str, ...], markers: list[str]
) -> tuple[Expect, ...]:
    return tuple(
        Expect(path, codes, marker) for (path, _), marker in zip(pairs, markers, strict=True)
    )


def _cli(place: Place, *args: str) -> None:
    """Run lessonkit in the case's project while building it (e.g. a first render)."""
    code, _, stderr, _, _ = run_command([*lessonkit_command(), *args], place.root)
    if code != 0 or TRACEBACK in stderr:
        shown = " ".join(args)
        raise RuntimeError(f"building the case: lessonkit {shown} exited {code}:\n{stderr}")


def _git(place: Place, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=place.root,
        check=True,
        capture_output=True,
    )


# --- read side: values the loader cannot construct ---------------------------------------------

DATES = ["2024-02-30", "2024-13-45", "0000-01-01", "2024-01-01 25:61:99"]
DATE_LESSONS = lessons_each("date", DATES, lambda i, v: lesson(i, (TITLE, f"title: {v}")))
DATE_REVIEW = ("reviews/witness/iteration-1.yaml", REVIEW.replace("2024-03-01", "2024-02-30"))

TAGS = [
    "position: !!int x",
    "title: !!bool x",
    "title: !!timestamp x",
    "title: !!float x",
    "title: !!binary '@@@ not base64'",
    'title: !!python/object/apply:os.system ["true"]',
    "title: !custom x",
    "title: !!seq x",
    "status: !!map [draft]",
]


def _tag_lesson(lesson_id: str, line: str) -> str:
    """The base lesson with the line of the same field replaced by `line`."""
    field = line.split(":", 1)[0]
    old = {"position": POSITION, "title": TITLE, "status": "status: draft"}[field]
    return lesson(lesson_id, (old, line))


TAG_LESSONS = lessons_each("tag", TAGS, _tag_lesson)

DIGITS = "9" * 5000
HEX = "0x" + "f" * 5000
HUGE_LOADER = [
    *lessons_each("bigint", [DIGITS], lambda i, v: lesson(i, (POSITION, f"position: {v}"))),
    *lessons_each("bigkey", [DIGITS], lambda i, v: lesson(i, append=f"{v}: x\n")),
    *lessons_each(
        "bigsep", ["1_" * 5000 + "1"], lambda i, v: lesson(i, (POSITION, f"position: {v}"))
    ),
    ("reviews/witness/iteration-1.yaml", REVIEW.replace("iteration: 1", f"iteration: {DIGITS}")),
]
HUGE_MESSAGE = [
    ("lessons/bigmsg-0.yaml", lesson("bigmsg-0", ('module: "1.1"', f"module: {HEX}"))),
    ("lessons/bigmsg-1.yaml", lesson("bigmsg-1", ("status: draft", f"status: {HEX}"))),
    ("lessons/bigmsg-2.yaml", lesson("bigmsg-2", ("type: BUILD", f"type: {HEX}"))),
    ("lessons/bigmsg-3.yaml", lesson("bigmsg-3", (TITLE, "title: 0" + "7" * 6000))),
    ("lessons/bigmsg-4.yaml", lesson("bigmsg-4", (POSITION, "position: -" + HEX))),
    (
        "lessons/bigmsg-5.yaml",
        lesson("bigmsg-5", ("depth: DEVELOPED}", "depth: " + "0b" + "1" * 20000 + "}")),
    ),
]
HUGE_MESSAGE_MARKERS = ["module:", "status:", "type:", "title:", "position:", "0b111"]

# --- read side: paths longer than the system allows --------------------------------------------

LONG_NAME = "notebooks/" + "a" * 300 + ".ipynb"
LONG_PATH = "notebooks/" + "a/" * 3000 + "x.ipynb"
LONG_LINK = "See [the table](" + "b" * 300 + ".png) before the formula."
LONG_IMAGE = "![plot](" + "c/" * 3000 + "p.png)"
LONG_PATHS = [
    ("lessons/long-0.yaml", lesson("long-0", append=f"practice:\n  notebook: {LONG_NAME}\n")),
    ("lessons/long-1.yaml", lesson("long-1", append=f"practice:\n  notebook: {LONG_PATH}\n")),
    ("lessons/long-2.yaml", lesson("long-2", (BODY, f"{BODY}        {LONG_LINK}\n\n"))),
    ("lessons/long-3.yaml", lesson("long-3", (BODY, f"{BODY}        {LONG_IMAGE}\n\n"))),
]
LONG_MARKERS = ["notebook:", "notebook:", "See [the table]", "![plot]"]

# --- read side: keys that are not names --------------------------------------------------------

KEYS = [
    "1: x",
    "true: x",
    "null: x",
    "~: x",
    "1.5: x",
    "2024-01-01: x",
    "2024-02-30: x",
    "0x10: x",
    "? [a, b]\n: x",
    "? {a: 1}\n: x",
    "[c, d]: x",
]
KEY_LESSONS = lessons_each("key", KEYS, lambda i, v: lesson(i, append=v + "\n"))
APPENDED_LINE = BASE_LESSON.count("\n") + 1  # the line of the first line appended to a lesson

# --- read side: encodings and line breaks -------------------------------------------------------


def _encodings() -> list[tuple[str, bytes]]:
    def text(lesson_id: str) -> str:
        return lesson(lesson_id, (TITLE, "title: Erreur quadratique — café"))

    return [
        ("lessons/enc-bom.yaml", b"\xef\xbb\xbf" + lesson("enc-bom").encode()),
        ("lessons/enc-utf16.yaml", text("enc-utf16").encode("utf-16")),
        ("lessons/enc-utf16be.yaml", text("enc-utf16be").encode("utf-16-be")),
        ("lessons/enc-utf32.yaml", text("enc-utf32").encode("utf-32")),
        ("lessons/enc-latin1.yaml", text("enc-latin1").replace("—", "-").encode("latin-1")),
        ("lessons/enc-nul.yaml", lesson("enc-nul", (TITLE, "title: Mean\x00 squared")).encode()),
        (
            "lessons/enc-surrogate.yaml",
            text("enc-surrogate").encode().replace(b"\xc3\xa9", b"\xed\xa0\x80"),
        ),
        (
            "lessons/enc-overlong.yaml",
            text("enc-overlong").encode().replace(b"\xc3\xa9", b"\xc0\xaf"),
        ),
        (
            "lessons/enc-control.yaml",
            lesson("enc-control", (TITLE, "title: a\x07b\x1b[31mred")).encode(),
        ),
        ("lessons/enc-binary.yaml", bytes(range(256)) * 8),
    ]


ENCODINGS = _encodings()
# A UTF-8 byte-order mark is allowed; every other file gets a diagnostic.
ENCODING_EXPECT = tuple(Expect(path, ("S",)) for path, _ in ENCODINGS[1:])

LINE_BREAKS = [
    ("lessons/eol-crlf.yaml", lesson("eol-crlf").replace("\n", "\r\n")),
    ("lessons/eol-cr.yaml", lesson("eol-cr").replace("\n", "\r")),
    (
        "lessons/eol-nel.yaml",
        lesson("eol-nel", ("Eyeballing works", "Eye\u0085balling\u2028works \u2029 — now")),
    ),
    ("lessons/eol-tab.yaml", lesson("eol-tab", ("  target_concept:", "\ttarget_concept:"))),
    ("lessons/eol-none.yaml", lesson("eol-none").rstrip("\n")),
    ("lessons/eol-ff.yaml", lesson("eol-ff", (TITLE, TITLE + "\f"))),
]

DOCUMENTS = [
    ("lessons/doc-empty.yaml", ""),
    ("lessons/doc-comment.yaml", "# nothing but a comment\n"),
    ("lessons/doc-scalar.yaml", "just some text\n"),
    ("lessons/doc-list.yaml", "- a\n- b\n"),
    ("lessons/doc-null.yaml", "~\n"),
    ("lessons/doc-multi.yaml", lesson("doc-multi") + "---\n" + lesson("doc-multi-2")),
    ("lessons/doc-unclosed.yaml", lesson("doc-unclosed", (TITLE, 'title: "never closed'))),
    ("lessons/doc-indent.yaml", "id: doc-indent\ntitle:\n  a: 1\n b: 2\n"),
    ("lessons/doc-directive.yaml", "%YAML 1.1\n%TAG ! tag:evil.example,2000:\n---\n!x id: doc\n"),
    ("lessons/doc-merge.yaml", lesson("doc-merge", append="<<: {extra: 1}\n")),
    ("lessons/doc-deep-flow.yaml", "title: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    ("lessons/doc-deep-map.yaml", "title: " + "{a: " * 5_000 + "1" + "}" * 5_000 + "\n"),
    ("lessons/doc-deep-block.yaml", "title:\n" + "".join("  " * d + "- \n" for d in range(1, 400))),
]
DOCUMENT_EXPECT = tuple(Expect(path, ("S",)) for path, _ in DOCUMENTS)


def _size_limit(place: Place) -> None:
    place.write("lessons/size-big.yaml", lesson("size-big") + "# " + "x" * 1_200_000 + "\n")
    sparse = place.write("lessons/size-sparse.yaml", lesson("size-sparse"))
    os.truncate(sparse, 10 << 30)  # 10 GB by st_size, a few blocks on disk


# --- read side: work that explodes inside the size limit ---------------------------------------


def _alias_bombs() -> list[tuple[str, str]]:
    classic = [
        "id: bomb-classic",
        "title: Laughs",
        'l0: &l0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    ]
    for level in range(1, 10):
        classic.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    classic.append("student_state: {concepts: *l9}")
    chain = ["id: bomb-chain", "title: Chain", "c0: &c0 [lol, lol]"]
    chain += [f"c{n}: &c{n} [*c{n - 1}, *c{n - 1}]" for n in range(1, 2500)]  # ~57 KB
    chain.append("analysis: {misconceptions: *c2499}")
    # Shaped like the schema, so a validator that follows the aliases checks 250³ follow-ups.
    wide = 250
    shaped = [
        "id: bomb-shaped",
        "title: Wide",
        "x0: &fu {prompt: p, answer: a}",
        "x1: &fus [" + ", ".join(["*fu"] * wide) + "]",
        "x2: &ck {prompt: p, answer: a, follow_ups: *fus}",
        "x3: &cks [" + ", ".join(["*ck"] * wide) + "]",
        "x4: &sec {title: t, kind: check, checks: *cks}",
        "design: {outline: [" + ", ".join(["*sec"] * wide) + "]}",
    ]
    return [
        ("lessons/bomb-classic.yaml", "\n".join(classic) + "\n"),
        ("lessons/bomb-chain.yaml", "\n".join(chain) + "\n"),
        ("lessons/bomb-shaped.yaml", "\n".join(shaped) + "\n"),
    ]


ALIAS_BOMBS = _alias_bombs()
# 50k rather than 30k: short keys keep it under the size limit and past the hang limit for a
# lookup that is quadratic in the keys.
UNKNOWN_KEYS = lesson("unknown-keys", append="".join(f"u{n:x}: 1\n" for n in range(50_000)))
SUPPRESSED = lesson(
    "suppressed",
    (
        "is_not_about: [Cross-entropy]",
        "is_not_about:\n"
        + "".join("    # lessonkit: ignore[W001] q\n    - a — b\n" for _ in range(16_000)),
    ),
)
UNUSED_SUPPRESSIONS = lesson(
    "unused-suppressions",
    append="".join("# lessonkit: ignore[W001] quoting the source\n" for _ in range(16_000)),
)
DASHES = lesson(
    "dashes-em", ("  narrative_arc: >\n", "  narrative_arc: >\n    " + "a — " * 80_000 + "\n")
)
HYPHENS = lesson(
    "dashes-hyphen", ("  narrative_arc: >\n", "  narrative_arc: >\n    " + "a -- " * 80_000 + "\n")
)


# --- read side: special files and symlinks ------------------------------------------------------


def _fifo(place: Place) -> None:
    (place.root / "lessons").mkdir(parents=True, exist_ok=True)
    os.mkfifo(place.root / "lessons" / "fifo.yaml")


def _devices(place: Place) -> None:
    place.link("lessons/zero.yaml", "/dev/zero")
    place.link("lessons/random.yaml", "/dev/urandom")
    place.link("lessons/proc.yaml", "/proc/version")
    place.link("lessons/loop.yaml", "loop.yaml")


def _outside_links(place: Place) -> None:
    place.link("lessons/leak.yaml", "../../outside/secret.yaml")
    place.link("lessons/ext", "../../outside/more")
    place.write("reviews/witness/iteration-1.yaml", REVIEW)
    place.link("reviews/witness/iteration-2.yaml", "../../../outside/secret-review.yaml")


OUTSIDE_NOTEBOOKS = [
    ("lessons/out-0.yaml", lesson("out-0", append="practice:\n  notebook: notebooks/leak.ipynb\n")),
    (
        "lessons/out-1.yaml",
        lesson("out-1", append="practice:\n  notebook: ../outside/secret.ipynb\n"),
    ),
    ("lessons/out-2.yaml", lesson("out-2", append="practice:\n  notebook: /etc/passwd\n")),
    (
        "lessons/out-3.yaml",
        lesson("out-3", (BODY, f"{BODY}        See [this](../../outside/secret.yaml).\n\n")),
    ),
    (
        "lessons/out-4.yaml",
        lesson(
            "out-4",
            (BODY, f"{BODY}        ![x](../../../../../../../../../../../../etc/passwd)\n\n"),
        ),
    ),
]
OUTSIDE_MARKERS = ["notebook:", "notebook:", "notebook:", "See [this]", "![x]"]


def _outside_notebooks(place: Place) -> None:
    files(*OUTSIDE_NOTEBOOKS)(place)
    place.link("notebooks/leak.ipynb", "../../outside/secret.ipynb")


# --- configuration ----------------------------------------------------------------------------


def _config(name: str, text: str | bytes) -> Build:
    return files((name, text))


def _lessons_outside_symlink(place: Place) -> None:
    place.link("lessons", "../outside/more")


# --- git: --changed-since -----------------------------------------------------------------------


def _changed_since(place: Place) -> None:
    committed: list[tuple[str, str | bytes]] = [
        ("lessons/witness.yaml", lesson("witness")),
        ("lessons/ref-date.yaml", lesson("ref-date", (TITLE, "title: 2024-02-30"))),
        ("lessons/ref-int.yaml", lesson("ref-int", (POSITION, f"position: {DIGITS}"))),
        ("lessons/ref-utf16.yaml", lesson("ref-utf16").encode("utf-16")),
        ("lessons/ref-syntax.yaml", lesson("ref-syntax", (TITLE, "title: [never closed"))),
        ("lessons/ref-tag.yaml", lesson("ref-tag", (TITLE, "title: !!int x"))),
        ("lessons/ref-bomb.yaml", ALIAS_BOMBS[0][1]),
    ]
    files(*committed)(place)
    _git(place, "init", "-q")
    _git(place, "add", ".")
    _git(place, "commit", "-q", "-m", "malformed lessons")
    # Today every one of them is fixed, and the witness gained its em dash.
    place.write("lessons/witness.yaml", WITNESS)
    for relative, _ in committed[1:]:
        lesson_id = Path(relative).stem
        place.write(relative, lesson(lesson_id))


def _git_repo(place: Place) -> None:
    _git(place, "init", "-q")
    _git(place, "add", ".")
    _git(place, "commit", "-q", "-m", "the course")


# --- serve --------------------------------------------------------------------------------------


@contextlib.contextmanager
def _busy_port() -> Iterator[dict[str, str]]:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        yield {"port": str(busy.getsockname()[1])}


# --- render side --------------------------------------------------------------------------------


def _rendered(place: Place) -> None:
    _cli(place, "render", "-o", OUTPUT)


def _hash_like(value: object, target: Path | None) -> object:
    """A manifest value that looks like a hash, replaced by the target's real hash (so a check
    by hash alone would pass) or by zeros when there is no target."""
    if not isinstance(value, str):
        return value
    prefix, _, digest = value.rpartition(":")
    algorithms = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}
    if not re.fullmatch(r"[0-9a-f]+", digest) or len(digest) not in algorithms:
        return value
    if target is None or not target.is_file():
        fresh = "0" * len(digest)
    else:
        fresh = hashlib.new(algorithms[len(digest)], target.read_bytes()).hexdigest()
    return f"{prefix}:{fresh}" if prefix else fresh


def find_manifest(site: Path) -> Path:
    """The site's manifest (by its name today, else the one hidden JSON file lessonkit keeps)."""
    if (site / MANIFEST).is_file():
        return site / MANIFEST
    hidden = sorted(site.glob(".lessonkit*.json"))
    if len(hidden) != 1:
        raise FileNotFoundError(f"no manifest in {site}")
    return hidden[0]


def add_to_manifest(site: Path, entries: dict[str, Path | None]) -> None:
    """List `entries` (manifest path -> the file whose hash to record, or None for a wrong
    hash) in the site's manifest, in whatever shape the manifest has."""
    manifest = find_manifest(site)
    data: Any = json.loads(manifest.read_text(encoding="utf-8"))
    listed = data["files"] if isinstance(data, dict) and "files" in data else data
    if isinstance(listed, list) and listed and isinstance(listed[0], dict):
        template = listed[0]
        for entry, target in entries.items():
            item = {}
            for key, value in template.items():
                looks_like_path = isinstance(value, str) and ("/" in value or "." in value)
                hashed = _hash_like(value, target)
                item[key] = hashed if hashed != value else (entry if looks_like_path else value)
            listed.append(item)
    elif isinstance(listed, list):
        listed.extend(entries)
    elif isinstance(listed, dict):
        sample = next(iter(listed.values()), "0" * 64)
        for entry, target in entries.items():
            if isinstance(sample, dict):
                listed[entry] = {k: _hash_like(v, target) for k, v in sample.items()}
            else:
                listed[entry] = _hash_like(sample, target)
    else:
        raise ValueError(f"unknown manifest shape in {manifest}")
    manifest.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def _manifest_outside(place: Place) -> None:
    _rendered(place)
    site = place.root / OUTPUT
    victim = place.outside / "victim.txt"
    (site / "linked").symlink_to("../../outside")
    add_to_manifest(
        site,
        {
            "../../outside/victim.txt": victim,
            str(victim): victim,
            "lessons/../../../outside/victim.txt": victim,
            "linked/victim.txt": victim,
            "../lessons/witness.yaml": place.root / "lessons" / "witness.yaml",
            "../pyproject.toml": place.root / "pyproject.toml",
        },
    )


def _manifest_user_files(place: Place) -> None:
    _rendered(place)
    site = place.root / OUTPUT
    (site / "notes.txt").write_text("the user's own notes\n", encoding="utf-8")
    (site / "lessons" / "custom.html").write_text("<p>the user's own page</p>\n", encoding="utf-8")
    add_to_manifest(site, {"notes.txt": None, "lessons/custom.html": None})


def _user_files_kept(place: Place, outcome: Outcome) -> list[str]:
    site = place.root / OUTPUT
    gone = [name for name in ("notes.txt", "lessons/custom.html") if not (site / name).is_file()]
    return [f"--clean deleted {name}, which lessonkit never wrote" for name in gone]


def _corrupt_manifest(content: bytes) -> Build:
    def build(place: Place) -> None:
        _rendered(place)
        find_manifest(place.root / OUTPUT).write_bytes(content)

    return build


def _site_rendered(place: Place, outcome: Outcome) -> list[str]:
    page = place.root / OUTPUT / "lessons" / "witness.html"
    return [] if page.is_file() else ["the site was not rendered (no lessons/witness.html)"]


def _symlinked_manifest(place: Place) -> None:
    place.link(f"{OUTPUT}/{MANIFEST}", "../../outside/victim.txt")


def _symlinked_folder(place: Place) -> None:
    place.link(f"{OUTPUT}/lessons", "../../outside/pages")


def _symlinked_page(place: Place) -> None:
    place.link(f"{OUTPUT}/index.html", "../../outside/victim.txt")


def _notebooks_same_name(place: Place) -> None:
    for lesson_id, folder in (("nb-one", "a"), ("nb-two", "b")):
        place.write(f"notebooks/{folder}/practice.ipynb", NOTEBOOK.format(lesson_id))
        # The student page links the notebook from its practice section.
        practice = (
            "    - title: Practice\n      kind: practice\n      body: Work through the notebook.\n"
            f"practice:\n  notebook: notebooks/{folder}/practice.ipynb\n"
        )
        place.write(f"lessons/{lesson_id}.yaml", lesson(lesson_id, append=practice))


def _each_lesson_links_its_notebook(place: Place, outcome: Outcome) -> list[str]:
    problems = []
    site = place.root / OUTPUT
    for lesson_id, folder in (("nb-one", "a"), ("nb-two", "b")):
        page = site / "lessons" / f"{lesson_id}.html"
        if not page.is_file():
            problems.append(f"no page for {lesson_id}")
            continue
        links = re.findall(r'href="([^"]+\.ipynb)"', page.read_text(encoding="utf-8"))
        source = (place.root / "notebooks" / folder / "practice.ipynb").read_bytes()
        if not links:
            problems.append(f"{lesson_id}'s page links no notebook")
        elif (page.parent / links[0]).resolve().read_bytes() != source:
            problems.append(f"{lesson_id}'s page links another lesson's notebook ({links[0]})")
    return problems


# --- the corpus ---------------------------------------------------------------------------------

R = Good.REPORT
C = Good.CONFIG_ERROR
E = Good.REPORT_OR_REFUSAL


def _cases() -> list[Case]:
    huge_c008 = lesson("big-c008", ("position: 1", f"position: {HEX}"))
    big_order = lesson("big-order", ("position: 1", "position: 0b" + "1" * 20_000))
    big_counts = REVIEW.replace("critical: 0", f"critical: {HEX}")
    return [
        # 2. values the loader cannot construct
        Case(
            "date-typos",
            "2: a date typo (2024-02-30, 2024-13-45, year 0) is a traceback",
            R,
            files(*DATE_LESSONS, DATE_REVIEW),
            expect=(
                *expect_each(DATE_LESSONS, ("S",), [f"title: {d}" for d in DATES]),
                Expect(DATE_REVIEW[0], ("S",), "2024-02-30"),
            ),
        ),
        Case(
            "mismatched-tags",
            "2: mismatched tags (!!int x, !!bool x, !!timestamp x) are a traceback",
            R,
            files(*TAG_LESSONS),
            expect=expect_each(TAG_LESSONS, ("S",), [t.split(" ")[1] for t in TAGS]),
        ),
        Case(
            "huge-integers-loader",
            "2: integers over 4,300 digits in the loader",
            R,
            files(*HUGE_LOADER),
            expect=(
                Expect(HUGE_LOADER[0][0], ("S",), "position:"),
                Expect(HUGE_LOADER[1][0], ("S",), DIGITS[:50]),
                Expect(HUGE_LOADER[2][0], ("S",), "position:"),
                Expect(HUGE_LOADER[3][0], ("S",), "iteration:"),
            ),
        ),
        Case(
            "huge-integers-message",
            "2: integers over 4,300 digits in a message (0xfff...)",
            R,
            files(*HUGE_MESSAGE),
            expect=expect_each(HUGE_MESSAGE, ("S",), HUGE_MESSAGE_MARKERS),
        ),
        Case(
            "huge-integers-c008",
            "2: integers over 4,300 digits in C008",
            R,
            files(
                ("lessons/big-c008.yaml", huge_c008),
                ("lessons/curriculum.yaml", curriculum("witness", "big-c008")),
            ),
            expect=(Expect("lessons/big-c008.yaml", ("S", "C"), "position:"),),
        ),
        Case(
            "huge-integers-order",
            "2: integers over 4,300 digits in the teaching order without a curriculum",
            R,
            files(
                ("lessons/big-order.yaml", big_order),
                ("reviews/witness/iteration-1.yaml", big_counts),
            ),
        ),
        # 2. paths longer than the system allows
        Case(
            "long-paths",
            "2: notebook paths and link targets longer than the OS allows (A001/A002 OSError)",
            R,
            files(*LONG_PATHS),
            expect=expect_each(LONG_PATHS, ("A",), LONG_MARKERS),
        ),
        # keys, encodings, line breaks, documents, sizes
        Case(
            "non-string-keys",
            "hostile input: keys that are numbers, booleans, null, dates, lists or mappings",
            R,
            files(*KEY_LESSONS),
            expect=tuple(Expect(path, ("S",), APPENDED_LINE) for path, _ in KEY_LESSONS),
        ),
        Case(
            "encodings",
            "hostile input: BOM, UTF-16, UTF-32, latin-1, NUL bytes, surrogates, control bytes",
            R,
            files(*ENCODINGS),
            expect=ENCODING_EXPECT,
        ),
        Case(
            "line-breaks",
            "hostile input: CRLF, CR, NEL and Unicode line separators, tabs, form feeds",
            R,
            files(*LINE_BREAKS),
            expect=(Expect("lessons/eol-tab.yaml", ("S",)),),
        ),
        Case(
            "documents",
            "hostile input: empty, scalar, list, several documents, directives, deep nesting",
            R,
            files(*DOCUMENTS),
            expect=DOCUMENT_EXPECT,
        ),
        Case(
            "size-limit",
            "4: only up to the size limit is read, whatever st_size says",
            R,
            _size_limit,
            expect=(
                Expect("lessons/size-big.yaml", ("S004",), 1),
                Expect("lessons/size-sparse.yaml", ("S004",), 1),
            ),
        ),
        # 4. work that explodes inside the 1 MB limit
        Case(
            "alias-bomb",
            "4: an alias bomb of 57 KB takes 40 s and 3.95 GB",
            R,
            files(*ALIAS_BOMBS),
            expect=(
                Expect(ALIAS_BOMBS[0][0], ("S004",), "&l0"),
                Expect(ALIAS_BOMBS[1][0], ("S004",), "&c0"),
                Expect(ALIAS_BOMBS[2][0], ("S004",), "&fu"),
            ),
            slow=True,
        ),
        Case(
            "unknown-keys-50k",
            "4: 30k unknown keys take 42 s in node_at",
            R,
            files(("lessons/unknown-keys.yaml", UNKNOWN_KEYS)),
            expect=(Expect("lessons/unknown-keys.yaml", ("S",)),),
            slow=True,
        ),
        Case(
            "suppressions-16k",
            "4: 16k suppression comments take 33 s",
            R,
            files(
                ("lessons/suppressed.yaml", SUPPRESSED),
                ("lessons/unused-suppressions.yaml", UNUSED_SUPPRESSIONS),
            ),
            expect=(Expect("lessons/unused-suppressions.yaml", ("S",)),),
            slow=True,
        ),
        Case(
            "dashes-80k",
            "4: 80k spaced dashes in one string take 59 s in line_column",
            R,
            files(("lessons/dashes-em.yaml", DASHES), ("lessons/dashes-hyphen.yaml", HYPHENS)),
            expect=(
                Expect("lessons/dashes-em.yaml", ("W001",), "a — a"),
                Expect("lessons/dashes-hyphen.yaml", ("W002",), "a -- a"),
            ),
            slow=True,
        ),
        Case(
            "fifo-explicit",
            "4: a FIFO passed explicitly hangs",
            R,
            _fifo,
            paths=("lessons/witness.yaml", "lessons/fifo.yaml"),
            expect=(Expect("lessons/fifo.yaml", ("S",)),),
        ),
        Case(
            "devices-explicit",
            "4: a symlink to /dev/zero reads gigabytes",
            R,
            _devices,
            paths=(
                "lessons/witness.yaml",
                "lessons/zero.yaml",
                "lessons/random.yaml",
                "lessons/proc.yaml",
            ),
            expect=(
                Expect("lessons/zero.yaml", ("S", "A")),
                Expect("lessons/random.yaml", ("S", "A")),
                Expect("lessons/proc.yaml", ("S", "A")),
            ),
        ),
        Case(
            "devices-in-folder",
            "4: symlinks to devices, /proc and themselves inside lessons/",
            R,
            _devices,
        ),
        # 5. the root is a wall
        Case(
            "symlinks-outside",
            "5: a symlink in lessons/ to a file outside the root is read and echoed",
            R,
            _outside_links,
            expect=(
                Expect("lessons/leak.yaml", ("A003",)),
                Expect("reviews/witness/iteration-2.yaml", ("A003",)),
            ),
        ),
        Case(
            "paths-outside",
            "5: notebooks and links that leave the root, by symlink, '..' or absolute path",
            R,
            _outside_notebooks,
            expect=expect_each(OUTSIDE_NOTEBOOKS, ("A",), OUTSIDE_MARKERS),
        ),
        # 2 and 5. configuration
        Case(
            "pyproject-tool-string",
            '2: tool = "x" in pyproject.toml is a traceback',
            E,
            _config("pyproject.toml", 'tool = "x"\n'),
        ),
        Case(
            "pyproject-lessonkit-string",
            "2: configuration errors are one line with exit 2",
            C,
            _config("pyproject.toml", '[tool]\nlessonkit = "x"\n'),
        ),
        Case(
            "toml-deep-arrays",
            "2: arrays nested 1,000 deep in lessonkit.toml",
            C,
            _config("lessonkit.toml", "select = " + "[" * 1000 + "]" * 1000 + "\n"),
        ),
        Case(
            "toml-deep-tables",
            "2: inline tables nested 1,000 deep in lessonkit.toml",
            C,
            _config("lessonkit.toml", "rules = " + "{a = " * 1000 + "1" + "}" * 1000 + "\n"),
        ),
        Case(
            "toml-huge-integer",
            "2: an integer over 4,300 digits in lessonkit.toml",
            C,
            _config("lessonkit.toml", f"max_file_size = {DIGITS}\n"),
        ),
        Case(
            "toml-not-utf8",
            "2: lessonkit.toml that is not UTF-8 or holds NUL bytes",
            C,
            _config("lessonkit.toml", b"lessons = '\xff\x00'\n"),
        ),
        Case(
            "lessons-absolute",
            '5: lessons = "/etc" in the configuration is accepted',
            C,
            _config("lessonkit.toml", 'lessons = "/etc"\n'),
        ),
        Case(
            "lessons-parent",
            '5: lessons = "../.." in the configuration is accepted',
            C,
            _config("lessonkit.toml", 'lessons = "../.."\n'),
        ),
        Case(
            "reviews-outside",
            "5: a configured reviews folder outside the root",
            C,
            _config("lessonkit.toml", 'reviews = "../outside"\n'),
        ),
        Case(
            "lessons-folder-symlink",
            "5: the lessons folder is a symlink out of the root",
            E,
            _lessons_outside_symlink,
            witness=False,
        ),
        # 2 and 7. git
        Case(
            "changed-since-malformed-ref",
            "2 and 7: --changed-since when the lesson at REF is malformed; git writes .git/index",
            R,
            _changed_since,
            command=("validate", "--format", "json", "--changed-since", "HEAD"),
            witness=False,
            expect=(Expect("lessons/witness.yaml", ("W001",), WITNESS_LINE),),
        ),
        Case(
            "changed-since-option",
            "7: a REF that git would read as an option (--output=...) writes a file",
            E,
            _git_repo,
            command=("validate", "--changed-since=--output=../outside/pwned.txt"),
        ),
        # 2. serve
        Case(
            "serve-port-range",
            "2: serve --port 70000",
            C,
            files(),
            command=("serve", "-o", OUTPUT, "--port", "70000"),
            output=OUTPUT,
        ),
        Case(
            "serve-port-busy",
            "2: serve on a port in use",
            C,
            files(),
            command=("serve", "-o", OUTPUT, "--port", "{port}"),
            output=OUTPUT,
            during=_busy_port,
        ),
        # 5. render
        Case(
            "render-symlinked-manifest",
            "5: a symlinked manifest in the output folder makes render overwrite a file outside",
            E,
            _symlinked_manifest,
            command=("render", "-o", OUTPUT),
            output=OUTPUT,
        ),
        Case(
            "render-symlinked-folder",
            "5: render never follows a symlink out of its output folder",
            E,
            _symlinked_folder,
            command=("render", "-o", OUTPUT),
            output=OUTPUT,
        ),
        Case(
            "render-symlinked-page",
            "5: a page of the site is a symlink to a file outside",
            E,
            _symlinked_page,
            command=("render", "-o", OUTPUT),
            output=OUTPUT,
        ),
        Case(
            "render-manifest-outside",
            "5: a manifest edited to list a file outside makes --clean delete it",
            E,
            _manifest_outside,
            command=("render", "-o", OUTPUT, "--clean"),
            output=OUTPUT,
        ),
        Case(
            "render-manifest-user-files",
            "5: --clean deletes only files whose content hash lessonkit recorded",
            R,
            _manifest_user_files,
            command=("render", "-o", OUTPUT, "--clean"),
            output=OUTPUT,
            check=_user_files_kept,
        ),
        *(
            Case(
                f"render-corrupt-manifest-{label}",
                "5: a corrupt manifest gives a traceback",
                R,
                _corrupt_manifest(content),
                command=("render", "-o", OUTPUT, "--clean"),
                output=OUTPUT,
                check=_site_rendered,
            )
            for label, content in (
                ("bytes", b"\xff\xfe\x00 not json at all"),
                ("list", b"[1, 2, 3]\n"),
                ("entries", b'{"files": [null, 3, {"a": 1}, ["x"], "", ".", "../.."]}\n'),
                ("deep", b"[" * 100_000 + b"]" * 100_000),
            )
        ),
        Case(
            "render-notebook-collision",
            "5: two lessons whose notebooks share a file name overwrite each other in the site",
            R,
            _notebooks_same_name,
            command=("render", "-o", OUTPUT),
            output=OUTPUT,
            check=_each_lesson_links_its_notebook,
        ),
        Case(
            "render-notebook-outside",
            "5: a notebook outside the root (symlink, '..', absolute) is copied into the site",
            R,
            _outside_notebooks,
            command=("render", "-o", OUTPUT),
            output=OUTPUT,
        ),
    ]


CASES: list[Case] = _cases()
BY_NAME: dict[str, Case] = {case.name: case for case in CASES}
assert len(BY_NAME) == len(CASES), "case names must be unique"


def all_cases(*, render_variants: bool) -> list[Case]:
    """The corpus, with each validate case also through render when asked."""
    cases = list(CASES)
    if render_variants:
        cases += [variant for case in CASES if (variant := case.rendered()) is not None]
    return cases
