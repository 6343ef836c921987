"""`lessonkit render`: the course as pages people read.

For every lesson: the student page, the designer's planning document (seed 002's shape), the
teaching guide for AI tutors (seed 001's shape) and the review report; for the course: an
overview and the concept ledger (a concept x lesson depth heatmap and each module's cognitive
load against its budget). HTML by default, Markdown with `--format md`.

Pages come from Jinja templates, one per page kind; a project's own `templates/` folder
overrides a packaged template of the same name. Writing is confined to the output folder: each
file is written atomically, left alone when its content has not changed, and recorded in a
manifest so `--clean` removes exactly the pages lessonkit made earlier that no longer have a
source, and nothing else.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .. import __version__
from ..check.settings import Settings
from ..core.diagnostics import Diagnostic, Severity
from ..core.templating import environment as markdown_environment
from ..core.templating import template_loader
from ..course.concepts import concept_id
from ..course.course import Course
from ..review.report import review_report
from ..review.status import status_rows
from ..schemas import Lesson, Review
from . import charts, links
from .html import to_html, to_inline_html
from .sanitize import CONTENT_SECURITY_POLICY, clean_html
from .writer import Writer

STYLESHEET = "lessonkit.css"


# --- templates ---------------------------------------------------------------------------------


@jinja2.pass_context
def _prose(context: jinja2.runtime.Context, text: str | None) -> str:
    """Lesson prose as HTML; on a lesson's pages, its links to other lessons (`lesson:<id>`,
    or their files) open the rendered pages (`lesson_links`, set by Pages)."""
    make = context.get("lesson_links")
    lesson = context.get("lesson")
    links = make(lesson) if make is not None and isinstance(lesson, Lesson) else None
    return clean_html(to_html(text, links=links))


def html_environment(project_root: Path) -> jinja2.Environment:
    """Autoescaping HTML templates; the project's `templates/` overrides packaged ones."""
    env = jinja2.Environment(
        loader=template_loader(project_root),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        keep_trailing_newline=True,
    )
    # Every fragment made from lesson prose goes through the allowlist sanitizer on its way in.
    env.filters["md"] = _prose
    env.filters["md_inline"] = lambda text: clean_html(to_inline_html(text))
    env.filters["slug"] = concept_id
    env.globals["content_security_policy"] = CONTENT_SECURITY_POLICY
    return env


def markdown_templates(project_root: Path) -> jinja2.Environment:
    """Markdown templates, with the same override rule."""
    env = markdown_environment(project_root)
    env.filters["cell"] = _cell
    return env


def _cell(text: object) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    if text is None:
        return ""
    return " ".join(str(text).split()).replace("|", "\\|")


# --- the site ------------------------------------------------------------------------------


@dataclass
class RenderResult:
    pages: int
    written: int
    unchanged: int
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def render_site(
    course: Course,
    settings: Settings,
    out: Path,
    *,
    output_format: str = "html",
    clean: bool = False,
    problems: dict[Path, list[Diagnostic]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> RenderResult:
    """Render every lesson page and the course pages into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    writer = Writer(out)
    pages = Pages(course, settings, output_format=output_format, problems=problems or {})
    jobs = pages.jobs()
    for index, (relative, make) in enumerate(jobs, start=1):
        writer.write(relative, make())
        if progress is not None:
            progress(index, len(jobs))
    removed = writer.finish(clean=clean)
    return RenderResult(len(jobs), writer.written, writer.unchanged, removed, writer.warnings)


class Pages:
    """Builds each page of the site; `jobs()` lists (path, builder) pairs in order."""

    def __init__(
        self,
        course: Course,
        settings: Settings,
        *,
        output_format: str,
        problems: dict[Path, list[Diagnostic]],
    ) -> None:
        self.course = course
        self.settings = settings
        self.format = output_format
        self.problems = problems
        self.html = html_environment(course.root)
        self.html.globals["lesson_links"] = lambda lesson: links.resolver(course, lesson)
        self.markdown = markdown_templates(course.root)
        self.order = [i for i in course.ledger.order if i in course.lessons]
        self.order += sorted(i for i in course.lessons if i not in self.order)
        self.title = course.curriculum.title if course.curriculum else "Lessons"
        self.notebooks = _notebook_names({i: self.notebook(i) for i in self.order})

    def lesson(self, lesson_id: str) -> Lesson:
        model = self.course.lesson(lesson_id)
        assert model is not None
        return model

    def reviews(self, lesson_id: str) -> list[Review]:
        return self.course.history(lesson_id)

    def jobs(self) -> list[tuple[str, Callable[[], str | bytes]]]:
        ext = "html" if self.format == "html" else "md"
        jobs: list[tuple[str, Callable[[], str | bytes]]] = []
        if self.format == "html":
            # Found like any template, so a project's own stylesheet overrides it by name.
            loader = self.html.loader
            assert loader is not None
            jobs.append((STYLESHEET, lambda: loader.get_source(self.html, STYLESHEET)[0]))
        jobs.append((f"index.{ext}", self.overview))
        if self.format == "html":
            jobs.append(("ledger.html", self.ledger))
        for lesson_id in self.order:
            jobs.append((f"lessons/{lesson_id}.{ext}", _bind(self.student, lesson_id)))
            jobs.append((f"planning/{lesson_id}.{ext}", _bind(self.planning, lesson_id)))
            jobs.append((f"guides/{lesson_id}.{ext}", _bind(self.guide, lesson_id)))
            jobs.append((f"reviews/{lesson_id}.{ext}", _bind(self.review, lesson_id)))
            notebook = self.notebook(lesson_id)
            if notebook is not None and self.format == "html":
                name = self.notebooks[lesson_id]
                jobs.append((f"notebooks/{name}", notebook.read_bytes))
        return jobs

    # --- pieces shared by pages --------------------------------------------------------------

    def notebook(self, lesson_id: str) -> Path | None:
        practice = self.lesson(lesson_id).practice
        if practice is None or practice.notebook is None:
            return None
        root = self.course.root.resolve()
        path = (root / practice.notebook).resolve()
        return path if path.is_relative_to(root) and path.is_file() else None

    def neighbours(self, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
        index = self.order.index(lesson_id)
        previous = self.lesson(self.order[index - 1]) if index > 0 else None
        following = self.lesson(self.order[index + 1]) if index + 1 < len(self.order) else None
        return previous, following

    def notices(self, lesson_id: str) -> list[Diagnostic]:
        path = self.course.lessons[lesson_id].path
        return sorted(self.problems.get(path, []), key=lambda d: d.sort_key)

    def page(self, template: str, *, depth: int, **context: Any) -> str:
        return self.html.get_template(template).render(
            root="../" * depth,
            course_title=self.title,
            version=__version__,
            **context,
        )

    def markdown_page(self, template: str, kind: str, lesson: Lesson, text: str) -> str:
        # Links to other lessons open the same kind of page (planning links planning).
        folder = {"planning": "planning", "guide": "guides", "review": "reviews"}[template]
        resolve = links.resolver(self.course, lesson, folder=folder, ext=self.format)
        if self.format == "md":
            return links.rewrite(text, resolve)
        return self.page(
            "document.html.j2",
            depth=1,
            kind=kind,
            lesson=lesson,
            title=f"{lesson.title}: {kind}",
            body=clean_html(to_html(_front_matter_as_code(text), links=resolve)),
            notices=self.notices(lesson.id),
        )

    # --- pages -----------------------------------------------------------------------------

    def student(self, lesson_id: str) -> str:
        lesson = self.lesson(lesson_id)
        previous, following = self.neighbours(lesson_id)
        name = self.notebooks.get(lesson_id)
        context = {
            "lesson": lesson,
            "previous": previous,
            "next": following,
            "notebook": quote(f"../notebooks/{name}") if name else None,
            "notices": self.notices(lesson_id),
        }
        if self.format == "md":
            page = self.markdown.get_template("lesson.md.j2").render(**context)
            return links.rewrite(page, links.resolver(self.course, lesson, ext="md"))
        return self.page("lesson.html.j2", depth=1, title=lesson.title, **context)

    def planning(self, lesson_id: str) -> str:
        lesson = self.lesson(lesson_id)
        text = planning_markdown(self.course, lesson, self.markdown)
        return self.markdown_page("planning", "planning document", lesson, text)

    def guide(self, lesson_id: str) -> str:
        lesson = self.lesson(lesson_id)
        text = guide_markdown(self.course, lesson, self.markdown)
        return self.markdown_page("guide", "teaching guide", lesson, text)

    def review(self, lesson_id: str) -> str:
        lesson = self.lesson(lesson_id)
        firing = {d.code for d in self.notices(lesson_id)}
        maximum = self.settings.max_review_iterations
        text = review_report(self.course, lesson_id, maximum=maximum, firing=firing)
        return self.markdown_page("review", "review report", lesson, text)

    def overview(self) -> str:
        rows = status_rows(self.course, maximum=self.settings.max_review_iterations)
        curriculum = self.course.curriculum
        modules: list[tuple[str, str, str, list[dict[str, object]]]] = []
        by_id = {row["id"]: row for row in rows}
        if curriculum is not None:
            for series in curriculum.series:
                for module in series.modules:
                    members = [by_id[i] for i in module.lessons if i in by_id]
                    modules.append((series.title, module.id, module.title, members))
        else:
            for row in rows:
                if not modules or modules[-1][1] != row["module"]:
                    modules.append(("", str(row["module"]), f"Module {row['module']}", []))
                modules[-1][3].append(row)
        titles = {i: self.lesson(i).title for i in self.order}
        context = {
            "modules": modules,
            "titles": titles,
            "description": (curriculum.description if curriculum else None),
        }
        if self.format == "md":
            return self.markdown.get_template("overview.md.j2").render(title=self.title, **context)
        return self.page("overview.html.j2", depth=0, title=self.title, **context)

    def ledger(self) -> str:
        ledger = self.course.ledger
        columns = [(i, f"{self.lesson(i).module}.{self.lesson(i).position}") for i in self.order]
        concepts: dict[str, str] = {}
        cells: dict[tuple[str, str], str] = {}
        for lesson_id in self.order:
            for key, teaching in ledger.taught.get(lesson_id, {}).items():
                concepts.setdefault(key, teaching.concept.replace("`", ""))
                cells[(key, lesson_id)] = teaching.depth
        heatmap = charts.depth_heatmap(list(concepts.items()), columns, cells, tuple(ledger.scale))
        groups: list[tuple[str, list[tuple[str, str, int, int]]]] = []
        for lesson_id, label in columns:
            lesson = self.lesson(lesson_id)
            load = lesson.design.cognitive_load
            budget = self.settings.load_budget(lesson.type)
            if not groups or groups[-1][0] != lesson.module:
                groups.append((lesson.module, []))
            groups[-1][1].append((lesson_id, label, len(load.new_concepts) if load else 0, budget))
        load_chart = charts.load_chart(groups)
        return self.page(
            "ledger.html.j2",
            depth=0,
            title="Concept ledger",
            heatmap=Markup(heatmap),
            load_chart=Markup(load_chart),
        )


def _bind(method: Callable[[str], str], lesson_id: str) -> Callable[[], str]:
    return lambda: method(lesson_id)


def _notebook_names(notebooks: dict[str, Path | None]) -> dict[str, str]:
    """Each lesson's notebook's name in the site's `notebooks/` folder: its own file name, or
    `<lesson-id>/<file name>` when different notebooks share that name, so none overwrites
    another (lesson ids are unique)."""
    sources: dict[str, set[Path]] = {}
    for path in notebooks.values():
        if path is not None:
            sources.setdefault(path.name, set()).add(path)
    return {
        lesson_id: path.name if len(sources[path.name]) == 1 else f"{lesson_id}/{path.name}"
        for lesson_id, path in notebooks.items()
        if path is not None
    }


_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)


def _front_matter_as_code(text: str) -> str:
    """A document's YAML front matter as a YAML code block, so the HTML page shows it as the
    data it is instead of reading its strings (a title, concept names) as Markdown."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text
    longest = max((len(run) for run in re.findall("`+", match.group(1))), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}yaml\n{match.group(1)}{fence}\n{text[match.end() :]}"


# --- the Markdown documents ----------------------------------------------------------------


def planning_markdown(course: Course, lesson: Lesson, env: jinja2.Environment) -> str:
    """The planning document in seed 002's shape."""
    return env.get_template("planning.md.j2").render(**_document_context(course, lesson))


def guide_markdown(course: Course, lesson: Lesson, env: jinja2.Environment) -> str:
    """The teaching guide for AI tutors in seed 001's shape."""
    return env.get_template("guide.md.j2").render(**_document_context(course, lesson))


def _document_context(course: Course, lesson: Lesson) -> dict[str, Any]:
    order = course.ledger.order
    index = order.index(lesson.id) if lesson.id in order else None
    previous_id = lesson.previous or (order[index - 1] if index else None)
    next_id = lesson.next or (
        order[index + 1] if index is not None and index + 1 < len(order) else None
    )
    modules = {
        lesson_id: document.model.module  # type: ignore[union-attr]
        for lesson_id, document in course.lessons.items()
    }
    addressed: dict[str, list[int]] = {}
    for number, section in enumerate(lesson.design.outline, start=1):
        for item in section.addresses:
            addressed.setdefault(item, []).append(number)
    return {
        "lesson": lesson,
        "previous": course.lesson(previous_id) if previous_id else None,
        "next": course.lesson(next_id) if next_id else None,
        "modules": modules,
        "misconceptions": {m.id: m for m in lesson.analysis.misconceptions},
        "addressed": addressed,
    }


def problems_by_file(diagnostics: list[Diagnostic], cwd: Path) -> dict[Path, list[Diagnostic]]:
    """Diagnostics grouped by absolute file path (for notices on served pages)."""
    grouped: dict[Path, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        if diagnostic.severity is not Severity.INFO:
            grouped.setdefault((cwd / diagnostic.path).resolve(), []).append(diagnostic)
    return grouped
