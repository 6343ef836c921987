"""--changed-since and --baseline: report what is new, with the findings a full run gives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from support import copy_reference, git, run_cli


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    course = copy_reference(tmp_path / "course")
    git(course, "init", "-q", "-b", "main")
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "reference curriculum")
    return course


def _json(course: Path, *args: str) -> list[tuple[str, str, int, int]]:
    result = run_cli("validate", "--format", "json", *args, cwd=course)
    return [
        (d["path"], d["code"], d["line"], d["column"])
        for d in json.loads(result.output)["diagnostics"]
    ]


# A problem in a lesson nobody touches (W001); it leaves the lesson readable, so nothing that
# depends on it changes.
OLD_PROBLEM = ("A computer cannot glance.", "A computer cannot glance — it counts.")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_changed_since_reports_the_changed_lesson_and_its_dependents(repo: Path) -> None:
    # An old problem in a lesson nobody touches: a full run reports it, a changed-only run not.
    _edit(repo / "lessons" / "loss-functions.yaml", *OLD_PROBLEM)
    git(repo, "commit", "-qam", "an old problem")
    # nn-module stops teaching nn.Sequential: training-loop, which claims it, is affected.
    module = repo / "lessons" / "nn-module.yaml"
    text = module.read_text(encoding="utf-8")
    module.write_text(
        text.replace("concept: nn.Sequential\n", "concept: Sequential layers\n"), "utf-8"
    )
    full = _json(repo)
    changed = _json(repo, "--changed-since", "HEAD")
    assert {p for p, *_ in full} == {
        "lessons/loss-functions.yaml",
        "lessons/nn-module.yaml",
        "lessons/training-loop.yaml",
    }
    affected = {
        "lessons/nn-module.yaml",
        "lessons/training-loop.yaml",
        "reviews/training-loop/iteration-3.yaml",
    }
    assert changed == [d for d in full if d[0] in affected]
    assert {code for path, code, *_ in changed if path == "lessons/training-loop.yaml"} >= {"C001"}


def test_changed_since_follows_every_claim_on_a_changed_lesson(repo: Path) -> None:
    # Renaming a taught concept affects every later lesson that claims it.
    lesson = repo / "lessons" / "tensors.yaml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("PyTorch tensor creation API", "Tensor factories"), "utf-8")
    changed = {path for path, *_ in _json(repo, "--changed-since", "HEAD")}
    full = {path for path, *_ in _json(repo)}
    assert {"lessons/autograd.yaml", "lessons/training-loop.yaml"} <= full
    assert changed == full


def test_changed_curriculum_affects_everything(repo: Path) -> None:
    _edit(repo / "lessons" / "curriculum.yaml", "title: Deep Learning", "title: Deep learning")
    _edit(repo / "lessons" / "loss-functions.yaml", *OLD_PROBLEM)
    assert _json(repo, "--changed-since", "HEAD") == _json(repo)


def test_changed_since_a_bad_ref_is_a_usage_error(repo: Path) -> None:
    result = run_cli("validate", "--changed-since", "no-such-ref", cwd=repo)
    assert result.exit_code == 2
    assert "no such commit" in result.output


def test_baseline_records_then_reports_only_new_findings(repo: Path) -> None:
    _edit(repo / "lessons" / "loss-functions.yaml", *OLD_PROBLEM)
    baseline = repo / "lessonkit-baseline.json"
    first = run_cli("validate", "--baseline", str(baseline), cwd=repo)
    assert first.exit_code == 0
    assert "recorded 1 finding in" in first.output
    assert json.loads(baseline.read_text(encoding="utf-8"))["version"] == 1
    # Moving the known problem down a line keeps it known; a new problem is reported.
    path = repo / "lessons" / "loss-functions.yaml"
    path.write_text("# a comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("validate", "--baseline", str(baseline), cwd=repo).exit_code == 0
    _edit(repo / "lessons" / "tensors.yaml", "type: BUILD", "type: BUILT")
    second = run_cli("validate", "--baseline", str(baseline), cwd=repo)
    assert second.exit_code == 1
    assert "lessons/tensors.yaml:6:7: S002" in second.output
    assert "loss-functions" not in second.output.split("lessonkit:")[0]
    assert "1 known finding hidden" in second.output
    # Fixing the known problem is noticed.
    _edit(path, OLD_PROBLEM[1], OLD_PROBLEM[0])
    third = run_cli("validate", "--baseline", str(baseline), cwd=repo)
    assert "1 fixed since it was recorded" in third.output
