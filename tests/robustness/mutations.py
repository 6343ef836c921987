"""Line and byte mutations of real lessons, as an editor, a merge or a bad paste makes them.

A mutation is data (an operation and two numbers taken modulo the file's size), so the
hypothesis test draws them and `bench/fuzz.py` draws them from a seeded random generator, and
a failing one can be printed and replayed.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

from lessonkit.check.validate import validate_project

REPO = Path(__file__).resolve().parents[2]

OPERATIONS = ("delete", "duplicate", "swap", "insert", "indent", "byte", "cut", "join")

# Characters and snippets that mean something to YAML (or to the prose inside it).
PIECES = (
    ":",
    ": ",
    "-",
    "- ",
    "? ",
    "#",
    " # ",
    "&a ",
    "*a",
    "!",
    "!!int ",
    "!!timestamp ",
    "!!binary ",
    "|",
    ">-",
    "'",
    '"',
    "{",
    "}",
    "[",
    "]",
    ",",
    "%",
    "@",
    "`",
    "\t",
    "---\n",
    "...\n",
    "<<: ",
    "\\",
    "$",
    "$$",
    " — ",
    " -- ",
    "\n",
    "\r",
    "\x00",
    "\ufeff",
    "\u2028",
    "2024-02-30",
    "0x" + "f" * 40,
    "9" * 5000,
    "# lessonkit: ignore[W001] reason\n",
    "# lessonkit: ignore[]\n",
    "[link](../../../../etc/passwd)",
)


@dataclass(frozen=True)
class Mutation:
    operation: str
    a: int  # a line (or byte) index, taken modulo the file's size
    b: int  # a second index, a column or a byte value
    piece: int = 0  # an index into PIECES, for insert

    def __str__(self) -> str:
        extra = f" {PIECES[self.piece % len(PIECES)]!r}" if self.operation == "insert" else ""
        return f"{self.operation}({self.a}, {self.b}){extra}"


def apply(data: bytes, mutation: Mutation) -> bytes:
    """`data` with one mutation made."""
    lines = data.split(b"\n")
    count = len(lines)
    i = mutation.a % count
    j = mutation.b % count
    op = mutation.operation
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "insert":
        line = lines[i]
        column = mutation.b % (len(line) + 1)
        piece = PIECES[mutation.piece % len(PIECES)].encode("utf-8")
        lines[i] = line[:column] + piece + line[column:]
    elif op == "indent":
        line = lines[i]
        stripped = line.lstrip(b" ")
        indent = len(line) - len(stripped)
        lines[i] = b" " * max(0, indent + mutation.b % 9 - 4) + stripped
    elif op == "join" and i + 1 < count:
        lines[i : i + 2] = [lines[i] + b" " + lines[i + 1].lstrip()]
    elif op in ("byte", "cut"):
        if not data:
            return data
        index = mutation.a % len(data)
        if op == "cut":
            return data[:index]
        return data[:index] + bytes([mutation.b % 256]) + data[index + 1 :]
    return b"\n".join(lines)


def apply_all(data: bytes, mutations: list[Mutation]) -> bytes:
    for mutation in mutations:
        data = apply(data, mutation)
    return data


def random_mutations(rng: random.Random, *, most: int = 3) -> list[Mutation]:
    """One to `most` mutations, drawn from `rng`."""
    return [
        Mutation(
            rng.choice(OPERATIONS),
            rng.randrange(1 << 20),
            rng.randrange(1 << 20),
            rng.randrange(len(PIECES)),
        )
        for _ in range(rng.randint(1, most))
    ]


def targets(root: Path) -> list[str]:
    """The files of a copied reference course worth mutating: lessons (the curriculum too) and
    review iterations, relative to the root."""
    found = sorted((root / "lessons").glob("*.yaml")) + sorted((root / "reviews").rglob("*.yaml"))
    return [path.relative_to(root).as_posix() for path in found]


def copy_course(folder: Path) -> Path:
    """A copy of the reference course (lessons, reviews, notebooks) as a project in `folder`."""
    for name in ("lessons", "reviews", "notebooks"):
        shutil.copytree(REPO / name, folder / name)
    (folder / "pyproject.toml").write_text("", encoding="utf-8")
    return folder


def check_course(root: Path) -> tuple[int, list[str]]:
    """`lessonkit validate` of the whole project at `root`, in-process: its exit code and its
    internal errors (each a traceback). Anything raised out of it is a failure too."""
    _, result = validate_project(root)
    return result.exit_code, result.internal_errors
