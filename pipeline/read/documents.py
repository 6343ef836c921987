"""The kinds of document lessonkit reads, and their validation against the Pydantic models.

Which model a file is checked against follows from where it lives:
- a file named `curriculum.yaml` (or `.yml`) is the curriculum;
- a file named `concepts.yaml` (or `.yml`) is the course glossary;
- a file inside the configured reviews folder, or inside any folder named `reviews`, is a review
  iteration;
- every other YAML file is a lesson.

Pydantic's errors are turned into S002 findings that point at the YAML node that caused them.
"""

from __future__ import annotations

import difflib
import enum
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..core.diagnostics import DataPath, Finding, Span, join_path, schema_violation, unreadable
from ..core.files import NotRegularFile, TooLarge, read_bounded
from ..schemas import Config, Curriculum, Glossary, Lesson, Review, field_shape
from .yaml_source import Source, decode, describe, parse, too_large


class DocumentKind(enum.Enum):
    """What a YAML file holds; the value is the word used in messages."""

    LESSON = "lesson"
    REVIEW = "review"
    CURRICULUM = "curriculum"
    GLOSSARY = "glossary"

    @property
    def model(self) -> type[BaseModel]:
        return _MODELS[self]


_MODELS: dict[DocumentKind, type[BaseModel]] = {
    DocumentKind.LESSON: Lesson,
    DocumentKind.REVIEW: Review,
    DocumentKind.CURRICULUM: Curriculum,
    DocumentKind.GLOSSARY: Glossary,
}

YAML_SUFFIXES = (".yaml", ".yml")


def classify(path: Path, *, reviews_dir: Path) -> DocumentKind:
    """The kind of document at `path` (an absolute path)."""
    if path.stem == "curriculum" and path.suffix in YAML_SUFFIXES:
        return DocumentKind.CURRICULUM
    if path.stem == "concepts" and path.suffix in YAML_SUFFIXES:
        return DocumentKind.GLOSSARY
    if reviews_dir in path.parents or "reviews" in path.parts[:-1]:
        return DocumentKind.REVIEW
    return DocumentKind.LESSON


@dataclass
class Document:
    """One file as read: its kind, parsed source and model (None where reading or schema failed)."""

    path: Path
    kind: DocumentKind
    source: Source | None = None
    model: BaseModel | None = None
    findings: list[Finding] = field(default_factory=list)
    # The file a document was read from when one file holds several (a Markdown plan: its
    # lesson and each review); `path` is then a name of its own, and positions are in `origin`.
    origin: Path | None = None

    @property
    def file(self) -> Path:
        """The file its diagnostics are reported in."""
        return self.origin or self.path


def read_document(
    path: Path, kind: DocumentKind, config: Config, text: str | None = None
) -> Document:
    """Read, parse and schema-check one file; problems become findings, never exceptions.

    `text`, when given, is the file's content as an editor holds it (unsaved), read instead of
    the file on disk, through the same size limit and UTF-8 check.
    """
    document = Document(path, kind)
    limit = config.max_file_size
    # An editor's text may hold lone surrogates (JSON allows them): decode() reports them (S004).
    data = None if text is None else text.encode("utf-8", "surrogatepass")
    try:
        if data is not None and len(data) > limit:
            raise TooLarge(len(data))
        raw = read_bounded(path, limit) if data is None else data
    except TooLarge as error:
        document.findings.append(too_large(error.size, limit))
        return document
    except NotRegularFile:
        document.findings.append(
            unreadable("not a regular file (a FIFO, device or folder); not read", Span(1, 1))
        )
        return document
    except OSError as error:
        reason = error.strerror or str(error)
        document.findings.append(unreadable(f"cannot read the file: {reason}", Span(1, 1)))
        return document
    text, problems = decode(raw)
    document.findings += problems
    if text is None:
        return document
    document.source, problems = parse(text, max_nodes=config.max_nodes, max_depth=config.max_depth)
    document.findings += problems
    if document.source is None:
        return document
    # A scalar the loader could not read (or whose tag is refused) is kept as text and reported
    # where it is written; the schema's complaint about that same text would say it twice.
    as_text = {f.span for f in problems if f.code == "S004" and f.span.end_line is not None}
    document.model, problems = check_schema(
        document.source,
        kind,
        context={
            "lesson_types": tuple(config.lesson_types),
            "depth_scale": tuple(config.depth_scale),
        },
    )
    document.findings += [f for f in problems if f.span not in as_text]
    if not document.findings:
        document.source.release()  # most files never need a position; keep memory flat
    return document


def check_schema(
    source: Source, kind: DocumentKind, *, context: dict[str, Any]
) -> tuple[BaseModel | None, list[Finding]]:
    """The document's model, or S002 findings locating each schema error."""
    if source.data is None:
        return None, [
            schema_violation(
                f"the file is empty; expected a {kind.value} (a mapping of fields)",
                source.span(()),
            )
        ]
    if not isinstance(source.data, dict):
        return None, [
            schema_violation(
                f"expected a {kind.value} (a mapping of fields) at the top level, "
                f"found {describe(source.data)}",
                source.span(()),
            )
        ]
    try:
        return kind.model.model_validate(source.data, context=context), []
    except ValidationError as error:
        return None, _findings(error, source, kind.model)


def _findings(error: ValidationError, source: Source, model: type[BaseModel]) -> list[Finding]:
    """One finding per error, except that a mapping's missing fields are reported together."""
    findings: list[Finding] = []
    missing: dict[DataPath, list[str]] = {}
    for item in error.errors(include_url=False):
        if item["type"] == "missing":
            missing.setdefault(tuple(item["loc"][:-1]), []).append(str(item["loc"][-1]))
        else:
            # Did-you-mean costs a string comparison per known field: worth it for what the
            # report shows, not for the 30,000th unknown key of a hostile file.
            findings.append(_finding(item, source, model, hint=len(findings) < _HINTED))
    for parent, names in missing.items():
        where = f" in {join_path(parent)}" if parent else ""
        fields = ", ".join(f"'{name}'" for name in names)
        label = "field" if len(names) == 1 else "fields"
        findings.append(
            schema_violation(f"missing required {label} {fields}{where}", source.span(parent))
        )
    return findings


_HINTED = 1_000
_LONGEST_NAME = 80


def _finding(error: Any, source: Source, model: type[BaseModel], *, hint: bool = True) -> Finding:
    loc: DataPath = tuple(error["loc"])
    kind = error["type"]
    if kind == "extra_forbidden":
        parent = loc[:-1]
        where = f" in {join_path(parent)}" if parent else ""
        name = str(loc[-1])
        close = []
        if hint and len(name) <= _LONGEST_NAME:
            known = _fields_at(model, parent)
            close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        suggestion = f"; did you mean '{close[0]}'?" if close else ""
        if len(name) > _LONGEST_NAME:
            name = name[: _LONGEST_NAME - 3] + "..."
        return schema_violation(
            f"unknown field '{name}'{where}{suggestion}", source.span(loc, key=True)
        )
    # A model-level check (e.g. choices of a question) has no field; point at its mapping.
    return schema_violation(f"{join_path(loc) or 'document'}: {_message(error)}", source.span(loc))


_PATTERN_HINTS = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "is not an id: use lowercase letters, digits and hyphens, "
    "like 'training-loop'",
    r"^\d+(?:\.\d+)*$": 'is not a module number like "2.1"',
}
_EXPECTED = re.compile(r"'([^']*)'")


def _message(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "enum":
        expected = _EXPECTED.findall(error.get("ctx", {}).get("expected", ""))
        text = f"{value!r} is not one of {', '.join(expected)}"
        if isinstance(value, str):
            by_case = [item for item in expected if item.casefold() == value.casefold()]
            close = by_case or difflib.get_close_matches(value, expected, n=1, cutoff=0.6)
            if close:
                text += f"; did you mean '{close[0]}'?"
        return text
    if kind == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(error.get("ctx", {}).get("pattern", ""))
        if hint:
            return f"{value!r} {hint}"
    if kind == "string_type":
        if value is None:
            return "is empty; expected text"
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return f"expected text, found the number {value}; put it in quotes"
        return f"expected text, found {describe(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of fields, found {describe(value)}"
    if kind == "list_type":
        return f"expected a list, found {describe(value)}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, found {describe(value)}"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, found {describe(value)}"
    if kind.startswith("date"):
        return f"expected a date like 2026-02-09, found {value!r}"
    return str(error["msg"])


def _fields_at(model: type[BaseModel], path: DataPath) -> list[str]:
    """Field names of the sub-model at `path`, for did-you-mean hints."""
    current: Any = model
    for element in path:
        if isinstance(element, str):  # list indices need no step: a shape's base is the item
            info = current.model_fields.get(element) if _is_model(current) else None
            current = field_shape(info.annotation).base if info else None
    return list(current.model_fields) if _is_model(current) else []


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)
