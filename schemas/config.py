"""Project configuration: `[tool.lessonkit]` in `pyproject.toml`, or a `lessonkit.toml`."""

from __future__ import annotations

from pydantic import Field, field_validator

from .common import DEFAULT_LESSON_TYPES, Record, Text


class Config(Record):
    """Resolved lessonkit settings for one project."""

    lessons: Text = Field(default="lessons", description="Folder of lesson YAML, from the root.")
    reviews: Text = Field(default="reviews", description="Folder of review YAML, from the root.")
    max_file_size: int = Field(
        default=1_048_576,
        gt=0,
        description="Largest YAML file read, in bytes; larger files get S004.",
    )
    lesson_types: list[Text] = Field(
        default_factory=lambda: list(DEFAULT_LESSON_TYPES),
        min_length=1,
        description="Allowed values of a lesson's `type`.",
    )

    @field_validator("lesson_types")
    @classmethod
    def _unique_types(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("lesson types must be unique")
        return value
