"""Every generated file: `docs/lesson-format.md` from the models, `docs/rules.md` from the rule
registry, and `schemas/*.schema.json` for editors.

Each field is described once, in its Pydantic model, and each rule once, in its decorator and
docstring; this module renders them through `templates/lesson-format.md.j2` and
`templates/rules.md.j2`. A test fails when a committed file is stale, so the docs cannot drift.

    python -m lessonkit.docs.generate          # rewrite every stale generated file
    python -m lessonkit.docs.generate --check  # list them and exit 1 instead
"""

from __future__ import annotations

import enum
import inspect
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..check import ruledoc
from ..core.files import atomic_write
from ..core.templating import environment
from ..schemas import Config, Curriculum, FieldShape, Glossary, Lesson, Review, field_shape
from ..schemas.common import DEFAULT_LESSON_TYPES, Vocabulary
from . import schemas

_PATTERN_LABELS = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "id",
    r"^\d+(?:\.\d+)*$": "module number",
}


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    default: str
    description: str


@dataclass(frozen=True)
class ModelDoc:
    name: str
    anchor: str
    doc: str
    fields: list[FieldDoc]


def models_under(root: type[BaseModel]) -> list[type[BaseModel]]:
    """`root` and every model nested in its fields, in first-seen (reading) order."""
    seen: list[type[BaseModel]] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.append(model)
        for info in model.model_fields.values():
            shape = field_shape(info.annotation)
            if shape.is_model:
                visit(shape.base)

    visit(root)
    return seen


def model_doc(model: type[BaseModel]) -> ModelDoc:
    fields = [
        FieldDoc(
            name=name,
            type=_type_label(info.annotation, info.metadata),
            required=info.is_required(),
            default=_default(info),
            description=info.description or "",
        )
        for name, info in model.model_fields.items()
    ]
    return ModelDoc(
        name=model.__name__,
        anchor=model.__name__.lower(),
        doc=inspect.cleandoc(model.__doc__ or ""),
        fields=fields,
    )


def _default(info: FieldInfo) -> str:
    if info.is_required():
        return ""
    if info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
        return "empty" if value == [] else f"`{value}`"
    if info.default is None:
        return "none"
    if isinstance(info.default, bool):
        return f"`{str(info.default).lower()}`"
    return f"`{info.default}`"


def _type_label(annotation: Any, metadata: list[Any]) -> str:
    shape = field_shape(annotation, metadata)
    label = _base_label(shape)
    return f"list of {label}" if shape.many else label


def _base_label(shape: FieldShape) -> str:
    base = shape.base
    if shape.is_model:
        return f"[{base.__name__}](#{base.__name__.lower()})"
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return " \\| ".join(f"`{member.value}`" for member in base)
    if shape.is_markdown:
        return "Markdown"
    if base is str:
        for item in shape.metadata:
            if isinstance(item, Vocabulary):
                default = " \\| ".join(f"`{name}`" for name in item.default)
                return f"{default} (configurable: `{item.key}`)"
        for item in shape.metadata:
            label = _PATTERN_LABELS.get(getattr(item, "pattern", None) or "")
            if label:
                return label
        return "text"
    names = {int: "integer", bool: "`true` \\| `false`", float: "number"}
    if base in names:
        return names[base]
    return getattr(base, "__name__", str(base)).replace("date", "date (YYYY-MM-DD)")


def render_lesson_format() -> str:
    """The text of `docs/lesson-format.md`."""
    sections = {
        "lesson": [model_doc(model) for model in models_under(Lesson)],
        "review": [model_doc(model) for model in models_under(Review)],
        "curriculum": [model_doc(model) for model in models_under(Curriculum)],
        "glossary": [model_doc(model) for model in models_under(Glossary)],
        "config": [model_doc(Config)],
    }
    template = environment().get_template("lesson-format.md.j2")
    return template.render(sections=sections, lesson_types=DEFAULT_LESSON_TYPES)


def render_rules() -> str:
    """The text of `docs/rules.md`, from the rule registry."""
    template = environment().get_template("rules.md.j2")
    return template.render(families=ruledoc.families())


def generated(root: Path) -> dict[Path, str]:
    """Every generated file of the repository at `root` and the text it should hold: the
    docs from the models and the registry, and the JSON Schemas for editors."""
    files = {
        root / "docs" / "lesson-format.md": render_lesson_format(),
        root / "docs" / "rules.md": render_rules(),
    }
    for name, schema in schemas.schemas(Config()).items():
        files[root / "schemas" / name] = schemas.dump(schema)
    return files


def stale(root: Path) -> list[Path]:
    """The generated files under `root` whose committed text is not what the code generates."""
    return [
        path
        for path, text in generated(root).items()
        if not path.is_file() or path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str]) -> int:
    """Regenerate every generated file (`--check`: only list the stale ones, exit 1 if any)."""
    check = "--check" in argv
    folders = [arg for arg in argv if arg != "--check"]
    root = Path(folders[0] if folders else ".")
    texts = generated(root)
    out_of_date = stale(root)
    for path in out_of_date:
        if not check:
            atomic_write(path, texts[path])
        print(f"{'stale' if check else 'wrote'}: {path}")
    return 1 if check and out_of_date else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
