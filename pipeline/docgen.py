"""Generated documentation: `docs/lesson-format.md` from the models, `docs/rules.md` from the
rule registry.

Each field is described once, in its Pydantic model, and each rule once, in its decorator and
docstring; this module renders them through `templates/lesson-format.md.j2` and
`templates/rules.md.j2`. A test fails when a committed file is stale, so the docs cannot drift.

    python -m lessonkit.docgen docs/          # rewrite the generated docs
    python -m lessonkit.docgen --check docs/  # exit 1 when they are stale
"""

from __future__ import annotations

import enum
import inspect
import json
import sys
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import jinja2
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from .schemas import Config, Curriculum, FieldShape, Lesson, Review, field_shape
from .schemas.common import DEFAULT_LESSON_TYPES, Vocabulary

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


def template_loader(project_root: Path | None = None) -> jinja2.BaseLoader:
    """lessonkit's packaged templates, after the project's own `templates/` when it has one:
    a project overrides any packaged template (or the stylesheet) by giving a file its name."""
    packaged = Path(str(files("lessonkit.templates")))
    loaders: list[jinja2.BaseLoader] = []
    own = project_root / "templates" if project_root is not None else None
    if own is not None and own.is_dir() and own.resolve() != packaged.resolve():
        loaders.append(jinja2.FileSystemLoader(str(own)))
    loaders.append(jinja2.FileSystemLoader(str(packaged)))
    return jinja2.ChoiceLoader(loaders)


def environment(project_root: Path | None = None) -> jinja2.Environment:
    """The Jinja environment for Markdown and YAML output (no autoescaping)."""
    env = jinja2.Environment(
        loader=template_loader(project_root),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # Markdown and YAML output; HTML pages use render.html_environment
    )
    env.filters["q"] = lambda value: json.dumps(value, ensure_ascii=False)  # YAML-safe string
    return env


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
        "config": [model_doc(Config)],
    }
    template = environment().get_template("lesson-format.md.j2")
    return template.render(sections=sections, lesson_types=DEFAULT_LESSON_TYPES)


def render_rules() -> str:
    """The text of `docs/rules.md`, from the rule registry."""
    from . import ruledocs

    template = environment().get_template("rules.md.j2")
    return template.render(families=ruledocs.families())


GENERATED = {"lesson-format.md": render_lesson_format, "rules.md": render_rules}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    folders = [arg for arg in argv if arg != "--check"]
    target = Path(folders[0] if folders else "docs")
    stale = []
    for name, render in GENERATED.items():
        path = target / name
        text = render()
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path)
        if not check:
            target.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if check else 'wrote'}: {path}")
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
