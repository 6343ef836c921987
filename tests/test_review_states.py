"""Seed 002's review history, replayed: the earlier states of training-loop trip the rules that
match what its reviewers found by hand.

Iteration 1 found spaced em dashes in list items and summary strings, a missing notebook, a
check whose follow-up answer sat inside the first answer, and the graph-lifecycle
misconception addressed nowhere. Iteration 2 found the named `zero_grad_equivalence.py` block
using `x` and `y` without defining them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import copy_reference, validate_course

LESSON = "lessons/training-loop.yaml"
NOTEBOOK = "notebooks/2-1-4-training-loop.ipynb"


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return copy_reference(tmp_path / "course")


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _position(text: str, marker: str) -> tuple[int, int]:
    at = text.index(marker)
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _diagnostics(folder: Path) -> set[tuple[str, str, int, int]]:
    return {(d.path, d.code, d.line, d.column) for d in validate_course(folder).diagnostics}


def _gate(text: str) -> set[tuple[str, str, int, int]]:
    """The review gate on an earlier state: iteration 3 reviewed other content."""
    return {
        (LESSON, "R001", *_position(text, "ready\n")),
        ("reviews/training-loop/iteration-3.yaml", "R002", 7, 15),
    }


def _iteration_one(text: str) -> str:
    # ConstraintBlock items and a SummaryBlock description with spaced em dashes.
    text = _edit(text, "Dataset objects\u2014raw tensors", "Dataset objects \u2014 raw tensors")
    text = _edit(text, "validation loop\u2014we watch", "validation loop \u2014 we watch")
    text = _edit(
        text, "`((y_hat - y)**2).mean()`\u2014the same", "`((y_hat - y)**2).mean()` \u2014 the same"
    )
    # Check 1: the follow-up question and its answer inside the first answer.
    start = text.index(
        "          follow_ups:\n            - prompt: >-\n                What if you forgot"
    )
    end = text.index("              answer: |\n", start) + len("              answer: |\n")
    question = (
        "\n            Follow-up: what if you forgot `optimizer.zero_grad()` and ran a second step"
        " where the new gradient is 3.0? What gradient does the optimizer see?\n"
    )
    rest_end = text.index("\n    # 6 ---", end)
    answer = "".join(
        line[4:] + "\n" if line.strip() else "\n" for line in text[end:rest_end].split("\n")
    )
    text = (
        text[:start].rstrip("\n") + "\n" + question + answer.rstrip("\n") + "\n" + text[rest_end:]
    )
    # The graph-lifecycle misconception, addressed nowhere.
    return _edit(text, "      addresses: [backward-rebuilds-graph]\n", "")


def test_iteration_one_state(course: Path) -> None:
    path = course / LESSON
    text = _iteration_one(path.read_text(encoding="utf-8"))
    path.write_text(text, encoding="utf-8")
    (course / NOTEBOOK).unlink()
    expected = {
        (LESSON, "W001", *_position(text, "\u2014 raw tensors")),
        (LESSON, "W001", *_position(text, "\u2014 we watch")),
        (LESSON, "W001", *_position(text, "\u2014 the same formula from Loss")),
        (LESSON, "A001", *_position(text, NOTEBOOK)),
        (LESSON, "P014", *_position(text, "Follow-up: what if")),
        (LESSON, "P012", *_position(text, "backward-rebuilds-graph\n")),
        *_gate(text),
    }
    assert _diagnostics(course) == expected


def test_iteration_two_state(course: Path) -> None:
    path = course / LESSON
    text = _edit(
        path.read_text(encoding="utf-8"),
        "        x = torch.randn(10, 1)\n        y = torch.randn(10, 1)\n",
        "",
    )
    path.write_text(text, encoding="utf-8")
    block = text.index('title="zero_grad_equivalence.py"')
    first_use = text.index("loss = ((model(x) - y)", block)
    second_use = text.index("loss = ((model(x) - y)", first_use + 1)
    expected = set()
    for use in (first_use, second_use):  # each use of x and of y, in both statements
        line = text.count("\n", 0, use) + 1
        column = use - (text.rfind("\n", 0, use) + 1) + 1
        expected.add((LESSON, "W004", line, column + len("loss = ((model(")))
        expected.add((LESSON, "W004", line, column + len("loss = ((model(x) - ")))
    assert _diagnostics(course) == expected | _gate(text)


def test_the_current_state_passes(course: Path) -> None:
    assert _diagnostics(course) == set()
