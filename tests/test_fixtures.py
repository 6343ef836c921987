"""Data-driven rule tests: every fixture states its expected diagnostics inline.

`fail_*` files carry `# expect: CODE line:col` comments and must produce exactly those;
`pass_*` files must produce none. `pytest -k S002` runs one rule's cases.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lessonkit.project import Project
from lessonkit.schemas import Config
from lessonkit.validate import run
from support import FIXTURES, expectations

RULE_FIXTURES = FIXTURES / "rules"
CASES = sorted(p for p in RULE_FIXTURES.rglob("*.yaml") if p.name.startswith(("fail_", "pass_")))


def _case_id(path: Path) -> str:
    return path.relative_to(RULE_FIXTURES).as_posix()


@pytest.mark.parametrize("path", CASES, ids=_case_id)
def test_fixture(path: Path) -> None:
    project = Project(root=RULE_FIXTURES, config=Config())
    result = run([path], project=project, cwd=RULE_FIXTURES)
    found = {(d.code, d.line, d.column) for d in result.diagnostics}
    expected = expectations(path)
    if path.name.startswith("fail_"):
        assert expected, f"{path.name} states no expected diagnostics"
    assert found == expected, "\n".join(str(d) for d in result.diagnostics)
    assert not result.internal_errors


def test_every_fixture_folder_is_a_registered_code() -> None:
    from lessonkit import rules

    folders = {p.name for p in RULE_FIXTURES.iterdir() if p.is_dir()}
    assert folders <= set(rules.REGISTRY)


def test_every_registered_code_has_a_failing_fixture() -> None:
    from lessonkit import rules

    for code in rules.REGISTRY:
        assert any((RULE_FIXTURES / code).rglob("fail_*.yaml")), f"{code} has no fail_ fixture"
