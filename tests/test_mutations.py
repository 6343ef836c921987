"""Mutation tests over the reference curriculum.

Each case makes one small, realistic edit to a clean reference file, as an author would, and
checks that the rule it should trip reports exactly there: on the line (and, for prose, at the
column) of a marker in the edited text. The reference curriculum itself must stay clean, and
em dashes inside code stay silent.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support import copy_reference, validate_course

LESSON = "lessons/training-loop.yaml"


@dataclass(frozen=True)
class Mutation:
    code: str
    pattern: str  # a regular expression over the file (DOTALL, MULTILINE)
    replacement: str
    marker: str  # where the diagnostic must point, in the edited file
    file: str = LESSON
    column: bool = True  # also check the column (the marker's first character)
    copies: dict[str, str] = field(default_factory=dict)  # extra files: new -> copied from


MUTATIONS = [
    Mutation(
        "P001",
        r"    - id: step-is-black-box\n.*?(?=  examples:\n)",
        "",
        "misconceptions:",
    ),
    Mutation(
        "P002",
        r"(    - id: optimizer-zero-grad-differs\n(?:[^\n]*\n)*?)"
        r"      negative_example: >-\n(?:        [^\n]*\n)+",
        r"\1",
        "optimizer-zero-grad-differs",
    ),
    Mutation(
        "P003",
        r"kind: positive(.*?)kind: positive(.*?)kind: positive",
        r"kind: negative\1kind: negative\2kind: negative",
        "examples:",
    ),
    Mutation(
        "P004", r"kind: negative(.*?)kind: negative", r"kind: positive\1kind: positive", "examples:"
    ),
    Mutation(
        "P005",
        r"    - id: visual-side-by-side\n.*?(?=  cognitive_load:\n)",
        "",
        "modalities:\n    - id: concrete-example",
    ),
    Mutation(
        "P006",
        r"(    - id: concrete-example\n(?:[^\n]*\n)*?)      why: >-\n(?:        [^\n]*\n)+",
        r"\1",
        "concrete-example\n      modality",
    ),
    Mutation(
        "P007",
        r"(  cognitive_load:\n    new_concepts:\n)",
        r"\1      - concept: DataLoader\n      - concept: Learning-rate schedulers\n",
        "new_concepts:\n      - concept: DataLoader",
    ),
    Mutation(
        "P008",
        r"(  cognitive_load:\n    new_concepts:\n)",
        r"\1      - concept: Gradient clipping\n",
        "Gradient clipping",
    ),
    Mutation(
        "P009",
        r"    is_not_about:\n.*?(?=    target_depths:\n)",
        "    is_not_about: []\n",
        "is_not_about: []",
    ),
    Mutation(
        "P010",
        r"  narrative_arc: >-\n(?:    [^\n]*\n)+",
        "  narrative_arc: We assemble the training loop.\n",
        "narrative_arc:",
    ),
    Mutation("P011", r"^type: BUILD", "type: STRETCH", "STRETCH", file="lessons/nn-module.yaml"),
    Mutation(
        "P012", r"      addresses: \[backward-rebuilds-graph\]\n", "", "backward-rebuilds-graph\n"
    ),
    Mutation(
        "P013",
        r"symbolic-code, visual-side-by-side, of-course",
        "symbolic-code, of-course",
        "visual-side-by-side\n",
    ),
    Mutation(
        "P014",
        r"(    - title: Check 2.*?answer: \|\n)",
        r"\1            Follow-up: and where exactly must the missing call go?\n",
        "Follow-up: and where",
    ),
    Mutation(
        "P015",
        r"addresses: \[loss-objects-hold-state\]",
        "addresses: [loss-object-holds-state]",
        "loss-object-holds-state",
    ),
    Mutation(
        "C001",
        r"    - concept: nn.Sequential\n",
        "    - concept: nn.Sequentials\n",
        "nn.Sequentials",
    ),
    Mutation(
        "C002",
        r"(    - concept: nn.Sequential\n      depth: )INTRODUCED",
        r"\1DEVELOPED",
        "DEVELOPED\n      source: nn-module\n      notes: Simple",
    ),
    Mutation(
        "C012",
        r"    - concept: MSE loss function\n",
        "    - concept: Mean squared error (formula + rationale)\n",
        "Mean squared error (formula",
    ),
    Mutation(
        "C003",
        r"source: implementing-linear-regression\n",
        "source: datasets-and-dataloaders\n",
        "datasets-and-dataloaders",
    ),
    Mutation(
        "C004",
        r"(  prerequisites:\n    - concept: .*?\n      required_depth: )DEVELOPED"
        r"(.*?)  gap_resolution: >-\n(?:    [^\n]*\n)+",
        r"\1APPLIED\2",
        "APPLIED",
    ),
    Mutation("C005", r"^previous: nn-module", "previous: autograd", "autograd\nnext_note"),
    Mutation(
        "C006",
        r"          - training-loop\n",
        "          - training-loops\n",
        "training-loops",
        file="lessons/curriculum.yaml",
    ),
    Mutation(
        "C007",
        r"^position: 3",
        "position: 3",
        "nn-module\ntitle",
        file="lessons/nn-module.yaml",
        copies={"lessons/nn-module-draft.yaml": "lessons/nn-module.yaml"},
    ),
    Mutation("C008", r"^position: 3", "position: 4", "4\ntype", file="lessons/nn-module.yaml"),
    Mutation(
        "C009",
        r"      source: nn-module\n",
        "      source: loose-notes\n",
        "loose-notes\n",
        # A review copied into lessons/ by mistake: a lesson file that fails its schema.
        copies={"lessons/loose-notes.yaml": "reviews/training-loop/iteration-1.yaml"},
    ),
    Mutation(
        "C010",
        r"      required_depth: DEVELOPED\n(      actual_depth: DEVELOPED\n"
        r"      source: implementing-linear-regression\n      status: )OK",
        r"      required_depth: APPLIED\n\1OK",
        "OK\n      reasoning: >-\n        This lesson reimplements",
    ),
    Mutation(
        "C011", r"^id: nn-module$", "id: nn-modules", "nn-modules\n", file="lessons/nn-module.yaml"
    ),
    Mutation(
        "W001", r"replaces this\. You construct", "replaces this \u2014 you construct", "\u2014 you"
    ),
    Mutation("W002", r"replaces this\. You construct", "replaces this -- you construct", "-- you"),
    Mutation(
        "W003",
        r"(        with torch.no_grad\(\)):\n(            for param in model)",
        r"\1\n\2",
        "with torch.no_grad()\n            for",
        column=False,
    ),
    Mutation(
        "W004",
        r"(zero_grad_equivalence.py\"\n(?:[^\n]*\n)*?)        x = torch.randn\(10, 1\)\n",
        r"\1",
        "x) - y",
    ),
    Mutation(
        "W005", r"replaces this\. You construct", "replaces this. TODO: you construct", "TODO: you"
    ),
    Mutation(
        "A001",
        r"notebook: notebooks/2-1-4-training-loop.ipynb",
        "notebook: notebooks/2-1-4-training-loops.ipynb",
        "notebooks/2-1-4-training-loops",
    ),
    Mutation(
        "A002",
        r"replaces this\. You construct",
        "replaces this ([diagram](img/loop.svg)). You construct",
        "img/loop.svg",
    ),
    Mutation(
        "A003",
        r"notebook: notebooks/2-1-4-training-loop.ipynb",
        "notebook: ../notebooks/2-1-4-training-loop.ipynb",
        "../notebooks",
    ),
]


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_reference(tmp_path_factory.mktemp("reference"))


def _validate(folder: Path) -> list[tuple[str, str, int, int]]:
    return [(d.path, d.code, d.line, d.column) for d in validate_course(folder).diagnostics]


def test_the_reference_curriculum_is_clean(reference: Path) -> None:
    """Every mutation below starts from this: no diagnostics at all."""
    assert _validate(reference) == []


def test_every_lesson_rule_has_a_mutation() -> None:
    from lessonkit.check import rules

    covered = {mutation.code for mutation in MUTATIONS}
    wanted = {code for code in rules.REGISTRY if code[0] in "PCWA"}
    assert wanted <= covered, sorted(wanted - covered)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.code)
def test_mutation_is_reported_where_it_was_made(
    mutation: Mutation, reference: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "course"
    shutil.copytree(reference, folder)
    target = folder / mutation.file
    text = target.read_text(encoding="utf-8")
    edited, count = re.subn(
        mutation.pattern, mutation.replacement, text, count=1, flags=re.DOTALL | re.MULTILINE
    )
    assert count == 1, f"the pattern of the {mutation.code} mutation matched nothing"
    target.write_text(edited, encoding="utf-8")
    for new, original in mutation.copies.items():
        shutil.copy(folder / original, folder / new)
    at = edited.index(mutation.marker)
    line = edited.count("\n", 0, at) + 1
    column = at - (edited.rfind("\n", 0, at) + 1) + 1
    found = [d for d in _validate(folder) if d[1] == mutation.code]
    expected = (mutation.file, mutation.code, line, column)
    if mutation.column:
        assert expected in found, found
    else:
        assert (mutation.file, mutation.code, line) in [d[:3] for d in found], found


@pytest.mark.parametrize(
    ("pattern", "replacement"),
    [
        (r'print\(f"Epoch \{epoch\}', 'print(f"Epoch \u2014 -- {epoch}'),
        (r"`step\(\)` after every backward pass", "`step() \u2014 -- x` after every backward pass"),
        (r"\$5\.0 - 0\.1", "$5.0 \u2014 0.1"),
    ],
    ids=["code block", "inline code", "math"],
)
def test_dashes_in_code_and_math_stay_silent(
    pattern: str, replacement: str, reference: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "course"
    shutil.copytree(reference, folder)
    target = folder / LESSON
    edited, count = re.subn(pattern, replacement, target.read_text(encoding="utf-8"), count=1)
    assert count == 1
    target.write_text(edited, encoding="utf-8")
    assert [d for d in _validate(folder) if d[1][0] == "W"] == []
