"""The review loop end to end: draft, sign, fix, re-draft; cycles; the gate; reports; status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from lessonkit.read.documents import DocumentKind, read_document
from lessonkit.schemas import Config, Review

from support import FIXTURES, REPO, copy_reference, run_cli

COMPLETE = (FIXTURES / "complete_lesson.yaml").read_text(encoding="utf-8")
# Known defects: a spaced em dash (W001 -> POLISH), a missing notebook (A001 -> POLISH) and a
# misconception no section addresses (P012 -> IMPROVEMENT).
DEFECTIVE = (
    COMPLETE.replace(
        "      addresses: [bigger-is-better, sign-cancels, units-match]\n",
        "      addresses: [bigger-is-better, sign-cancels]\n",
    ).replace(
        "  readiness: The first lesson of the course; it assumes school algebra only.\n",
        "  readiness: The first lesson — it assumes school algebra only.\n",
    )
    + "practice:\n  notebook: notebooks/mse.ipynb\n"
)


def _course(tmp_path: Path, lesson: str) -> Path:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "fixture-lesson.yaml").write_text(lesson, encoding="utf-8")
    return tmp_path


def _review(course: Path, *args: str) -> tuple[int, str]:
    result = run_cli("review", "fixture-lesson", "--date", "2026-11-21", *args, cwd=course)
    return result.exit_code, result.output


def _sign(course: Path, name: str = "A. Reviewer") -> tuple[int, str]:
    return _review(course, "--sign", name)


def test_draft_fix_redraft(tmp_path: Path) -> None:
    course = _course(tmp_path, DEFECTIVE)
    validated = json.loads(run_cli("validate", "--format", "json", cwd=course).output)
    reported = sorted((d["code"], d["line"]) for d in validated["diagnostics"])
    assert [code for code, _ in reported] == ["A001", "P012", "W001"]

    code, output = _review(course)
    assert (code, output) == (0, "reviews/fixture-lesson/iteration-1.yaml\n")
    draft_path = course / "reviews" / "fixture-lesson" / "iteration-1.yaml"
    draft = yaml.safe_load(draft_path.read_text(encoding="utf-8"))
    assert draft["draft"] is True and "reviewer" not in draft
    assert draft["verdict"] == "NEEDS REVISION"
    assert draft["summary"] == {"critical": 0, "improvement": 1, "polish": 2}
    assert sorted((f["rule"], int(f["location"].split(":")[1])) for f in draft["findings"]) == (
        reported
    )
    assert {f["rule"]: f["severity"] for f in draft["findings"]} == {
        "A001": "POLISH",
        "P012": "IMPROVEMENT",
        "W001": "POLISH",
    }
    # The draft is a valid record: validate adds nothing about it.
    after = json.loads(run_cli("validate", "--format", "json", cwd=course).output)
    assert [d["path"] for d in after["diagnostics"]] == ["lessons/fixture-lesson.yaml"] * 3
    # The next iteration follows a signed one only.
    code, output = _review(course)
    assert code == 2 and "iteration 1 is an unsigned draft; complete it and sign it" in output
    assert _sign(course) == (0, "reviews/fixture-lesson/iteration-1.yaml\n")

    # Fix the lesson, then draft again: every finding is verified FIXED and PASS is proposed.
    (course / "notebooks").mkdir()
    (course / "notebooks" / "mse.ipynb").write_text("{}", encoding="utf-8")
    fixed = DEFECTIVE.replace(
        "[bigger-is-better, sign-cancels]", "[bigger-is-better, sign-cancels, units-match]"
    )
    (course / "lessons" / "fixture-lesson.yaml").write_text(
        fixed.replace(" — ", "—"), encoding="utf-8"
    )
    code, output = _review(course)
    assert (code, output) == (0, "reviews/fixture-lesson/iteration-2.yaml\n")
    second = yaml.safe_load(
        (course / "reviews" / "fixture-lesson" / "iteration-2.yaml").read_text(encoding="utf-8")
    )
    assert second["verdict"] == "PASS"
    assert second["findings"] == []
    assert [(row["finding"], row["status"]) for row in second["fix_verification"]] == [
        (finding["id"], "FIXED") for finding in draft["findings"]
    ]
    assert run_cli("validate", cwd=course).output == "Checked 3 files: no problems.\n"


def test_still_open_and_unverifiable_findings(tmp_path: Path) -> None:
    course = _course(tmp_path, DEFECTIVE)
    _review(course)
    first = course / "reviews" / "fixture-lesson" / "iteration-1.yaml"
    data = yaml.safe_load(first.read_text(encoding="utf-8"))
    data["findings"].append(
        {
            "id": "examples-too-abstract",
            "severity": "IMPROVEMENT",
            "title": "The examples are too abstract",
            "location": "Section 1",
            "issue": "No concrete house prices.",
            "student_impact": "Hard to picture.",
            "suggested_fix": "Use three houses.",
        }
    )
    data["summary"]["improvement"] += 1
    first.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    _sign(course)
    _review(course)  # nothing fixed
    second = yaml.safe_load(
        (course / "reviews" / "fixture-lesson" / "iteration-2.yaml").read_text(encoding="utf-8")
    )
    statuses = {row["finding"]: row.get("status") for row in second["fix_verification"]}
    assert statuses == {
        "notebook-missing": "STILL OPEN",
        "misconception-not-addressed": "STILL OPEN",
        "em-dash-spacing": "STILL OPEN",
        "examples-too-abstract": None,  # no rule: left for the reviewer
    }
    assert second["verdict"] == "NEEDS REVISION"


def _fail_latest(course: Path) -> None:
    """Turn the latest (drafted) iteration into a failing review and sign it."""
    folder = course / "reviews" / "fixture-lesson"
    latest = max(folder.glob("iteration-*.yaml"))
    latest.write_text(
        latest.read_text(encoding="utf-8").replace("verdict: PASS", "verdict: NEEDS REVISION"),
        encoding="utf-8",
    )
    assert _sign(course)[0] == 0


def test_review_never_overwrites_and_stops_at_the_maximum(tmp_path: Path) -> None:
    course = _course(tmp_path, COMPLETE)
    folder = course / "reviews" / "fixture-lesson"
    assert _review(course)[0] == 0
    _fail_latest(course)
    (folder / "iteration-2.yaml").write_text("# someone's work in progress\n", encoding="utf-8")
    code, output = _review(course)
    assert code == 2 and "iteration-2.yaml exists; it is never overwritten" in output
    assert (folder / "iteration-2.yaml").read_text(
        encoding="utf-8"
    ) == "# someone's work in progress\n"
    (folder / "iteration-2.yaml").unlink()
    assert _review(course)[0] == 0
    _fail_latest(course)
    assert _review(course)[0] == 0
    _fail_latest(course)
    code, output = _review(course)
    assert code == 2
    assert "fixture-lesson has had 3 review iterations in this cycle, the most allowed" in output
    assert not (folder / "iteration-4.yaml").exists()


def test_nothing_to_draft_after_a_pass_of_the_current_content(tmp_path: Path) -> None:
    course = _course(tmp_path, COMPLETE)
    _review(course)
    _sign(course)
    code, output = _review(course)
    assert code == 2
    assert "fixture-lesson passed iteration 1 as it is now; nothing changed to review" in output


def test_review_of_unknown_lesson(tmp_path: Path) -> None:
    course = _course(tmp_path, COMPLETE)
    result = run_cli("review", "fixture-lesso", cwd=course)
    assert result.exit_code == 2
    assert "no lesson 'fixture-lesso'; did you mean 'fixture-lesson'?" in result.output


def test_ready_then_changed_fails_but_reformatting_does_not(tmp_path: Path) -> None:
    course = _course(tmp_path, COMPLETE)
    _review(course)
    _sign(course)
    lesson = course / "lessons" / "fixture-lesson.yaml"
    lesson.write_text(COMPLETE.replace("status: draft", "status: ready"), encoding="utf-8")
    assert run_cli("validate", cwd=course).exit_code == 0

    # Reformatting and comments: same meaning, same hash.
    reformatted = "# A comment, and the same lesson written differently.\n" + COMPLETE.replace(
        "status: draft", "status: 'ready'  # shipped"
    ).replace('module: "1.1"', "module: '1.1'").replace(
        "title: Mean squared error", 'title: "Mean squared error"'
    )
    lesson.write_text(reformatted, encoding="utf-8")
    assert run_cli("validate", cwd=course).exit_code == 0

    # A change of content: the gate closes.
    lesson.write_text(reformatted.replace("Three houses", "Four houses"), encoding="utf-8")
    result = run_cli("validate", cwd=course)
    assert result.exit_code == 1
    assert (
        "lessons/fixture-lesson.yaml:8:9: R001 marked ready, but the lesson changed after its "
        "passing" in result.output
    )
    assert "reviews/fixture-lesson/iteration-1.yaml:6:15: R002 fixture-lesson changed" in (
        result.output
    )


def test_training_loop_report_holds_every_finding_verdict_and_verification_row() -> None:
    result = run_cli("review", "training-loop", "--report", cwd=REPO)
    assert result.exit_code == 0
    report = result.output
    for iteration in (1, 2, 3):
        data = yaml.safe_load(
            (REPO / "reviews" / "training-loop" / f"iteration-{iteration}.yaml").read_text(
                encoding="utf-8"
            )
        )
        assert f"(Iteration {iteration}/3)" in report
        assert f"### Verdict: {data['verdict']}" in report
        for finding in data["findings"]:
            assert f"#### [{finding['severity']}] — {finding['title'].strip()}" in report
        for row in data.get("fix_verification", []):
            title = (row.get("title") or row["finding"]).strip().replace("\n", " ")
            assert f"| {title} | {row['severity']} | {row['status']} |" in report
    assert "### Verified by lessonkit" in report and "### Needs a human judgement" in report
    assert "- [x] Practice notebook and links resolve inside the project (A001, A002, A003)" in (
        report
    )
    assert "### General feedback" in report and "### Expected knowledge" in report


def test_report_ticks_from_the_rules(tmp_path: Path) -> None:
    course = _course(tmp_path, DEFECTIVE)
    report = run_cli("review", "fixture-lesson", "--report", cwd=course).output
    assert "Not reviewed yet" in report
    assert "- [ ] Practice notebook and links resolve inside the project (A001, A002, A003)" in (
        report
    )
    assert "- [x] Depth match verified for each (C002, C010)" in report


def test_status(tmp_path: Path) -> None:
    course = copy_reference(tmp_path / "course")
    text = run_cli("status", cwd=course).output.splitlines()
    assert text[0].split() == [
        "lesson",
        "module",
        "type",
        "status",
        "review",
        "verdict",
        "open",
        "C/I/P",
        "current",
    ]
    assert text[-1].split() == [
        "training-loop",
        "2.1.4",
        "CONSOLIDATE",
        "ready",
        "3/3",
        "PASS",
        "0/0/0",
        "yes",
    ]
    rows = json.loads(run_cli("status", "--format", "json", cwd=course).output)["lessons"]
    assert [row["id"] for row in rows][:2] == ["loss-functions", "gradient-descent"]
    assert rows[-1] | {"open": None} == {
        "id": "training-loop",
        "module": "2.1",
        "position": 4,
        "type": "CONSOLIDATE",
        "status": "ready",
        "cycle": 1,
        "iteration": 3,
        "max_iterations": 3,
        "verdict": "PASS",
        "draft": False,
        "re_review": False,
        "reviewer": "lessonkit maintainers",
        "open": None,
        "current": True,
    }
    lesson = course / "lessons" / "training-loop.yaml"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace("Same heartbeat", "Same pulse"), "utf-8"
    )
    assert run_cli("status", cwd=course).output.splitlines()[-1].split()[-1] == "STALE"


@pytest.mark.parametrize(
    ("iteration", "verdict", "counts", "verified"),
    [
        (1, "NEEDS REVISION", (0, 4, 3), 0),  # seed 002, iteration 1
        (2, "PASS", (0, 0, 2), 7),  # seed 002, iteration 2: seven fix-verification rows
        (3, "PASS", (0, 0, 0), 2),  # drafted by `lessonkit review`: iteration 2's two findings
    ],
)
def test_training_loop_reviews_are_valid_records(
    iteration: int, verdict: str, counts: tuple[int, int, int], verified: int
) -> None:
    path = REPO / "reviews" / "training-loop" / f"iteration-{iteration}.yaml"
    document = read_document(path, DocumentKind.REVIEW, Config())
    assert document.findings == []
    review = document.model
    assert isinstance(review, Review)
    assert (review.lesson, review.iteration, review.verdict.value) == (
        "training-loop",
        iteration,
        verdict,
    )
    summary = review.summary
    assert (summary.critical, summary.improvement, summary.polish) == counts
    assert len(review.fix_verification) == verified
    if iteration > 1:
        previous = read_document(
            path.with_name(f"iteration-{iteration - 1}.yaml"), DocumentKind.REVIEW, Config()
        )
        ids = {finding.id for finding in previous.model.findings}  # type: ignore[union-attr]
        assert {row.finding for row in review.fix_verification} == ids
