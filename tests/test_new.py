"""`lessonkit new`: a scaffold that validates with only TODO warnings, its student state from
the ledger, and the curriculum edited without losing a byte."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from support import FIXTURES, copy_reference, run_cli, validate_course


def test_new_lesson_in_the_reference_curriculum(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    curriculum = course / "lessons" / "curriculum.yaml"
    before = curriculum.read_text(encoding="utf-8")
    result = run_cli("new", "datasets", "--module", "2.1", "--type", "BUILD", cwd=course)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "lessons/datasets.yaml",
        "lessons/curriculum.yaml",
        # the schemas the modeline points to, written because the copy has none
        "schemas/lesson.schema.json",
        "schemas/review.schema.json",
        "schemas/curriculum.schema.json",
        "schemas/glossary.schema.json",
        "schemas/config.schema.json",
    ]
    after = curriculum.read_text(encoding="utf-8")
    assert after == before.replace(
        "          - training-loop\n", "          - training-loop\n          - datasets\n"
    )

    validated = json.loads(run_cli("validate", "--format", "json", cwd=course).output)
    assert {d["code"] for d in validated["diagnostics"]} == {"W005"}
    assert run_cli("validate", cwd=course).exit_code == 0

    text = (course / "lessons" / "datasets.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/lesson.schema.json\n")
    lesson = yaml.safe_load(text)
    assert (lesson["module"], lesson["position"], lesson["type"]) == ("2.1", 5, "BUILD")
    ledger = validate_course(course).course.ledger  # type: ignore[union-attr]
    expected = {
        (t.concept, t.depth, t.lesson)
        for t in ledger.state_before(ledger.order.index("datasets")).values()
    }
    got = {(r["concept"], r["depth"], r.get("source")) for r in lesson["student_state"]["concepts"]}
    assert got == expected
    assert ("Complete PyTorch training loop", "DEVELOPED", "training-loop") in got


def test_new_lesson_in_an_earlier_module_sees_only_earlier_lessons(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    assert (
        run_cli(
            "new", "momentum-intuition", "--module", "1.1", "--type", "BUILD", cwd=course
        ).exit_code
        == 0
    )
    lesson = yaml.safe_load((course / "lessons" / "momentum-intuition.yaml").read_text("utf-8"))
    sources = {row.get("source") for row in lesson["student_state"]["concepts"]}
    assert sources == {
        None,
        "loss-functions",
        "gradient-descent",
        "learning-rate",
        "implementing-linear-regression",
    }
    assert lesson["position"] == 5


def test_new_lesson_without_a_curriculum_and_with_a_flow_list(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "lessons").mkdir()
    complete = (FIXTURES / "complete_lesson.yaml").read_text(encoding="utf-8")
    (tmp_path / "lessons" / "fixture-lesson.yaml").write_text(complete, encoding="utf-8")
    assert (
        run_cli("new", "gradients", "--module", "1.1", "--type", "STRETCH", cwd=tmp_path).exit_code
        == 0
    )
    lesson = yaml.safe_load((tmp_path / "lessons" / "gradients.yaml").read_text("utf-8"))
    assert lesson["position"] == 2
    assert lesson["student_state"]["concepts"] == [
        {"concept": "Mean squared error", "depth": "DEVELOPED", "source": "fixture-lesson"}
    ]
    curriculum = (
        "# the course\ntitle: T\nseries:\n  - id: '1'\n    title: S\n    modules:\n"
        "      - {id: '1.1', title: M, lessons: [fixture-lesson, gradients]}  # flow style\n"
    )
    (tmp_path / "lessons" / "curriculum.yaml").write_text(curriculum, encoding="utf-8")
    assert (
        run_cli("new", "chain-rule", "--module", "1.1", "--type", "BUILD", cwd=tmp_path).exit_code
        == 0
    )
    assert (tmp_path / "lessons" / "curriculum.yaml").read_text("utf-8") == curriculum.replace(
        "gradients]", "gradients, chain-rule]"
    )
    assert {d.code for d in validate_course(tmp_path).diagnostics} == {"W005"}


def test_new_refuses_what_it_cannot_do(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    cases = {
        ("training-loop", "2.1", "BUILD"): "exists already",
        ("datasets", "2.1", "LECTURE"): "type 'LECTURE' is not one of",
        ("datasets", "3.1", "BUILD"): (
            "module 3.1 is not in curriculum.yaml; give --module-title TITLE to add it there"
        ),
        ("Datasets", "2.1", "BUILD"): "is not an id",
        ("datasets", "two", "BUILD"): "is not a module number",
    }
    for (lesson_id, module, kind), message in cases.items():
        result = run_cli("new", lesson_id, "--module", module, "--type", kind, cwd=course)
        assert result.exit_code == 2, (lesson_id, result.output)
        assert message in result.output
    assert not (course / "lessons" / "datasets.yaml").exists()
