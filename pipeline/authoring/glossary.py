"""`lessonkit concepts --suggest --write`: accepted alias groups added to the glossary.

The glossary (`lessons/concepts.yaml`) is edited as text at the positions the YAML parser
reports, like `lessonkit new` edits the curriculum: comments, ordering, quoting and layout of
what is there stay byte for byte. A group whose concept is in the glossary gets its new aliases
appended to that concept's `aliases` (block or flow list; the key is added after `name` when the
concept has none); a new concept is appended to the end of `concepts`. A glossary that does not
exist is created. The edited text is read back and must hold exactly the old concepts plus the
additions before anything is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.errors import UsageError
from ..core.files import atomic_write
from ..course.aliases import Group
from ..read.yaml_source import parse

HEADER = (
    "# The course glossary: canonical concepts and the other names they go by.\n"
    "# lessonkit resolves every concept name of every lesson through it (docs/concepts.md).\n"
)


def add_groups(text: str | None, groups: Sequence[Group]) -> str:
    """The glossary `text` (None: no glossary yet) with `groups` added; UsageError when the
    file is not a glossary this edit can keep the layout of."""
    if text is None:
        text = HEADER + "concepts:\n"
    source, problems = parse(text)
    if source is None or problems or not isinstance(source.data, dict):
        raise UsageError("the glossary does not parse; fix it (`lessonkit validate`) first")
    root = source.node_at(())[1]
    assert isinstance(root, MappingNode)
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement)
    data = source.data
    concepts = data.get("concepts")
    if concepts is not None and not isinstance(concepts, list):
        raise UsageError("the glossary's concepts are not a list; fix it first")
    expected = _expected(text, groups)
    ids = [c.get("id") if isinstance(c, dict) else None for c in concepts or []]
    new = [group for group in groups if group.id not in ids]
    for group in groups:
        if group.id in ids:
            _, item = source.node_at(("concepts", ids.index(group.id)))
            if not isinstance(item, MappingNode):
                raise UsageError(f"concept '{group.id}' in the glossary is not a mapping")
            edits.append(_aliases_edit(text, item, group.aliases))
    if new:
        _, node = source.node_at(("concepts",)) if "concepts" in data else (None, None)
        edits.append(_concepts_edit(text, root, node, new))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    if yaml.safe_load(text) != expected:
        raise UsageError(
            "the glossary's layout is one this edit cannot keep; add the groups by hand "
            "(`lessonkit concepts --suggest --format json` lists them)"
        )
    return text


def write_groups(path: Path, groups: Sequence[Group]) -> Path:
    """Add `groups` to the glossary at `path` (created when missing); returns `path`."""
    text = path.read_text(encoding="utf-8") if path.exists() else None
    atomic_write(path, add_groups(text, groups))
    return path


def _expected(text: str, groups: Sequence[Group]) -> object:
    """What the glossary must read as once the groups are added."""
    data = yaml.safe_load(text) or {}
    concepts = data.setdefault("concepts", []) if isinstance(data, dict) else None
    if concepts is None:
        concepts = data["concepts"] = []
    by_id = {c.get("id"): c for c in concepts if isinstance(c, dict)}
    for group in groups:
        if group.id in by_id:
            by_id[group.id].setdefault("aliases", [])
            by_id[group.id]["aliases"] = [*(by_id[group.id]["aliases"] or []), *group.aliases]
        else:
            entry = {"id": group.id, "name": group.name, "aliases": list(group.aliases)}
            concepts.append(entry)
            by_id[group.id] = entry
    return data


def _aliases_edit(text: str, item: MappingNode, aliases: Sequence[str]) -> tuple[int, int, str]:
    for key, value in item.value:
        if key.value != "aliases":
            continue
        if isinstance(value, SequenceNode) and (value.flow_style or not value.value):
            close = text.rindex("]", 0, value.end_mark.index)
            separator = ", " if value.value else ""
            added = ", ".join(_flow(alias) for alias in aliases)
            return close, close, separator + added
        if isinstance(value, SequenceNode):
            indent = _indent(text, value.value[-1], dash=True)
            end = _line_end(text, _last_index(value))
            return end, end, "".join(f"\n{indent}- {_block(alias)}" for alias in aliases)
        if isinstance(value, ScalarNode) and value.value in ("", "null", "~"):
            start, end = key.end_mark.index, value.end_mark.index
            listed = ", ".join(_flow(alias) for alias in aliases)
            return start, max(start, end), f": [{listed}]"
        raise UsageError("a glossary concept's aliases are not a list")
    key = item.value[0][0]
    indent = " " * key.start_mark.column
    anchor = next((v for k, v in item.value if k.value == "name"), item.value[0][1])
    end = _line_end(text, _last_index(anchor))
    listed = ", ".join(_flow(alias) for alias in aliases)
    return end, end, f"\n{indent}aliases: [{listed}]"


def _concepts_edit(
    text: str, root: MappingNode, node: Node | None, groups: Sequence[Group]
) -> tuple[int, int, str]:
    if isinstance(node, SequenceNode) and node.value and not node.flow_style:
        first = node.value[0]
        dash_indent = _indent(text, first, dash=True)
        field_indent = dash_indent + "  "
        end = _line_end(text, _last_index(node))
        return end, end, "".join("\n" + _entry(g, dash_indent, field_indent) for g in groups)
    entries = "".join("\n" + _entry(g, "  ", "    ") for g in groups)
    if node is None:
        prefix = "" if text.endswith("\n") or not text else "\n"
        return len(text), len(text), f"{prefix}concepts:{entries}\n"
    if isinstance(node, ScalarNode) or (isinstance(node, SequenceNode) and not node.value):
        # `concepts:` with nothing after it, or `concepts: []`: the list replaces the value.
        key = next(k for k, v in root.value if v is node)
        return key.end_mark.index, node.end_mark.index, f":{entries}"
    raise UsageError("the glossary's concepts are a flow list; write it as a block list first")


def _entry(group: Group, dash: str, field: str) -> str:
    lines = [f"{dash}- id: {group.id}", f"{field}name: {_block(group.name)}"]
    listed = ", ".join(_flow(alias) for alias in group.aliases)
    lines.append(f"{field}aliases: [{listed}]")
    return "\n".join(lines)


def _indent(text: str, node: Node, *, dash: bool) -> str:
    """The indentation of the list item holding `node` (up to its dash)."""
    line_start = text.rfind("\n", 0, node.start_mark.index) + 1
    if dash:
        at = text.rindex("-", line_start, node.start_mark.index)
        return text[line_start:at]
    return text[line_start : node.start_mark.index]


def _last_index(node: Node) -> int:
    """Where the last scalar inside `node` ends: a block collection's own end mark is on the
    line after it (or past a comment), which is not where to append."""
    if isinstance(node, ScalarNode):
        return int(node.end_mark.index)
    if isinstance(node, SequenceNode):
        return _last_index(node.value[-1]) if node.value else int(node.end_mark.index)
    if isinstance(node, MappingNode):
        return _last_index(node.value[-1][1]) if node.value else int(node.end_mark.index)
    return int(node.end_mark.index)


def _line_end(text: str, index: int) -> int:
    end = text.find("\n", max(index - 1, 0))
    return len(text) if end == -1 else end


def _block(value: str) -> str:
    """`value` as a YAML scalar after `key: ` or `- `: plain when that reads back the same."""
    plain = value.strip() == value and value and "#" not in value and ": " not in value
    if plain and yaml.safe_load(f"k: {value}") == {"k": value}:
        return value
    return json.dumps(value, ensure_ascii=False)


def _flow(value: str) -> str:
    """`value` as an item of a flow list `[a, b]`."""
    if not any(char in value for char in ",[]{}") and _block(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)
