"""The hostile-input corpus (issue 16) through the real command line, one subprocess per case.

Every case must end without a traceback and within the hang limit, write nothing outside where
it may, echo nothing from outside the project, and then exit as its kind says (see
`robustness.corpus`). Every case is marked slow (each runs the real CLI in a process);
`bench/fuzz.py` runs everything and prints the figures.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from robustness.corpus import CASES, Case, Outcome, Place, judge, run_case

RENDERED = [variant for case in CASES if not case.slow and (variant := case.rendered())]


def _param(case: Case) -> object:
    # Every case runs the real CLI in a fresh process: the corpus is CI's, not the inner loop's.
    return pytest.param(case, id=case.name, marks=[pytest.mark.slow])


PARAMS = [_param(case) for case in [*CASES, *RENDERED]]


@pytest.fixture(scope="module")
def outcomes(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, tuple[Place, Outcome] | Exception]:
    """Every selected case of this module, run two at a time (each is mostly interpreter
    start-up, and a hang should cost its timeout once, not once per neighbour)."""
    selected = [
        case
        for item in request.session.items
        if isinstance(item, pytest.Function)
        and item.module is request.module
        and hasattr(item, "callspec")
        and isinstance(case := item.callspec.params.get("case"), Case)
    ]
    base = tmp_path_factory.mktemp("corpus")

    def one(case: Case) -> tuple[str, tuple[Place, Outcome] | Exception]:
        try:
            return case.name, run_case(case, base / case.name.replace("@", "-at-"))
        except Exception as error:  # a case that cannot be built fails alone
            return case.name, error

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(one, selected))


@pytest.mark.parametrize("case", PARAMS)
def test_hostile_input(case: Case, outcomes: dict[str, tuple[Place, Outcome] | Exception]) -> None:
    result = outcomes[case.name]
    if isinstance(result, Exception):
        raise result
    place, outcome = result
    problems = judge(case, place, outcome)
    assert problems == [], (
        f"{case.name}: {case.covers}\ngood means: {case.promise}\n"
        + "\n".join(f"- {problem}" for problem in problems)
        + f"\nstderr: {outcome.stderr[:1500]}"
    )


def test_every_case_has_a_distinct_folder_name() -> None:
    names = [case.name.replace("@", "-at-") for case in [*CASES, *RENDERED]]
    assert len(set(names)) == len(names)
    assert all(Path(name).name == name for name in names)
