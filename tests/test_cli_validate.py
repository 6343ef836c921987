"""`lessonkit validate` as a user meets it: output per format, exit codes, files untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from support import FIXTURES, REPO, run_cli, run_console_script

VALID = (FIXTURES / "complete_lesson.yaml").read_text(encoding="utf-8")


def _course(tmp_path: Path, lessons: dict[str, str], config: str = "") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    folder = tmp_path / "lessons"
    folder.mkdir()
    for name, text in lessons.items():
        (folder / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_clean_course_exits_zero(tmp_path: Path) -> None:
    course = _course(tmp_path, {"fixture-lesson.yaml": VALID})
    result = run_cli("validate", cwd=course)
    assert result.exit_code == 0
    assert result.output == "Checked 1 file: no problems.\n"


def test_errors_exit_one_and_every_file_is_checked(tmp_path: Path) -> None:
    broken = VALID.replace('module: "1.1"', "module: 1.1")
    course = _course(
        tmp_path,
        {"a.yaml": "id: [unclosed\n", "b.yaml": broken, "fixture-lesson.yaml": VALID},
    )
    result = run_cli("validate", cwd=course)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "lessons/a.yaml:2:1: S001 did not find expected ',' or ']' "
        "(while parsing a flow sequence at line 1)",
        "lessons/b.yaml:4:9: S002 module: expected text, found the number 1.1; put it in quotes",
        "Checked 3 files: 2 errors.",
    ]


def test_json_format_follows_the_contract(tmp_path: Path) -> None:
    broken = VALID.replace("status: draft", "status: finished")
    course = _course(tmp_path, {"b.yaml": broken, "fixture-lesson.yaml": VALID})
    result = run_cli("validate", "--format", "json", cwd=course)
    assert result.exit_code == 1
    document = json.loads(result.output)
    assert document == {
        "version": 1,
        "diagnostics": [
            {
                "code": "S002",
                "severity": "error",
                "path": "lessons/b.yaml",
                "line": 7,
                "column": 9,
                "end_line": 7,
                "end_column": 17,
                "message": "status: 'finished' is not one of draft, in-review, ready",
                "fixable": False,
            }
        ],
        "summary": {"files": 2, "errors": 1, "warnings": 0, "infos": 0},
    }


def test_paths_are_relative_to_the_current_folder(tmp_path: Path) -> None:
    course = _course(tmp_path, {"b.yaml": "id: [\n"})
    result = run_cli("validate", "b.yaml", cwd=course / "lessons")
    assert result.output.startswith("b.yaml:2:1: S001")
    result = run_cli("validate", str(course / "lessons"), cwd=course.parent)
    assert result.output.startswith(f"{course.name}/lessons/b.yaml:2:1: S001")


def test_default_paths_come_from_the_project_root(tmp_path: Path) -> None:
    course = _course(tmp_path, {"fixture-lesson.yaml": VALID})
    (course / "lessons" / "nested").mkdir()
    result = run_cli("validate", cwd=course / "lessons" / "nested")
    assert result.exit_code == 0
    assert result.output == "Checked 1 file: no problems.\n"


def test_configured_lesson_types(tmp_path: Path) -> None:
    config = '[tool.lessonkit]\nlesson_types = ["BUILD", "REVIEW"]\n'
    lesson = VALID.replace("type: BUILD", "type: REVIEW")
    course = _course(tmp_path, {"a.yaml": lesson}, config=config)
    assert run_cli("validate", cwd=course).exit_code == 0
    course2 = _course(tmp_path / "other", {"a.yaml": lesson})
    assert run_cli("validate", cwd=course2).exit_code == 1


def test_oversized_file_is_reported_not_read(tmp_path: Path) -> None:
    course = _course(tmp_path, {"a.yaml": VALID}, config="[tool.lessonkit]\nmax_file_size = 100\n")
    result = run_cli("validate", cwd=course)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("lessons/a.yaml:1:1: S004 file is 2")
    assert "over the 100 bytes limit (max_file_size)" in result.output


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("[tool.lessonkit]\nmax_file_siz = 10\n", "unknown key 'max_file_siz'; did you mean"),
        ("[tool.lessonkit]\nmax_file_size = -1\n", "max_file_size: Input should be greater than 0"),
        ("[tool.lessonkit\n", "pyproject.toml:"),
    ],
)
def test_bad_configuration_exits_two(tmp_path: Path, config: str, message: str) -> None:
    course = _course(tmp_path, {"a.yaml": VALID}, config=config)
    result = run_cli("validate", cwd=course)
    assert result.exit_code == 2
    assert message in result.output


def test_lessonkit_toml_takes_precedence(tmp_path: Path) -> None:
    course = _course(tmp_path, {"a.yaml": VALID}, config="[tool.lessonkit]\nmax_file_size = 1\n")
    (course / "lessonkit.toml").write_text("max_file_size = 100000\n", encoding="utf-8")
    assert run_cli("validate", cwd=course).exit_code == 0


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    course = _course(tmp_path, {"a.yaml": VALID})
    result = run_cli("validate", "nope/", cwd=course)
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_no_lessons_folder_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    result = run_cli("validate", cwd=tmp_path)
    assert result.exit_code == 2
    assert "no 'lessons/' folder" in result.output


def _tree_digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_validate_never_writes(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(REPO / "lessons", course / "lessons")
    shutil.copytree(REPO / "reviews", course / "reviews")
    shutil.copytree(FIXTURES / "rules", course / "lessons" / "broken")
    (course / "pyproject.toml").write_text("", encoding="utf-8")
    before = _tree_digest(tmp_path)
    for output_format in ("text", "json"):
        run_cli("validate", "--format", output_format, cwd=course)
    assert _tree_digest(tmp_path) == before


def test_reference_curriculum_validates_clean() -> None:
    result = run_console_script("validate", cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.endswith("no problems.\n")
    assert result.stderr == ""


def test_console_script_json(tmp_path: Path) -> None:
    course = _course(tmp_path, {"a.yaml": "- a\n"})
    result = run_console_script("validate", "--format", "json", cwd=course)
    assert result.returncode == 1
    assert json.loads(result.stdout)["diagnostics"][0]["code"] == "S002"


def test_an_internal_error_in_one_file_does_not_hide_the_others(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lessonkit.check import validate

    course = _course(tmp_path, {"a.yaml": "- a\n", "b.yaml": VALID, "c.yaml": "- c\n"})
    real = validate.read_file

    def flaky(path: Path, **kwargs: object) -> object:
        if path.name == "b.yaml":
            raise RuntimeError("boom")
        return real(path, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(validate, "read_file", flaky)
    result = run_cli("validate", cwd=course)
    assert result.exit_code == 2
    lines = result.output.splitlines()
    assert lines[0].startswith("lessons/a.yaml:1:1: S002")
    assert lines[1].startswith("lessons/c.yaml:1:1: S002")
    assert "lessonkit: internal error while reading lessons/b.yaml" in result.output
    assert "RuntimeError: boom" in result.output
