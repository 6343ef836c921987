"""W family: house style in prose, and code in prose that would not run.

Every check here is Markdown-aware: dashes inside code spans, code blocks or math are never
reported, and positions point at the offending character inside the YAML file, block scalars
included.
"""

from __future__ import annotations

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
# A spaced or half-spaced em dash between two words (a dash that opens a line, as before an
# attribution, is left alone).
_SPACED_DASH = re.compile(r"(?<=\S)([ \t]*)\u2014([ \t]*)(?=\S)")
_UNSPACED_DASH = re.compile(r"(?<=\w)\u2014(?=\w)")
# Two hyphens used as a dash: between spaces or between words; `--flag`, `<!--`, `-->` and
# runs of three or more hyphens are not dashes.
_DOUBLE_HYPHEN = re.compile(r"(?<=\w)--(?=\w)|(?<=\S)[ \t]+--[ \t]+(?=\S)|(?<=\w)--[ \t]+(?=\S)")

PYTHON = {"python", "py", "python3"}


class DashStyle(Options):
    style: Literal["unspaced", "spaced"] = Field(
        default="unspaced",
        description="`unspaced`: word—word (the default house style); `spaced`: word — word.",
    )


def _dash(style: str) -> str:
    return EM_DASH if style == "unspaced" else f" {EM_DASH} "


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
    pattern = _SPACED_DASH if options.style == "unspaced" else _UNSPACED_DASH
    want = _dash(options.style)
    for path, prose in ctx.prose:
        text = prose.text
        if EM_DASH not in text:
            continue
        for match in pattern.finditer(text):
            dash = text.index(EM_DASH, match.start())
            if not match.group(0).strip(EM_DASH) and options.style == "unspaced":
                continue
            if prose.is_prose(dash):
                yield Hit(
                    f"em dash written '{match.group(0)}'; the house style is 'word{want}word'",
                    at=path,
                    offset=dash,
                    fix=Fix(want, match.start(), match.end() - match.start()),
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
        for match in _DOUBLE_HYPHEN.finditer(text):
            hyphens = text.index("--", match.start())
            if prose.is_prose(hyphens):
                yield Hit(
                    f"'--' used as a dash; write '{want.strip()}' ('word{want}word')",
                    at=path,
                    offset=hyphens,
                    length=2,
                    fix=Fix(want, match.start(), match.end() - match.start()),
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
            checker = Checker(tree, filename=block.title)
            for message in sorted(checker.messages, key=lambda m: (m.lineno, m.col)):
                if isinstance(message, UndefinedName):
                    name = message.message_args[0]
                    yield Hit(
                        f"'{block.title}' uses '{name}' but never defines or imports it",
                        at=path,
                        offset=prose.code_offset(block, message.lineno - 1, message.col),
                        length=len(name),
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
