"""validate's options and configuration: --fix/--diff, exit habits, selection, rule options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import FIXTURES, run_cli

COMPLETE = (FIXTURES / "complete_lesson.yaml").read_text(encoding="utf-8")

# Spaced dashes and double hyphens in every scalar style, next to text that must not change:
# a comment, a dash in inline code, a fenced block and an unspaced dash.
STYLED = COMPLETE.replace(
    "  readiness: The first lesson of the course; it assumes school algebra only.\n",
    "  readiness: |  # the designer's note — kept as written: comments are not prose\n"
    "    The first lesson — it assumes school algebra -- nothing more.\n"
    "    Inline `a — b` stays; so does\n"
    "\n"
    "    ```python\n"
    '    print("x — y")  # -- code\n'
    "    ```\n"
    "\n"
    "    and an unspaced dash—like this one.\n"
    "  not_covered:\n"
    '    - "Quoted \\u00e9 text — with an escape before the dash"\n'
    "    - 'Single quoted -- with hyphens'\n"
    "    - Plain text — in a list\n",
)


def _course(tmp_path: Path, lesson: str, config: str = "") -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "pyproject.toml").write_text(config, encoding="utf-8")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "fixture-lesson.yaml").write_text(lesson, encoding="utf-8")
    return tmp_path


def test_fix_changes_only_the_reported_characters(tmp_path: Path) -> None:
    course = _course(tmp_path, STYLED)
    before = run_cli("validate", cwd=course)
    assert [line.split(" ")[1] for line in before.output.splitlines()[:-1]] == [
        "W001",
        "W002",
        "W001",
        "W002",
        "W001",
    ]
    result = run_cli("validate", "--fix", cwd=course)
    assert result.exit_code == 0, result.output
    assert "Fixed 5 problems." in result.output
    fixed = (course / "lessons" / "fixture-lesson.yaml").read_text(encoding="utf-8")
    expected = (
        STYLED.replace("The first lesson — it", "The first lesson—it")
        .replace("algebra -- nothing", "algebra—nothing")
        .replace("escape before the dash", "escape before the dash")
        .replace("text — with", "text—with")
        .replace("quoted -- with", "quoted—with")
        .replace("Plain text — in", "Plain text—in")
    )
    assert fixed == expected
    again = run_cli("validate", "--fix", cwd=course)
    assert "Fixed 0 problems." in again.output
    assert (course / "lessons" / "fixture-lesson.yaml").read_text(encoding="utf-8") == expected


def test_fix_keeps_crlf_and_byte_order_mark(tmp_path: Path) -> None:
    raw = b"\xef\xbb\xbf" + STYLED.replace("\n", "\r\n").encode("utf-8")
    course = _course(tmp_path, "")
    path = course / "lessons" / "fixture-lesson.yaml"
    path.write_bytes(raw)
    run_cli("validate", "--fix", cwd=course)
    after = path.read_bytes()
    assert after.startswith(b"\xef\xbb\xbf")
    assert after.count(b"\r\n") == raw.count(b"\r\n")
    assert after.replace("\u2014".encode(), b"").replace(b" ", b"").replace(b"-", b"") == (
        raw.replace("\u2014".encode(), b"").replace(b" ", b"").replace(b"-", b"")
    )
    assert run_cli("validate", cwd=course).exit_code == 0


def test_a_dash_across_a_folded_line_break_is_not_fixed_silently(tmp_path: Path) -> None:
    lesson = COMPLETE.replace(
        "  readiness: The first lesson of the course; it assumes school algebra only.\n",
        "  readiness: >\n    The first lesson\n    — it assumes algebra.\n",
    )
    course = _course(tmp_path, lesson)
    result = run_cli("validate", "--fix", cwd=course)
    assert "W001" in result.output
    assert "Fixed 0 problems." in result.output
    assert (course / "lessons" / "fixture-lesson.yaml").read_text(encoding="utf-8") == lesson


def test_diff_shows_the_fix_and_writes_nothing(tmp_path: Path) -> None:
    course = _course(tmp_path, STYLED)
    result = run_cli("validate", "--diff", cwd=course)
    assert result.exit_code == 1
    assert "--- a/lessons/fixture-lesson.yaml\n+++ b/lessons/fixture-lesson.yaml\n" in result.output
    assert "+    The first lesson—it assumes school algebra—nothing more.\n" in result.output
    assert (course / "lessons" / "fixture-lesson.yaml").read_text(encoding="utf-8") == STYLED
    clean = _course(tmp_path / "clean", COMPLETE)
    assert run_cli("validate", "--diff", cwd=clean).exit_code == 0


def test_fix_and_diff_together_is_a_usage_error(tmp_path: Path) -> None:
    course = _course(tmp_path, COMPLETE)
    assert run_cli("validate", "--fix", "--diff", cwd=course).exit_code == 2


def test_exit_zero_and_strict(tmp_path: Path) -> None:
    warning_only = COMPLETE.replace(
        "  readiness: The first lesson of the course; it assumes school algebra only.\n",
        "  readiness: The first lesson -- it assumes school algebra only.\n",
    )
    course = _course(tmp_path, warning_only)
    assert run_cli("validate", cwd=course).exit_code == 0
    assert run_cli("validate", "--strict", cwd=course).exit_code == 1
    error = _course(tmp_path / "e", COMPLETE.replace("status: draft", "status: done"))
    assert run_cli("validate", cwd=error).exit_code == 1
    assert run_cli("validate", "--exit-zero", cwd=error).exit_code == 0


def test_statistics(tmp_path: Path) -> None:
    course = _course(tmp_path, STYLED)
    result = run_cli("validate", "--statistics", cwd=course)
    assert result.output.startswith(
        "    3  W001  em-dash-spacing\n    2  W002  double-hyphen-dash\n"
    )


@pytest.mark.parametrize(
    ("config", "codes"),
    [
        ("", ["W001", "W002", "W001", "W002", "W001"]),
        ('[tool.lessonkit]\nignore = ["W002"]\n', ["W001", "W001", "W001"]),
        ('[tool.lessonkit]\nignore = ["W"]\nextend_select = ["W002"]\n', ["W002", "W002"]),
        ('[tool.lessonkit]\nselect = ["W001"]\n', ["W001", "W001", "W001"]),
        ('[tool.lessonkit]\nper_path_ignores = { "lessons/*" = ["W"] }\n', []),
        ('[tool.lessonkit.rules.W001]\nstyle = "spaced"\n', ["W002", "W001", "W002"]),
    ],
)
def test_selection_and_options(tmp_path: Path, config: str, codes: list[str]) -> None:
    course = _course(tmp_path, STYLED, config)
    result = run_cli("validate", cwd=course)
    assert [line.split(" ")[1] for line in result.output.splitlines()[:-1]] == codes


def test_severity_override(tmp_path: Path) -> None:
    config = '[tool.lessonkit]\nseverity = { W002 = "error", W001 = "warning" }\n'
    course = _course(tmp_path, STYLED, config)
    result = run_cli("validate", "--format", "json", cwd=course)
    severities = {d["code"]: d["severity"] for d in json.loads(result.output)["diagnostics"]}
    assert severities == {"W001": "warning", "W002": "error"}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ('[tool.lessonkit]\nignore = ["W09"]\n', "ignore: 'W09' is not a rule code or prefix"),
        ('[tool.lessonkit]\nselect = ["X"]\n', "select: 'X' is not a rule code or prefix"),
        ("[tool.lessonkit.rules.P001]\nminimun = 2\n", "rules.P001.minimun: Extra inputs"),
        ('[tool.lessonkit.rules.W001]\nstyle = "loose"\n', "rules.W001.style: Input should be"),
        ("[tool.lessonkit.rules.C001]\nx = 1\n", "rules.C001: C001 takes no options"),
        ('[tool.lessonkit]\nseverity = { W001 = "fatal" }\n', "severity.W001: Input should be"),
    ],
)
def test_bad_rule_settings_exit_two(tmp_path: Path, config: str, message: str) -> None:
    course = _course(tmp_path, COMPLETE, config)
    result = run_cli("validate", cwd=course)
    assert result.exit_code == 2
    assert message in result.output


def test_show_settings(tmp_path: Path) -> None:
    config = '[tool.lessonkit]\nignore = ["W002"]\n[tool.lessonkit.rules.P007]\ndefault = 4\n'
    course = _course(tmp_path, COMPLETE, config)
    result = run_cli("validate", "--show-settings", cwd=course)
    assert result.exit_code == 0
    shown = json.loads(result.output)
    assert shown["config_file"].endswith("pyproject.toml")
    assert shown["settings"]["ignore"] == ["W002"]
    assert shown["settings"]["rules"]["P007"] == {"default": 4, "by_type": {}}
    assert shown["settings"]["rules"]["P001"] == {"minimum": 3}
    assert "W002" not in shown["enabled"] and "W001" in shown["enabled"]


def test_rule_commands() -> None:
    listing = run_cli("rules", "W", cwd=FIXTURES)
    assert listing.exit_code == 0
    assert [line.split()[0] for line in listing.output.splitlines()] == [
        "W001",
        "W002",
        "W003",
        "W004",
        "W005",
    ]
    one = run_cli("rule", "p014", cwd=FIXTURES)
    assert one.output.startswith("P014 check-answer-not-hidden (warning by default)\n")
    assert "\nBad\n" in one.output and "\nGood\n" in one.output
    assert run_cli("rule", "Z999", cwd=FIXTURES).exit_code == 2
    assert run_cli("rules", "Q", cwd=FIXTURES).exit_code == 2


def test_custom_depth_scale_and_lesson_types(tmp_path: Path) -> None:
    config = (
        "[tool.lessonkit]\n"
        'depth_scale = ["AWARE", "FAMILIAR", "FLUENT"]\n'
        'lesson_types = ["LEARN", "PRACTISE"]\n'
        "[tool.lessonkit.rules.P011]\n"
        'forbidden = [["PRACTISE", "PRACTISE"]]\n'
    )
    first = COMPLETE.replace("type: BUILD", "type: LEARN").replace(
        "depth: DEVELOPED}", "depth: FAMILIAR}"
    )
    second = (
        first.replace("id: fixture-lesson", "id: second-lesson")
        .replace("position: 1", "position: 2")
        .replace(
            "  readiness: The first lesson of the course; it assumes school algebra only.\n",
            "  concepts:\n"
            "    - {concept: Mean squared error, depth: FLUENT, source: fixture-lesson}\n",
        )
    )
    course = _course(tmp_path, first, config)
    (course / "lessons" / "second-lesson.yaml").write_text(second, encoding="utf-8")
    result = run_cli("validate", cwd=course)
    assert result.output.splitlines() == [
        "lessons/second-lesson.yaml:10:44: C002 'Mean squared error' is claimed at FLUENT, but "
        "fixture-lesson teaches it to FAMILIAR",
        "Checked 2 files: 1 error.",
    ]
    (course / "lessons" / "second-lesson.yaml").write_text(
        second.replace("FLUENT", "DEVELOPED"), "utf-8"
    )
    result = run_cli("validate", cwd=course)
    assert "S002 student_state.concepts[0].depth: 'DEVELOPED' is not one of AWARE, FAMILIAR," in (
        result.output
    )
