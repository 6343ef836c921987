"""The curriculum: `lessons/curriculum.yaml`, the explicit order of series, modules and lessons.

Shaped after a curriculum outline (chapters -> modules -> lessons). When the file is absent,
lessons are ordered by (module, position).
"""

from __future__ import annotations

from pydantic import Field

from .common import DepthName, Markdown, ModuleId, Record, Slug, Text
from .lesson import OtherSection


class AssumedConcept(Record):
    """Background knowledge the course takes as given at its start (the ledger's first entries)."""

    concept: Text = Field(description="The concept.")
    id: Slug | None = Field(default=None, description="Explicit concept id, if needed.")
    depth: DepthName = Field(description="Depth every student is assumed to have.")
    notes: Markdown | None = Field(
        default=None, description="Where students are expected to get it."
    )


class Module(Record):
    """A module: an ordered list of lessons."""

    id: ModuleId = Field(description='Module number, quoted: "2.1".')
    label: Text | None = Field(
        default=None,
        description=(
            "The module as an imported outline headed it, when its id or title was derived "
            "from that heading ('A1_introduction_to_mathematical_notation.md')."
        ),
    )
    title: Text = Field(description="Module title.")
    description: Markdown | None = Field(default=None, description="What the module covers.")
    content: list[Markdown] = Field(
        default_factory=list,
        description=(
            "What the module covers, point by point: an outline's content bullets, kept as "
            "written until lessons are planned for them."
        ),
    )
    lessons: list[Slug] = Field(description="Lesson ids in teaching order.")


class Series(Record):
    """A series: an ordered list of modules."""

    id: Text = Field(description="Series number or short name.")
    title: Text = Field(description="Series title.")
    description: Markdown | None = Field(default=None, description="What the series covers.")
    modules: list[Module] = Field(description="Modules in teaching order.")


class Curriculum(Record):
    """The whole course in teaching order."""

    title: Text = Field(description="Course title.")
    description: Markdown | None = Field(default=None, description="What the course is for.")
    assumed: list[AssumedConcept] = Field(
        default_factory=list, description="Background knowledge assumed before the first lesson."
    )
    series: list[Series] = Field(description="Series in teaching order.")
    other_sections: list[OtherSection] = Field(
        default_factory=list,
        description=(
            "Sections of an imported outline that are not a series, module or lesson (a note "
            "on how modules are written), kept with their title and text."
        ),
    )
