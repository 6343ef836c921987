"""An offset inside a Markdown string maps to the file line and column of that character.

Prose rules report single characters inside paragraphs; these tests pin the mapping for every
scalar style YAML offers, then check it against the parser itself on generated strings.
"""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from yaml.nodes import ScalarNode

from lessonkit.read.yaml_source import Source, parse


def _source(text: str) -> Source:
    source, findings = parse(text)
    assert source is not None and not findings
    return source


def _position(text: str, path: tuple[str | int, ...], needle: str) -> tuple[int, int]:
    source = _source(text)
    value = source.data
    for element in path:
        value = value[element]
    span = source.prose_span(path, value.index(needle), len(needle))
    return span.line, span.column


def test_literal_block() -> None:
    text = (
        "lesson:\n"
        "  body: |\n"
        "    First line.\n"
        "\n"
        "    Second line has a dash \u2014 here.\n"
        "      an indented code line\n"
        "    Last.\n"
    )
    assert _position(text, ("lesson", "body"), "\u2014") == (5, 28)
    assert _position(text, ("lesson", "body"), "an indented") == (6, 7)
    assert _position(text, ("lesson", "body"), "Last") == (7, 5)


def test_folded_block() -> None:
    text = (
        "body: >\n"
        "  The first sentence is folded\n"
        "  into one line with this one \u2014 and\n"
        "\n"
        "  a new paragraph starts here.\n"
    )
    source = _source(text)
    assert source.data["body"].startswith("The first sentence is folded into one line")
    assert _position(text, ("body",), "\u2014") == (3, 31)
    assert _position(text, ("body",), "paragraph") == (5, 9)


def test_folded_block_with_strip_chomping_and_indentation_indicator() -> None:
    text = "items:\n  - >-2\n      indented more\n    back \u2014 here\n"
    assert _position(text, ("items", 0), "\u2014") == (4, 10)


def test_plain_multiline_scalar() -> None:
    text = (
        "notes: This plain scalar\n"
        "  continues on a second line \u2014 with a dash\n"
        "\n"
        "  and a third after a blank line.\n"
        "next: x\n"
    )
    assert _position(text, ("notes",), "\u2014") == (2, 30)
    assert _position(text, ("notes",), "third") == (4, 9)


def test_double_quoted_with_escapes() -> None:
    text = 'title: "Tab\\there, \\u00e9t\\u00e9 \\"quoted\\" \u2014 dash"\n'
    source = _source(text)
    assert source.data["title"] == 'Tab\there, \u00e9t\u00e9 "quoted" \u2014 dash'
    assert _position(text, ("title",), "\u2014") == (1, 45)
    assert _position(text, ("title",), "quoted") == (1, 36)


def test_double_quoted_folded_over_lines() -> None:
    text = 'why: "first line\n  second \\\n  joined \u2014 x"\n'
    source = _source(text)
    assert source.data["why"] == "first line second joined \u2014 x"
    assert _position(text, ("why",), "\u2014") == (3, 10)


def test_single_quoted_with_doubled_quote() -> None:
    text = "why: 'it''s a \u2014 dash'\n"
    assert _position(text, ("why",), "\u2014") == (1, 15)


def test_span_covers_the_characters() -> None:
    text = "body: |\n  a -- b\n"
    source = _source(text)
    span = source.prose_span(("body",), 2, 2)
    assert (span.line, span.column, span.end_line, span.end_column) == (2, 5, 2, 7)


def test_unmappable_offset_falls_back_to_the_scalar() -> None:
    text = "body: |\n  short\n"
    span = _source(text).prose_span(("body",), 999)
    assert (span.line, span.column) == (1, 7)


_ALPHABET = st.sampled_from(list("ab \n\u2014'\"\\#:-\t\u00e9*`$"))


@settings(max_examples=300, deadline=None)
@given(
    value=st.text(_ALPHABET, min_size=1, max_size=60),
    style=st.sampled_from(["|", ">", '"', "'", None]),
    width=st.integers(min_value=12, max_value=80),
    nested=st.booleans(),
)
def test_every_character_maps_to_its_source(
    value: str, style: str | None, width: int, nested: bool
) -> None:
    document = {"outer": [{"body": value}]} if nested else {"body": value}
    text = yaml.dump(document, default_style=style, allow_unicode=True, width=width)
    source = _source(text)
    path: tuple[str | int, ...] = ("outer", 0, "body") if nested else ("body",)
    _, node = source.node_at(path)
    assert isinstance(node, ScalarNode), text
    offsets = source._scalar_offsets(node)
    assert offsets is not None, (text, node.style)
    assert len(offsets) == len(value)
    for char, index in zip(value, offsets, strict=True):
        if char in " \n\t" or text[index] in "\\'":
            continue  # folded whitespace and escapes come from other source characters
        assert text[index] == char, (text, value)
