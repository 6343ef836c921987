"""The course glossary: `lessons/concepts.yaml`, the canonical concepts and their aliases.

Real courses name one concept several ways ("MSE loss function", "Mean squared error", "MSE");
the glossary says which names are one concept, so the concept ledger traces a prerequisite
written under any of them. A concept the glossary does not list is matched by its normalised
name, as before: the glossary only needs the concepts that go by more than one name.
"""

from __future__ import annotations

from pydantic import Field

from .common import Markdown, Record, Slug, Text


class GlossaryConcept(Record):
    """A canonical concept: its id, the name lessons should use, and the other names for it."""

    id: Slug = Field(
        description=(
            "The concept's id: what every alias resolves to, and the anchor of its entry on "
            "the site's concepts page (`concepts.html#<id>`)."
        )
    )
    name: Text = Field(description="The canonical name; C012 suggests it for rows using an alias.")
    aliases: list[Text] = Field(
        default_factory=list,
        description=(
            "Other names of the concept, matched by their normalised id (case, Markdown marks "
            "and a trailing qualifier such as '(concept)' do not count). An alias may belong to "
            "one concept only (S008)."
        ),
    )
    definition: Markdown | None = Field(
        default=None, description="A one- or two-sentence definition, shown when hovering a link."
    )
    introduced_by: Slug | None = Field(
        default=None, description="The lesson that introduces the concept."
    )


class Glossary(Record):
    """The course's canonical concepts."""

    description: Markdown | None = Field(default=None, description="What the glossary covers.")
    concepts: list[GlossaryConcept] = Field(
        default_factory=list, description="The concepts, in any order."
    )
