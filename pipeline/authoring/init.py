"""`lessonkit init`: start a course a team can push the same day.

Writes the configuration (every option shown, commented out), a curriculum of one series and
one module, a first lesson made by the same code as `lessonkit new`, the `reviews/` and
`notebooks/` folders, the JSON Schemas the modelines point to, a pre-commit configuration, a
GitHub workflow, a `.gitignore` and a README. Nothing that exists is overwritten: each file
already there is skipped and listed, so `init` can be run again to fill in what is missing.
"""

from __future__ import annotations

import json
import os
import textwrap
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..check.validate import run
from ..core.errors import UsageError
from ..core.files import atomic_write
from ..core.project import load_config, open_project
from ..core.templating import environment
from ..schemas import Config
from . import new

REPOSITORY = "https://github.com/lessonkit/lessonkit"
ACTION = "lessonkit/lessonkit"
# The same lessonkit everywhere a scaffolded course installs it (README, CI, pre-commit): the
# release that wrote the scaffold, from the repository its action and hook come from.
REQUIREMENT = f"lessonkit @ git+{REPOSITORY}@v{__version__}"

FIRST_LESSON = "introduction"
FIRST_MODULE = "1.1"
WORKFLOW = Path(".github") / "workflows" / "lessons.yml"

# Examples shown for options whose default is empty, so the commented line says what a value
# looks like; uncommented, each is a valid setting.
_EXAMPLES: dict[str, str] = {
    "extend_select": '["R"]',
    "ignore": '["W002"]',
    "per_path_ignores": '{ "lessons/drafts/*" = ["P"] }',
    "severity": '{ P012 = "error" }',
}
_TABLE_EXAMPLES: dict[str, str] = {
    "rules": "[rules.P007]\nby_type = { CONSOLIDATE = 2 }",
}


@dataclass
class InitReport:
    """What `init` did: the files it wrote, those it left as they were (and why), and notes."""

    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[Path, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def init_course(
    folder: Path,
    *,
    title: str | None = None,
    schema_texts: Callable[[Config], Mapping[str, str]],
) -> InitReport:
    """Scaffold a course in `folder` (created when missing); `schema_texts` gives the JSON
    Schema files (name -> text) for a configuration. Never overwrites a file."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file; init needs a folder")
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    title = title.strip() if title is not None else _title_from(root.name)
    if not title or "\n" in title:
        raise UsageError("--title takes a title on one line")
    report = InitReport()

    _, config_file = load_config(root)  # a broken configuration stops init here
    if config_file is not None and config_file.name == "pyproject.toml":
        report.skipped.append((root / "lessonkit.toml", "pyproject.toml has [tool.lessonkit]"))
    else:
        _create(report, root / "lessonkit.toml", config_text())
    project = open_project(root)  # the configuration just written, or the one already there
    config = project.config
    lesson_type = config.lesson_types[0]
    branch = _branch(root)
    values: dict[str, Any] = {
        "title": title,
        "version": __version__,
        "repository": REPOSITORY,
        "action": ACTION,
        "requirement": REQUIREMENT,
        "lesson_type": lesson_type,
        "branch": branch,
    }

    lessons_dir = project.lessons_dir
    curriculum = lessons_dir / "curriculum.yaml"
    existing = [p for p in _yaml_files(lessons_dir) if p != curriculum]
    first = lessons_dir / f"{FIRST_LESSON}.yaml"
    if curriculum.exists() or existing:
        # A first lesson belongs with a first curriculum: added to a course that has either,
        # it would be out of place (C006), so `lessonkit new` is the way to add lessons there.
        why = "exists" if curriculum.exists() else f"{_shown(lessons_dir, root)}/ holds lessons"
        report.skipped.append((curriculum, why))
        if first.exists():
            report.skipped.append((first, "exists"))
        else:
            report.skipped.append((first, "the course has begun; `lessonkit new` adds lessons"))
    else:
        schema = os.path.relpath(new.schema_folder(root) / "curriculum.schema.json", lessons_dir)
        text = _render("init-curriculum.yaml.j2", values, schema_path=Path(schema).as_posix())
        _create(report, curriculum, text)
        # The first lesson comes from `new`, which also lists it in the curriculum just written.
        course = run([], project=project, cwd=root).course
        assert course is not None
        planned = new.plan(
            course,
            lesson_id=FIRST_LESSON,
            module=FIRST_MODULE,
            lesson_type=lesson_type,
            lessons_dir=lessons_dir,
        )
        report.written += [p for p in new.write(planned) if p not in report.written]

    for name in (config.reviews, "notebooks"):
        target = root / name
        if target.exists():
            report.skipped.append((target, "exists"))
        else:
            # git keeps no empty folder; a hidden file is not read as a lesson or review.
            _create(report, target / ".gitkeep", "")

    for name, text in schema_texts(config).items():
        _create(report, new.schema_folder(root) / name, text)

    _create(
        report, root / ".pre-commit-config.yaml", _render("init-pre-commit-config.yaml.j2", values)
    )
    _create(report, root / WORKFLOW, _render("init-workflow.yml.j2", values))
    _create(report, root / ".gitignore", _render("init-gitignore.j2", values))
    _create(report, root / "README.md", _render("init-README.md.j2", values))

    git_root = _git_root(root)
    if git_root is not None and git_root != root:
        report.notes.append(
            f"the git repository's root is {git_root}: GitHub runs only the workflows in "
            f"{git_root / '.github' / 'workflows'}, and pre-commit reads its configuration there"
        )
    return report


def config_text() -> str:
    """`lessonkit.toml` with every option of Config described and commented out: its default,
    or an example where the default is empty. Tables come last, as TOML requires."""
    lines = [
        "#:schema ./schemas/config.schema.json",
        "# lessonkit's configuration for this course (written by `lessonkit init`). Each option",
        "# is shown commented out, at its default or with an example value; uncomment a line to",
        "# set it. `lessonkit validate --show-settings` prints the configuration in force.",
    ]
    defaults = Config().model_dump()
    tables: list[str] = []
    for name, info in Config.model_fields.items():
        comment = textwrap.wrap(info.description or name, width=94)
        block = [f"# {line}" for line in comment]
        if name in _TABLE_EXAMPLES:
            block += [f"# {line}" for line in _TABLE_EXAMPLES[name].splitlines()]
            tables += ["", *block]
            continue
        value = _EXAMPLES.get(name) or _toml(defaults[name])
        default = "" if name not in _EXAMPLES else f"  # default: {_toml(defaults[name])}"
        lines += ["", *block, f"# {name} = {value}{default}"]
    return "\n".join([*lines, *tables]) + "\n"


def _toml(value: object) -> str:
    """A default value in TOML: strings, integers, lists and inline tables of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = ", ".join(f"{json.dumps(key)} = {_toml(item)}" for key, item in value.items())
        return "{ " + items + " }"
    raise TypeError(f"no TOML form for {value!r}")


def _create(report: InitReport, path: Path, text: str) -> None:
    if path.exists() or path.is_symlink():
        report.skipped.append((path, "exists"))
        return
    atomic_write(path, text)
    report.written.append(path)


def _render(template: str, values: Mapping[str, Any], **more: Any) -> str:
    return environment().get_template(template).render(**values, **more)


def _title_from(name: str) -> str:
    words = name.replace("-", " ").replace("_", " ").split()
    return " ".join(words).capitalize() if words else "A new course"


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return [p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]


def _shown(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _git_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def _branch(root: Path) -> str:
    """The branch the repository at `root` is on (an empty repository included), else main."""
    head = root / ".git" / "HEAD"
    try:
        text = head.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return "main"
    prefix = "ref: refs/heads/"
    return text[len(prefix) :] if text.startswith(prefix) else "main"
