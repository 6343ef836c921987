"""Concept identity: the glossary, qualified names, `lessonkit concepts` and its suggestions.

The fixture course (`tests/fixtures/concepts/course/`) names its concepts the way real planning
documents do: abbreviations, qualifiers, synonyms, plurals and "the X". Without a glossary its
ledger floods with C001; `concepts --suggest` must propose the groups listed in EXPECTED; after
`--suggest --write` only the three real errors planted in it are left.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lessonkit.authoring.glossary import add_groups
from lessonkit.core.diagnostics import Diagnostic
from lessonkit.course.aliases import Group
from lessonkit.course.concepts import concept_id, split_qualifier

from support import FIXTURES, copy_reference, run_cli, validate_course

COURSE = FIXTURES / "concepts" / "course"

# The groups a careful author would make of the fixture's names: canonical name first.
EXPECTED = [
    {"Epochs", "Epoch"},
    {"Exponential moving average", "EMA"},
    {"Gradient", "the Gradient"},
    {"Gradient descent update rule", "GD update rule", "The gradient descent update rule"},
    {"Learning rate", "the learning rate"},
    {"Loss function", "Loss functions"},
    {"Mini-batches", "Mini-batch"},
    {"Stochastic gradient descent", "SGD"},
    {"Weight decay", "The weight decay"},
    {"MSE loss function", "Mean squared error", "MSE"},
    {"Adam optimizer", "Adam", "Adam optimiser"},
    {"Momentum", "SGD with momentum"},
    {"Computational graph", "Computation graph"},
    {"PyTorch tensors", "Torch tensors"},
]
# What is wrong in the fixture whatever the names: a concept no lesson teaches, a depth deeper
# than the record, a source that comes later.
PLANTED = [
    ("lessons/autograd.yaml", "C001", 11, 17),
    ("lessons/overfitting.yaml", "C003", 13, 61),
    ("lessons/training-loop.yaml", "C002", 15, 33),
]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    shutil.copytree(COURSE, folder)
    return folder


def _found(folder: Path) -> list[tuple[str, str, int, int]]:
    result = run_cli("validate", "--format", "json", cwd=folder)
    return [
        (d["path"], d["code"], d["line"], d["column"])
        for d in json.loads(result.output)["diagnostics"]
    ]


def _groups(folder: Path) -> list[dict[str, object]]:
    result = run_cli("concepts", "--suggest", "--format", "json", cwd=folder)
    assert result.exit_code == 0, result.output
    groups = json.loads(result.output)["groups"]
    assert isinstance(groups, list)
    return groups


def _names(group: dict[str, object]) -> set[str]:
    aliases = group["aliases"]
    assert isinstance(aliases, list)
    return {str(group["name"]), *map(str, aliases)}


# --- qualified names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "base", "qualifier"),
    [
        ("MSE (concept + formula)", "MSE", "concept + formula"),
        ("Adam optimizer (concept)", "Adam optimizer", "concept"),
        ("Backpropagation — the intuition", "Backpropagation", "the intuition"),
        ("Backpropagation—recap", "Backpropagation", "recap"),
        ("Loss -- the idea (concept)", "Loss", "the idea; concept"),
        ("Mini-batch SGD", "Mini-batch SGD", None),
        ("model.parameters()", "model.parameters()", None),
        ("`backward()` method", "`backward()` method", None),
    ],
)
def test_a_qualifier_is_set_aside_for_matching_and_kept(
    written: str, base: str, qualifier: str | None
) -> None:
    name = split_qualifier(written)
    assert (name.base, name.qualifier) == (base, qualifier)
    assert written[name.start : name.end] == base
    assert concept_id(written) == concept_id(base)


# --- the fixture course -----------------------------------------------------------------------


def test_without_a_glossary_the_ledger_floods(course: Path) -> None:
    found = _found(course)
    c001 = [d for d in found if d[1] == "C001"]
    assert len(c001) == 19  # 18 rows naming a taught concept another way, and one real error
    assert set(PLANTED) <= set(found)
    assert {d[1] for d in found} == {"C001", "C002", "C003"}


def test_suggest_proposes_the_expected_groups(course: Path) -> None:
    proposed = [_names(group) for group in _groups(course)]
    right = [group for group in proposed if group in EXPECTED]
    precision = len(right) / len(proposed)
    recall = len(right) / len(EXPECTED)
    shown = f"precision {precision:.2f}, recall {recall:.2f} ({len(proposed)} proposed)"
    print(f"alias groups: {shown}")
    assert sorted(map(sorted, proposed)) == sorted(map(sorted, EXPECTED))


def test_suggestions_are_ranked_and_explained(course: Path) -> None:
    groups = _groups(course)
    confidences = [float(str(group["confidence"])) for group in groups]
    assert confidences == sorted(confidences, reverse=True)
    sgd = next(group for group in groups if group["name"] == "Stochastic gradient descent")
    assert sgd["new"] is True and sgd["id"] == "stochastic-gradient-descent"
    assert any("'sgd' abbreviates" in str(reason) for reason in sgd["reasons"])  # type: ignore[attr-defined]
    mse = next(group for group in groups if group["name"] == "MSE loss function")
    assert any("rows cite loss-functions" in str(r) for r in mse["reasons"])  # type: ignore[attr-defined]


def test_suggest_write_leaves_only_the_planted_errors(course: Path) -> None:
    result = run_cli("concepts", "--suggest", "--write", "--accept", "all", cwd=course)
    assert result.exit_code == 0, result.output
    assert result.stderr == "lessonkit: added 14 groups to lessons/concepts.yaml\n"
    found = _found(course)
    assert [d for d in found if d[1] != "C012"] == PLANTED
    assert len([d for d in found if d[1] == "C012"]) == 18  # the aliases, each fixable
    fixed = run_cli("validate", "--fix", cwd=course)
    assert "Fixed 18 problems." in fixed.stderr
    assert _found(course) == PLANTED
    autograd = (course / "lessons" / "autograd.yaml").read_text(encoding="utf-8")
    assert "{concept: PyTorch tensors, depth: DEVELOPED, source: tensors}" in autograd


def test_write_accepts_chosen_groups_only(course: Path) -> None:
    result = run_cli("concepts", "--suggest", "--write", "--accept", "1,2", cwd=course)
    assert result.exit_code == 0, result.output
    glossary = (course / "lessons" / "concepts.yaml").read_text(encoding="utf-8")
    assert glossary.count("- id: ") == 2
    again = run_cli("concepts", "--suggest", "--format", "json", cwd=course)
    assert len(json.loads(again.output)["groups"]) == len(EXPECTED) - 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--write"], "--write and --accept go with --suggest"),
        (["--suggest", "--write"], "say which groups to add: --accept 1,3 or --accept all"),
        (["--suggest", "--write", "--accept", "99"], "no group 99: the groups are numbered 1"),
        (["--suggest", "--write", "--accept", "x"], "--accept takes group numbers like 1,3"),
    ],
)
def test_write_usage_errors(course: Path, args: list[str], message: str) -> None:
    result = run_cli("concepts", *args, cwd=course)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (course / "lessons" / "concepts.yaml").exists()


def test_concepts_lists_teaching_claims_and_unknown_names(course: Path) -> None:
    result = run_cli("concepts", cwd=course)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    at = lines.index("Epochs  [epochs]")
    assert lines[at + 1] == "  taught: batching-and-sgd DEVELOPED"
    assert "lessons/optimizers.yaml:12:17: 'Epoch' (has, from batching-and-sgd)" in result.output
    assert lines[-1] == "28 concepts (0 in the glossary), 19 unknown names."
    data = json.loads(run_cli("concepts", "--format", "json", cwd=course).output)
    learning = next(c for c in data["concepts"] if c["id"] == "learning-rate")
    assert [m["lesson"] for m in learning["taught"]] == ["gradient-descent", "learning-rate"]
    qualified = [m for m in learning["claimed"] if m.get("qualifier")]
    assert {m["qualifier"] for m in qualified} == {"concept", "as a step size"}


# --- mutations of the reference curriculum ----------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_reference(tmp_path_factory.mktemp("reference"))


def _copy(reference: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "course"
    shutil.copytree(reference, folder)
    return folder


def _ledger(folder: Path) -> list[Diagnostic]:
    """The S and C diagnostics: an edited lesson's review going stale is not the point here."""
    return [d for d in validate_course(folder).diagnostics if d.code[0] in "SC"]


def _codes(folder: Path) -> list[str]:
    return [str(d) for d in validate_course(folder).diagnostics]


def test_the_reference_validates_clean_with_and_without_its_glossary(
    reference: Path, tmp_path: Path
) -> None:
    folder = _copy(reference, tmp_path)
    assert (folder / "lessons" / "concepts.yaml").exists()
    assert _codes(folder) == []
    (folder / "lessons" / "concepts.yaml").unlink()
    assert _codes(folder) == []


def test_an_unknown_synonym_gets_c001_naming_the_concept_and_an_alias_silences_it(
    reference: Path, tmp_path: Path
) -> None:
    folder = _copy(reference, tmp_path)
    lesson = folder / "lessons" / "training-loop.yaml"
    text = lesson.read_text(encoding="utf-8")
    row = "    - concept: Epochs\n      depth: DEVELOPED\n      source: batching-and-sgd\n"
    assert text.count(row) == 1
    lesson.write_text(text.replace(row, row.replace("Epochs", "Number of epochs")), "utf-8")
    c001 = [d for d in _ledger(folder) if d.code == "C001"]
    assert len(c001) == 1
    assert c001[0].message.startswith(
        "'Number of epochs' is not taught by batching-and-sgd; closest: 'Epochs' "
        "(batching-and-sgd DEVELOPED)"
    )
    assert "if 'Number of epochs' names the same concept, add it to" in c001[0].message
    assert c001[0].message.endswith("lessons/concepts.yaml")
    glossary = folder / "lessons" / "concepts.yaml"
    edited = glossary.read_text("utf-8").replace(
        "aliases: [Epoch, Training epoch]", "aliases: [Epoch, Training epoch, Number of epochs]"
    )
    glossary.write_text(edited, encoding="utf-8")
    found = _ledger(folder)
    assert [d.code for d in found] == ["C012"]  # traced now; the canonical name is suggested
    assert found[0].message == (
        "'Number of epochs' is an alias of 'Epochs' in the glossary; write 'Epochs'"
    )


def test_a_synonym_unlike_any_name_lists_what_the_source_teaches(
    reference: Path, tmp_path: Path
) -> None:
    folder = _copy(reference, tmp_path)
    lesson = folder / "lessons" / "training-loop.yaml"
    text = lesson.read_text(encoding="utf-8")
    row = "    - concept: Epochs\n      depth: DEVELOPED\n      source: batching-and-sgd\n"
    lesson.write_text(text.replace(row, row.replace("Epochs", "Passes over the data")), "utf-8")
    c001 = [d for d in _ledger(folder) if d.code == "C001"]
    assert [d.message for d in c001] == [
        "'Passes over the data' is not taught by batching-and-sgd; batching-and-sgd teaches "
        "'Mini-batch SGD', 'Epochs', 'Batch size', 'Full-batch gradient descent'; if one of them "
        "is this concept, add 'Passes over the data' to its aliases in lessons/concepts.yaml"
    ]


def test_an_alias_claimed_twice_is_s008_at_its_line(reference: Path, tmp_path: Path) -> None:
    folder = _copy(reference, tmp_path)
    glossary = folder / "lessons" / "concepts.yaml"
    text = glossary.read_text(encoding="utf-8")
    edited = text.replace("aliases: [MAE, L1 loss]", "aliases: [MAE, L1 loss, MSE]")
    glossary.write_text(edited, encoding="utf-8")
    line = edited[: edited.index("L1 loss, MSE]")].count("\n") + 1
    column = len("    aliases: [MAE, L1 loss, ") + 1
    found = validate_course(folder).diagnostics
    assert [(d.path, d.code, d.line, d.column) for d in found] == [
        ("lessons/concepts.yaml", "S008", line, column)
    ]
    assert found[0].message == (
        "'MSE' is claimed by two concepts: 'MSE loss function' (mse-loss-function) already has "
        "it as 'MSE'; keep it in one"
    )


def test_the_glossary_resolves_explicit_ids_and_words(reference: Path, tmp_path: Path) -> None:
    folder = _copy(reference, tmp_path)
    lesson = folder / "lessons" / "training-loop.yaml"
    text = lesson.read_text(encoding="utf-8")
    row = "    - concept: MSE loss function\n"
    edited = text.replace(row, "    - concept: Squared error\n      id: mse\n", 1)
    lesson.write_text(edited, encoding="utf-8")
    assert _ledger(folder) == []  # `id: mse` names a glossary alias


# --- the layout-keeping edit ------------------------------------------------------------------


def _group(ident: str, name: str, aliases: list[str], *, new: bool) -> Group:
    return Group(ident, name, new, aliases, [ident], 2, 0.9, [])


def test_write_keeps_the_glossary_layout() -> None:
    text = (
        "# our glossary\n"
        "concepts:\n"
        "  - id: mse\n"
        "    name: MSE loss   # the canonical name\n"
        "    aliases:\n"
        "      - Mean squared error\n"
        "    definition: |\n"
        "      The mean of squared errors.\n"
        "  - id: adam\n"
        "    name: Adam\n"
        "    aliases: [Adam optimizer]\n"
        "  - id: sgd\n"
        '    name: "SGD"\n'
        "# the end\n"
    )
    edited = add_groups(
        text,
        [
            _group("mse", "MSE loss", ["MSE", "L2: squared"], new=False),
            _group("adam", "Adam", ["Adam optimiser"], new=False),
            _group("sgd", "SGD", ["Stochastic gradient descent"], new=False),
            _group("epochs", "Epochs", ["Epoch", "Passes, over data"], new=True),
        ],
    )
    assert edited == (
        "# our glossary\n"
        "concepts:\n"
        "  - id: mse\n"
        "    name: MSE loss   # the canonical name\n"
        "    aliases:\n"
        "      - Mean squared error\n"
        "      - MSE\n"
        '      - "L2: squared"\n'
        "    definition: |\n"
        "      The mean of squared errors.\n"
        "  - id: adam\n"
        "    name: Adam\n"
        "    aliases: [Adam optimizer, Adam optimiser]\n"
        "  - id: sgd\n"
        '    name: "SGD"\n'
        "    aliases: [Stochastic gradient descent]\n"
        "  - id: epochs\n"
        "    name: Epochs\n"
        '    aliases: [Epoch, "Passes, over data"]\n'
        "# the end\n"
    )


def test_write_creates_a_glossary() -> None:
    edited = add_groups(None, [_group("epochs", "Epochs", ["Epoch"], new=True)])
    assert edited.endswith("concepts:\n  - id: epochs\n    name: Epochs\n    aliases: [Epoch]\n")


# --- pages ------------------------------------------------------------------------------------


def test_pages_link_concepts_and_group_their_names(course: Path) -> None:
    assert run_cli("concepts", "--suggest", "--write", "--accept", "all", cwd=course).exit_code == 0
    glossary = course / "lessons" / "concepts.yaml"
    glossary.write_text(
        glossary.read_text("utf-8").replace(
            "    name: Epochs\n", "    name: Epochs\n    definition: One pass over the data.\n"
        ),
        encoding="utf-8",
    )
    assert run_cli("render", "-o", "site", cwd=course).exit_code == 0
    planning = (course / "site" / "planning" / "optimizers.html").read_text("utf-8")
    assert '<a href="../concepts.html#epochs" title="One pass over the data.">Epoch</a>' in planning
    assert '<a href="../concepts.html#momentum" title="Taught by optimizers DEVELOPED">' in planning
    page = (course / "site" / "concepts.html").read_text("utf-8")
    entry = page[page.index('<section class="concept" id="epochs">') :]
    entry = entry[: entry.index("</section>")]
    assert "<p>One pass over the data.</p>" in entry
    assert "Also written as: <q>Epoch</q>" in entry
    assert 'href="lessons/batching-and-sgd.html">batching and sgd</a> (DEVELOPED)' in entry
    assert 'href="planning/optimizers.html">optimizers</a> (DEVELOPED, from batching-and-sgd)' in (
        entry
    )
    ledger = (course / "site" / "ledger.html").read_text("utf-8")
    assert (
        '<li><a href="concepts.html#mse-loss-function">MSE loss function</a>: '
        "<q>Mean squared error</q>, <q>MSE</q>"
    ) in ledger


def test_an_alias_of_a_name_with_yaml_punctuation_is_reported_without_a_fix(
    reference: Path, tmp_path: Path
) -> None:
    folder = _copy(reference, tmp_path)
    lesson = folder / "lessons" / "training-loop.yaml"
    text = lesson.read_text(encoding="utf-8")
    assert text.count('concept: "`nn.MSELoss`"') >= 1
    lesson.write_text(text.replace('concept: "`nn.MSELoss`"', "concept: MSELoss", 1), "utf-8")
    result = run_cli("validate", "--format", "json", cwd=folder)
    found = [d for d in json.loads(result.output)["diagnostics"] if d["code"] == "C012"]
    assert [(d["code"], d["fixable"]) for d in found] == [("C012", False)]
    assert found[0]["message"] == (
        "'MSELoss' is an alias of '`nn.MSELoss`' in the glossary; write '`nn.MSELoss`'"
    )


def test_write_refuses_a_glossary_with_errors(course: Path) -> None:
    glossary = course / "lessons" / "concepts.yaml"
    glossary.write_text("concepts:\n  - id: Not A Slug\n    name: X\n", encoding="utf-8")
    result = run_cli("concepts", "--suggest", "--write", "--accept", "all", cwd=course)
    assert result.exit_code == 2
    assert result.stderr == (
        "lessonkit: lessons/concepts.yaml has errors (`lessonkit validate` lists them); "
        "fix it first\n"
    )
    assert glossary.read_text(encoding="utf-8").startswith("concepts:\n  - id: Not A Slug")
