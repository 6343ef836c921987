"""Reading YAML into plain data while keeping where every value came from.

One file is read once and parsed once: libyaml (the C parser, when PyYAML has it) composes the
node tree, and a single walk over the nodes builds the Python data, finds duplicate keys,
aliases and disallowed tags. The node tree is kept so that any later diagnostic, from the schema
or from a rule, can be turned into a line and column: `Source.span` for a field, `Source.prose_span`
for a character inside a Markdown string.

Problems found here are S001-S004 findings; they never raise. The work is bounded by the
input's size: a file with anchors or aliases is refused before anything is built from it (an
alias bomb never expands), the node count and nesting depth are capped, a value the loader
cannot build (a date that does not exist, a number too long to print) is read as text and
reported, and positions are mapped through one line index per file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..core.diagnostics import (
    DataPath,
    Edit,
    Finding,
    Span,
    duplicate_key,
    schema_violation,
    syntax_error,
    unreadable,
)
from ..schemas import Config
from . import syntax_hints
from .positions import LineIndex, line_column, scalar_offsets

try:  # libyaml is used whenever the installed PyYAML was built with it
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

LIBYAML = _Loader.__name__ == "CSafeLoader"

_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _TAG + "str", _TAG + "map", _TAG + "seq"
_SCALAR_TAGS = {
    _STR,
    _TAG + "int",
    _TAG + "float",
    _TAG + "bool",
    _TAG + "null",
    _TAG + "timestamp",
}
# An anchor (`&name`) starts a node; aliases are caught by node identity during the walk, but an
# anchor that nothing refers to leaves no trace in the tree, so look for one in the text and
# confirm with the parser's events only when the text suggests it.
_AMPERSAND = re.compile("&")
_BEFORE_ANCHOR = frozenset(" \t\n[{,:-")
_AFTER_ANCHOR_NOT = frozenset(" \t\r\n,[]{}")
_UTF8_BOM = b"\xef\xbb\xbf"
# Python refuses to print an int of more than 4,300 digits (and YAML's int constructor to read
# one in decimal); a hex literal builds one anyway. Anything this long is not a number a lesson
# means: keep well under the limit, so every number read can be put in a message.
_MAX_INT_BITS = 13_000  # about 3,900 decimal digits
MAX_NODES: int = Config.model_fields["max_nodes"].default
MAX_DEPTH: int = Config.model_fields["max_depth"].default


@dataclass
class Source:
    """A parsed YAML file: its text, its node tree and the data built from it.

    The node tree is what turns a field path into a line and column, and it is large (two
    marks per node). `release()` drops it once a file is loaded; a file that turns out to need
    positions (it has a diagnostic) composes it again on first use.
    """

    text: str
    _root: Node | None
    data: Any
    _offsets: dict[int, list[int] | None] = field(default_factory=dict, repr=False)
    _released: bool = field(default=False, repr=False)
    _keys: dict[int, dict[str, tuple[Node, Node]]] = field(default_factory=dict, repr=False)
    _paths: dict[DataPath, tuple[Node | None, Node | None]] = field(
        default_factory=dict, repr=False
    )
    _lines: LineIndex | None = field(default=None, repr=False)

    @property
    def root(self) -> Node | None:
        if self._released:
            loader = _Loader(self.text)
            try:
                self._root = loader.get_single_node()
            finally:
                loader.dispose()
            self._released = False
        return self._root

    def release(self) -> None:
        """Drop the node tree; it is composed again if a position is asked for."""
        if self._root is not None:
            self._root = None
            self._offsets.clear()
            self._keys.clear()
            self._paths.clear()
            self._released = True

    def line_column(self, index: int) -> tuple[int, int]:
        """1-based line and column of character `index` of the text."""
        if self._lines is None:
            self._lines = LineIndex(self.text)
        return self._lines.line_column(index)

    def node_at(self, path: DataPath) -> tuple[Node | None, Node | None]:
        """(key node, value node) at `path`; the deepest existing ancestor when it is missing.

        Path elements that do not match the tree (a missing key, an index past the end, a
        union tag from a validator) are skipped, so the answer is the nearest real node.
        """
        found = self._paths.get(path)
        if found is None:
            found = self._paths[path] = self._walk_to(path)
        return found

    def _walk_to(self, path: DataPath) -> tuple[Node | None, Node | None]:
        key: Node | None = None
        node = self.root
        for element in path:
            if isinstance(node, MappingNode) and isinstance(element, str):
                entry = self._mapping_keys(node).get(element)
                if entry is not None:
                    key, node = entry
            elif (
                isinstance(node, SequenceNode)
                and isinstance(element, int)
                and 0 <= element < len(node.value)
            ):
                key, node = None, node.value[element]
        return key, node

    def _mapping_keys(self, node: MappingNode) -> dict[str, tuple[Node, Node]]:
        """Key -> (key node, value node) of a mapping, the first of duplicates kept; built once
        per mapping asked about, so 30,000 unknown keys cost one pass, not one pass each."""
        keys = self._keys.get(id(node))
        if keys is None:
            keys = {}
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode):
                    keys.setdefault(key_node.value, (key_node, value_node))
            self._keys[id(node)] = keys
        return keys

    def span(self, path: DataPath, *, key: bool = False) -> Span:
        """Where the value at `path` (or its key, with key=True) is written."""
        key_node, value_node = self.node_at(path)
        node = key_node if key and key_node is not None else value_node
        if node is None:
            return Span(1, 1)
        return node_span(node)

    def prose_span(self, path: DataPath, offset: int, length: int = 1) -> Span:
        """Where character `offset` (and the `length` after it) of the string at `path` is written.

        Falls back to the start of the string when its source cannot be mapped exactly.
        """
        _, node = self.node_at(path)
        if not isinstance(node, ScalarNode):
            return self.span(path)
        offsets = self._scalar_offsets(node)
        if offsets is None or not 0 <= offset < len(offsets):
            return node_span(node)
        start = offsets[offset]
        last = offsets[min(offset + max(length, 1), len(offsets)) - 1]
        line, column = self.line_column(start)
        end_line, end_column = self.line_column(last)
        return Span(line, column, end_line, end_column + 1)

    def prose_edit(self, path: DataPath, offset: int, length: int, replacement: str) -> Edit | None:
        """The file edit replacing `length` characters at `offset` of the string at `path`.

        None when those characters are not written contiguously in the file (an escape, or a
        line break folded into a space): rewriting them would change more than they are.
        """
        _, node = self.node_at(path)
        if not isinstance(node, ScalarNode):
            return None
        offsets = self._scalar_offsets(node)
        if offsets is None or offset < 0 or offset + length > len(offsets) or length < 1:
            return None
        start, end = offsets[offset], offsets[offset + length - 1] + 1
        if self.text[start:end] != node.value[offset : offset + length]:
            return None
        return Edit(start, end, replacement)

    def _scalar_offsets(self, node: ScalarNode) -> list[int] | None:
        key = id(node)
        if key not in self._offsets:
            self._offsets[key] = scalar_offsets(
                self.text, node.start_mark.index, node.end_mark.index, node.style, node.value
            )
        return self._offsets[key]


def node_span(node: Node) -> Span:
    """The span of a node: its whole text for one-line scalars, its first position otherwise."""
    start, end = node.start_mark, node.end_mark
    if isinstance(node, ScalarNode) and node.style not in ("|", ">") and end.line == start.line:
        return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)
    return Span(start.line + 1, start.column + 1)


# --- bytes -> text ----------------------------------------------------------------------------


def too_large(size: int, limit: int) -> Finding:
    """S004 for a file over the size limit; such a file is never read."""
    return unreadable(
        f"file is {_size(size)}, over the {_size(limit)} limit (max_file_size)", Span(1, 1)
    )


def decode(raw: bytes) -> tuple[str | None, list[Finding]]:
    """The file's text, or S004 when it is not UTF-8 (a UTF-8 byte-order mark is allowed)."""
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM) :]
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        head = raw[: error.start]
        line = head.count(b"\n") + 1
        column = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", errors="replace")) + 1
        return None, [
            unreadable(
                f"file is not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded; "
                "save the file as UTF-8",
                Span(line, column),
            )
        ]


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    if count < 1024 * 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count / (1024 * 1024):.1f} MiB"


# --- text -> nodes -> data --------------------------------------------------------------------


def parse(
    text: str, *, max_nodes: int = MAX_NODES, max_depth: int = MAX_DEPTH
) -> tuple[Source | None, list[Finding]]:
    """Parse one YAML document; returns the source and problems.

    The source is None when the file is refused: a syntax error, an anchor or alias, more
    than `max_nodes` values or values nested deeper than `max_depth`.
    """
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_finding(error, text)]
    except yaml.reader.ReaderError as error:
        line, column = line_column(text, error.position)
        return None, [
            unreadable(
                f"character #x{error.character:04x} is not allowed in YAML",
                Span(line, column),
            )
        ]
    except yaml.YAMLError as error:  # pragma: no cover - other parser errors carry no mark
        return None, [syntax_error(str(error), Span(1, 1))]
    finally:
        loader.dispose()
    if root is None:
        return Source(text, None, None), []
    # Composing shares an aliased node instead of copying it, so the tree is as small as the
    # text; building data from it, validating or walking it would expand every alias. Refuse
    # the file here, before any of that.
    if _may_have_anchor(text):
        anchors = _anchor_findings(text)
        if anchors:
            return None, anchors
    builder = _Builder(text, max_nodes=max_nodes, max_depth=max_depth)
    try:
        data = builder.build(root, 0)
    except _Refused as refused:
        return None, [refused.finding]
    if builder.saw_alias:  # an anchor the text search missed: refuse all the same
        return None, _anchor_findings(text)
    return Source(text, root, data), builder.findings


def _may_have_anchor(text: str) -> bool:
    """True when some `&` could start an anchor (a literal search; no per-character loop)."""
    for match in _AMPERSAND.finditer(text):
        at = match.start()
        before = text[at - 1] if at else "\n"
        after = text[at + 1 : at + 2]
        if before in _BEFORE_ANCHOR and after and after not in _AFTER_ANCHOR_NOT:
            return True
    return False


def _syntax_finding(error: yaml.MarkedYAMLError, text: str) -> Finding:
    mark = error.problem_mark or error.context_mark
    # From the mark's index: at the end of a file without a final newline, the parser's line
    # number is one past the last line.
    line, column = line_column(text, min(mark.index, len(text))) if mark else (1, 1)
    problem = error.problem or "syntax error"
    if "undefined alias" in problem:
        return unreadable(
            "YAML aliases are not allowed (and this one is undefined)", Span(line, column)
        )
    if "tab" in problem or "'\\t'" in problem:
        message = "tab character used for indentation; YAML indents with spaces only"
    else:
        message = problem
        if error.context and error.context_mark and error.context_mark is not mark:
            context_line, _ = line_column(text, min(error.context_mark.index, len(text)))
            message = f"{problem} ({error.context} at line {context_line})"
        elif error.context:
            message = f"{error.context}: {problem}"
        cause = syntax_hints.hint(message, text, line, column)
        if cause:
            message = f"{message}; {cause}"
    return syntax_error(message, Span(line, column))


def _anchor_findings(text: str) -> list[Finding]:
    """Exact positions of anchors and aliases, from the parser's events."""
    findings = []
    for event in yaml.parse(text, Loader=_Loader):
        anchor = getattr(event, "anchor", None)
        if anchor:
            kind, sigil = ("alias", "*") if isinstance(event, yaml.AliasEvent) else ("anchor", "&")
            mark = event.start_mark
            span = Span(mark.line + 1, mark.column + 1) if mark is not None else Span(1, 1)
            findings.append(
                unreadable(
                    f"YAML {kind} '{sigil}{anchor}' is not allowed; write the value out",
                    span,
                )
            )
    return findings


class _Refused(Exception):
    """The file is over a limit: building stops and the file is not checked further."""

    def __init__(self, finding: Finding) -> None:
        super().__init__(finding.message)
        self.finding = finding


class _Builder:
    """Builds Python data from nodes in one walk, noting duplicates, aliases and tags, and
    counting nodes and depth against the limits."""

    def __init__(self, text: str, *, max_nodes: int, max_depth: int) -> None:
        self.text = text
        self.findings: list[Finding] = []
        self.saw_alias = False
        self._seen: set[int] = set()
        self._max_nodes = max_nodes
        self._max_depth = max_depth
        self._constructor = SafeConstructor()

    def build(self, node: Node, depth: int) -> Any:
        if id(node) in self._seen:
            # An alias the text search missed; parse() refuses the file, so building on from
            # here would only expand it.
            self.saw_alias = True
            return None
        self._seen.add(id(node))
        if len(self._seen) > self._max_nodes:
            raise _Refused(
                unreadable(
                    f"the file holds more than {self._max_nodes:,} YAML values (max_nodes); "
                    "split it, or raise the limit",
                    node_span(node),
                )
            )
        if depth > self._max_depth:
            raise _Refused(
                unreadable(
                    f"values nested more than {self._max_depth} deep (max_depth)",
                    node_span(node),
                )
            )
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            self._check_tag(node, _SEQ)
            return [self.build(item, depth + 1) for item in node.value]
        assert isinstance(node, MappingNode)
        self._check_tag(node, _MAP)
        return self._mapping(node, depth)

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self._check_tag(node, _STR)
            return node.value  # read a disallowed tag's value as text, so nothing else cascades
        try:
            value = self._constructor.construct_object(node, deep=True)
        except Exception:  # the constructors raise ValueError, KeyError, AttributeError...
            self.findings.append(unreadable(_unbuildable(node), node_span(node)))
            return node.value  # as text, like a disallowed tag
        if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
            self.findings.append(unreadable(_unbuildable(node), node_span(node)))
            return node.value
        return value

    def _mapping(self, node: MappingNode, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                self.findings.append(
                    unreadable("YAML merge keys ('<<') are not allowed", node_span(key_node))
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.findings.append(
                    schema_violation("mapping keys must be plain names", node_span(key_node))
                )
                continue
            key = self.build(key_node, depth + 1)
            if not isinstance(key, str):
                self.findings.append(
                    schema_violation(
                        f"mapping key {key_node.value!r} must be a name, "
                        f"not a {type(key).__name__}",
                        node_span(key_node),
                    )
                )
                continue
            if key in first_seen:
                self.findings.append(
                    duplicate_key(
                        f"duplicate key '{key}' (first defined at line "
                        f"{first_seen[key].start_mark.line + 1}); the first value is kept",
                        node_span(key_node),
                    )
                )
                continue
            first_seen[key] = key_node
            result[key] = self.build(value_node, depth + 1)
        return result

    def _check_tag(self, node: Node, expected: str) -> None:
        if node.tag == expected:
            return
        tag = node.tag
        shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
        self.findings.append(unreadable(f"YAML tag '{shown}' is not allowed", node_span(node)))


_DATE = re.compile(r"^\d{1,4}-\d{1,2}-\d{1,2}")


def _unbuildable(node: ScalarNode) -> str:
    """Why a scalar's value cannot be what its tag says, in the words of a person."""
    kind = node.tag[len(_TAG) :]
    value = node.value
    shown = value if len(value) <= 40 else value[:37] + "..."
    if kind == "timestamp" and _DATE.match(value):
        return f"{shown} is not a date; quote it if it is text"
    if kind == "int" and len(value.lstrip("+-0")) > 100:
        return f"a number of {len(value):,} characters is too long to read; quote it if it is text"
    return f"'{shown}' is not a valid {kind} (tagged !!{kind}); fix the value or remove the tag"


def describe(data: Any) -> str:
    """A short name for the type of a YAML value, for messages."""
    if data is None:
        return "nothing"
    if isinstance(data, dict):
        return "a mapping"
    if isinstance(data, list):
        return "a list"
    if isinstance(data, bool):
        return "a boolean"
    if isinstance(data, (int, float)):
        return "a number"
    return "a string"
