"""Data-driven rule tests: every fixture states its expected diagnostics inline.

A case is a `fail_*`/`pass_*` YAML file under `tests/fixtures/rules/<CODE>/`, or a folder of
that name holding a small course (`lessons/`, `reviews/`). `fail_*` cases carry
`# expect: CODE line:col` comments and must produce exactly those; `pass_*` cases none. Only
the folder's rule (and the S family, which every file goes through) is selected, so a case can
be as small as the rule allows. `pytest -k C001` runs one rule's cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lessonkit.check import rules
from lessonkit.check.validate import default_paths, run
from lessonkit.core.project import Project
from lessonkit.schemas import Config

from support import FIXTURES, expectations

RULE_FIXTURES = FIXTURES / "rules"
CASES = sorted(
    path
    for path in RULE_FIXTURES.glob("*/*")
    if path.name.startswith(("fail_", "pass_")) and (path.is_dir() or path.suffix == ".yaml")
) + sorted(RULE_FIXTURES.glob("*/reviews/*/*.yaml"))


def _case_id(path: Path) -> str:
    return path.relative_to(RULE_FIXTURES).as_posix()


def _code(path: Path) -> str:
    return path.relative_to(RULE_FIXTURES).parts[0]


@pytest.mark.parametrize("path", CASES, ids=_case_id)
def test_fixture(path: Path) -> None:
    config = Config(select=["S", _code(path)])
    if path.is_dir():
        project = Project(root=path, config=config)
        result = run(default_paths(project), project=project, cwd=path)
        files = [p for p in sorted(path.rglob("*.yaml"))]
        expected = {
            (p.relative_to(path).as_posix(), *item) for p in files for item in expectations(p)
        }
    else:
        project = Project(root=path.parent, config=config)
        result = run([path], project=project, cwd=path.parent)
        expected = {(path.name, *item) for item in expectations(path)}
    found = {(d.path, d.code, d.line, d.column) for d in result.diagnostics}
    if path.name.startswith("fail_"):
        assert expected, f"{path.name} states no expected diagnostics"
    assert found == expected, "\n".join(str(d) for d in result.diagnostics)
    assert not result.internal_errors, result.internal_errors


def test_every_fixture_folder_is_a_registered_code() -> None:
    folders = {p.name for p in RULE_FIXTURES.iterdir() if p.is_dir()}
    assert folders <= set(rules.REGISTRY)


# S007 reports a rule that crashed: no input can produce it while lessonkit has no bug, so
# tests/test_hostile_input.py plants a raising rule instead of a fixture.
NOT_FROM_INPUT = {"S007"}


@pytest.mark.parametrize("code", sorted(set(rules.REGISTRY) - NOT_FROM_INPUT))
def test_every_rule_has_failing_and_passing_cases(code: str) -> None:
    folder = RULE_FIXTURES / code
    assert any(folder.rglob("fail_*")), f"{code} has no fail_ case"
    if rules.get(code).scope is not rules.Scope.ENGINE:
        assert any(folder.glob("pass_*")), f"{code} has no pass_ case"
