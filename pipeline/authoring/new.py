"""`lessonkit new`: scaffold a lesson at the end of a module, with its student state from the
concept ledger and every open part a TODO placeholder.

When `lessons/curriculum.yaml` exists, the new id is added to its module there by a text edit
at the position the parser reports, so the file's comments and layout are kept.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import SequenceNode

from ..core.errors import UsageError
from ..core.files import atomic_write
from ..core.templating import environment
from ..course.course import Course
from ..read.yaml_source import parse
from ..schemas import Curriculum


@dataclass(frozen=True)
class Scaffold:
    lesson_path: Path
    lesson_text: str
    curriculum_path: Path | None
    curriculum_text: str | None


def plan(
    course: Course, *, lesson_id: str, module: str, lesson_type: str, lessons_dir: Path
) -> Scaffold:
    """What `lessonkit new` would write; UsageError when it cannot."""
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
        curriculum_text, position, after = _insert(course, module, lesson_id)
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
    schema = Path(os.path.relpath(course.root / "schemas" / "lesson.schema.json", lessons_dir))
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


def _insert(course: Course, module_id: str, lesson_id: str) -> tuple[str, int, int]:
    """The curriculum's text with `lesson_id` appended to module `module_id`, the new lesson's
    position in the module, and the index in teaching order it follows."""
    document = course.curriculum_document
    curriculum = course.curriculum
    assert document is not None and isinstance(curriculum, Curriculum)
    text = document.path.read_text(encoding="utf-8")
    edited = insert_into_curriculum(document.path, module_id, lesson_id, text=text)
    order = list(course.ledger.order)
    for s_index, series in enumerate(curriculum.series):
        for m_index, module in enumerate(series.modules):
            if module.id != module_id:
                continue
            after = max((order.index(i) for i in module.lessons if i in order), default=-1)
            if after < 0:
                earlier = [i for i in order if i in _lessons_before(curriculum, s_index, m_index)]
                after = order.index(earlier[-1]) if earlier else -1
            return edited, len(module.lessons) + 1, after
    raise UsageError(f"module {module_id} is not in {document.path.name}; add it there first")


def insert_into_curriculum(
    path: Path, module_id: str, lesson_id: str, *, text: str | None = None
) -> str:
    """The curriculum at `path` (or its `text`, when already edited) with `lesson_id` appended
    to module `module_id`, by a text edit at the position the parser reports, so comments and
    layout stay. UsageError when the module is not there."""
    text = path.read_text(encoding="utf-8") if text is None else text
    source, _ = parse(text)
    data = source.data if source is not None else None
    series_list = data.get("series", []) if isinstance(data, dict) else []
    for s_index, series in enumerate(series_list):
        modules = series.get("modules", []) if isinstance(series, dict) else []
        for m_index, module in enumerate(modules):
            if not isinstance(module, dict) or str(module.get("id")) != module_id:
                continue
            assert source is not None
            _, node = source.node_at(("series", s_index, "modules", m_index, "lessons"))
            if not isinstance(node, SequenceNode):
                break
            if node.flow_style or not node.value:
                close = text.rindex("]", 0, node.end_mark.index)
                separator = ", " if node.value else ""
                return text[:close] + separator + lesson_id + text[close:]
            last = node.value[-1]
            line_start = text.rfind("\n", 0, last.start_mark.index) + 1
            dash = text.rindex("-", line_start, last.start_mark.index)
            indent = text[line_start:dash]
            line_end = text.find("\n", last.end_mark.index)
            line_end = len(text) if line_end == -1 else line_end
            return text[:line_end] + f"\n{indent}- {lesson_id}" + text[line_end:]
    raise UsageError(f"module {module_id} is not in {path.name}; add it there first")


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
    with planned.lesson_path.open("x", encoding="utf-8") as stream:
        stream.write(planned.lesson_text)
    written = [planned.lesson_path]
    if planned.curriculum_path is not None and planned.curriculum_text is not None:
        atomic_write(planned.curriculum_path, planned.curriculum_text)
        written.append(planned.curriculum_path)
    return written
