"""W family: house style in prose, and code in prose that would not run.

Every check here is Markdown-aware: dashes inside code spans, code blocks or math are never
reported, and positions point at the offending character inside the YAML file, block scalars
included.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator
from typing import Literal

from pydantic import Field
from pyflakes.checker import Checker
from pyflakes.messages import UndefinedName

from ...core.diagnostics import Severity
from ...read.markdown import all_strings
from ...schemas import FindingSeverity
from ..context import LessonContext
from ..registry import ChecklistItem, Fix, Hit, Options, rule

# The reviewer checklist items these rules verify (`lessonkit review --report` ticks them).
_CHECK_CODE_RUNS = ChecklistItem(
    "The plan, realised", "Code parses; runnable files define what they use"
)
_CHECK_DASHES = ChecklistItem("The plan, realised", "House style for dashes")

EM_DASH = "\u2014"
_EM_DASH = re.compile(EM_DASH)
_UNSPACED_DASH = re.compile(r"(?<=\w)\u2014(?=\w)")
# Exactly two hyphens; whether they stand for a dash depends on what surrounds them.
_TWO_HYPHENS = re.compile(r"(?<!-)--(?!-)")
_BLANK = " \t"

PYTHON = {"python", "py", "python3"}


class DashStyle(Options):
    style: Literal["unspaced", "spaced"] = Field(
        default="unspaced",
        description="`unspaced`: word—word (the default house style); `spaced`: word — word.",
    )


def _dash(style: str) -> str:
    return EM_DASH if style == "unspaced" else f" {EM_DASH} "


def _with_spaces(text: str, start: int, end: int) -> tuple[int, int]:
    """text[start:end] widened over the spaces and tabs on either side."""
    while start > 0 and text[start - 1] in _BLANK:
        start -= 1
    while end < len(text) and text[end] in _BLANK:
        end += 1
    return start, end


def _between_words(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] has a non-space character on both sides (not a line's start)."""
    if start == 0 or end == len(text):
        return False
    return not text[start - 1].isspace() and not text[end].isspace()


# Each finder yields (offset of the dash, start, end) of a dash with its spaces, each dash
# looked at on its own: the spaces between two dashes (`one — — update`) belong to both, and
# both are reported. Their fixes overlap on those spaces; `fixes.apply_edits` starts the later
# one where the earlier ends, so one run of --fix rewrites both.
Found = Iterator[tuple[int, int, int]]


def _spaced_dashes(text: str) -> Found:
    """Em dashes between two words with a space or tab on at least one side."""
    for match in _EM_DASH.finditer(text):
        dash = match.start()
        start, end = _with_spaces(text, dash, dash + 1)
        if (start, end) != (dash, dash + 1) and _between_words(text, start, end):
            yield dash, start, end


def _hyphen_dashes(text: str) -> Found:
    """`--` standing for a dash: `word--word`, `word -- word` or `word-- word`; not `--flag`,
    `<!--`, `-->` or three hyphens."""
    for match in _TWO_HYPHENS.finditer(text):
        hyphens = match.start()
        start, end = _with_spaces(text, hyphens, hyphens + 2)
        if not _between_words(text, start, end):
            continue
        spaced_left, spaced_right = start < hyphens, end > hyphens + 2
        if spaced_left != spaced_right and spaced_left:
            continue  # ` --flag`
        if not spaced_left and not text[start - 1].isalnum() and text[start - 1] != "_":
            continue  # unspaced on the left: only after a word character
        if not spaced_right and not (text[end].isalnum() or text[end] == "_"):
            continue
        yield hyphens, start, end


@rule(
    "W001",
    "em-dash-spacing",
    "Em dash spaced against the house style (`word — word`; the style is `word—word`)",
    severity=Severity.ERROR,
    review=FindingSeverity.POLISH,
    options=DashStyle,
    fixable=True,
    checklist=(_CHECK_DASHES,),
)
def em_dash_spacing(ctx: LessonContext, options: DashStyle) -> Iterator[Hit]:
    """
    Checks em dashes in prose against the configured `style`: by default they take no spaces
    (`word—word`); with `style = "spaced"` they take one on each side. Never inside code spans,
    code blocks or math. Fixable: `--fix` rewrites the dash and its spaces.

    Why: consistent punctuation is the cheapest polish a course has, and reviewers spend real
    time on it (the training-loop lesson's first review had a finding for exactly this).
    Style guides disagree, so the house style is an option.

    Bad:
        is_not_about:
          - No DataLoader or Dataset objects — raw tensors for data

    Good:
        is_not_about:
          - No DataLoader or Dataset objects—raw tensors for data
    """
    want = _dash(options.style)
    for path, prose in ctx.prose:
        text = prose.text
        if EM_DASH not in text:
            continue
        if options.style == "spaced":
            for match in _UNSPACED_DASH.finditer(text):
                if prose.is_prose(match.start()):
                    yield Hit(
                        f"em dash written '{match.group(0)}'; the house style is 'word{want}word'",
                        at=path,
                        offset=match.start(),
                        fix=Fix(want, match.start(), 1),
                    )
            continue
        for dash, start, end in _spaced_dashes(text):
            if prose.is_prose(dash):
                yield Hit(
                    f"em dash written '{text[start:end]}'; the house style is 'word{want}word'",
                    at=path,
                    offset=dash,
                    fix=Fix(want, start, end - start),
                )


@rule(
    "W002",
    "double-hyphen-dash",
    "Double hyphen used as a dash in prose (`--`), outside code",
    severity=Severity.WARNING,
    review=FindingSeverity.POLISH,
    options=DashStyle,
    fixable=True,
    checklist=(_CHECK_DASHES,),
)
def double_hyphen_dash(ctx: LessonContext, options: DashStyle) -> Iterator[Hit]:
    """
    Checks for two hyphens standing in for a dash in prose (`word -- word`, `word--word`),
    outside code spans, code blocks and math. Command-line flags such as `--fix` are not
    dashes. Fixable: `--fix` writes an em dash in the configured style (see W001).

    Why: `--` is a typewriter habit; rendered pages show two hyphens where readers expect a
    dash, and the inconsistency is visible on every page.

    Bad:
        notes: Forward -- loss -- backward -- update.

    Good:
        notes: Forward—loss—backward—update.
    """
    want = _dash(options.style)
    for path, prose in ctx.prose:
        text = prose.text
        if "--" not in text:
            continue
        for hyphens, start, end in _hyphen_dashes(text):
            if prose.is_prose(hyphens):
                yield Hit(
                    f"'--' used as a dash; write '{want.strip()}' ('word{want}word')",
                    at=path,
                    offset=hyphens,
                    length=2,
                    fix=Fix(want, start, end - start),
                )


@rule(
    "W003",
    "python-block-does-not-parse",
    "A Python code block in prose that does not parse",
    severity=Severity.WARNING,
    review=FindingSeverity.IMPROVEMENT,
    checklist=(_CHECK_CODE_RUNS,),
)
def python_block_does_not_parse(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks that every fenced code block marked `python` (or `py`) is valid Python.

    Why: students copy code. A block that does not even parse teaches a typo, and nobody
    notices until a student asks.

    Bad:
        body: |
          ```python
          for epoch in range(100)
              optimizer.step()
          ```

    Good:
        body: |
          ```python
          for epoch in range(100):
              optimizer.step()
          ```
    """
    for path, prose in ctx.prose:
        if "```" not in prose.text and "~~~" not in prose.text:
            continue
        for block in prose.code_blocks:
            if block.language not in PYTHON:
                continue
            error = prose.parsed(block)
            if isinstance(error, SyntaxError):
                line = max((error.lineno or 1) - 1, 0)
                column = max((error.offset or 1) - 1, 0)
                yield Hit(
                    f"this Python block does not parse: {error.msg}",
                    at=path,
                    offset=prose.code_offset(block, line, column),
                )


@rule(
    "W004",
    "runnable-block-uses-undefined-names",
    "A code block presented as a runnable file that uses names it never defines",
    severity=Severity.WARNING,
    review=FindingSeverity.POLISH,
    checklist=(_CHECK_CODE_RUNS,),
)
def runnable_block_uses_undefined_names(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks Python blocks that carry a file name (```` ```python title="train.py" ````): a
    block presented as a file must run on its own, so every name it uses is imported or
    defined in it. Undefined names are found by pyflakes. Untitled blocks may be fragments.

    Why: a file name promises "copy this and run it". The training-loop lesson's second
    review found exactly this: `zero_grad_equivalence.py` used `x` and `y` without defining
    them, and a student who ran it would get a NameError.

    Bad:
        body: |
          ```python title="zero_grad_equivalence.py"
          loss = ((model(x) - y) ** 2).mean()
          ```

    Good:
        body: |
          ```python title="zero_grad_equivalence.py"
          import torch
          from torch import nn

          model = nn.Linear(1, 1)
          x, y = torch.randn(10, 1), torch.randn(10, 1)
          loss = ((model(x) - y) ** 2).mean()
          ```
    """
    for path, prose in ctx.prose:
        if "title=" not in prose.text:
            continue
        for block in prose.code_blocks:
            if block.language not in PYTHON or not block.title:
                continue
            tree = prose.parsed(block)
            if isinstance(tree, SyntaxError):
                continue  # W003 reports it
            for lineno, col, name in _undefined_names(block.content):
                yield Hit(
                    f"'{block.title}' uses '{name}' but never defines or imports it",
                    at=path,
                    offset=prose.code_offset(block, lineno - 1, col),
                    length=len(name),
                )


# pyflakes is a fifth of a cold run, and lessons repeat their blocks: check each distinct block
# once per process, keyed by its text (a block that does not parse never gets here: W003).
@functools.lru_cache(maxsize=1024)
def _undefined_names(content: str) -> tuple[tuple[int, int, str], ...]:
    """(line, column, name) of each undefined name in the block, in order."""
    messages = sorted(Checker(ast.parse(content)).messages, key=lambda m: (m.lineno, m.col))
    return tuple(
        (message.lineno, message.col, message.message_args[0])
        for message in messages
        if isinstance(message, UndefinedName)
    )


_TODO = re.compile(r"\bTODO\b")


@rule(
    "W005",
    "todo-left",
    "A TODO placeholder left in the lesson",
    severity=Severity.WARNING,
    review=FindingSeverity.IMPROVEMENT,
)
def todo_left(ctx: LessonContext) -> Iterator[Hit]:
    """
    Checks for the word `TODO` in any text of the lesson: the placeholders `lessonkit new`
    writes, and notes authors leave for themselves. Each field is reported once, at its first
    TODO.

    Why: a placeholder that reaches students reads as an unfinished course. Reporting them
    as warnings lets a scaffolded lesson be committed and checked while it is written, and
    `--strict` keeps them out of a release.

    Bad:
        title: "TODO: name the lesson"

    Good:
        title: The PyTorch Training Loop
    """
    source = ctx.document.source
    if source is None or "TODO" not in source.text:
        return
    for path, text in all_strings(ctx.lesson):
        match = _TODO.search(text)
        if match:
            yield Hit("TODO left here", at=path, offset=match.start(), length=4)
