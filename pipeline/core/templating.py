"""The Jinja templates every page, report, scaffold and generated doc comes from."""

from __future__ import annotations

import json
import re
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
    env.filters["plain"] = markdown_text
    env.filters["code"] = markdown_code
    return env


# Plain-text fields (a title, a concept name, a reviewer) are text, not Markdown: in a Markdown
# template every character that Markdown, its tables or `$` math would read as markup is
# backslash-escaped, so the text shows as written in `--format md` and on the HTML pages made
# from it. An underscore inside a word (`zero_grad`) is never emphasis, so it stays bare.
# Code spans (`nn.MSELoss`) are kept: authors name code that way, and a code span shows its
# content as text whatever it holds (only a table's `|` needs escaping inside one).
_MARKUP = re.compile(r"[\\`*\[\]<>&$|~#]|(?<![^\W_])_|_(?![^\W_])")
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
_BLOCK_START = re.compile(r"^(?:[-+=]|\d+(?=[.)]))")  # a list item, setext rule, ordered item


def markdown_text(value: object) -> str:
    """Plain text for a Markdown template: one line, every markup character outside code spans
    escaped."""
    if value is None:
        return ""
    line = " ".join(str(value).split())
    pieces, last = [], 0
    for span in _CODE_SPAN.finditer(line):
        pieces.append(_escape(line[last : span.start()]))
        pieces.append(span.group().replace("|", "\\|"))
        last = span.end()
    text = "".join([*pieces, _escape(line[last:])])
    start = _BLOCK_START.match(text)
    if start is None:
        return text
    if start.group().isdigit():  # `1984. A year` would start an ordered list
        return f"{start.group()}\\{text[start.end() :]}"
    return f"\\{text}"


def _escape(text: str) -> str:
    return _MARKUP.sub(lambda match: "\\" + match.group(), text)


def markdown_code(value: object) -> str:
    """Plain text as one Markdown code span, whatever backticks it holds."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
