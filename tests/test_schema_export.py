"""The exported JSON Schemas: current, and right about real files (checked by check-jsonschema)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support import FIXTURES, REPO, run_cli

CHECK = Path(sys.executable).parent / "check-jsonschema"
SCHEMAS = REPO / "schemas"
S002 = FIXTURES / "rules" / "S002"


def _check(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK), "--schemafile", str(SCHEMAS / schema), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.slow
def test_reference_files_are_accepted() -> None:
    others = ("curriculum.yaml", "concepts.yaml")
    lessons = [p for p in sorted((REPO / "lessons").glob("*.yaml")) if p.name not in others]
    assert _check("lesson.schema.json", *lessons).returncode == 0
    assert _check("review.schema.json", *sorted((REPO / "reviews").rglob("*.yaml"))).returncode == 0
    assert _check("curriculum.schema.json", REPO / "lessons" / "curriculum.yaml").returncode == 0
    assert _check("glossary.schema.json", REPO / "lessons" / "concepts.yaml").returncode == 0


@pytest.mark.parametrize("fixture", sorted(S002.glob("fail_*.yaml")), ids=lambda p: p.stem)
def test_schema_fixtures_are_rejected(fixture: Path) -> None:
    result = _check("lesson.schema.json", fixture)
    assert result.returncode == 1, result.stdout


def test_review_fixture_is_rejected_and_minimal_lesson_accepted() -> None:
    review = S002 / "reviews" / "fixture-lesson" / "fail_bad_verdict.yaml"
    assert _check("review.schema.json", review).returncode == 1
    assert _check("lesson.schema.json", S002 / "pass_minimal.yaml").returncode == 0


def test_schema_command_uses_the_project_vocabularies(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.lessonkit]\nlesson_types = ["LEARN", "PRACTISE"]\n', encoding="utf-8"
    )
    result = run_cli("schema", "-o", "out", cwd=tmp_path)
    assert result.output.splitlines() == [
        "out/lesson.schema.json",
        "out/review.schema.json",
        "out/curriculum.schema.json",
        "out/glossary.schema.json",
        "out/config.schema.json",
    ]
    lesson = json.loads((tmp_path / "out" / "lesson.schema.json").read_text(encoding="utf-8"))
    assert lesson["properties"]["type"]["enum"] == ["LEARN", "PRACTISE"]
    depth = lesson["$defs"]["TargetDepth"]["properties"]["depth"]
    assert depth["enum"] == ["MENTIONED", "INTRODUCED", "DEVELOPED", "APPLIED"]
    assert depth["description"] == "Depth the student reaches in this lesson."
