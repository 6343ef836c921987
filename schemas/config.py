"""Project configuration: `[tool.lessonkit]` in `pyproject.toml`, or a `lessonkit.toml`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from .common import DEFAULT_DEPTH_SCALE, DEFAULT_LESSON_TYPES, Record, Text

Level = Literal["error", "warning", "info"]


class Config(Record):
    """Resolved lessonkit settings for one project."""

    lessons: Text = Field(default="lessons", description="Folder of lesson YAML, from the root.")
    reviews: Text = Field(default="reviews", description="Folder of review YAML, from the root.")
    max_file_size: int = Field(
        default=1_048_576,
        gt=0,
        description="Largest YAML file read, in bytes; larger files get S004.",
    )
    max_nodes: int = Field(
        default=50_000,
        gt=0,
        description="Most YAML values (keys, items and scalars) in one file; more gets S004. "
        "The largest reference lesson has about 1,300.",
    )
    max_depth: int = Field(
        default=50,
        gt=0,
        le=200,
        description="Deepest nesting of YAML values in one file; deeper gets S004.",
    )
    max_diagnostics_per_code: int = Field(
        default=200,
        gt=0,
        description="Most diagnostics of one code shown per file; one S004 counts the rest.",
    )
    lesson_types: list[Text] = Field(
        default_factory=lambda: list(DEFAULT_LESSON_TYPES),
        min_length=1,
        description="Allowed values of a lesson's `type`.",
    )
    depth_scale: list[Text] = Field(
        default_factory=lambda: list(DEFAULT_DEPTH_SCALE),
        min_length=2,
        description="Depth names, shallowest first: the order claims are compared in.",
    )
    select: list[Text] = Field(
        default_factory=lambda: ["S", "P", "C", "W", "A", "R"],
        description="Rule codes or code prefixes to check (default: every family).",
    )
    extend_select: list[Text] = Field(
        default_factory=list, description="Codes or prefixes checked in addition to `select`."
    )
    ignore: list[Text] = Field(
        default_factory=list,
        description="Codes or prefixes not to check. The most specific of select and ignore wins.",
    )
    per_path_ignores: dict[str, list[Text]] = Field(
        default_factory=dict,
        description="Glob (relative to the project root) -> codes or prefixes ignored there.",
    )
    severity: dict[str, Level] = Field(
        default_factory=dict,
        description="Code -> `error`, `warning` or `info`, overriding the default.",
    )
    rules: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description="Code -> that rule's options (see `lessonkit rule CODE`).",
    )

    @field_validator("lesson_types", "depth_scale")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("names must be unique")
        return value
