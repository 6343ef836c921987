"""The pre-commit hook with the real pre-commit tool, and the GitHub Action's definition."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from support import REPO, copy_reference, git

PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _hook(course: Path, home: Path, *, all_files: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home)}
    every = ["--all-files"] if all_files else []
    return subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(REPO), "lessonkit-validate", *every],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.mark.slow
def test_pre_commit_hook_fails_on_a_broken_lesson_and_passes_a_clean_one(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    course = copy_reference(tmp_path / "course")
    shutil.rmtree(course / "notebooks")  # only YAML matters to the hook
    git(course, "init", "-q", "-b", "main")
    lesson = course / "lessons" / "nn-module.yaml"
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("position: 3", "position: three"), encoding="utf-8")
    # A2 links in training-loop need the notebooks; keep the failure about nn-module only.
    git(course, "add", "-A")
    broken = _hook(course, pre_commit_home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert "lessons/nn-module.yaml:5:11: S002" in broken.stdout

    lesson.write_text(text, encoding="utf-8")
    (course / "notebooks").mkdir()
    shutil.copytree(REPO / "notebooks", course / "notebooks", dirs_exist_ok=True)
    git(course, "add", "-A")
    clean = _hook(course, pre_commit_home)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "lessonkit validate" in clean.stdout and "Passed" in clean.stdout


@pytest.mark.slow
def test_a_staged_change_that_breaks_a_later_lesson_fails_the_hook(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    # A committed course where training-loop claims nn.Linear at DEVELOPED from nn-module.
    course = copy_reference(tmp_path / "course")
    git(course, "init", "-q", "-b", "main")
    git(course, "add", "-A")
    git(course, "commit", "-q", "-m", "a course")
    # Stage a change to nn-module alone: it now teaches nn.Linear only to INTRODUCED.
    lesson = course / "lessons" / "nn-module.yaml"
    text = lesson.read_text(encoding="utf-8")
    taught = "      - concept: nn.Linear\n        depth: DEVELOPED"
    assert text.count(taught) == 1
    lesson.write_text(text.replace(taught, taught.replace("DEVELOPED", "INTRODUCED")), "utf-8")
    git(course, "add", "lessons/nn-module.yaml")
    broken = _hook(course, pre_commit_home, all_files=False)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    reported = [line for line in broken.stdout.splitlines() if ": C002 " in line]
    assert reported == [
        "lessons/training-loop.yaml:102:14: C002 'nn.Linear' is claimed at DEVELOPED, but "
        "nn-module teaches it to INTRODUCED",
        "lessons/training-loop.yaml:290:21: C002 'nn.Linear' is claimed at DEVELOPED, but "
        "nn-module teaches it to INTRODUCED",
    ]
    # Put it back: the same hook on the same history passes.
    lesson.write_text(text, encoding="utf-8")
    git(course, "add", "lessons/nn-module.yaml")
    (course / "lessons" / "README.md").write_text("Lessons.\n", encoding="utf-8")
    git(course, "add", "lessons/README.md")
    clean = _hook(course, pre_commit_home, all_files=False)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Passed" in clean.stdout


def test_hook_definition() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [hook["id"] for hook in hooks] == ["lessonkit-validate"]
    hook = hooks[0]
    # The dependents of a staged change are not staged: the hook takes no file list and asks
    # lessonkit for the changed files and everything that depends on them.
    assert hook["entry"] == "lessonkit validate --changed-since HEAD"
    assert hook["pass_filenames"] is False
    assert hook["language"] == "python"
    import re

    pattern = re.compile(hook["files"])
    assert pattern.search("lessons/training-loop.yaml")
    assert pattern.search("reviews/training-loop/iteration-1.yml")
    assert pattern.search("reviews/training-loop/cycle-2/iteration-1.yaml")
    assert pattern.search("lessonkit.toml")
    assert not pattern.search("notebooks/2-1-4-training-loop.ipynb")


def test_action_definition() -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert any("pip install" in step.get("run", "") for step in steps)
    validate = steps[-1]["run"]
    assert "lessonkit validate --format github" in validate and '"sarif:$SARIF_FILE"' in validate
    assert set(action["inputs"]) == {"paths", "sarif-file", "args", "python-version"}
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash"
            assert "${{ inputs." not in step["run"], "inputs go through env, not into the script"
