"""The rule registry documents itself, and its examples are true.

Each rule's docstring ends with a Bad and a Good example: YAML fragments written against the
reference curriculum. An example is merged into `lessons/training-loop.yaml` (or the file its
first comment names: `# lessons/nn-module.yaml`, `# reviews/training-loop/iteration-3.yaml`) in a
copy of the curriculum: top-level keys
of the document merge at the top, any other key where that field lives in the model (the first
outline section for section fields). Lists replace lists. The Bad example must make the rule
fire and the Good one must not, and both must be schema-valid.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from lessonkit.check import ruledoc as ruledocs
from lessonkit.check import rules
from lessonkit.core.diagnostics import Diagnostic
from lessonkit.schemas import Curriculum, Lesson, Review, field_shape

from support import copy_reference, validate_course

CHECKED = sorted(
    code for code, rule in rules.REGISTRY.items() if rule.scope is not rules.Scope.ENGINE
)
TARGET = re.compile(r"^# ((?:lessons|reviews)/[\w./-]+\.yaml)")
# A rule about what one broken lesson does to the others: its bad example holds only once
# that other lesson is broken, which no fragment merged into one file can do.
BROKEN_FOR_BAD = {"C009": "lessons/nn-module.yaml"}


@pytest.mark.parametrize("code", sorted(rules.REGISTRY))
def test_docstring_has_every_part(code: str) -> None:
    doc = ruledocs.parse(rules.get(code).doc)
    assert doc.what and doc.why and doc.bad and doc.good, f"{code}: {doc}"
    assert doc.what.startswith("Checks") or doc.what.startswith("When"), doc.what


def test_codes_are_unique_and_in_their_family_module() -> None:
    for code, rule in rules.REGISTRY.items():
        assert re.fullmatch(r"[SPCWAR]\d{3}", code)
        assert code[0] in rules.FAMILIES
        if rule.check is not None:
            family = {
                "P": "pedagogy",
                "C": "curriculum",
                "W": "writing",
                "A": "assets",
                "R": "reviews",
            }
            assert rule.check.__module__.endswith(family[code[0]])
    names = [rule.name for rule in rules.REGISTRY.values()]
    assert len(names) == len(set(names))


def test_the_reviewer_checklist_comes_from_the_rules() -> None:
    from lessonkit.review.report import SECTIONS, reviewer_checklist

    declared = {(item.section, item.text) for r in rules.REGISTRY.values() for item in r.checklist}
    assert {section for section, _ in declared} <= set(SECTIONS)
    shown = {
        (section, line.text): line.codes
        for section, lines in reviewer_checklist()
        for line in lines
        if line.codes
    }
    assert set(shown) == declared
    for (section, text), codes in shown.items():
        for code in codes:
            assert any(i.text == text for i in rules.get(code).checklist), (section, text, code)


def test_rules_and_rule_commands_read_the_registry() -> None:
    table = ruledocs.rule_table()
    assert len(table.splitlines()) == len(rules.REGISTRY)
    text = ruledocs.describe_rule("P007")
    assert "by_type = {}" in text and "[tool.lessonkit.rules.P007]" in text


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_reference(tmp_path_factory.mktemp("reference"))


def _anchor(key: str, model: type[BaseModel]) -> tuple[str | int, ...] | None:
    """Where field `key` lives under `model`, breadth first (lists of models via item 0)."""
    queue: list[tuple[type[BaseModel], tuple[str | int, ...]]] = [(model, ())]
    while queue:
        current, path = queue.pop(0)
        if key in current.model_fields:
            return (*path, key)
        for name, info in current.model_fields.items():
            if name == "other_sections":  # an imported plan's extra sections: never an anchor
                continue
            shape = field_shape(info.annotation)
            if shape.is_model:
                queue.append((shape.base, (*path, name, 0) if shape.many else (*path, name)))
    return None


def _merge(base: dict[str, Any], fragment: dict[str, Any]) -> None:
    for key, value in fragment.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value


def _place(document: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    current: Any = document
    for step, following in zip(path, (*path[1:], None), strict=True):
        if following is None:
            break
        if isinstance(step, int):
            current = current[step]
        else:
            default: Any = [{}] if isinstance(following, int) else {}
            current = current.setdefault(step, default)
    last = path[-1]
    if isinstance(value, dict) and isinstance(current.get(last), dict):
        _merge(current[last], value)
    else:
        current[last] = value


def _apply_example(folder: Path, example: str) -> Path:
    match = TARGET.match(example)
    target = folder / (match.group(1) if match else "lessons/training-loop.yaml")
    model: type[BaseModel] = Lesson
    if target.name == "curriculum.yaml":
        model = Curriculum
    elif target.parts[-3] == "reviews":
        model = Review
    document = yaml.safe_load(target.read_text(encoding="utf-8"))
    fragment = yaml.safe_load(example)
    for key, value in fragment.items():
        path = (key,) if key in model.model_fields else _anchor(key, model)
        assert path is not None, f"no field '{key}' in {model.__name__}"
        _place(document, path, value)
    target.write_text(
        yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return target


def _codes(folder: Path, target: Path) -> tuple[list[Diagnostic], list[str]]:
    result = validate_course(folder)
    relative = target.relative_to(folder).as_posix()
    schema = [str(d) for d in result.diagnostics if d.code.startswith("S") and d.path == relative]
    return result.diagnostics, schema


@pytest.mark.parametrize("kind", ["bad", "good"])
@pytest.mark.parametrize("code", CHECKED)
def test_docstring_example(code: str, kind: str, reference: Path, tmp_path: Path) -> None:
    folder = tmp_path / "course"
    shutil.copytree(reference, folder)
    example = getattr(ruledocs.parse(rules.get(code).doc), kind)
    target = _apply_example(folder, example)
    if kind == "bad" and code in BROKEN_FOR_BAD:
        broken = folder / BROKEN_FOR_BAD[code]
        broken.write_text(broken.read_text(encoding="utf-8") + "oops: [unclosed\n", "utf-8")
    diagnostics, schema = _codes(folder, target)
    codes = {d.code for d in diagnostics}
    assert not schema, f"the {kind} example of {code} is not schema-valid: {schema}"
    if kind == "bad":
        assert code in codes, f"the bad example of {code} does not trigger it"
        # The registry's `fixable` flag says what the rule's findings really are.
        fixable = {d.fixable for d in diagnostics if d.code == code}
        assert fixable == {rules.get(code).fixable}, f"{code}: fixable flag {fixable}"
    else:
        assert code not in codes, f"the good example of {code} triggers it"
