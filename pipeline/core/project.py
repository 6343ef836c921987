"""The project: where its root is and how it is configured.

The root is the nearest folder, from the current one upwards, holding `lessonkit.toml` or
`pyproject.toml`; failing that the git work tree's root; failing that the current folder.
Configuration comes from `lessonkit.toml` (top-level keys) when present, else from the
`[tool.lessonkit]` table of `pyproject.toml`, else the defaults.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..schemas import Config
from .diagnostics import join_path
from .errors import ConfigError
from .files import inside
from .suggest import did_you_mean


@dataclass(frozen=True)
class Project:
    """A course repository: its root folder and resolved configuration."""

    root: Path
    config: Config
    config_file: Path | None = None

    @property
    def config_label(self) -> str:
        if self.config_file is None:
            return "configuration"
        if self.config_file.name == "pyproject.toml":
            return "pyproject.toml [tool.lessonkit]"
        return self.config_file.name

    @property
    def lessons_dir(self) -> Path:
        return self.root / self.config.lessons

    @property
    def reviews_dir(self) -> Path:
        return self.root / self.config.reviews


def find_root(start: Path) -> Path:
    """The project root for a command run in `start`."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / "lessonkit.toml").is_file() or (folder / "pyproject.toml").is_file():
            return folder
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def open_project(start: Path) -> Project:
    """Find the root above `start` and load its configuration."""
    root = find_root(start)
    config, source = load_config(root)
    project = Project(root=root, config=config, config_file=source)
    check_folders(project)
    return project


def check_folders(project: Project) -> None:
    """ConfigError when a configured folder leads outside the project root (`lessons = "/etc"`,
    `"../.."`, or a `lessons` symlink to elsewhere): the root is a wall for what is read."""
    for key in ("lessons", "reviews"):
        value = getattr(project.config, key)
        if inside(project.root, value) is None:
            raise ConfigError(
                f"{project.config_label}: {key} = {value!r} is outside the project root "
                f"{project.root}; lessonkit reads only inside it"
            )


def load_config(root: Path) -> tuple[Config, Path | None]:
    """The configuration of the project at `root`, and the file it came from."""
    dedicated = root / "lessonkit.toml"
    if dedicated.is_file():
        table = _read_toml(dedicated)
        return _validate(table, f"{dedicated.name}"), dedicated
    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        tool = _read_toml(pyproject).get("tool", {})
        if not isinstance(tool, dict):
            raise ConfigError("pyproject.toml: `tool` must be a table ([tool.lessonkit])")
        section = tool.get("lessonkit")
        if section is not None:
            if not isinstance(section, dict):
                raise ConfigError("pyproject.toml: [tool.lessonkit] must be a table")
            return _validate(section, "pyproject.toml [tool.lessonkit]"), pyproject
    return Config(), None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path.name}: {error}") from None
    except ValueError as error:  # e.g. an integer longer than Python converts (4,300 digits)
        raise ConfigError(f"{path.name}: a value cannot be read: {error}") from None
    except RecursionError:  # tomllib recurses once per level of nested arrays or tables
        raise ConfigError(f"{path.name}: values nested too deep to read") from None
    except OSError as error:
        raise ConfigError(f"{path.name}: cannot read the file: {error.strerror}") from None


def _validate(table: dict[str, Any], where: str) -> Config:
    try:
        return Config.model_validate(table)
    except ValidationError as error:
        problems = []
        for item in error.errors(include_url=False):
            key = join_path(item["loc"]) or "(top level)"
            if item["type"] == "extra_forbidden":
                hint = did_you_mean(str(item["loc"][-1]), Config.model_fields)
                problems.append(f"{where}: unknown key '{key}'{hint}")
            else:
                problems.append(f"{where}: {key}: {item['msg']}")
        raise ConfigError("\n".join(problems)) from None
