"""`lessonkit import`: Markdown documents written out as lesson, review and curriculum YAML.

The reading is `read.planning`'s (the same as `validate plan.md`), which tells each kind of
document by its content; this module decides where each goes:
- a lesson plan: `lessons/<id>.yaml` and `reviews/<id>/iteration-<n>.yaml`;
- study notes: a draft lesson, last in the course's last module;
- a course or module outline: the curriculum, merged with the one there, and a draft lesson
  for each lesson it lists that the course does not have;
- a page review: the questions as the named lessons' expected knowledge (an edit of that one
  key in a lesson file) and the feedback as each lesson's next review iteration, a draft.
Every lesson new to `lessons/curriculum.yaml` is added to it by one layout-keeping edit (the
one `new` makes), and everything is written atomically, or nothing:
- a file that exists with other content is never replaced without `force` (and then no file
  at all is written, so an import is never half done); an edit by design (a lesson added to
  the curriculum, questions added to a lesson that has none) is not a replacement;
- a file that exists with the same content is left alone, so a second import changes nothing;
- nothing is written outside the output folder.
The import report says, per document, what was mapped, inferred and left unmapped, each with
its Markdown line, and what `validate` reports on the result.
"""

from __future__ import annotations

import copy
import datetime
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..check.settings import project_settings
from ..check.validate import Result
from ..check.validate import run as run_validate
from ..core.diagnostics import Diagnostic, Severity
from ..core.errors import UsageError
from ..core.files import atomic_write, inside
from ..core.project import Project
from ..core.suggest import did_you_mean
from ..course.course import Course
from ..course.reviews import content_hash, counts
from ..read.planning import MARKDOWN_SUFFIXES, NoteKind, Plan, PlanKind, plan_documents, read_plan
from ..read.planning.blocks import canon
from ..read.planning.drafts import draft_lesson
from ..read.planning.page_review import Page
from ..read.planning.plan import stamp_review_hash
from ..read.yaml_source import parse as parse_yaml
from ..schemas import Curriculum, FindingSeverity, Lesson, Review
from .new import content_end, insert_all_into_curriculum


@dataclass
class Output:
    """One file the import writes (or would), and whether it changes anything."""

    path: Path
    text: str
    state: str = "new"  # new, unchanged, edited (an edit by design), conflict, replaced
    edit: bool = False  # an edit of an existing file (the curriculum, a lesson's questions)
    replacing: bool = False  # the edit replaces what is there: needs --force


@dataclass
class Imported:
    """One Markdown file: its plan, the files it becomes, its diagnostics."""

    source: Path
    plan: Plan
    outputs: list[Output] = field(default_factory=list)
    result: Result | None = None
    problems: list[str] = field(default_factory=list)
    unresolved: int = 0  # pages of a page review naming no lesson of the course

    @property
    def failed(self) -> bool:
        """Nothing imported, or part of it left out (a page naming an unknown lesson)."""
        return self.plan.kind is PlanKind.NOT_A_PLAN or self.unresolved > 0


@dataclass
class Import:
    """Everything one `lessonkit import` run reads and writes."""

    documents: list[Imported]
    curriculum: Output | None = None
    edits: list[Output] = field(default_factory=list)  # existing lessons given questions

    @property
    def outputs(self) -> list[Output]:
        found = [output for document in self.documents for output in document.outputs]
        return found + self.edits + ([self.curriculum] if self.curriculum else [])

    @property
    def conflicts(self) -> list[Output]:
        return [output for output in self.outputs if output.state == "conflict"]

    @property
    def failed(self) -> bool:
        return any(document.failed for document in self.documents)


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


@dataclass
class _Lesson:
    """A lesson this run writes: its data (rendered last, after page reviews add to it)."""

    data: dict[str, Any]
    document: Imported
    reviews: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _Run:
    """What one import run has gathered so far."""

    project: Project
    course: Course
    output: Path
    cwd: Path
    lessons: dict[str, _Lesson] = field(default_factory=dict)
    curriculum: dict[str, Any] | None = None  # rebuilt from an outline (else edited in place)
    curriculum_sources: list[str] = field(default_factory=list)
    edits: dict[Path, Output] = field(default_factory=dict)
    editors: dict[Path, list[Imported]] = field(default_factory=dict)  # who made each edit

    @property
    def lessons_dir(self) -> Path:
        return self.output / self.project.config.lessons

    @property
    def reviews_dir(self) -> Path:
        return self.output / self.project.config.reviews

    def shown(self, path: Path) -> str:
        return Path(os.path.relpath(path, self.cwd)).as_posix()

    def add_lesson(self, data: dict[str, Any], document: Imported, reviews: list[Any]) -> bool:
        lesson_id = str(data.get("id", ""))
        if lesson_id in self.lessons:
            other = self.shown(self.lessons[lesson_id].document.source)
            document.problems.append(
                f"lesson '{lesson_id}' is imported from {other} already; not imported again"
            )
            return False
        self.lessons[lesson_id] = _Lesson(data, document, list(reviews))
        return True


def plan_import(
    paths: Sequence[Path], *, project: Project, course: Course, output: Path, cwd: Path
) -> Import:
    """What importing `paths` into the project at `output` would write; reads only.

    Lesson plans and study notes become lessons; outlines rebuild the curriculum (merged
    with the one there); page reviews add questions and a review to the lessons they name,
    whether those are already in the course or imported in the same run. Every lesson new to
    the curriculum is added to it in one edit at the end.
    """
    run = _Run(project, course, output, cwd)
    documents = [Imported(path, read_plan(path, project.config)) for path in markdown_files(paths)]
    for document in documents:
        if document.plan.kind is PlanKind.NOT_A_PLAN:
            document.problems += [finding.message for finding in document.plan.problems]
    plans = [d for d in documents if d.plan.kind is PlanKind.LESSON_PLAN and d.plan.lesson]
    if plans:
        # One run for every plan, on the plans as read (before links are rebased for their
        # new place): the course is read once, each plan parsed once.
        checked = run_validate(
            [d.source for d in plans],
            project=project,
            cwd=cwd,
            plans={d.source: d.plan for d in plans},
        )
        for document in plans:
            shown = os.path.relpath(document.source, cwd).replace(os.sep, "/")
            mine = [d for d in checked.diagnostics if d.path == shown]
            document.result = Result(mine, [shown])
    for document in documents:
        if document.plan.kind is PlanKind.LESSON_PLAN:
            _lesson_plan(run, document)
    for document in documents:
        if document.plan.kind is PlanKind.OUTLINE:
            _outline(run, document)
    for document in documents:
        if document.plan.kind is PlanKind.STUDY_NOTES:
            _notes(run, document)
    for document in documents:
        if document.plan.kind is PlanKind.PAGE_REVIEW:
            _page_review(run, document)
    for lesson in run.lessons.values():
        _render_lesson(run, lesson)
    curriculum = _curriculum(run)
    result = Import(documents, curriculum, list(run.edits.values()))
    _check_results(run, result)
    for target in result.outputs:
        if inside(output, target.path) is None:
            raise UsageError(f"{target.path} is outside the output folder {output}")
        if target.path.exists():
            same = target.path.read_text(encoding="utf-8", errors="replace") == target.text
            if same:
                target.state = "unchanged"
            elif target.edit and not target.replacing:
                target.state = "edited"
            else:
                target.state = "conflict"
    return result


def _check_results(run: _Run, planned: Import) -> None:
    """What `validate` will report on the files outlines, page reviews and notes become, for
    the report: one run over the course with those files as this import would leave them
    (unwritten, given as text). Only when importing into the project itself: elsewhere the
    files would be checked against a course they are not part of."""
    if run.output.resolve() != run.project.root.resolve():
        return
    owners: dict[Path, list[Imported]] = {}
    for document in planned.documents:
        if document.plan.kind in (PlanKind.LESSON_PLAN, PlanKind.NOT_A_PLAN):
            continue
        for output in document.outputs:
            owners.setdefault(_key(output.path), []).append(document)
        if document.plan.kind is PlanKind.OUTLINE and planned.curriculum is not None:
            owners.setdefault(_key(planned.curriculum.path), []).append(document)
    for path, editors in run.editors.items():
        owners.setdefault(_key(path), []).extend(editors)
    if not owners:
        return
    texts = {_key(output.path): output.text for output in planned.outputs}
    # Every file the import writes is given, so the course checked is the course the import
    # leaves (a draft review of a lesson a plan of this run brings); files that exist are read
    # from `texts` as the import leaves them.
    targets = list(dict.fromkeys([*texts, *owners]))
    checked = run_validate(targets, project=run.project, cwd=run.cwd, texts=texts)
    shown = {run.shown(path): path for path in owners}
    found: dict[int, list[Diagnostic]] = {}
    for diagnostic in checked.diagnostics:
        for document in owners.get(shown.get(diagnostic.path, Path()), []):
            found.setdefault(id(document), []).append(diagnostic)
    for document in {id(d): d for docs in owners.values() for d in docs}.values():
        mine = found.get(id(document), [])
        document.result = Result(mine, sorted({d.path for d in mine}))


def _key(path: Path) -> Path:
    """A path as `validate` names the files it is given (the folder resolved)."""
    return path.parent.resolve() / path.name


# --- lesson plans and notes -------------------------------------------------------------


def _lesson_plan(run: _Run, document: Imported) -> None:
    plan = document.plan
    assert plan.lesson is not None
    if document.result is None:  # validation stamps the hash itself
        models = plan_documents(plan, run.project.config)
        stamp_review_hash(plan, models[0].model if models else None, content_hash)
    rebase_links(plan.lesson, plan_dir=document.source.parent, lesson_dir=run.lessons_dir)
    run.add_lesson(plan.lesson, document, plan.reviews)


def _notes(run: _Run, document: Imported) -> None:
    """A draft lesson from study notes, placed last in the course's last module (the notes
    name none: the report says so, and the designer moves it)."""
    plan = document.plan
    assert plan.lesson is not None and plan.recorder is not None
    lesson = plan.lesson
    module = _last_module(run)
    lesson["module"] = module
    lesson["position"] = _next_position(run, module)
    lesson = {key: lesson[key] for key in _LESSON_ORDER if key in lesson}
    plan.lesson = lesson
    plan.recorder.inferred(
        0,
        f"module {module}, position {lesson['position']}: the notes name no module; the draft "
        "goes last in the course's last module until a designer places it",
    )
    rebase_links(lesson, plan_dir=document.source.parent, lesson_dir=run.lessons_dir)
    run.add_lesson(lesson, document, [])


_LESSON_ORDER = tuple(Lesson.model_fields)


def _last_module(run: _Run) -> str:
    curriculum = run.curriculum or _curriculum_data(run.course)
    modules = [str(m["id"]) for s in (curriculum or {}).get("series", []) for m in s["modules"]]
    if modules:
        return modules[-1]
    known = [lesson.module for d in run.course.lessons if (lesson := run.course.lesson(d))]
    known += [str(lesson.data.get("module")) for lesson in run.lessons.values()]
    numbered = [m for m in known if re.fullmatch(r"\d+(?:\.\d+)*", m)]
    return max(numbered, key=lambda m: tuple(int(p) for p in m.split(".")), default="1")


def _next_position(run: _Run, module: str) -> int:
    curriculum = run.curriculum or _curriculum_data(run.course)
    for series in (curriculum or {}).get("series", []):
        for entry in series["modules"]:
            if str(entry["id"]) == module:
                pending = [
                    i for i, lesson in run.lessons.items() if lesson.data.get("module") == module
                ]
                return len(dict.fromkeys([*entry["lessons"], *pending])) + 1
    positions = [
        int(lesson.position)
        for d in run.course.lessons
        if (lesson := run.course.lesson(d)) is not None and lesson.module == module
    ]
    positions += [
        int(lesson.data.get("position", 0))
        for lesson in run.lessons.values()
        if lesson.data.get("module") == module
    ]
    return max(positions, default=0) + 1


def _render_lesson(run: _Run, lesson: _Lesson) -> None:
    document = lesson.document
    shown = run.shown(document.source)
    lesson_id = str(lesson.data.get("id", ""))
    document.outputs.append(
        Output(run.lessons_dir / f"{lesson_id}.yaml", render_yaml(lesson.data, shown))
    )
    for review in lesson.reviews:
        name = f"iteration-{review['iteration']}.yaml"
        document.outputs.append(
            Output(run.reviews_dir / lesson_id / name, render_yaml(review, shown))
        )


# --- outlines and the curriculum ---------------------------------------------------------


def _curriculum_data(course: Course) -> dict[str, Any] | None:
    """The course's curriculum as data, in the schema's field order (None without one)."""
    curriculum = course.curriculum
    if curriculum is None:
        return None
    return curriculum.model_dump(mode="json", exclude_defaults=True)


def _outline(run: _Run, document: Imported) -> None:
    """Merge an outline into the curriculum (the run's, else the course's), and draft the
    lessons it lists that the course does not have."""
    plan = document.plan
    assert plan.outline is not None and plan.recorder is not None
    rec = plan.recorder
    base = run.curriculum if run.curriculum is not None else _curriculum_data(run.course)
    merged, notes = merge_curriculum(
        base, plan.outline.curriculum, module_outline=plan.outline.module_outline
    )
    for note in notes:
        rec.unmapped(0, note)
    run.curriculum = merged
    run.curriculum_sources.append(run.shown(document.source))
    config = run.project.config
    lesson_type = "BUILD" if "BUILD" in config.lesson_types else config.lesson_types[0]
    depth = config.depth_scale[min(2, len(config.depth_scale) - 1)]
    for entry in plan.outline.lessons:
        lesson_id = entry["id"]
        if lesson_id in run.course.lessons or lesson_id in run.course.broken:
            rec.mapped(entry["at"], f"lesson '{lesson_id}' is in the course; listed only")
            continue
        data = draft_lesson(
            lesson_id=lesson_id,
            title=entry["title"],
            module=entry["module"],
            position=entry["position"],
            lesson_type=lesson_type,
            target_concept=entry.get("description"),
            is_about=entry.get("content") or None,
            target_depth=depth,
        )
        if run.add_lesson(data, document, []):
            rec.inferred(
                entry["at"],
                f"lesson '{lesson_id}' drafted in module {entry['module']}: its bullets are "
                "what it IS about; every other part is a TODO",
            )


def merge_curriculum(
    base: dict[str, Any] | None, outline: dict[str, Any], *, module_outline: bool = False
) -> tuple[dict[str, Any], list[str]]:
    """The curriculum `base` (None: there is none) rebuilt from an outline, and a note for each
    value of the curriculum the outline replaces.

    The outline is the plan of the course: its title, series, modules (matched by id across
    the whole course), their titles and content bullets win, in its order. What only the
    curriculum has stays: assumed knowledge, descriptions the outline lacks, every lesson id
    of a module (the outline's lessons are added after them), and modules and series the
    outline does not mention, after the outline's. A module outline changes its one module
    and leaves the order of everything else as it was.
    """
    notes: list[str] = []
    result: dict[str, Any] = copy.deepcopy(base) if base else {}
    for key in ("title", "description"):
        if key in outline:
            if key in result and result[key] != outline[key] and not module_outline:
                notes.append(f"the curriculum's {key} {_short(result[key])} is replaced")
            if key not in result or not module_outline:
                result[key] = outline[key]
    if "title" not in result:
        result["title"] = "TODO: the course title"
        notes.append("the outline has no course title; a TODO is left in the curriculum")
    old_series: list[dict[str, Any]] = result.pop("series", [])
    old_modules = {str(m["id"]): m for s in old_series for m in s.get("modules", [])}
    used: set[str] = set()

    def module_of(module: dict[str, Any]) -> dict[str, Any]:
        existing = old_modules.get(str(module["id"]))
        if existing is None:
            return dict(module)
        used.add(str(module["id"]))
        merged = dict(module)
        for key in ("description", "content", "label"):
            if key not in merged and key in existing:
                merged[key] = existing[key]
        if existing.get("title") != module["title"]:
            notes.append(
                f"module {module['id']}: the curriculum's title '{existing.get('title')}' is "
                f"replaced by '{module['title']}'"
            )
        listed = list(existing.get("lessons", []))
        merged["lessons"] = listed + [i for i in module["lessons"] if i not in listed]
        return {key: merged[key] for key in _MODULE_ORDER if key in merged}

    def same(old: dict[str, Any], new: dict[str, Any]) -> bool:
        titled = "title" in new and canon(str(old.get("title"))) == canon(str(new["title"]))
        return str(old["id"]) == str(new["id"]) or titled

    series_out: list[dict[str, Any]] = []
    by_index: dict[int, dict[str, Any]] = {}  # merged entries by their place in the curriculum
    for series in outline.get("series", []):
        at = next((i for i, s in enumerate(old_series) if same(s, series)), None)
        entry = {key: value for key, value in series.items() if key != "modules"}
        if at is not None:
            old = old_series[at]
            entry = {**{k: v for k, v in old.items() if k != "modules"}, **entry}
            if module_outline and "title" in old:
                entry["title"] = old["title"]
        if "title" not in entry:
            entry["title"] = f"Series {series['id']}"
            notes.append(f"series {series['id']} has no title; '{entry['title']}' is given")
        modules = [module_of(module) for module in series["modules"]]
        if at is not None:
            before = old_series[at].get("modules", [])
            if module_outline:
                modules = _placed(before, modules)
            else:
                modules += [m for m in before if str(m["id"]) not in used]
        entry["modules"] = modules
        entry = {key: entry[key] for key in _SERIES_ORDER if key in entry}
        if at is not None:
            by_index[at] = entry
        series_out.append(entry)
    kept: dict[int, dict[str, Any]] = {}
    for index, old in enumerate(old_series):
        if index in by_index:
            continue
        modules = [m for m in old.get("modules", []) if str(m["id"]) not in used]
        if modules or not old.get("modules"):
            kept[index] = {**old, "modules": modules}
        else:
            notes.append(
                f"series {old['id']} ('{old.get('title')}') is left out: the outline places "
                "each of its modules"
            )
    if module_outline:
        # The course keeps its order: each series where it was, a new one after them.
        placed = [
            by_index.get(i) or kept[i] for i in range(len(old_series)) if i in by_index or i in kept
        ]
        result["series"] = placed + [s for s in series_out if s not in placed]
    else:
        result["series"] = series_out + list(kept.values())
    others = result.get("other_sections", [])
    titles = {str(section["title"]) for section in others}
    others += [s for s in outline.get("other_sections", []) if str(s["title"]) not in titles]
    if others:
        result["other_sections"] = others
    order = tuple(Curriculum.model_fields)
    return {key: result[key] for key in order if key in result}, notes


_MODULE_ORDER = ("id", "label", "title", "description", "content", "lessons")
_SERIES_ORDER = ("id", "title", "description", "modules")


def _number(module_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in module_id.split(".") if part.isdigit())


def _placed(before: list[dict[str, Any]], modules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A series' modules with a module outline's modules in their place: one the series has is
    replaced where it is, a new one goes before the first module with a higher number."""
    new = {str(m["id"]): m for m in modules}
    result = [new.pop(str(m["id"]), m) for m in before]
    for module in new.values():
        at = next(
            (i for i, m in enumerate(result) if _number(str(m["id"])) > _number(str(module["id"]))),
            len(result),
        )
        result.insert(at, module)
    return result


def _short(text: object) -> str:
    value = " ".join(str(text).split())
    return f"'{value[:60]}...'" if len(value) > 60 else f"'{value}'"


def _curriculum(run: _Run) -> Output | None:
    """The curriculum after the run: rebuilt when an outline was imported (a replacement of
    an existing file, which needs --force unless nothing changed), else the existing file with
    every new lesson added in one layout-keeping edit."""
    course = run.course
    document = course.curriculum_document
    default = run.output / run.project.config.lessons / "curriculum.yaml"
    if document is not None:
        target = run.output / document.path.relative_to(run.project.root)
    else:
        target = default
    if run.curriculum is not None:
        data = run.curriculum
        listed = {i for s in data["series"] for m in s["modules"] for i in m.get("lessons", [])}
        by_id = {str(m["id"]): m for s in data["series"] for m in s["modules"]}
        for lesson_id, lesson in run.lessons.items():
            module = str(lesson.data.get("module"))
            if lesson_id in listed:
                continue
            if module not in by_id:
                lesson.document.problems.append(
                    f"module {module} is not in the curriculum; the lesson is not added to it"
                )
                continue
            by_id[module].setdefault("lessons", []).append(lesson_id)
        sources = ", ".join(run.curriculum_sources)
        return Output(target, render_yaml(data, sources), edit=True, replacing=True)
    if document is None or course.curriculum is None:
        return None
    listed = {i for s in course.curriculum.series for m in s.modules for i in m.lessons}
    additions = [
        (str(lesson.data.get("module")), lesson_id)
        for lesson_id, lesson in run.lessons.items()
        if lesson_id not in listed
    ]
    if not additions:
        return None
    text = document.path.read_text(encoding="utf-8")
    edited, missing = insert_all_into_curriculum(text, additions)
    name = document.path.name
    for module, lesson_id in missing:
        run.lessons[lesson_id].document.problems.append(
            f"module {module} is not in {name}; add it there first; "
            "the lesson is not added to the curriculum"
        )
    if edited == text:
        return None
    return Output(target, edited, edit=True)


# --- page reviews -----------------------------------------------------------------------


def _page_review(run: _Run, document: Imported) -> None:
    plan = document.plan
    assert plan.recorder is not None
    rec = plan.recorder
    settings = project_settings(run.project)
    for page in plan.pages:
        lesson_id = _page_lesson(run, page)
        if lesson_id is None:
            known = [*run.course.lessons, *run.lessons]
            rec.unmapped(
                page.name,
                f"page '{page.name.text}' names no lesson of the course"
                f"{did_you_mean(page.lesson, known)}; nothing of it is imported",
            )
            document.unresolved += 1
            continue
        if page.questions:
            _questions(run, document, page, lesson_id)
        if page.has_feedback:
            _page_feedback(run, document, page, lesson_id, settings.max_review_iterations)


def _page_lesson(run: _Run, page: Page) -> str | None:
    """The lesson a page names: by id exactly, else by title exactly (letters and digits
    compared); never the closest."""
    ids = [*run.lessons, *run.course.lessons]
    if page.lesson in ids:
        return page.lesson
    wanted = canon(page.name.text)
    for lesson_id, lesson in run.lessons.items():
        if canon(str(lesson.data.get("title", ""))) == wanted:
            return lesson_id
    for lesson_id in run.course.lessons:
        model = run.course.lesson(lesson_id)
        if model is not None and canon(model.title) == wanted:
            return lesson_id
    return None


def _questions(run: _Run, document: Imported, page: Page, lesson_id: str) -> None:
    """The page's questions as the lesson's expected knowledge: set on a lesson of this run,
    or written into the lesson file by an edit that keeps the rest of it."""
    rec = document.plan.recorder
    assert rec is not None
    count = len(page.questions)
    if lesson_id in run.lessons:
        data = run.lessons[lesson_id].data
        had = len(data.get("expected_knowledge", []))
        data["expected_knowledge"] = page.questions
        verb = f"replace its {had}" if had else "are"
        rec.mapped(page.name, f"{count} question(s) {verb} the expected knowledge of '{lesson_id}'")
        return
    lesson_doc = run.course.lessons[lesson_id]
    path = run.output / lesson_doc.path.relative_to(run.project.root)
    output = run.edits.get(path)
    text = output.text if output is not None else lesson_doc.path.read_text(encoding="utf-8")
    edited, replaced = set_expected_knowledge(text, page.questions)
    if output is None:
        output = Output(path, edited, edit=True, replacing=replaced)
        run.edits[path] = output
    else:
        output.text, output.replacing = edited, output.replacing or replaced
    run.editors.setdefault(path, []).append(document)
    how = "replace the lesson's" if replaced else "are added as"
    rec.mapped(
        page.name,
        f"{count} question(s) {how} expected knowledge of '{lesson_id}' "
        f"({run.shown(lesson_doc.path)})",
    )


def set_expected_knowledge(text: str, questions: list[dict[str, Any]]) -> tuple[str, bool]:
    """The lesson YAML `text` with `expected_knowledge` set to `questions`, by a text edit of
    that one key (appended when absent); and whether it replaces other questions."""
    block = yaml.dump(
        {"expected_knowledge": questions},
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        indent=2,
    ).rstrip("\n")
    source, _ = parse_yaml(text)
    data = source.data if source is not None else None
    if source is None or not isinstance(data, dict) or "expected_knowledge" not in data:
        separator = "" if not text or text.endswith("\n") else "\n"
        return f"{text}{separator}{block}\n", False
    current = data.get("expected_knowledge") or []
    if current == questions:
        return text, False
    key, value = source.node_at(("expected_knowledge",))
    if key is None or value is None:
        return f"{text.rstrip()}\n{block}\n", bool(current)
    start = text.rfind("\n", 0, key.start_mark.index) + 1
    end = content_end(value)
    if text[end - 1] == "\n":  # a block scalar ends at the start of the line after it
        end -= 1
    return text[:start] + block + text[end:], bool(current)


def _page_feedback(run: _Run, document: Imported, page: Page, lesson_id: str, maximum: int) -> None:
    """The page's feedback and suggestions as the lesson's next review iteration: a draft
    (the page review states no verdict or severity), after the iterations the lesson has."""
    rec = document.plan.recorder
    assert rec is not None
    header = f"{run.shown(document.source)}, page '{page.name.text}'"
    slot = _review_slot(run, lesson_id, header, maximum)
    if isinstance(slot, str):
        rec.unmapped(page.name, f"the feedback on '{page.name.text}' is not recorded: {slot}")
        document.unresolved += 1
        return
    cycle, iteration, previous = slot
    findings = page.review.get("findings", [])
    rows = [{"finding": f["id"], "severity": f["severity"]} for f in previous]
    blocking = {"CRITICAL", "IMPROVEMENT"}
    open_blocking = any(f["severity"] in blocking for f in [*findings, *rows])
    date = page.date or datetime.date.fromtimestamp(document.source.stat().st_mtime)
    review: dict[str, Any] = {"lesson": lesson_id}
    if cycle > 1:
        review["cycle"] = cycle
    review["iteration"] = iteration
    review["draft"] = True
    review["date"] = date
    lesson_hash = _lesson_hash(run, lesson_id)
    if lesson_hash is not None:
        review["content_hash"] = lesson_hash
    review["summary"] = counts(FindingSeverity(f["severity"]) for f in findings)
    review["verdict"] = "NEEDS REVISION" if open_blocking else "PASS"
    review["verdict_note"] = (
        "Proposed by `lessonkit import` from a page review, which states no verdict and grades "
        "no suggestion: the reviewer confirms the severities, the student impact and the "
        "verdict, then signs."
    )
    if rows:
        review["fix_verification"] = rows
    if findings:
        review["findings"] = findings
    if "overall_assessment" in page.review:
        review["overall_assessment"] = page.review["overall_assessment"]
    folder = run.reviews_dir / lesson_id
    if cycle > 1:
        folder = folder / f"cycle-{cycle}"
    path = folder / f"iteration-{iteration}.yaml"
    document.outputs.append(Output(path, render_yaml(review, header)))
    if page.date is None:
        rec.inferred(
            page.name,
            f"review date {date.isoformat()}: the page review states none; the file's date",
        )
    rec.mapped(
        page.name,
        f"feedback on '{page.name.text}' is the draft review {run.shown(path)} "
        f"({len(findings)} suggestion(s) as findings)",
    )


def _review_slot(
    run: _Run, lesson_id: str, header: str, maximum: int
) -> tuple[int, int, list[dict[str, Any]]] | str:
    """(cycle, iteration, findings to verify) of the review a page review becomes, or why
    there is none. A review imported from the same page before keeps its place."""
    history: list[tuple[int, int, str, bool, list[dict[str, Any]], Path | None]] = []
    if lesson_id in run.lessons:
        for review in run.lessons[lesson_id].reviews:
            history.append(
                (
                    int(review.get("cycle", 1)),
                    int(review["iteration"]),
                    str(review.get("verdict")),
                    bool(review.get("draft")),
                    list(review.get("findings", [])),
                    None,
                )
            )
    else:
        for doc in run.course.reviews.get(lesson_id, []):
            model = doc.model
            assert isinstance(model, Review)
            found = [{"id": f.id, "severity": f.severity.value} for f in model.findings]
            history.append(
                (model.cycle, model.iteration, model.verdict.value, model.draft, found, doc.path)
            )
    if history and history[-1][5] is not None and _imported_from(history[-1][5], header):
        cycle, iteration = history[-1][0], history[-1][1]
        before = [h for h in history[:-1] if h[0] == cycle]
        return cycle, iteration, before[-1][4] if before else []
    if not history:
        return 1, 1, []
    cycle, iteration, verdict, draft, findings, _ = history[-1]
    if draft:
        return f"{lesson_id}'s latest review is an unsigned draft; sign it first"
    if verdict == "PASS":
        return cycle + 1, 1, []
    if iteration >= maximum:
        return f"{lesson_id} has had {maximum} review iterations in this cycle, the most allowed"
    return cycle, iteration + 1, findings


def _imported_from(path: Path, header: str) -> bool:
    try:
        with path.open(encoding="utf-8") as stream:
            first = stream.readline()
    except OSError:
        return False
    return first.rstrip("\n") == f"# Imported by `lessonkit import` from {header}"


def _lesson_hash(run: _Run, lesson_id: str) -> str | None:
    """The content hash of the lesson as this run leaves it (None if it does not validate)."""
    context = {
        "lesson_types": tuple(run.project.config.lesson_types),
        "depth_scale": tuple(run.project.config.depth_scale),
    }
    if lesson_id in run.lessons:
        data: Any = run.lessons[lesson_id].data
    else:
        path = run.output / run.course.lessons[lesson_id].path.relative_to(run.project.root)
        output = run.edits.get(path)
        if output is None:
            return run.course.content_hash(lesson_id)
        data = yaml.safe_load(output.text)
    try:
        return content_hash(Lesson.model_validate(data, context=context))
    except ValidationError:
        return None


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


try:  # libyaml's emitter writes the same text as PyYAML's, about seven times faster
    from yaml import CSafeDumper as _Emitter
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeDumper as _Emitter  # type: ignore[assignment]


class _Dumper(_Emitter):
    """Block style, multi-line strings as literal blocks, keys in the order the reader made."""


def _text(dumper: yaml.representer.SafeRepresenter, value: str) -> yaml.ScalarNode:
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
        if plan.kind is PlanKind.NOT_A_PLAN:
            lines += [f"  not imported: {problem}" for problem in document.problems]
            continue
        lines += [f"  {problem}" for problem in document.problems]
        if plan.recorder is None:
            continue
        ordered = sorted(plan.notes, key=lambda note: note.line)  # the document's order
        mapped = [note for note in ordered if note.kind is NoteKind.MAPPED]
        if plan.kind is PlanKind.LESSON_PLAN:
            fields = sum(1 for path in plan.recorder.positions if path and path[-1] != "id")
            lines.append(f"  mapped: {fields} values, {len(plan.reviews)} review iteration(s)")
        else:
            lines.append(f"  mapped: {len(mapped)}")
            lines += [f"    {shown}:{note.line}: {note.message}" for note in mapped]
        for kind in (NoteKind.INFERRED, NoteKind.UNMAPPED):
            notes = [note for note in ordered if note.kind is kind]
            lines.append(f"  {kind.value}: {len(notes)}")
            lines += [f"    {shown}:{note.line}: {note.message}" for note in notes]
        if plan.kind is PlanKind.STUDY_NOTES or plan.kind is PlanKind.OUTLINE:
            drafts = [o for o in document.outputs if o.path.parent.name == "lessons"]
            todos = sum(output.text.count("TODO") for output in drafts)
            if todos:
                lines.append(
                    f"  draft lesson(s): {todos} TODO placeholder(s) for a designer, each a "
                    "W005 warning in `validate` until written"
                )
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
