"""The Jinja templates every page, report, scaffold and generated doc comes from."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path

import jinja2


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
