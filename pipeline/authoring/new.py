"""`lessonkit new`: scaffold a lesson at the end of a module, with its student state from the
concept ledger and every open part a TODO placeholder.

When `lessons/curriculum.yaml` exists, the new id is added to its module there by a text edit
at the position the parser reports, so the file's comments and layout are kept; a module the
curriculum does not have yet is added the same way, given its title. Without a curriculum,
lessons are ordered by (module, position) and the new lesson goes last in its module.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import MappingNode, Node, SequenceNode

from ..core.errors import UsageError
from ..core.files import atomic_write
from ..core.templating import environment
from ..course.course import Course
from ..read.yaml_source import Source, parse
from ..schemas import Curriculum


@dataclass(frozen=True)
class Scaffold:
    lesson_path: Path
    lesson_text: str
    curriculum_path: Path | None
    curriculum_text: str | None


def schema_folder(root: Path) -> Path:
    """Where the JSON Schemas that scaffolds' modelines point to live: `schemas/` at the root."""
    return root / "schemas"


def plan(
    course: Course,
    *,
    lesson_id: str,
    module: str,
    lesson_type: str,
    lessons_dir: Path,
    module_title: str | None = None,
) -> Scaffold:
    """What `lessonkit new` would write; UsageError when it cannot.

    `module_title` adds `module` to the curriculum when it is not there yet (and is not used
    when it is, or when the course has no curriculum).
    """
    config = course.config
    if lesson_id in course.lessons or lesson_id in course.broken:
        raise UsageError(f"a lesson with the id '{lesson_id}' exists already")
    if lesson_type not in config.lesson_types:
        raise UsageError(f"type '{lesson_type}' is not one of {', '.join(config.lesson_types)}")
    path = lessons_dir / f"{lesson_id}.yaml"
    if path.exists():
        raise UsageError(f"{path.name} exists already; it is never overwritten")
    order = list(course.ledger.order)
    curriculum_path, curriculum_text = None, None
    if course.curriculum is not None and course.curriculum_document is not None:
        curriculum_path = course.curriculum_document.path
        curriculum_text, position, after = _insert(course, module, lesson_id, module_title)
    else:
        members = [
            lesson
            for lesson_id in course.lessons
            if (lesson := course.lesson(lesson_id)) is not None and lesson.module == module
        ]
        position = max((m.position for m in members), default=0) + 1
        after = max(
            (order.index(m.id) for m in members if m.id in order),
            default=len(order) - 1,
        )
    state = course.ledger.state_before(after + 1)
    concepts = sorted(
        state.values(),
        key=lambda t: (order.index(t.lesson) if t.lesson in order else -1, t.concept),
    )
    schema = Path(os.path.relpath(schema_folder(course.root) / "lesson.schema.json", lessons_dir))
    text = (
        environment()
        .get_template("new-lesson.yaml.j2")
        .render(
            id=lesson_id,
            title=lesson_id.replace("-", " ").capitalize(),
            module=module,
            position=position,
            type=lesson_type,
            concepts=concepts,
            target_depth=config.depth_scale[min(2, len(config.depth_scale) - 1)],
            schema_path=schema.as_posix(),
        )
    )
    return Scaffold(path, text, curriculum_path, curriculum_text)


def _insert(
    course: Course, module_id: str, lesson_id: str, module_title: str | None
) -> tuple[str, int, int]:
    """The curriculum's text with `lesson_id` appended to module `module_id` (added first when
    it is new and titled), the new lesson's position in the module, and the index in teaching
    order it follows."""
    document = course.curriculum_document
    curriculum = course.curriculum
    assert document is not None and isinstance(curriculum, Curriculum)
    text = document.path.read_text(encoding="utf-8")
    order = list(course.ledger.order)
    for s_index, series in enumerate(curriculum.series):
        for m_index, module in enumerate(series.modules):
            if module.id != module_id:
                continue
            edited = insert_into_curriculum(document.path, module_id, lesson_id, text=text)
            after = max((order.index(i) for i in module.lessons if i in order), default=-1)
            if after < 0:
                earlier = [i for i in order if i in _lessons_before(curriculum, s_index, m_index)]
                after = order.index(earlier[-1]) if earlier else -1
            return edited, len(module.lessons) + 1, after
    if module_title is None:
        raise UsageError(
            f"module {module_id} is not in {document.path.name}; "
            "give --module-title TITLE to add it there"
        )
    edited, s_index, m_index = add_module(
        text, curriculum, module_id=module_id, title=module_title, lesson_id=lesson_id
    )
    earlier = [i for i in order if i in _lessons_before(curriculum, s_index, m_index)]
    return edited, 1, order.index(earlier[-1]) if earlier else -1


def _module_key(module_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in module_id.split("."))


def _series_for(curriculum: Curriculum, module_id: str) -> int:
    """The series a new module joins: the one whose id is the module's first number ("2" for
    "2.3"), else one holding modules with that first number, else the last series that starts
    before it in number order (else the first)."""
    if not curriculum.series:
        raise UsageError("the curriculum has no series to add a module to; add one first")
    major = module_id.split(".")[0]
    for index, series in enumerate(curriculum.series):
        if series.id == major:
            return index
    for index, series in enumerate(curriculum.series):
        if any(module.id.split(".")[0] == major for module in series.modules):
            return index
    before = [
        index
        for index, series in enumerate(curriculum.series)
        if series.modules and _module_key(series.modules[0].id) < _module_key(module_id)
    ]
    return before[-1] if before else 0


def add_module(
    text: str, curriculum: Curriculum, *, module_id: str, title: str, lesson_id: str
) -> tuple[str, int, int]:
    """The curriculum `text` with module `module_id` (holding `lesson_id`) added to its series
    in number order, by a text edit in the layout of the modules around it; returns the text,
    the series index and the module's index in that series."""
    if not title.strip() or "\n" in title:
        raise UsageError("--module-title takes a title on one line")
    s_index = _series_for(curriculum, module_id)
    modules = curriculum.series[s_index].modules
    m_index = next(
        (i for i, m in enumerate(modules) if _module_key(m.id) > _module_key(module_id)),
        len(modules),
    )
    source, _ = parse(text)
    assert isinstance(source, Source)
    _, node = source.node_at(("series", s_index, "modules"))
    assert isinstance(node, SequenceNode)
    fields = {"id": json.dumps(module_id), "title": json.dumps(title, ensure_ascii=False)}
    if node.flow_style or not node.value:
        close = text.rindex("]", 0, node.end_mark.index)
        separator = ", " if node.value else ""
        entry = f"{{id: {fields['id']}, title: {fields['title']}, lessons: [{lesson_id}]}}"
        return text[:close] + separator + entry + text[close:], s_index, len(modules)
    first = node.value[0]
    line_start = text.rfind("\n", 0, first.start_mark.index) + 1
    dash = text.find("-", line_start, first.start_mark.index)
    if dash < 0 or text[line_start:dash].strip():
        raise UsageError(f"module {module_id} cannot be placed in this layout; add it by hand")
    indent, column = text[line_start:dash], first.start_mark.column
    pad = " " * column
    entry = (
        f"{indent}-{' ' * (column - dash + line_start - 1)}id: {fields['id']}\n"
        f"{pad}title: {fields['title']}\n{pad}lessons:\n{pad}  - {lesson_id}\n"
    )
    if m_index < len(node.value):
        following = node.value[m_index]
        at = text.rfind("\n", 0, following.start_mark.index) + 1
        return text[:at] + entry + text[at:], s_index, m_index
    end = content_end(node.value[-1])
    if text[end - 1] == "\n":  # a block scalar ends at the start of the line after it
        return text[:end] + entry + text[end:], s_index, m_index
    line_end = text.find("\n", end)
    if line_end == -1:
        return text + "\n" + entry.rstrip("\n"), s_index, m_index
    return text[:line_end] + "\n" + entry.rstrip("\n") + text[line_end:], s_index, m_index


def content_end(node: Node) -> int:
    """Where the text of a block node's last value ends (a block collection's own end mark
    lies past the comments and blank lines that follow it)."""
    if isinstance(node, MappingNode) and not node.flow_style and node.value:
        return content_end(node.value[-1][1])
    if isinstance(node, SequenceNode) and not node.flow_style and node.value:
        return content_end(node.value[-1])
    return int(node.end_mark.index)


def insert_into_curriculum(
    path: Path, module_id: str, lesson_id: str, *, text: str | None = None
) -> str:
    """The curriculum at `path` (or its `text`, when already edited) with `lesson_id` appended
    to module `module_id`, by a text edit at the position the parser reports, so comments and
    layout stay. UsageError when the module is not there."""
    text = path.read_text(encoding="utf-8") if text is None else text
    edited, missing = insert_all_into_curriculum(text, [(module_id, lesson_id)])
    if missing:
        raise UsageError(f"module {module_id} is not in {path.name}; add it there first")
    return edited


def insert_all_into_curriculum(
    text: str, additions: Sequence[tuple[str, str]]
) -> tuple[str, list[tuple[str, str]]]:
    """The curriculum `text` with every (module id, lesson id) of `additions` appended to its
    module, in the order given, by text edits at the positions the parser reports (comments
    and layout stay); and the additions whose module is not there (or holds no lesson list).

    The text is parsed once for all of them: an import of 1,000 plans makes one edit, not
    1,000 edits that each parse the curriculum grown by the ones before.
    """
    wanted: dict[str, list[str]] = {}
    for module_id, lesson_id in additions:
        wanted.setdefault(module_id, []).append(lesson_id)
    source, _ = parse(text)
    data = source.data if source is not None else None
    series_list = data.get("series", []) if isinstance(data, dict) else []
    edits: list[tuple[int, str]] = []  # (offset, text inserted there)
    placed: set[str] = set()
    for s_index, series in enumerate(series_list):
        modules = series.get("modules", []) if isinstance(series, dict) else []
        for m_index, module in enumerate(modules):
            if not isinstance(module, dict):
                continue
            module_id = str(module.get("id"))
            if module_id not in wanted or module_id in placed:
                continue
            assert source is not None
            _, node = source.node_at(("series", s_index, "modules", m_index, "lessons"))
            if not isinstance(node, SequenceNode):
                continue
            placed.add(module_id)
            ids = wanted[module_id]
            if node.flow_style or not node.value:
                close = text.rindex("]", 0, node.end_mark.index)
                separator = ", " if node.value else ""
                edits.append((close, separator + ", ".join(ids)))
                continue
            last = node.value[-1]
            line_start = text.rfind("\n", 0, last.start_mark.index) + 1
            dash = text.rindex("-", line_start, last.start_mark.index)
            indent = text[line_start:dash]
            line_end = text.find("\n", last.end_mark.index)
            line_end = len(text) if line_end == -1 else line_end
            edits.append((line_end, "".join(f"\n{indent}- {lesson_id}" for lesson_id in ids)))
    for offset, inserted in sorted(edits, reverse=True):
        text = text[:offset] + inserted + text[offset:]
    missing = [(m, lesson) for m, lesson in additions if m not in placed]
    return text, missing


def _lessons_before(curriculum: Curriculum, s_index: int, m_index: int) -> set[str]:
    before: set[str] = set()
    for si, series in enumerate(curriculum.series):
        for mi, module in enumerate(series.modules):
            if (si, mi) < (s_index, m_index):
                before |= set(module.lessons)
    return before


def write(planned: Scaffold) -> list[Path]:
    """Write the scaffold: the new lesson (never over an existing file), then the curriculum
    with the id added; returns the paths written."""
    planned.lesson_path.parent.mkdir(parents=True, exist_ok=True)
    with planned.lesson_path.open("x", encoding="utf-8") as stream:
        stream.write(planned.lesson_text)
    written = [planned.lesson_path]
    if planned.curriculum_path is not None and planned.curriculum_text is not None:
        atomic_write(planned.curriculum_path, planned.curriculum_text)
        written.append(planned.curriculum_path)
    return written
