"""`lessonkit import` on the documents that are not lesson plans: course and module outlines
(tests/fixtures/import/outlines), page reviews (page-reviews) and study notes (notes), each
written for these tests in the shape such documents have, imported into the small fractions
course of tests/fixtures/import/project, alone and mixed with plans in one folder."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from lessonkit.authoring.importer import merge_curriculum, set_expected_knowledge
from lessonkit.authoring.new import insert_all_into_curriculum
from lessonkit.read.planning import PlanKind, read_plan

from support import FIXTURES, run_cli

IMPORT = FIXTURES / "import"
OUTLINES = IMPORT / "outlines"
PAGES = IMPORT / "page-reviews"
NOTES = IMPORT / "notes"
CLEAN_PLAN = IMPORT / "plans" / "01-clean.md"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(IMPORT / "project", tmp_path / "course")
    (tmp_path / "course" / "plans").mkdir()
    return tmp_path / "course"


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    """A project with lessons/ but no curriculum and no lessons."""
    root = tmp_path / "bare"
    (root / "lessons").mkdir(parents=True)
    (root / "plans").mkdir()
    (root / "pyproject.toml").write_text("[tool.lessonkit]\n", "utf-8")
    return root


def place(project: Path, source: Path, name: str | None = None) -> Path:
    target = project / "plans" / (name or source.name)
    shutil.copyfile(source, target)
    return target


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def line_of(path: Path, text: str) -> int:
    """1-based line of the first line of `path` containing `text`."""
    lines = path.read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def written(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.endswith(".yaml")]


def codes(output: str) -> list[str]:
    return re.findall(r"^\S+?:\d+:\d+: ([A-Z]\d{3}) ", output, re.M)


def diagnostics(project: Path) -> list[dict]:
    result = run_cli("validate", "--format", "json", cwd=project)
    return json.loads(result.output)["diagnostics"]


def errors_of(found: list[dict]) -> set[tuple[str, str, str]]:
    """Error diagnostics by (path, code, message): the fixture course's own small lessons
    already fail some pedagogy rules, so tests compare before and after an import."""
    return {(d["path"], d["code"], d["message"]) for d in found if d["severity"] == "error"}


# --- telling the kinds apart ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        (OUTLINES / "course-outline.md", PlanKind.OUTLINE),
        (OUTLINES / "module-outline.md", PlanKind.OUTLINE),
        (OUTLINES / "flat-outline.md", PlanKind.OUTLINE),
        (PAGES / "page-review.md", PlanKind.PAGE_REVIEW),
        (PAGES / "page-review-titles.md", PlanKind.PAGE_REVIEW),
        (NOTES / "fraction-notes.md", PlanKind.STUDY_NOTES),
        (NOTES / "decimals_notes.md", PlanKind.STUDY_NOTES),
        (CLEAN_PLAN, PlanKind.LESSON_PLAN),
    ],
    ids=lambda value: value.name,
)
def test_each_kind_is_told_by_its_content(path: Path, kind: PlanKind) -> None:
    assert read_plan(path).kind is kind


def test_a_file_of_no_kind_names_what_every_kind_would_have(project: Path) -> None:
    (project / "plans" / "shopping.md").write_text("# Shopping\n\n- milk\n- bread\n", "utf-8")
    result = run_cli("import", "plans/shopping.md", cwd=project)
    assert result.exit_code == 1
    assert "plans/shopping.md: not a planning document" in result.output
    for named in ("Misconceptions Table", "outline", "page review", "study notes"):
        assert named in result.output
    assert not written(result.output)


# --- course and module outlines -------------------------------------------------------------


def test_a_course_outline_becomes_the_curriculum(bare: Path) -> None:
    source = place(bare, OUTLINES / "course-outline.md")
    result = run_cli("import", "plans/course-outline.md", cwd=bare)
    assert result.exit_code == 0, result.output
    assert written(result.output) == ["lessons/curriculum.yaml"]
    curriculum = load(bare / "lessons" / "curriculum.yaml")
    assert curriculum["title"] == "Fractions for Adults"
    assert curriculum["description"].startswith("This curriculum takes adults")
    assert [(s["id"], s["title"]) for s in curriculum["series"]] == [
        ("A", "Parts of a Whole"),
        ("B", "Operations"),
    ]
    modules = [m for s in curriculum["series"] for m in s["modules"]]
    assert [(m["id"], m["label"], m["title"]) for m in modules] == [
        ("1.1", "A1_counting_in_units.md", "Counting in units"),
        ("1.2", "A2_equivalent_fractions.md", "Equivalent fractions"),
        ("2.1", "B1_adding_fractions.md", "Adding fractions"),
        ("2.2", "B2_multiplying_fractions.md", "Multiplying fractions"),
    ]
    # Every content bullet, as written (a bullet's continuation lines stay with it).
    text = source.read_text("utf-8")
    bullets = re.findall(r"^    - (.+)$", text, re.M)
    kept = [bullet for module in modules for bullet in module["content"]]
    assert [bullet.split("\n")[0] for bullet in kept] == bullets
    assert kept[7].endswith(
        "$$ \\frac{1}{2} + \\frac{1}{3} = \\frac{3}{6} + \\frac{2}{6} $$\n(with a picture of both)."
    )
    assert all(module["lessons"] == [] for module in modules)
    assert curriculum["other_sections"][0]["title"] == "Note on Module Structure"
    assert "**Practice** at the end." in curriculum["other_sections"][0]["body"]
    checked = run_cli("validate", cwd=bare)
    assert checked.exit_code == 0, checked.output


def test_the_outline_report_names_each_module_and_inference_with_its_line(bare: Path) -> None:
    source = place(bare, OUTLINES / "course-outline.md")
    result = run_cli("import", "--dry-run", "plans/course-outline.md", cwd=bare)
    b1 = line_of(source, "B1_adding_fractions.md")
    note = line_of(source, "Note on Module Structure")
    assert "plans/course-outline.md: course or module outline" in result.output
    assert f"plans/course-outline.md:{b1}: module 2.1 'Adding fractions': 3 content bullet(s)" in (
        result.output
    )
    assert f"plans/course-outline.md:{b1}: module id 2.1 from its place in the outline" in (
        result.output
    )
    assert f"plans/course-outline.md:{note}: 'Note on Module Structure' is not a series" in (
        result.output
    )
    assert not (bare / "lessons" / "curriculum.yaml").exists()


def test_an_outline_replaces_a_curriculum_only_with_force_and_keeps_its_lessons(
    project: Path,
) -> None:
    place(project, OUTLINES / "course-outline.md")
    curriculum = project / "lessons" / "curriculum.yaml"
    before = curriculum.read_bytes()
    refused = run_cli("import", "plans/course-outline.md", cwd=project)
    assert refused.exit_code == 2
    assert "use --force" in refused.output
    assert curriculum.read_bytes() == before
    forced = run_cli("import", "--force", "plans/course-outline.md", cwd=project)
    assert forced.exit_code == 0, forced.output
    data = load(curriculum)
    modules = {m["id"]: m for s in data["series"] for m in s["modules"]}
    # The outline's titles and bullets win; the lessons the curriculum listed stay in their
    # modules, so no lesson file loses its place.
    assert modules["1.1"]["title"] == "Counting in units"
    assert modules["1.1"]["lessons"] == [
        "counting-units",
        "equivalent-fractions",
        "adding-fractions",
    ]
    assert modules["1.2"]["lessons"] == ["multiplying-fractions"]
    assert [s["id"] for s in data["series"]] == ["A", "B"]
    assert "module 1.1: the curriculum's title 'Fraction basics' is replaced" in forced.output
    assert "series 1 ('Fractions') is left out: the outline places each of its modules" in (
        forced.output
    )
    again = run_cli("import", "plans/course-outline.md", cwd=project)
    assert again.exit_code == 0 and not written(again.output)


def test_a_module_outline_drafts_its_new_lessons_in_place(project: Path) -> None:
    source = place(project, OUTLINES / "module-outline.md")
    before = errors_of(diagnostics(project))
    result = run_cli("import", "--force", "plans/module-outline.md", cwd=project)
    assert result.exit_code == 0, result.output
    assert written(result.output) == [
        "lessons/dividing-fractions.yaml",
        "lessons/mixed-numbers.yaml",
        "lessons/curriculum.yaml",
    ]
    data = load(project / "lessons" / "curriculum.yaml")
    assert data["title"] == "Fractions for Adults"  # a module outline leaves the course alone
    assert [s["id"] for s in data["series"]] == ["1"]
    modules = data["series"][0]["modules"]
    assert [m["id"] for m in modules] == ["1.1", "1.2"]
    assert modules[1]["title"] == "Fraction Operations"
    assert modules[1]["lessons"] == ["multiplying-fractions", "dividing-fractions", "mixed-numbers"]
    dividing = load(project / "lessons" / "dividing-fractions.yaml")
    assert (dividing["module"], dividing["position"], dividing["status"]) == ("1.2", 2, "draft")
    assert dividing["title"] == "Dividing Fractions"
    assert dividing["design"]["scope"]["is_about"] == [
        "How many halves fit in three?",
        "Multiplying by the reciprocal, and why it works.",
    ]
    assert dividing["analysis"]["target_concept"] == 'Division as "how many of these fit in that".'
    # The lesson the course has is listed, not drafted over.
    assert (
        (project / "lessons" / "multiplying-fractions.yaml")
        .read_text("utf-8")
        .startswith("id: multiplying-fractions")
    )
    line = line_of(source, "Multiplying Fractions (`multiplying-fractions`)")
    assert f"plans/module-outline.md:{line}: lesson 'multiplying-fractions' is in the course" in (
        result.output
    )
    found = diagnostics(project)
    assert errors_of(found) <= before
    drafts = [d for d in found if d["path"] == "lessons/dividing-fractions.yaml"]
    assert drafts and {d["code"] for d in drafts} <= {"W005", "P012", "P013"}


def test_a_flat_outline_reads_lesson_lists_plain_labels_and_other_sections(bare: Path) -> None:
    source = place(bare, OUTLINES / "flat-outline.md")
    result = run_cli("import", "plans/flat-outline.md", cwd=bare)
    assert result.exit_code == 0, result.output
    data = load(bare / "lessons" / "curriculum.yaml")
    (series,) = data["series"]
    assert series["title"] == "Decimals for Adults"
    first, second = series["modules"]
    assert first["lessons"] == ["tenths", "hundredths"]
    assert first["content"][0].startswith("Tenths and hundredths as fractions")
    assert second["content"] == [
        "Adding decimals by lining up the point.",
        "Multiplying by 10 and 100.",
    ]
    assert data["other_sections"][0]["title"] == "Glossary"
    tenths = load(bare / "lessons" / "tenths.yaml")
    assert tenths["design"]["scope"]["is_about"] == ["One tenth is $\\frac{1}{10}$."]
    duration = line_of(source, "**Duration:**")
    assert (
        f"plans/flat-outline.md:{duration}: 'Duration' has no field in the curriculum; kept in "
        "the description"
    ) in result.output
    assert first["description"] == "**Duration:** two weeks"


# --- page reviews ---------------------------------------------------------------------------


def test_a_page_review_gives_named_lessons_questions_and_a_draft_review(project: Path) -> None:
    source = place(project, PAGES / "page-review.md")
    lesson_file = project / "lessons" / "equivalent-fractions.yaml"
    before = lesson_file.read_text("utf-8")
    errors_before = errors_of(diagnostics(project))
    result = run_cli("import", "plans/page-review.md", cwd=project)
    assert result.exit_code == 1, result.output  # two pages name no lesson
    assert written(result.output) == [
        "reviews/counting-units/iteration-1.yaml",
        "reviews/equivalent-fractions/iteration-1.yaml",
        "lessons/equivalent-fractions.yaml",
    ]
    after = lesson_file.read_text("utf-8")
    assert after.startswith(before)  # an edit of one key: everything before it as it was
    lesson = load(lesson_file)
    questions = lesson["expected_knowledge"]
    assert [q["kind"] for q in questions] == [
        "explanation",
        "prediction",
        "tracing",
        "multiple-choice",
    ]
    assert questions[0]["prompt"].startswith("**Same amount:** Explain *why*")
    assert [c.get("correct", False) for c in questions[3]["choices"]] == [False, True, False]
    review = load(project / "reviews" / "equivalent-fractions" / "iteration-1.yaml")
    mtime = datetime.date.fromtimestamp(source.stat().st_mtime)
    assert review["lesson"] == "equivalent-fractions"
    assert (review["iteration"], review["draft"], review["date"]) == (1, True, mtime)
    assert review["verdict"] == "NEEDS REVISION"
    assert review["summary"] == {"critical": 0, "improvement": 1, "polish": 0}
    (finding,) = review["findings"]
    assert (
        finding["title"]
        == 'The rule "multiply top and bottom" arrives before the student sees why.'
    )
    assert finding["suggested_fix"].startswith("After the folding, add:\n`$$ \\frac{1}{2}")
    assert finding["student_impact"].startswith("TODO:")
    assert "- The paper-folding demonstration is excellent." in review["overall_assessment"]
    assert (
        "On the expected-knowledge questions: The questions should make"
        in (review["overall_assessment"])
    )
    # Names that are not lessons are reported with their line, never matched to the closest.
    improper = line_of(source, "`improper-fractions.md`")
    close = line_of(source, "`adding-fraction.md`")
    for line, name in ((improper, "improper-fractions.md"), (close, "adding-fraction.md")):
        assert re.search(
            rf"plans/page-review.md:{line}: page '{name}' names no lesson of the course"
            r"(; did you mean '[a-z-]+'\?)?; nothing of it is imported",
            result.output,
        ), result.output
    assert not (project / "reviews" / "adding-fractions").exists()
    assert errors_of(diagnostics(project)) <= errors_before


def test_a_page_review_imports_again_to_the_same_files(project: Path) -> None:
    place(project, PAGES / "page-review.md")
    run_cli("import", "plans/page-review.md", cwd=project)
    before = {p: p.read_bytes() for p in project.rglob("*.yaml")}
    again = run_cli("import", "plans/page-review.md", cwd=project)
    assert not written(again.output), again.output
    assert {p: p.read_bytes() for p in project.rglob("*.yaml")} == before


def test_questions_replace_a_lessons_own_only_with_force(project: Path) -> None:
    lesson_file = project / "lessons" / "equivalent-fractions.yaml"
    lesson_file.write_text(
        lesson_file.read_text("utf-8")
        + "expected_knowledge:  # written by hand\n"
        + "  - kind: explanation\n    prompt: What is an equivalent fraction?\n"
        + "# the end\n",
        "utf-8",
    )
    before = lesson_file.read_text("utf-8")
    place(project, PAGES / "page-review.md")
    refused = run_cli("import", "plans/page-review.md", cwd=project)
    assert refused.exit_code == 2 and "use --force" in refused.output
    assert lesson_file.read_text("utf-8") == before
    forced = run_cli("import", "--force", "plans/page-review.md", cwd=project)
    assert forced.exit_code == 1, forced.output
    after = lesson_file.read_text("utf-8")
    assert after.endswith("# the end\n")  # what follows the key is kept
    assert len(load(lesson_file)["expected_knowledge"]) == 4


def test_pages_named_by_title_with_a_suggestions_list_and_a_stated_date(project: Path) -> None:
    source = place(project, PAGES / "page-review-titles.md")
    result = run_cli("import", "plans/page-review-titles.md", cwd=project)
    assert result.exit_code == 0, result.output
    review = load(project / "reviews" / "multiplying-fractions" / "iteration-1.yaml")
    assert review["date"] == datetime.date(2025, 3, 14)
    assert [f["id"] for f in review["findings"]] == [
        "show-the-area-model-before-the",
        "add-a-negative-example-multiplying-does",
    ]
    assert review["findings"][0]["issue"].startswith("TODO:")
    questions = load(project / "lessons" / "multiplying-fractions.yaml")["expected_knowledge"]
    assert questions[0]["answer"] == "Taking a part of a part leaves less than either part."
    assert [c.get("correct", False) for c in questions[1]["choices"]] == [False, True, False]
    # Choices nobody marked correct cannot make a multiple-choice question: kept, and said.
    assert questions[2]["kind"] == "explanation"
    assert "B) a quarter of a quarter" in questions[2]["prompt"]
    unmarked = line_of(source, "Which picture shows")
    assert f"plans/page-review-titles.md:{unmarked}: question 3 lists choices but marks none" in (
        result.output
    )
    layout = line_of(source, "### Layout")
    assert f"plans/page-review-titles.md:{layout}: 'Layout' on page 'Multiplying Fractions'" in (
        result.output
    )


def test_a_page_review_after_a_review_verifies_its_findings_and_waits_for_signing(
    project: Path,
) -> None:
    place(project, CLEAN_PLAN, "adding-fractions.md")
    text = (
        (PAGES / "page-review.md")
        .read_text("utf-8")
        .replace("`adding-fraction.md`", "`adding-fractions.md`")
    )
    (project / "plans" / "page-review.md").write_text(text, "utf-8")
    result = run_cli("import", "plans", cwd=project)
    # The plan's two iterations end with a PASS: the feedback opens the next cycle.
    assert "reviews/adding-fractions/cycle-2/iteration-1.yaml" in result.output
    review = load(project / "reviews" / "adding-fractions" / "cycle-2" / "iteration-1.yaml")
    assert (review["cycle"], review["iteration"], review["draft"]) == (2, 1, True)
    assert review["verdict"] == "PASS"  # no suggestion on that page, nothing open
    checked = run_cli("validate", "--format", "json", cwd=project)
    codes_found = {d["code"] for d in json.loads(checked.output)["diagnostics"]}
    # The lesson is ready and its latest review is now an unsigned draft: said, not hidden.
    assert {"R001", "R009"} <= codes_found


# --- study notes ----------------------------------------------------------------------------


def test_notes_become_a_draft_lesson_from_their_headings_and_questions(project: Path) -> None:
    source = place(project, NOTES / "fraction-notes.md")
    result = run_cli("import", "plans/fraction-notes.md", cwd=project)
    assert result.exit_code == 0, result.output
    assert written(result.output) == ["lessons/fraction-notes.yaml", "lessons/curriculum.yaml"]
    lesson = load(project / "lessons" / "fraction-notes.yaml")
    assert (lesson["status"], lesson["module"], lesson["position"]) == ("draft", "1.2", 2)
    assert lesson["type_note"].startswith("TODO:")
    outline = lesson["design"]["outline"]
    assert [s["title"] for s in outline] == [
        "What is a fraction?",
        "Why do the parts have to be equal?",
        "How do we add fractions?",
        "Where fractions show up in everyday life",
    ]
    assert "https://example.org/pictures/pizza-quarters.png" in outline[0]["notes"]
    assert outline[1]["checks"] == [
        {
            "prompt": "Why is a third of a small pizza not a third of a big one?",
            "answer": "the whole is different, so the part is different; a fraction is always "
            "of a whole.",
        },
        {
            "prompt": "Is 1/2 always bigger than 1/3?",
            "answer": "TODO: the answer, hidden until asked for (the notes give none)",
        },
    ]
    assert [q["prompt"] for q in lesson["expected_knowledge"]] == [
        "What is a fraction?",
        "Why do the parts have to be equal?",
        "How do we add fractions?",
    ]
    assert "- fraction-notes" in (project / "lessons" / "curriculum.yaml").read_text("utf-8")
    asked = line_of(source, "Is 1/2 always bigger")
    assert (
        f"plans/fraction-notes.md:{asked}: check from the question in 'Why do the parts have to "
        "be equal?'; its answer is a TODO"
    ) in result.output
    assert "W005 warning" in result.output
    assert re.search(r"validate: 0 error\(s\), \d+ warning\(s\)", result.output)
    checked = run_cli("validate", "lessons/fraction-notes.yaml", "--format", "json", cwd=project)
    found = json.loads(checked.output)["diagnostics"]
    assert checked.exit_code == 0, checked.output
    assert "W005" in {d["code"] for d in found}
    assert not [d for d in found if d["severity"] == "error"]


def test_notes_with_a_title_heading_and_text_before_it(project: Path) -> None:
    place(project, NOTES / "decimals_notes.md")
    result = run_cli("import", "plans/decimals_notes.md", cwd=project)
    assert result.exit_code == 0, result.output
    lesson = load(project / "lessons" / "decimals-notes.yaml")
    assert lesson["title"] == "Notes on decimals"
    # The author's characters are kept; the report says what `validate --fix` would change.
    assert "Line up the points — then compare" in lesson["design"]["outline"][1]["notes"]
    assert "`validate --fix` would make 1 W001 and 0 W002 fixes" in result.output
    assert [s["title"] for s in lesson["design"]["outline"]] == [
        "What does the point mean?",
        "How do you compare 0.5 and 0.45?",
    ]
    assert lesson["other_sections"] == [
        {
            "title": "Notes before the first heading",
            "body": "These notes are for the decimals lesson after the fractions module.",
        }
    ]


# --- a folder of every kind -----------------------------------------------------------------


def test_a_folder_mixing_every_kind_does_the_right_thing_for_each(project: Path) -> None:
    place(project, CLEAN_PLAN, "adding-fractions.md")
    place(project, OUTLINES / "module-outline.md")
    place(project, PAGES / "page-review-titles.md")
    place(project, NOTES / "fraction-notes.md")
    (project / "plans" / "README.md").write_text("# About these plans\n\nThey are ours.\n", "utf-8")
    result = run_cli("import", "--force", "plans", cwd=project)
    assert result.exit_code == 1, result.output  # the README is reported, the rest imported
    for line in (
        "plans/adding-fractions.md: lesson planning document",
        "plans/module-outline.md: course or module outline",
        "plans/page-review-titles.md: page review",
        "plans/fraction-notes.md: study notes",
        "plans/README.md: not a planning document",
    ):
        assert line in result.output
    data = load(project / "lessons" / "curriculum.yaml")
    modules = {m["id"]: m["lessons"] for s in data["series"] for m in s["modules"]}
    assert modules["1.1"] == ["counting-units", "equivalent-fractions", "adding-fractions"]
    # The notes' draft goes last in the last module, after the outline's drafts.
    assert modules["1.2"] == [
        "multiplying-fractions",
        "dividing-fractions",
        "mixed-numbers",
        "fraction-notes",
    ]
    assert load(project / "lessons" / "fraction-notes.yaml")["position"] == 4
    assert (project / "reviews" / "multiplying-fractions" / "iteration-1.yaml").exists()
    assert (project / "reviews" / "adding-fractions" / "iteration-2.yaml").exists()
    before = {p: p.read_bytes() for p in project.rglob("*.yaml")}
    again = run_cli("import", "plans", cwd=project)
    assert not written(again.output), again.output
    assert {p: p.read_bytes() for p in project.rglob("*.yaml")} == before


def test_validate_does_not_check_outlines_page_reviews_or_notes_in_place(project: Path) -> None:
    for source in (
        OUTLINES / "course-outline.md",
        PAGES / "page-review.md",
        NOTES / "fraction-notes.md",
    ):
        place(project, source)
    named = run_cli(
        "validate",
        "plans/course-outline.md",
        "plans/page-review.md",
        "plans/fraction-notes.md",
        cwd=project,
    )
    assert named.exit_code == 0, named.output
    assert codes(named.output) == []
    folder = run_cli("validate", "plans", "--format", "json", cwd=project)
    assert json.loads(folder.output)["diagnostics"] == []


# --- the edits -----------------------------------------------------------------------------


def test_one_curriculum_edit_adds_every_lesson_in_order() -> None:
    text = (
        "# comment kept\ntitle: T\nseries:\n  - id: '1'\n    title: S\n    modules:\n"
        "      - id: '1.1'\n        title: A\n        lessons:\n          - a  # first\n"
        "      - {id: '1.2', title: B, lessons: []}\n"
    )
    edited, missing = insert_all_into_curriculum(
        text, [("1.1", "b"), ("1.2", "x"), ("1.1", "c"), ("9.9", "lost"), ("1.2", "y")]
    )
    assert missing == [("9.9", "lost")]
    assert edited == (
        "# comment kept\ntitle: T\nseries:\n  - id: '1'\n    title: S\n    modules:\n"
        "      - id: '1.1'\n        title: A\n        lessons:\n          - a  # first\n"
        "          - b\n          - c\n"
        "      - {id: '1.2', title: B, lessons: [x, y]}\n"
    )


def test_setting_expected_knowledge_keeps_the_rest_of_the_file() -> None:
    questions = [{"kind": "explanation", "prompt": "Why?"}]
    text = "id: a  # the id\ntitle: A\n"
    added, replaced = set_expected_knowledge(text, questions)
    assert (added, replaced) == (
        text + "expected_knowledge:\n- kind: explanation\n  prompt: Why?\n",
        False,
    )
    assert set_expected_knowledge(added, questions) == (added, False)
    block = (
        "id: a\nexpected_knowledge:\n  - kind: explanation\n    prompt: |\n      Old?\nnext: b\n"
    )
    changed, replaced = set_expected_knowledge(block, questions)
    assert replaced
    assert changed == "id: a\nexpected_knowledge:\n- kind: explanation\n  prompt: Why?\nnext: b\n"


def test_merging_keeps_assumed_knowledge_and_unplaced_modules() -> None:
    base = {
        "title": "Course",
        "assumed": [{"concept": "Counting", "depth": "APPLIED"}],
        "series": [
            {
                "id": "1",
                "title": "One",
                "modules": [
                    {"id": "1.1", "title": "Old", "lessons": ["a"]},
                    {"id": "1.2", "title": "Kept", "lessons": ["b"]},
                ],
            },
        ],
    }
    outline = {
        "series": [{"id": "1", "modules": [{"id": "1.3", "title": "New", "lessons": ["c"]}]}]
    }
    merged, notes = merge_curriculum(base, outline, module_outline=True)
    assert merged["assumed"] == base["assumed"]
    assert [(m["id"], m["lessons"]) for m in merged["series"][0]["modules"]] == [
        ("1.1", ["a"]),
        ("1.2", ["b"]),
        ("1.3", ["c"]),
    ]
    assert merged["series"][0]["title"] == "One"
    assert notes == []
