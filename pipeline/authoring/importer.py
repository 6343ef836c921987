"""`lessonkit import`: Markdown planning documents written out as lesson and review YAML.

The reading is `read.planning`'s (the same as `validate plan.md`); this module decides where
each document goes, renders the YAML, adds the lesson to `lessons/curriculum.yaml` with the
layout-keeping edit `new` uses, and writes everything atomically, or nothing:
- a file that exists with other content is never replaced without `force` (and then no file
  at all is written, so an import is never half done);
- a file that exists with the same content is left alone, so a second import changes nothing;
- nothing is written outside the output folder.
The import report says, per document, what was mapped, inferred and left unmapped, each with
its Markdown line, and what `validate` reports on the result.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..check.validate import Result, run
from ..core.diagnostics import Severity
from ..core.errors import UsageError
from ..core.files import atomic_write, inside
from ..core.project import Project
from ..course.course import Course
from ..course.reviews import content_hash
from ..read.planning import MARKDOWN_SUFFIXES, NoteKind, Plan, plan_documents, read_plan
from ..read.planning.plan import stamp_review_hash
from ..schemas import Lesson
from .new import insert_into_curriculum


@dataclass
class Output:
    """One file the import writes (or would), and whether it changes anything."""

    path: Path
    text: str
    state: str = "new"  # new, unchanged, edited (the curriculum), conflict, replaced


@dataclass
class Imported:
    """One Markdown file: its plan, the files it becomes, its diagnostics."""

    source: Path
    plan: Plan
    outputs: list[Output] = field(default_factory=list)
    result: Result | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Import:
    """Everything one `lessonkit import` run reads and writes."""

    documents: list[Imported]
    curriculum: Output | None = None

    @property
    def outputs(self) -> list[Output]:
        found = [output for document in self.documents for output in document.outputs]
        return found + ([self.curriculum] if self.curriculum else [])

    @property
    def conflicts(self) -> list[Output]:
        return [output for output in self.outputs if output.state == "conflict"]


def markdown_files(paths: Iterable[Path]) -> list[Path]:
    """The Markdown files named by `paths`: files as given, folders searched recursively."""
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.resolve().rglob("*")):
                hidden = any(part.startswith(".") for part in candidate.parts)
                if candidate.suffix in MARKDOWN_SUFFIXES and candidate.is_file() and not hidden:
                    found[candidate] = None
        else:
            found[path.resolve()] = None
    return list(found)


def plan_import(
    paths: Sequence[Path], *, project: Project, course: Course, output: Path, cwd: Path
) -> Import:
    """What importing `paths` into the project at `output` would write; reads only."""
    lessons_dir = output / project.config.lessons
    reviews_dir = output / project.config.reviews
    documents: list[Imported] = []
    curriculum_text: str | None = None
    curriculum_path: Path | None = None
    for path in markdown_files(paths):
        plan = read_plan(path, project.config)
        imported = Imported(path, plan)
        documents.append(imported)
        if plan.lesson is None:
            imported.problems += [finding.message for finding in plan.problems]
            continue
        lesson_id = str(plan.lesson.get("id", ""))
        models = plan_documents(plan, project.config)
        lesson_model = models[0].model if models else None
        stamp_review_hash(plan, lesson_model, content_hash)
        rebase_links(plan.lesson, plan_dir=path.parent, lesson_dir=lessons_dir)
        shown = os.path.relpath(path, cwd)
        imported.outputs.append(
            Output(lessons_dir / f"{lesson_id}.yaml", render_yaml(plan.lesson, shown))
        )
        for review in plan.reviews:
            name = f"iteration-{review['iteration']}.yaml"
            imported.outputs.append(
                Output(reviews_dir / lesson_id / name, render_yaml(review, shown))
            )
        if isinstance(lesson_model, Lesson):
            edited = _curriculum(course, lesson_model, curriculum_text, imported)
            if edited is not None:
                curriculum_text, curriculum_path = edited
    readable = [document for document in documents if document.plan.lesson is not None]
    if readable:  # one run for every plan: the course is read once, not once per plan
        checked = run([d.source for d in readable], project=project, cwd=cwd)
        for document in readable:
            shown = os.path.relpath(document.source, cwd).replace(os.sep, "/")
            mine = [d for d in checked.diagnostics if d.path == shown]
            document.result = Result(mine, [shown])
    curriculum = None
    if curriculum_text is not None and curriculum_path is not None:
        curriculum = Output(output / curriculum_path.relative_to(project.root), curriculum_text)
    result = Import(documents, curriculum)
    for target in result.outputs:
        if inside(output, target.path) is None:
            raise UsageError(f"{target.path} is outside the output folder {output}")
        if target.path.exists():
            same = target.path.read_text(encoding="utf-8", errors="replace") == target.text
            # The curriculum is edited by design (one line added); other files are replaced.
            edit = "edited" if target is curriculum else "conflict"
            target.state = "unchanged" if same else edit
    return result


def _curriculum(
    course: Course, lesson: Lesson, text: str | None, imported: Imported
) -> tuple[str, Path] | None:
    """The curriculum with the lesson added to its module (None when there is nothing to do)."""
    document = course.curriculum_document
    curriculum = course.curriculum
    if document is None or curriculum is None:
        return None
    listed = {i for s in curriculum.series for m in s.modules for i in m.lessons}
    if lesson.id in listed:
        return None
    try:
        edited = insert_into_curriculum(document.path, lesson.module, lesson.id, text=text)
    except UsageError as error:
        imported.problems.append(f"{error}; the lesson is not added to the curriculum")
        return None
    return edited, document.path


def write(planned: Import, *, force: bool) -> list[Path]:
    """Write every new or changed file; nothing at all when one would replace another file's
    content without `force`. Returns the paths written."""
    if planned.conflicts and not force:
        names = ", ".join(str(output.path) for output in planned.conflicts)
        raise UsageError(f"would replace files with other content ({names}); use --force")
    written = []
    for output in planned.outputs:
        if output.state == "unchanged":
            continue
        if output.state == "conflict":
            output.state = "replaced"
        atomic_write(output.path, output.text)
        written.append(output.path)
    return written


# --- YAML --------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style, multi-line strings as literal blocks, keys in the order the reader made."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value and not any(line != line.rstrip() for line in value.split("\n")):
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _text)


def render_yaml(data: dict[str, Any], source: str) -> str:
    """The YAML of one imported document, with a comment naming where it came from."""
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2)
    return f"# Imported by `lessonkit import` from {Path(source).as_posix()}\n{body}"


# --- paths in prose ----------------------------------------------------------------------

_LINK = re.compile(r"(\]\()(?P<target>[^)\s#]+)")


def rebase_links(data: Any, *, plan_dir: Path, lesson_dir: Path) -> None:
    """Relative link targets in prose, rewritten from the plan's folder to the lesson's, so
    they still point at the same files (links that resolve nowhere are left as written)."""
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        if isinstance(value, str):
            data[key] = _rebase(value, plan_dir, lesson_dir)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    value[index] = _rebase(item, plan_dir, lesson_dir)
                else:
                    rebase_links(item, plan_dir=plan_dir, lesson_dir=lesson_dir)
        else:
            rebase_links(value, plan_dir=plan_dir, lesson_dir=lesson_dir)


def _rebase(text: str, plan_dir: Path, lesson_dir: Path) -> str:
    if "](" not in text or plan_dir.resolve() == lesson_dir.resolve():
        return text

    def replace(match: re.Match[str]) -> str:
        target = match.group("target")
        if re.match(r"^[a-z][a-z0-9+.-]*:|^/", target) or not (plan_dir / target).exists():
            return match.group(0)
        moved = os.path.relpath((plan_dir / target).resolve(), lesson_dir.resolve())
        return match.group(1) + Path(moved).as_posix()

    return _LINK.sub(replace, text)


# --- the report --------------------------------------------------------------------------


def report(planned: Import, *, cwd: Path) -> str:
    """The import report: per document, what was mapped, inferred and left unmapped."""
    lines: list[str] = []
    for document in planned.documents:
        shown = os.path.relpath(document.source, cwd)
        plan = document.plan
        lines.append(f"{shown}: {plan.kind.value}")
        for problem in document.problems:
            lines.append(f"  not imported: {problem}" if plan.lesson is None else f"  {problem}")
        if plan.lesson is None or plan.recorder is None:
            continue
        fields = sum(1 for path in plan.recorder.positions if path and path[-1] != "id")
        lines.append(f"  mapped: {fields} values, {len(plan.reviews)} review iteration(s)")
        for kind in (NoteKind.INFERRED, NoteKind.UNMAPPED):
            notes = [note for note in plan.notes if note.kind is kind]
            lines.append(f"  {kind.value}: {len(notes)}")
            lines += [f"    {shown}:{note.line}: {note.message}" for note in notes]
        result = document.result
        if result is not None:
            errors, warnings = result.count(Severity.ERROR), result.count(Severity.WARNING)
            codes = [diagnostic.code for diagnostic in result.diagnostics]
            lines.append(
                f"  validate: {errors} error(s), {warnings} warning(s); `validate --fix` would "
                f"make {codes.count('W001')} W001 and {codes.count('W002')} W002 fixes"
            )
            s_codes = [d for d in result.diagnostics if d.code.startswith("S")]
            lines += [f"    {d}" for d in s_codes]
    return "\n".join(lines)
