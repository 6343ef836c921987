"""Hostile and broken input on the reading and checking side (issue 16).

Every exception from reading is a diagnostic at the value's position and the run goes on; a
rule that raises costs one S007, not the run; work is bounded by the input's size (aliases
refused before anything is built, caps on nodes, depth and diagnostics, no quadratic lookup,
suppression or position mapping); only regular files inside the project root are read;
`--fix` reaches its fixed point in one run; `--changed-since` leaves .git alone.

The quadratic cases are checked by counting work (characters scanned, Python lines run),
never by timing; their speed is printed by `bench/validate.py` and the fuzz bench.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonkit.check import rules, suppress, validate
from lessonkit.check.registry import Hit
from lessonkit.cli import validate_main
from lessonkit.core.files import NotRegularFile, read_bounded
from lessonkit.read import yaml_source
from lessonkit.read.yaml_source import parse

from support import FIXTURES, git, run_cli

VALID = (FIXTURES / "complete_lesson.yaml").read_text(encoding="utf-8")
TITLE = "title: Mean squared error"
READINESS = "readiness: The first lesson of the course; it assumes school algebra only."


def _course(root: Path, lessons: dict[str, str], config: str = "") -> Path:
    (root / "lessons").mkdir(parents=True, exist_ok=True)
    (root / "pyproject.toml").write_text(config, encoding="utf-8")
    for name, text in lessons.items():
        (root / "lessons" / name).write_text(text, encoding="utf-8")
    return root


def _lesson(lesson_id: str, **replacements: tuple[str, str]) -> str:
    """The complete fixture lesson with another id and some lines replaced (old=new)."""
    text = VALID.replace("id: fixture-lesson", f"id: {lesson_id}")
    for old, new in replacements.values():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def _diagnostics(root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = run_cli("validate", "--format", "json", *args, cwd=root)
    return result.exit_code, json.loads(result.stdout)["diagnostics"]


def _found(diagnostics: list[dict[str, Any]]) -> set[tuple[str, str, int, int]]:
    return {(d["path"], d["code"], d["line"], d["column"]) for d in diagnostics}


# A W001 planted in a healthy lesson: it must survive whatever happens to the others.
PLANTED = ("readiness: The first", "readiness: The first lesson — planted; the first")
PLANTED_AT = ("lessons/healthy.yaml", "W001", 9, 31)


# --- 1. every exception from reading is a diagnostic ------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-02-30", "2024-02-30 is not a date; quote it if it is text"),
        ("2024-13-45", "2024-13-45 is not a date; quote it if it is text"),
        ("0000-01-01", "0000-01-01 is not a date; quote it if it is text"),
        ("!!int x", "'x' is not a valid int (tagged !!int); fix the value or remove the tag"),
        ("!!bool x", "'x' is not a valid bool (tagged !!bool); fix the value or remove the tag"),
        ("!!timestamp x", "'x' is not a valid timestamp (tagged !!timestamp)"),
        ("9" * 5000, "a number of 5,000 characters is too long to read; quote it if it is text"),
        ("0x" + "f" * 5000, "a number of 5,002 characters is too long to read"),
    ],
)
def test_a_value_the_loader_cannot_build_is_a_diagnostic(
    tmp_path: Path, value: str, message: str
) -> None:
    root = _course(
        tmp_path,
        {
            "broken.yaml": _lesson("broken", title=(TITLE, f"title: {value}")),
            "healthy.yaml": _lesson("healthy", planted=PLANTED),
        },
    )
    code, diagnostics = _diagnostics(root)
    assert code == 1
    assert _found(diagnostics) == {("lessons/broken.yaml", "S004", 3, 8), PLANTED_AT}
    [broken] = [d for d in diagnostics if d["path"] == "lessons/broken.yaml"]
    assert broken["message"].startswith(message)


def test_a_date_typo_in_a_date_field_is_reported_once(tmp_path: Path) -> None:
    review = (
        "lesson: fixture-lesson\niteration: 1\ndate: 2024-02-30\nreviewer: R\n"
        "verdict: NEEDS REVISION\n"
    )
    root = _course(tmp_path, {"fixture-lesson.yaml": VALID})
    (root / "reviews" / "fixture-lesson").mkdir(parents=True)
    (root / "reviews" / "fixture-lesson" / "iteration-1.yaml").write_text(review, "utf-8")
    code, diagnostics = _diagnostics(root)
    at_date = [d for d in diagnostics if (d["line"], d["column"]) == (3, 7)]
    assert [(d["code"], d["message"]) for d in at_date] == [
        ("S004", "2024-02-30 is not a date; quote it if it is text")
    ]
    assert code == 1


def test_a_long_number_reaches_neither_a_message_nor_the_curriculum_check(tmp_path: Path) -> None:
    # Before: the hex literal was built as an int that Python cannot print, and C008 (which
    # prints the position) raised.
    curriculum = (
        "title: Course\nseries:\n  - id: '1'\n    title: S\n    modules:\n"
        "      - id: '1.1'\n        title: M\n        lessons: [fixture-lesson]\n"
    )
    root = _course(
        tmp_path,
        {
            "fixture-lesson.yaml": _lesson(
                "fixture-lesson", position=("position: 1", "position: 0x" + "f" * 5000)
            ),
            "curriculum.yaml": curriculum,
        },
    )
    code, diagnostics = _diagnostics(root)
    assert code == 1
    assert _found(diagnostics) == {("lessons/fixture-lesson.yaml", "S004", 5, 11)}


def test_a_long_module_number_orders_without_a_curriculum(tmp_path: Path) -> None:
    # Before: the teaching order converted each module part with int(), which refuses 5,000
    # digits, and the course could not be built at all.
    huge = "1" + "0" * 5000
    root = _course(
        tmp_path,
        {
            "first.yaml": _lesson("first", module=('module: "1.1"', f'module: "{huge}"')),
            "second.yaml": _lesson("second", planted=PLANTED),
        },
    )
    result = run_cli("validate", "--format", "json", cwd=root)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


def test_paths_longer_than_the_os_allows_are_missing_files(tmp_path: Path) -> None:
    notebook = "practice:\n  notebook: " + "n" * 5000 + ".ipynb\n"
    link = "$$\\mathrm{MSE}"
    root = _course(
        tmp_path,
        {
            "fixture-lesson.yaml": VALID + notebook,
            "b.yaml": _lesson("b", link=(link, "[x](" + "l" * 5000 + ".md) " + link)),
        },
    )
    code, diagnostics = _diagnostics(root)
    assert code == 1
    assert {(d["path"], d["code"]) for d in diagnostics} >= {
        ("lessons/fixture-lesson.yaml", "A001"),
        ("lessons/b.yaml", "A002"),
    }


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("pyproject.toml", 'tool = "x"\n', "pyproject.toml: `tool` must be a table"),
        ("lessonkit.toml", "x = " + "[" * 1000 + "]" * 1000 + "\n", "nested too deep"),
        ("pyproject.toml", '[tool.lessonkit]\nlessons = "/etc"\n', "outside the project root"),
        ("pyproject.toml", '[tool.lessonkit]\nreviews = "../.."\n', "outside the project root"),
    ],
)
def test_configuration_errors_are_one_line_and_exit_2(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    root = _course(tmp_path / "course", {"fixture-lesson.yaml": VALID})
    (root / name).write_text(text, encoding="utf-8")
    result = run_cli("validate", cwd=root)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("lessonkit: ") and message in line


def test_a_lessons_folder_that_links_out_of_the_root_is_a_configuration_error(
    tmp_path: Path,
) -> None:
    elsewhere = _course(tmp_path / "elsewhere", {"fixture-lesson.yaml": VALID})
    root = tmp_path / "course"
    root.mkdir()
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    (root / "lessons").symlink_to(elsewhere / "lessons")
    result = run_cli("validate", cwd=root)
    assert result.exit_code == 2
    assert "lessons = 'lessons' is outside the project root" in result.stderr


# --- 2. a rule that raises is one diagnostic, and nothing else is lost -------------------------


def _boom(*args: Any) -> Iterator[Hit]:
    yield Hit("found before failing", at=("title",))
    raise ValueError("planted failure")


def test_a_lesson_rule_that_raises_costs_one_diagnostic_per_lesson(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _course(
        tmp_path,
        {
            "healthy.yaml": _lesson("healthy", planted=PLANTED),
            "other.yaml": _lesson("other", module=('module: "1.1"', 'module: "1.2"')),
        },
    )
    _, before = _diagnostics(root)
    crashing = dataclasses.replace(rules.get("P001"), check=_boom)
    monkeypatch.setitem(rules.REGISTRY, "P001", crashing)
    result = run_cli("validate", "--format", "json", cwd=root)
    assert result.exit_code == 2  # a bug in lessonkit, as the contract says
    assert "ValueError: planted failure" in result.stderr
    after = json.loads(result.stdout)["diagnostics"]
    crashes = [d for d in after if d["code"] == "S007"]
    assert {(d["path"], d["line"], d["column"]) for d in crashes} == {
        ("lessons/healthy.yaml", 1, 1),
        ("lessons/other.yaml", 1, 1),
    }
    assert "rule P001 failed on this file (ValueError: planted failure)" in crashes[0]["message"]
    # Every finding of the run without the bug is still there, PLANTED_AT included, with what
    # the failing rule found before it raised.
    assert _found(before) <= _found(after)
    assert PLANTED_AT in _found(after)
    assert {d["message"] for d in after if d["code"] == "P001"} == {"found before failing"}


def test_a_course_rule_that_raises_costs_one_diagnostic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _course(
        tmp_path,
        {"healthy.yaml": _lesson("healthy", planted=PLANTED), "twin.yaml": VALID, "z.yaml": VALID},
    )
    _, before = _diagnostics(root)
    course_rule = next(r for r in rules.REGISTRY.values() if r.scope is rules.Scope.COURSE)

    def boom(*args: Any) -> Iterator[Any]:
        raise RuntimeError("planted")
        yield  # a generator, as rules are

    crashing = dataclasses.replace(course_rule, check=boom)
    monkeypatch.setitem(rules.REGISTRY, course_rule.code, crashing)
    code, after = _diagnostics(root)
    assert code == 2
    crashes = [d for d in after if d["code"] == "S007"]
    assert [(d["path"], d["line"]) for d in crashes] == [("lessons/healthy.yaml", 1)]
    assert f"rule {course_rule.code} failed on the course" in crashes[0]["message"]
    lost = {d for d in _found(before) if d[1] == course_rule.code}
    assert _found(before) - lost <= _found(after)


# --- 3. bounded work ----------------------------------------------------------------------------


def _alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        items = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"a{level}: &a{level} [{items}]")
    return "\n".join(lines) + "\n"


def test_aliases_are_refused_before_anything_is_built_or_validated(tmp_path: Path) -> None:
    # Nine aliases per level, 20 levels: 9**20 strings once expanded. Before, the anchors were
    # reported and the expanded data validated anyway (S002 for every unknown key, and more).
    bomb = _alias_bomb(20)
    source, findings = parse(bomb)
    refused = source is None  # (a failing assert on `source` would print the expansion)
    assert refused
    assert {finding.code for finding in findings} == {"S004"}
    root = _course(tmp_path, {"bomb.yaml": bomb, "healthy.yaml": _lesson("healthy", p=PLANTED)})
    code, diagnostics = _diagnostics(root)
    assert code == 1
    assert {d["code"] for d in diagnostics if d["path"] == "lessons/bomb.yaml"} == {"S004"}
    assert PLANTED_AT in _found(diagnostics)


def test_nesting_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    # 500 levels of flow lists: before, the loader's walk ran out of Python stack.
    deep = VALID + "extra: " + "[" * 500 + "]" * 500 + "\n"
    root = _course(tmp_path, {"deep.yaml": deep})
    code, diagnostics = _diagnostics(root)
    assert code == 1
    [only] = diagnostics
    assert (only["code"], only["line"], only["column"]) == ("S004", 69, 58)
    assert only["message"] == "values nested more than 50 deep (max_depth)"


def test_node_count_and_depth_limits_are_configurable(tmp_path: Path) -> None:
    config = "[tool.lessonkit]\nmax_nodes = 100\n"
    root = _course(tmp_path, {"fixture-lesson.yaml": VALID}, config)
    _, diagnostics = _diagnostics(root)
    assert [(d["code"], d["message"]) for d in diagnostics] == [
        (
            "S004",
            "the file holds more than 100 YAML values (max_nodes); split it, or raise the limit",
        )
    ]
    (root / "pyproject.toml").write_text("[tool.lessonkit]\nmax_depth = 3\n", encoding="utf-8")
    _, diagnostics = _diagnostics(root)
    assert [(d["code"], d["line"]) for d in diagnostics] == [("S004", 13)]


def test_diagnostics_per_code_and_file_are_capped(tmp_path: Path) -> None:
    unknown = "".join(f"unknown{index}: 1\n" for index in range(300))
    root = _course(
        tmp_path,
        {"fixture-lesson.yaml": VALID + unknown, "healthy.yaml": _lesson("healthy", p=PLANTED)},
    )
    _, diagnostics = _diagnostics(root)
    mine = [d for d in diagnostics if d["path"] == "lessons/fixture-lesson.yaml"]
    assert [d["code"] for d in mine].count("S002") == 200
    [summary] = [d for d in mine if d["code"] == "S004"]
    assert summary["message"] == (
        "100 more S002 diagnostics in this file are not shown (max_diagnostics_per_code = 200)"
    )
    assert (summary["line"], summary["column"]) == (69 + 200, 1)
    assert PLANTED_AT in _found(diagnostics)
    (root / "pyproject.toml").write_text(
        "[tool.lessonkit]\nmax_diagnostics_per_code = 5\n", encoding="utf-8"
    )
    _, diagnostics = _diagnostics(root)
    assert len([d for d in diagnostics if d["path"] == "lessons/fixture-lesson.yaml"]) == 6


class _Scanned(str):
    """A text that counts the characters its searches and slices go over."""

    scanned = 0

    def _tally(self, start: int | None = None, end: int | None = None) -> None:
        first = 0 if start is None else start
        last = len(self) if end is None else end
        _Scanned.scanned += max(last - first, 0)

    def count(self, sub: str, *bounds: Any) -> int:
        self._tally(*bounds)
        return super().count(sub, *bounds)

    def find(self, sub: str, *bounds: Any) -> int:
        found = super().find(sub, *bounds)
        start = bounds[0] if bounds else None
        self._tally(start, found + len(sub) if found >= 0 else None)
        return found

    def rfind(self, sub: str, *bounds: Any) -> int:
        found = super().rfind(sub, *bounds)
        end = bounds[1] if len(bounds) > 1 else None
        self._tally(found if found >= 0 else None, end)
        return found

    def index(self, sub: str, *bounds: Any) -> int:
        found = super().index(sub, *bounds)
        self._tally(bounds[0] if bounds else None, found + len(sub))
        return found

    def split(self, *args: Any) -> list[str]:
        self._tally()
        return super().split(*args)

    def __getitem__(self, key: Any) -> str:
        if isinstance(key, slice):
            start, stop, _ = key.indices(len(self))
            self._tally(start, stop)
        return super().__getitem__(key)


def _counted(text: str) -> yaml_source.Source:
    source, _ = parse(text)
    assert source is not None
    source.text = _Scanned(text)
    _Scanned.scanned = 0
    return source


def test_positions_in_one_long_string_cost_one_pass() -> None:
    # 80,000 spaced dashes in one string, over 1,000 lines: before, each position scanned the
    # file from its start (59 s at 80,000).
    body = "a — " * 80 + "b"
    text = "text: |\n" + "".join(f"  {body}\n" for _ in range(1_000))
    source = _counted(text)
    value = source.data["text"]
    dashes = [index for index, char in enumerate(value) if char == "\u2014"]
    spans = [source.prose_span(("text",), dash) for dash in dashes]
    assert (spans[0].line, spans[0].column) == (2, 5)
    assert (spans[-1].line, spans[-1].column) == (1_001, 4 * 80 + 1)
    assert _Scanned.scanned < 10 * len(text)


def test_suppressions_cost_one_pass() -> None:
    # 16,000 suppression comments (33 s before: each comment counted the lines before it and
    # split the text after it).
    comments = "first: 0\n" + "".join(
        f"# lessonkit: ignore[S002] reason {n}\nk{n}: 1\n" for n in range(16_000)
    )
    source = _counted(comments)
    findings = [
        yaml_source.Finding("S002", "unknown", source.span((f"k{n}",), key=True))
        for n in range(0, 16_000, 2)
    ]
    kept = suppress.apply(source, findings, lambda code: True)
    assert {finding.code for finding in kept} == {"S006"}
    assert len(kept) == 8_000  # the odd ones suppress nothing
    assert _Scanned.scanned < 10 * len(comments)


def test_locating_twenty_thousand_unknown_keys_is_linear() -> None:
    # Before, each lookup walked the mapping's keys from the first (42 s for 30,000): count the
    # Python lines run in the loader module while every key is located.
    keys = 20_000
    text = "".join(f"unknown{n}: 1\n" for n in range(keys))
    source, _ = parse(text)
    assert source is not None
    module = yaml_source.__file__
    budget = [2_000_000]

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if frame.f_code.co_filename != module:
            return None

        def lines(frame: Any, event: str, arg: Any) -> Any:
            if event == "line":
                budget[0] -= 1
                if budget[0] < 0:
                    raise AssertionError("locating keys is not linear")
            return lines

        return lines

    sys.settrace(tracer)
    try:
        spans = [source.span((f"unknown{n}",), key=True) for n in range(keys)]
    finally:
        sys.settrace(None)
    assert (spans[-1].line, spans[-1].column) == (keys, 1)


@pytest.mark.parametrize("name", ["pipe.yaml", "pipe.md"])
def test_a_fifo_is_not_read(tmp_path: Path, name: str) -> None:
    root = _course(tmp_path, {"healthy.yaml": _lesson("healthy", p=PLANTED)})
    fifo = root / "lessons" / name
    os.mkfifo(fifo)

    def writer() -> None:
        # Before, validate waited on the FIFO until this wrote and closed it; now it never
        # reads, and this write meets a closed pipe (or waits, as a daemon, forever).
        try:
            with open(fifo, "w", encoding="utf-8") as stream:
                stream.write("id: [unclosed\n")
        except OSError:
            pass

    threading.Thread(target=writer, daemon=True).start()
    code, diagnostics = _diagnostics(root, f"lessons/{name}", "lessons/healthy.yaml")
    assert code == 1
    assert _found(diagnostics) == {(f"lessons/{name}", "S004", 1, 1), PLANTED_AT}


def test_only_regular_files_are_read_and_never_past_the_limit(tmp_path: Path) -> None:
    with pytest.raises(NotRegularFile):
        read_bounded(Path("/dev/zero"), 1024)
    grown = tmp_path / "big.yaml"
    grown.write_bytes(b"x" * 100)
    with pytest.raises(OSError):
        read_bounded(grown, 99)
    assert read_bounded(grown, 100) == b"x" * 100


# --- 4. the root is a wall ----------------------------------------------------------------------


def test_a_lesson_that_links_out_of_the_root_is_reported_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("SECRET_TOKEN_1234: 1\n", encoding="utf-8")
    root = _course(tmp_path / "course", {"healthy.yaml": _lesson("healthy", p=PLANTED)})
    (root / "lessons" / "leak.yaml").symlink_to(secret)
    for args in ((), ("lessons/leak.yaml", "lessons/healthy.yaml")):
        result = run_cli("validate", "--format", "json", *args, cwd=root)
        assert "SECRET" not in result.output
        diagnostics = json.loads(result.stdout)["diagnostics"]
        assert _found(diagnostics) == {("lessons/leak.yaml", "A003", 1, 1), PLANTED_AT}


def test_a_plan_that_links_out_of_the_root_is_not_even_looked_into(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Markdown file in lessons/ is opened to tell a plan from a README; one that leads out of
    # the root is passed over before that.
    outside = tmp_path / "outside" / "plan.md"
    outside.parent.mkdir()
    outside.write_text("# Misconceptions\n\n# Prerequisites\n\n# Outline\n", encoding="utf-8")
    root = _course(tmp_path / "course", {"healthy.yaml": _lesson("healthy", p=PLANTED)})
    (root / "lessons" / "plan.md").symlink_to(outside)
    opened: list[Path] = []
    looks = validate.looks_like_plan

    def spy(path: Path) -> bool:
        opened.append(path)
        return looks(path)

    monkeypatch.setattr(validate, "looks_like_plan", spy)
    code, diagnostics = _diagnostics(root)
    assert opened == []
    assert code == 1
    assert _found(diagnostics) == {PLANTED_AT}


# --- 5. --fix reaches its fixed point in one run ------------------------------------------------


def _fix_once(root: Path) -> str:
    validate_main(paths=[], output_format="json", cwd=root, fix=True)
    return (root / "lessons" / "fixture-lesson.yaml").read_text(encoding="utf-8")


DASH_CONFIG = (
    "[tool.lessonkit.rules.W001]\nstyle = '{0}'\n[tool.lessonkit.rules.W002]\nstyle = '{0}'\n"
)


@pytest.mark.parametrize(
    ("style", "written", "fixed"),
    [
        ("unspaced", "one — — update", "one——update"),
        ("unspaced", "one -- -- update", "one——update"),
        ("unspaced", "one — -- update", "one——update"),
        ("spaced", "one -- -- update", "one — — update"),
        ("spaced", "one—two -- three", "one — two — three"),
    ],
)
def test_fix_reaches_its_fixed_point_in_one_run(
    tmp_path: Path, style: str, written: str, fixed: str, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _course(
        tmp_path,
        {"fixture-lesson.yaml": VALID.replace(READINESS, f"readiness: {written}.")},
        DASH_CONFIG.format(style),
    )
    first = _fix_once(root)
    assert f"readiness: {fixed}." in first
    assert _fix_once(root) == first
    code, diagnostics = _diagnostics(root)
    assert (code, diagnostics) == (0, [])


# Words (some of them code, math or a flag) joined by runs of spaces, dashes and hyphens:
# where two fixes meet is where a second run used to find more. Tabs and line breaks are rare:
# in a quoted string they are escapes, which no fix rewrites.
_WORDS = st.sampled_from(["one", "two", "one", "`x`", "$y$", "a-b", "--flag", "x---y"])
_SPACES = st.sampled_from(["", " ", " ", " ", "  ", "\t"])
_DASH = st.tuples(_SPACES, st.sampled_from(["\u2014", "\u2014", "--", "-"]), _SPACES).map("".join)
_JOINS = st.lists(_DASH, min_size=1, max_size=3)
_PROSE = st.tuples(_WORDS, st.lists(st.tuples(_JOINS, _WORDS), max_size=6)).map(
    lambda parts: parts[0] + "".join("".join(join) + word for join, word in parts[1])
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(words=_PROSE, style=st.sampled_from(["unspaced", "spaced"]))
def test_fix_twice_changes_nothing_the_second_time(
    tmp_path_factory: pytest.TempPathFactory, words: str, style: str
) -> None:
    root = tmp_path_factory.mktemp("fix")
    prose = f"Start {words} end"
    quoted = json.dumps(prose, ensure_ascii=False)
    _course(
        root,
        {"fixture-lesson.yaml": VALID.replace(READINESS, f"readiness: {quoted}")},
        DASH_CONFIG.format(style),
    )
    first = _fix_once(root)
    assert _fix_once(root) == first


# --- 6. --changed-since reads git without writing -----------------------------------------------


def _repository(root: Path) -> Path:
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "course")
    return root


def test_changed_since_reads_a_malformed_lesson_at_ref(tmp_path: Path) -> None:
    root = _course(
        tmp_path,
        {"a.yaml": "id: a\ndesign: 5\n", "b.yaml": b"id: \xff\n".decode("latin-1")},
    )
    (root / "lessons" / "c.yaml").write_bytes(b"title: \xff\xfe\n")
    _repository(root)
    for name in ("a.yaml", "c.yaml"):
        (root / "lessons" / name).write_text(_lesson(name[0], p=PLANTED), encoding="utf-8")
    result = run_cli("validate", "--changed-since", "HEAD", cwd=root)
    assert result.exit_code in (0, 1), result.output
    assert "Traceback" not in result.output


def test_changed_since_leaves_the_git_index_alone(tmp_path: Path) -> None:
    root = _repository(_course(tmp_path, {"fixture-lesson.yaml": VALID}))
    # The lesson keeps its content but not its modification time, which makes git's stat
    # cache stale: `git diff` refreshes it and rewrites .git/index (and must not list it).
    os.utime(root / "lessons" / "fixture-lesson.yaml", (1_000_000_000, 1_000_000_000))
    index = root / ".git" / "index"
    before = (index.read_bytes(), index.stat().st_mtime_ns)
    result = run_cli("validate", "--changed-since", "HEAD", cwd=root)
    assert (index.read_bytes(), index.stat().st_mtime_ns) == before
    assert result.output == "Checked 0 files: no problems.\n"
