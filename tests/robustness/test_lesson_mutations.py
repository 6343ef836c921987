"""Mutated copies of the reference lessons never make `validate` fail with a traceback.

Each example makes one to three line or byte edits (delete, duplicate, swap, re-indent, insert
a YAML-significant piece, change a byte, cut the file) to one lesson, curriculum or review of a
copy of the reference course, validates the whole course in-process and expects exit 0 or 1
with no internal error. The count is bounded for CI; `bench/fuzz.py` runs thousands.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from robustness.mutations import (
    OPERATIONS,
    PIECES,
    Mutation,
    apply_all,
    check_course,
    copy_course,
    targets,
)

MUTATION = st.builds(
    Mutation,
    st.sampled_from(OPERATIONS),
    st.integers(0, 1 << 20),
    st.integers(0, 1 << 20),
    st.integers(0, len(PIECES) - 1),
)


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_course(tmp_path_factory.mktemp("mutated-course"))


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,  # the same 30 examples on every CI run; the bench explores
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@pytest.mark.slow
@given(data=st.data(), mutations=st.lists(MUTATION, min_size=1, max_size=3))
def test_mutated_lessons_get_diagnostics_not_tracebacks(
    course: Path, data: st.DataObject, mutations: list[Mutation]
) -> None:
    relative = data.draw(st.sampled_from(targets(course)), label="file")
    path = course / relative
    original = path.read_bytes()
    try:
        path.write_bytes(apply_all(original, mutations))
        code, internal = check_course(course)
    finally:
        path.write_bytes(original)
    assert internal == [], f"{relative} after {[str(m) for m in mutations]}:\n{internal[0]}"
    assert code in (0, 1), (relative, [str(m) for m in mutations])
