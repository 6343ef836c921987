"""`lessonkit import` and `validate plan.md` on planning documents written for these tests
(tests/fixtures/import/plans, each naming the variants it covers in its first line), imported
into a small course (tests/fixtures/import/project)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from support import FIXTURES, run_cli

PLANS = FIXTURES / "import" / "plans"
CLEAN = PLANS / "01-clean.md"
ALL_PLANS = sorted(PLANS.glob("*.md"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "import" / "project", tmp_path / "course")
    (tmp_path / "course" / "plans").mkdir()
    return tmp_path / "course"


def place(project: Path, plan: Path, name: str | None = None, text: str | None = None) -> Path:
    target = project / "plans" / (name or plan.name)
    target.write_text(plan.read_text(encoding="utf-8") if text is None else text, "utf-8")
    return target


def codes(output: str) -> list[tuple[str, int, str]]:
    """(path, line, code) of each diagnostic line of `validate`'s text output."""
    found = re.findall(r"^(\S+?):(\d+):\d+: ([A-Z]\d{3}) ", output, re.M)
    return [(path, int(line), code) for path, line, code in found]


def strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for value in data.values() for s in strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in strings(value)]
    return []


# --- every plan imports ------------------------------------------------------------------


def test_the_corpus_covers_at_least_twelve_plans() -> None:
    assert len(ALL_PLANS) >= 12


@pytest.mark.parametrize("plan", ALL_PLANS, ids=lambda p: p.stem)
def test_each_plan_imports_without_s_diagnostics(project: Path, plan: Path) -> None:
    path = place(project, plan)
    result = run_cli("validate", f"plans/{path.name}", cwd=project)
    assert result.exit_code in (0, 1), result.output
    assert not [c for c in codes(result.output) if c[2].startswith("S")], result.output
    imported = run_cli("import", f"plans/{path.name}", cwd=project)
    assert imported.exit_code == 0, imported.output
    assert "lessons/" in imported.output


@pytest.mark.parametrize("plan", ALL_PLANS, ids=lambda p: p.stem)
def test_every_table_cell_and_outline_section_is_in_the_yaml(project: Path, plan: Path) -> None:
    path = place(project, plan)
    result = run_cli("import", f"plans/{path.name}", cwd=project)
    assert result.exit_code == 0, result.output
    written = [project / line for line in result.output.splitlines() if line.endswith(".yaml")]
    values = "\n".join(
        s for file in written for s in strings(yaml.safe_load(file.read_text("utf-8")))
    )
    text = path.read_text("utf-8")
    lowered = values.lower()
    missing = []
    header = True
    for line in text.splitlines():
        if not line.startswith("|"):
            header = True
            continue
        if re.match(r"^\|[-| :]+\|$", line):
            continue
        if header:  # a table's first row names its columns
            header = False
            continue
        for cell in re.split(r"(?<![\\$])\|(?![^$]*\$\s*\|)", line)[1:-1]:
            cell = cell.strip().strip("*").strip()
            # A cell is kept when its text is, or each of its words is (a citation's module
            # number is derived from the curriculum and not stored).
            words = [
                w for w in re.findall(r"[\w'→-]+", cell.lower()) if not re.fullmatch(r"[\d.]+", w)
            ]
            if cell and cell not in values and not all(w in lowered for w in words):
                missing.append(cell)
    assert not missing, missing
    for title in re.findall(r"^#### \d+[a-z]?\. (.+)$", text, re.M):
        assert title in values, title


def test_the_clean_plan_imports_to_a_clean_lesson(project: Path) -> None:
    place(project, CLEAN, "adding-fractions.md")
    result = run_cli("import", "plans/adding-fractions.md", cwd=project)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:3] == [
        "lessons/adding-fractions.yaml",
        "reviews/adding-fractions/iteration-1.yaml",
        "reviews/adding-fractions/iteration-2.yaml",
    ]
    checked = run_cli(
        "validate",
        "lessons/adding-fractions.yaml",
        "reviews/adding-fractions",
        "--format",
        "json",
        cwd=project,
    )
    assert json.loads(checked.output)["diagnostics"] == []
    lesson = yaml.safe_load((project / "lessons/adding-fractions.yaml").read_text("utf-8"))
    assert lesson["status"] == "ready"
    outline = lesson["design"]["outline"]
    assert outline[2]["addresses"] == [
        "add-the-tops-and-add",
        "a-bigger-denominator-means-a",
    ]
    assert outline[5]["checks"][0]["follow_ups"][0]["prompt"] == "And $1/3 + 1/6$?"


def test_render_md_planning_page_holds_every_row_and_section(project: Path) -> None:
    place(project, CLEAN, "adding-fractions.md")
    assert run_cli("import", "plans/adding-fractions.md", cwd=project).exit_code == 0
    run_cli("render", "-o", "site", "--format", "md", cwd=project)
    page = (project / "site" / "planning" / "adding-fractions.md").read_text("utf-8")
    text = CLEAN.read_text("utf-8").split("## Review")[0]
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith(("| Concept", "| Misconception")):
            first = line.split("|")[1].strip().strip("*")
            if first not in ("Example", "Modality", "Prior Concept", "Iteration 1 Finding"):
                assert first in page, first
    for title in re.findall(r"^#### \d+\. (.+)$", text, re.M):
        assert title in page, title


# --- writing -------------------------------------------------------------------------------


def test_import_is_idempotent_and_never_overwrites_without_force(project: Path) -> None:
    place(project, CLEAN, "adding-fractions.md")
    first = run_cli("import", "plans/adding-fractions.md", cwd=project)
    lesson = project / "lessons" / "adding-fractions.yaml"
    before = {p: p.read_bytes() for p in project.rglob("*.yaml")}
    second = run_cli("import", "plans/adding-fractions.md", cwd=project)
    assert second.exit_code == 0
    assert not [line for line in second.output.splitlines() if line.endswith(".yaml")]
    assert {p: p.read_bytes() for p in project.rglob("*.yaml")} == before
    assert first.exit_code == 0
    lesson.write_text(lesson.read_text("utf-8") + "# edited by hand\n", "utf-8")
    edited = lesson.read_bytes()
    refused = run_cli("import", "plans/adding-fractions.md", cwd=project)
    assert refused.exit_code == 2
    assert "use --force" in refused.output
    assert lesson.read_bytes() == edited
    forced = run_cli("import", "--force", "plans/adding-fractions.md", cwd=project)
    assert forced.exit_code == 0
    assert lesson.read_bytes() == before[lesson]


def test_dry_run_writes_nothing_and_output_folder_is_respected(project: Path) -> None:
    place(project, CLEAN, "adding-fractions.md")
    dry = run_cli("import", "--dry-run", "plans/adding-fractions.md", cwd=project)
    assert dry.exit_code == 0
    assert "lessons/adding-fractions.yaml" in dry.output
    assert not (project / "lessons" / "adding-fractions.yaml").exists()
    out = run_cli("import", "-o", "elsewhere", "plans/adding-fractions.md", cwd=project)
    assert out.exit_code == 0, out.output
    assert (project / "elsewhere" / "lessons" / "adding-fractions.yaml").exists()
    assert not (project / "lessons" / "adding-fractions.yaml").exists()


def test_a_new_lesson_is_added_to_its_module_keeping_the_layout(project: Path) -> None:
    place(project, PLANS / "05-bullets.md")
    curriculum = project / "lessons" / "curriculum.yaml"
    before = curriculum.read_text("utf-8")
    result = run_cli("import", "plans/05-bullets.md", cwd=project)
    assert result.exit_code == 0, result.output
    assert "lessons/curriculum.yaml" in result.output.splitlines()
    assert curriculum.read_text("utf-8") == before.replace(
        "          - adding-fractions\n",
        "          - adding-fractions\n          - adding-fractions-bullets\n",
    )


def test_folders_are_searched_and_a_non_plan_is_reported_by_name(project: Path) -> None:
    place(project, CLEAN, "adding-fractions.md")
    (project / "plans" / "notes.md").write_text("# Shopping\n\n- milk\n", "utf-8")
    (project / "plans" / "blob.md").write_bytes(b"\x00\x01\x02binary")
    result = run_cli("import", "plans", cwd=project)
    assert result.exit_code == 1
    assert "lessons/adding-fractions.yaml" in result.output
    assert "plans/notes.md: not a planning document" in result.output
    assert "Misconceptions Table" in result.output
    assert "binary file" in result.output
    checked = run_cli("validate", "plans/blob.md", "plans/notes.md", cwd=project)
    assert {c[2] for c in codes(checked.output)} == {"S002", "S004"}


def test_the_report_names_inferred_and_unmapped_values_with_lines(project: Path) -> None:
    path = place(project, PLANS / "10-depths.md")
    lines = path.read_text("utf-8").splitlines()
    assumed = next(i for i, line in enumerate(lines, 1) if "DEVELOPED (assumed)" in line)
    missing = next(i for i, line in enumerate(lines, 1) if "| NOT TAUGHT |" in line)
    result = run_cli("import", "--dry-run", "plans/10-depths.md", cwd=project)
    assert f"plans/10-depths.md:{assumed}: depth 'DEVELOPED (assumed)' read as DEVELOPED" in (
        result.output
    )
    assert f"plans/10-depths.md:{missing}: depth 'NOT TAUGHT': the student does not have it" in (
        result.output
    )
    assert "inferred:" in result.output and "unmapped:" in result.output


# --- single defects ------------------------------------------------------------------------

DEFECTS = [
    # (code, old text, new text, the Markdown line the defect is reported at)
    (
        "P001",
        "| **A bigger denominator means a bigger fraction** | Bigger numbers usually mean more"
        " | One eighth of a pizza is smaller than one half of the same pizza"
        " | During the pizza picture |\n",
        "",
        50,
    ),
    (
        "P004",
        "| **Adding the bottoms of two halves** | Negative | Show that adding bottoms shrinks"
        " the answer | Makes the wrong rule fail on a case the student can check |\n",
        "",
        58,
    ),
    (
        "W001",
        "Adding them only asks them",
        "Adding them — only asks them",
        31,
    ),
    ("A001", "`notebooks/1-1-3-adding-fractions.ipynb`", "`notebooks/missing.ipynb`", 147),
    (
        "C001",
        "| Equivalent fractions | DEVELOPED | equivalent-fractions (1.1) | Same amount,",
        "| Long division | DEVELOPED | equivalent-fractions (1.1) | Same amount,",
        17,
    ),
    (
        "C003",
        "| Unit fraction | DEVELOPED | counting-units (1.1) | One equal part",
        "| Unit fraction | DEVELOPED | multiplying-fractions (1.2) | One equal part",
        15,
    ),
    (
        "R003",
        "| Renaming step shown once | IMPROVEMENT | FIXED |",
        "| Renaming step shown once | IMPROVEMENT | STILL OPEN |",
        202,
    ),
    (
        "R005",
        "| Pizza picture caption | POLISH | FIXED | Caption added. |\n",
        "",
        206,
    ),
]


@pytest.mark.parametrize(("code", "old", "new", "line"), DEFECTS, ids=[d[0] for d in DEFECTS])
def test_a_single_defect_reports_its_code_in_markdown_and_after_import(
    project: Path, code: str, old: str, new: str, line: int
) -> None:
    text = CLEAN.read_text("utf-8")
    assert old in text
    place(project, CLEAN, "adding-fractions.md", text.replace(old, new, 1))
    in_place = run_cli("validate", "plans/adding-fractions.md", cwd=project)
    found = codes(in_place.output)
    assert {c[2] for c in found} == {code}, in_place.output
    assert ("plans/adding-fractions.md", line, code) in found, in_place.output
    imported = run_cli("import", "plans/adding-fractions.md", cwd=project)
    assert imported.exit_code == 0, imported.output
    after = run_cli(
        "validate", "lessons/adding-fractions.yaml", "reviews/adding-fractions", cwd=project
    )
    assert {c[2] for c in codes(after.output)} == {code}, after.output


def test_json_and_sarif_carry_the_markdown_position(project: Path) -> None:
    text = CLEAN.read_text("utf-8").replace("Adding them only asks", "Adding them — only asks")
    place(project, CLEAN, "adding-fractions.md", text)
    out = run_cli("validate", "plans/adding-fractions.md", "--format", "json", cwd=project)
    (diagnostic,) = json.loads(out.output)["diagnostics"]
    assert (diagnostic["path"], diagnostic["line"], diagnostic["code"]) == (
        "plans/adding-fractions.md",
        31,
        "W001",
    )
    assert diagnostic["column"] == text.splitlines()[30].index("—") + 1
    sarif = json.loads(
        run_cli("validate", "plans/adding-fractions.md", "--format", "sarif", cwd=project).output
    )
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("plans/adding-fractions.md")
    assert location["region"]["startLine"] == 31


def test_fix_rewrites_the_markdown_file_in_place(project: Path) -> None:
    text = CLEAN.read_text("utf-8").replace("Adding them only asks", "Adding them — only asks")
    path = place(project, CLEAN, "adding-fractions.md", text)
    run_cli("validate", "--fix", "plans/adding-fractions.md", cwd=project)
    assert path.read_text("utf-8") == text.replace("them — only", "them—only")
