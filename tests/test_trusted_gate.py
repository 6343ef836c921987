"""The holes a new course team found in the gate, each reproduced through the command line on a
course built in the test, and shown closed (issue 12).

- a drafted review does not open the gate, and a signed one does;
- a typo after three review rounds has a documented path back to green;
- a staged change that breaks a later lesson is reported (`--changed-since HEAD`, the hook's
  command; the real pre-commit run is in test_integrations.py);
- one broken lesson gives its own S-code and nothing at error level anywhere else;
- `--fix` leaves URLs, comments and markup intact.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from support import FIXTURES, copy_reference, git, run_cli

COMPLETE = (FIXTURES / "complete_lesson.yaml").read_text(encoding="utf-8")
READY = COMPLETE.replace("status: draft", "status: ready")


def _course(tmp_path: Path, lesson: str = READY) -> Path:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "fixture-lesson.yaml").write_text(lesson, encoding="utf-8")
    return tmp_path


def _lines(course: Path, *args: str) -> tuple[int, list[str]]:
    result = run_cli("validate", *args, cwd=course)
    return result.exit_code, result.output.splitlines()


def _review(course: Path, *args: str) -> tuple[int, str]:
    result = run_cli("review", "fixture-lesson", "--date", "2026-11-21", *args, cwd=course)
    return result.exit_code, result.output


# --- reviews are signed by people ----------------------------------------------------------


def test_a_drafted_review_does_not_open_the_gate_and_a_signed_one_does(tmp_path: Path) -> None:
    course = _course(tmp_path)
    assert _review(course) == (0, "reviews/fixture-lesson/iteration-1.yaml\n")
    draft = course / "reviews" / "fixture-lesson" / "iteration-1.yaml"
    data = yaml.safe_load(draft.read_text(encoding="utf-8"))
    # The rules find nothing on this lesson and propose PASS, but nobody has reviewed it.
    assert (data["verdict"], data["findings"], data["draft"]) == ("PASS", [], True)
    assert "reviewer" not in data
    code, lines = _lines(course)
    assert code == 1
    assert lines == [
        "lessons/fixture-lesson.yaml:7:9: R001 marked ready, but its latest review (iteration 1) "
        "is an unsigned draft; a reviewer signs it with "
        '`lessonkit review fixture-lesson --sign "Name"`',
        "reviews/fixture-lesson/iteration-1.yaml:7:1: R009 fixture-lesson is marked ready, but "
        "this review is an unsigned draft; sign it with "
        '`lessonkit review fixture-lesson --sign "Name"`',
        "Checked 2 files: 2 errors.",
    ]

    assert _review(course, "--sign", "Ada Lovelace") == (
        0,
        "reviews/fixture-lesson/iteration-1.yaml\n",
    )
    assert _lines(course) == (0, ["Checked 2 files: no problems."])
    signed = draft.read_text(encoding="utf-8")
    assert signed.startswith(
        "# Review iteration 1: drafted by `lessonkit review`, then completed and signed by "
        "Ada Lovelace on 2026-11-21.\n"
    )
    data = yaml.safe_load(signed)
    assert (data["reviewer"], "draft" in data) == ("Ada Lovelace", False)
    code, output = _review(course, "--sign", "Ada Lovelace")
    assert code == 2 and "iteration 1 is already signed by Ada Lovelace" in output


def test_a_hand_signature_is_checked(tmp_path: Path) -> None:
    course = _course(tmp_path)
    _review(course)
    draft = course / "reviews" / "fixture-lesson" / "iteration-1.yaml"
    text = draft.read_text(encoding="utf-8")
    # A name written in, but `draft: true` left: still a draft, and the message says why.
    draft.write_text(text.replace("draft: true\n", "draft: true\nreviewer: Ada\n"), "utf-8")
    code, lines = _lines(course)
    assert code == 1
    assert "it names Ada but still says draft: true" in lines[1]
    # Deleting the line signs it.
    draft.write_text(text.replace("draft: true\n", "reviewer: Ada\n"), "utf-8")
    assert _lines(course) == (0, ["Checked 2 files: no problems."])


# --- review cycles: a typo after three rounds ------------------------------------------------


def _round(course: Path, verdict: str) -> None:
    """Draft the next iteration, give it `verdict`, sign it."""
    code, output = _review(course)
    assert code == 0, output
    path = course / output.strip()
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("verdict: PASS", f"verdict: {verdict}"), "utf-8")
    assert _review(course, "--sign", "Grace Hopper")[0] == 0


def test_a_typo_after_three_rounds_has_a_path_back_to_green(tmp_path: Path) -> None:
    course = _course(tmp_path)
    git(course, "init", "-q", "-b", "main")
    _round(course, "NEEDS REVISION")
    _round(course, "NEEDS REVISION")
    _round(course, "PASS")
    assert _lines(course) == (0, ["Checked 4 files: no problems."])
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "reviewed three times; ready")

    # The hole: a one-word typo fix to the ready lesson closes the gate ...
    lesson = course / "lessons" / "fixture-lesson.yaml"
    text = lesson.read_text(encoding="utf-8")
    assert text.count("Three houses") == 1
    lesson.write_text(text.replace("Three houses", "Four houses"), encoding="utf-8")
    code, lines = _lines(course)
    assert code == 1 and "R001 marked ready, but the lesson changed after its passing" in lines[0]

    # ... and the next review opens a new cycle instead of refusing: a light re-review that
    # lists the change, found in git against the version iteration 3 passed.
    code, output = _review(course)
    assert (code, output) == (0, "reviews/fixture-lesson/cycle-2/iteration-1.yaml\n")
    rereview = yaml.safe_load((course / output.strip()).read_text(encoding="utf-8"))
    passed = yaml.safe_load(
        (course / "reviews" / "fixture-lesson" / "iteration-3.yaml").read_text(encoding="utf-8")
    )
    assert (rereview["cycle"], rereview["iteration"], rereview["verdict"]) == (2, 1, "PASS")
    assert rereview["re_review"]["passed_hash"] == passed["content_hash"]
    [change] = rereview["re_review"]["changes"]
    assert change.endswith(": 'Three' -> 'Four'")
    assert rereview["fix_verification"] == []  # the PASS closed the last cycle's findings
    code, lines = _lines(course)
    assert code == 1 and [line.split()[1] for line in lines[:-1]] == ["R001", "R009"]

    # A reviewer confirms the change and signs: green again, shown as a re-review.
    assert _review(course, "--sign", "Grace Hopper")[0] == 0
    assert _lines(course) == (0, ["Checked 5 files: no problems."])
    status = run_cli("status", cwd=course).output.splitlines()[-1].split()
    assert status[4:] == ["c2:1/3", "PASS", "(re-review)", "0/0/0", "yes"]
    report = run_cli("review", "fixture-lesson", "--report", cwd=course).output
    assert "Latest review: cycle 2, iteration 1/3 (a light re-review), **PASS**" in report
    assert "### Light re-review" in report and "'Three' -> 'Four'" in report


def test_a_new_cycle_has_its_own_cap_and_verification(tmp_path: Path) -> None:
    course = _course(tmp_path, COMPLETE)
    for verdict in ("NEEDS REVISION", "NEEDS REVISION", "PASS"):
        _round(course, verdict)
    lesson = course / "lessons" / "fixture-lesson.yaml"
    lesson.write_text(COMPLETE.replace("Three houses", "Four houses"), encoding="utf-8")
    # No git: the change cannot be compared, so the new cycle starts with a full review.
    _round(course, "NEEDS REVISION")
    first = yaml.safe_load(
        (course / "reviews/fixture-lesson/cycle-2/iteration-1.yaml").read_text(encoding="utf-8")
    )
    assert "re_review" not in first and "found no committed version" in first["verdict_note"]
    _round(course, "NEEDS REVISION")
    _round(course, "NEEDS REVISION")
    assert _lines(course) == (0, ["Checked 7 files: no problems."])
    code, output = _review(course)
    assert code == 2 and "3 review iterations in this cycle, the most allowed" in output
    # A fourth iteration of cycle 2 written by hand is over the cap; a cycle 3 opened over a
    # failing review is out of sequence.
    folder = course / "reviews" / "fixture-lesson"
    third = (folder / "cycle-2" / "iteration-3.yaml").read_text(encoding="utf-8")
    (folder / "cycle-2" / "iteration-4.yaml").write_text(
        third.replace("iteration: 3", "iteration: 4"), "utf-8"
    )
    (folder / "cycle-3").mkdir()
    (folder / "cycle-3" / "iteration-1.yaml").write_text(
        third.replace("cycle: 2", "cycle: 3").replace("iteration: 3", "iteration: 1"), "utf-8"
    )
    codes = {
        (d["path"].split("fixture-lesson/")[1], d["code"])
        for d in json.loads(run_cli("validate", "--format", "json", cwd=course).output)[
            "diagnostics"
        ]
    }
    assert ("cycle-2/iteration-4.yaml", "R004") in codes
    assert ("cycle-3/iteration-1.yaml", "R008") in codes


# --- changed-file checks ------------------------------------------------------------------------


def _break_nn_linear(course: Path) -> None:
    lesson = course / "lessons" / "nn-module.yaml"
    text = lesson.read_text(encoding="utf-8")
    taught = "      - concept: nn.Linear\n        depth: DEVELOPED"
    lesson.write_text(text.replace(taught, taught.replace("DEVELOPED", "INTRODUCED")), "utf-8")


def test_a_staged_change_that_breaks_a_later_lesson_is_reported(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    git(course, "init", "-q", "-b", "main")
    # Before the first commit every file is new: the whole course is checked.
    assert _lines(course, "--changed-since", "HEAD") == (0, ["Checked 18 files: no problems."])
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "a course")
    _break_nn_linear(course)
    git(course, "add", "lessons/nn-module.yaml")
    # Checking the staged file alone misses what it breaks ...
    assert _lines(course, "lessons/nn-module.yaml") == (0, ["Checked 1 file: no problems."])
    # ... the hook's command reports the later lesson that claims the concept.
    code, lines = _lines(course, "--changed-since", "HEAD")
    assert code == 1
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        "lessons/training-loop.yaml:102:14",
        "lessons/training-loop.yaml:290:21",
    ]
    assert lines[-1] == "Checked 6 files: 2 errors."


def test_a_changed_review_reports_its_lesson(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    git(course, "init", "-q", "-b", "main")
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "a course")
    review = course / "reviews" / "training-loop" / "iteration-3.yaml"
    text = review.read_text(encoding="utf-8")
    review.write_text(text.replace("verdict: PASS", "verdict: NEEDS REVISION"), "utf-8")
    code, lines = _lines(course, "--changed-since", "HEAD")
    assert code == 1
    assert lines[0].startswith("lessons/training-loop.yaml:7:9: R001 marked ready, but its")


# --- one broken file never causes findings elsewhere ---------------------------------------------


BREAKS = {
    # S-code: (how nn-module is broken, where its own diagnostic is)
    "S001": (lambda t: t.replace("\ntitle:", "\n  title:", 1), "3:8"),
    "S002": (lambda t: t.replace("position: 3", "position: three"), "5:11"),
    "S003": (lambda t: t.replace("\ntitle:", "\ntitle: Twice\ntitle:", 1), "4:1"),
    "S004": (lambda t: t.replace("nn.Module", "nn.Mod\udcff", 1), "1:23"),  # not UTF-8
}


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_one_broken_lesson_gives_exactly_its_own_diagnostic(tmp_path: Path, code: str) -> None:
    course = copy_reference(tmp_path / "course")
    lesson = course / "lessons" / "nn-module.yaml"
    broken = BREAKS[code][0](lesson.read_text(encoding="utf-8"))
    lesson.write_bytes(broken.encode("utf-8", "surrogateescape"))
    result = json.loads(run_cli("validate", "--format", "json", cwd=course).output)
    problems = [d for d in result["diagnostics"] if d["severity"] != "info"]
    assert [(d["path"], d["code"], f"{d['line']}:{d['column']}") for d in problems] == [
        ("lessons/nn-module.yaml", code, BREAKS[code][1])
    ]
    notes = {(d["path"], d["code"]) for d in result["diagnostics"] if d["severity"] == "info"}
    # What depends on its content says, once per lesson, that it could not be checked.
    expected = (
        set()
        if code == "S003"
        else {  # a repeated key keeps a valid lesson
            ("lessons/autograd.yaml", "C009"),
            ("lessons/training-loop.yaml", "C009"),
        }
    )
    assert notes == expected


def test_a_lesson_over_the_size_limit_keeps_its_file_name_as_its_id(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    lesson = course / "lessons" / "nn-module.yaml"
    # Without a curriculum, a lesson over the size limit still has its file name as its id;
    # where it sits is unknown, so each lesson with a claim no readable lesson teaches gets
    # its note.
    (course / "lessons" / "curriculum.yaml").unlink()
    lesson.write_bytes(b"id: nn-module\n" + b"# padding\n" * 200_000)
    code, lines = _lines(course)
    assert code == 1
    assert [line for line in lines[:-1] if " C009 " not in line] == [
        "lessons/nn-module.yaml:1:1: S004 file is 1.9 MiB, over the 1.0 MiB limit (max_file_size)",
    ]
    assert lines[-1].startswith("Checked 17 files: 1 error, ")


def test_a_syntax_error_carries_a_hint(tmp_path: Path) -> None:
    course = _course(tmp_path, COMPLETE.replace("title: Mean squared error", "title: MSE: a loss"))
    code, lines = _lines(course)
    assert code == 1
    assert lines[0] == (
        "lessons/fixture-lesson.yaml:3:11: S001 mapping values are not allowed in this context; "
        "the value contains ': ', which YAML reads as another key; put the value in quotes: "
        'title: "MSE: a loss"'
    )


# --- --fix leaves URLs intact ------------------------------------------------------------------


def test_fix_leaves_urls_comments_and_markup_intact(tmp_path: Path) -> None:
    body = (
        "Read [the notes](https://example.org/a--b) -- or <https://example.org/c--d>.\n"
        "<!-- an aside — kept as written -->\n\nThe loss — a number.\n"
        "![chart](https://example.org/x--y.png) and `a -- b` in code.\n"
    )
    marker = "      body: |\n"
    assert marker in COMPLETE
    first_body = COMPLETE.index(marker) + len(marker)
    indented = "".join(f"        {line}\n" for line in body.splitlines())
    lesson = COMPLETE[:first_body] + indented + COMPLETE[first_body:]
    course = _course(tmp_path, lesson)
    codes = sorted(line.split()[1] for line in _lines(course)[1][:-1])
    assert codes == ["W001", "W002"]
    result = run_cli("validate", "--fix", cwd=course)
    assert result.exit_code == 0, result.output
    fixed = (course / "lessons" / "fixture-lesson.yaml").read_text(encoding="utf-8")
    for kept in (
        "(https://example.org/a--b)",
        "<https://example.org/c--d>",
        "<!-- an aside — kept as written -->",
        "(https://example.org/x--y.png)",
        "`a -- b`",
    ):
        assert kept in fixed
    assert "a--b)—or <https" in fixed and "The loss—a number." in fixed


# --- lesson links ------------------------------------------------------------------------------


def _linking_course(tmp_path: Path, targets: tuple[str, str]) -> Path:
    """The reference course, training-loop's first section linking nn-module two ways."""
    course = copy_reference(tmp_path / "course")
    lesson = course / "lessons" / "training-loop.yaml"
    text = lesson.read_text(encoding="utf-8")
    marker = "      body: |\n"
    first = text.index(marker) + len(marker)
    by_id, by_file = targets
    line = f"        Recall [the container]({by_id}) and [the module]({by_file}).\n\n"
    lesson.write_text(text[:first] + line + text[first:], encoding="utf-8")
    return course


def test_a_lesson_link_is_checked_by_a002(tmp_path: Path) -> None:
    course = _linking_course(
        tmp_path, ("lesson:nn-module#nn-sequential-and-relu", "nn-modul.yaml#summary")
    )
    code, lines = _lines(course)
    a002 = [line for line in lines if " A002 " in line]
    assert code == 1
    assert a002 == [
        "lessons/training-loop.yaml:688:32: A002 link target "
        "'lesson:nn-module#nn-sequential-and-relu': nn-module has no section "
        "'nn-sequential-and-relu'; did you mean 'nn-sequential-and-nn-relu'?",
        "lessons/training-loop.yaml:688:90: A002 link target 'nn-modul.yaml' does not exist",
    ]


@pytest.mark.slow
def test_a_lesson_link_opens_the_rendered_page(tmp_path: Path) -> None:
    course = _linking_course(
        tmp_path, ("lesson:nn-module#nn-sequential-and-nn-relu", "nn-module.yaml")
    )
    assert [line for line in _lines(course)[1] if " A002 " in line] == []
    assert run_cli("render", "-o", "site", cwd=course).exit_code == 0
    page = (course / "site" / "lessons" / "training-loop.html").read_text(encoding="utf-8")
    assert '<a href="../lessons/nn-module.html#8-nn-sequential-and-nn-relu">the container</a>' in (
        page
    )
    assert '<a href="../lessons/nn-module.html">the module</a>' in page
    target = (course / "site" / "lessons" / "nn-module.html").read_text(encoding="utf-8")
    assert 'id="8-nn-sequential-and-nn-relu"' in target
    # The planning document's neighbours and sources link the other planning documents.
    planning = (course / "site" / "planning" / "training-loop.html").read_text(encoding="utf-8")
    assert '<a href="../planning/nn-module.html">nn-module</a>' in planning
    assert '<a href="../planning/autograd.html">autograd</a>' in planning
    # Written as Markdown, the same links open the Markdown pages.
    assert run_cli("render", "-o", "md", "--format", "md", cwd=course).exit_code == 0
    markdown = (course / "md" / "lessons" / "training-loop.md").read_text(encoding="utf-8")
    assert "[the container](../lessons/nn-module.md#8-nn-sequential-and-nn-relu)" in markdown
    plan = (course / "md" / "planning" / "training-loop.md").read_text(encoding="utf-8")
    assert "**Previous lesson:** [nn-module](../planning/nn-module.md)" in plan


@pytest.mark.slow
def test_a_lesson_link_resolves_in_chromium(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    course = _linking_course(
        tmp_path, ("lesson:nn-module#nn-sequential-and-nn-relu", "nn-module.yaml")
    )
    assert run_cli("render", "-o", "site", cwd=course).exit_code == 0
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.goto((course / "site" / "lessons" / "training-loop.html").as_uri())
        page.get_by_role("link", name="the container").click()
        page.wait_for_load_state()
        assert page.url.endswith("/lessons/nn-module.html#8-nn-sequential-and-nn-relu")
        heading = page.locator('[id="8-nn-sequential-and-nn-relu"]')
        assert heading.inner_text().strip() == "nn.Sequential and nn.ReLU"
        assert heading.is_visible()
        browser.close()
