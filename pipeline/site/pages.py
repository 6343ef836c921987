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

import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from .. import __version__
from ..check.settings import Settings
from ..core.diagnostics import Diagnostic, Severity
from ..core.files import exists, inside
from ..core.templating import environment as markdown_environment
from ..core.templating import markdown_text, template_loader
from ..course.concepts import concept_id, split_qualifier
from ..course.course import Course
from ..course.listing import ConceptEntry
from ..course.listing import listing as concept_listing
from ..review.report import review_report
from ..review.status import status_rows
from ..schemas import Lesson, Review
from . import charts, links
from .html import to_html, to_inline_html
from .sanitize import CONTENT_SECURITY_POLICY, clean_html
from .search import SEARCH_FOLDER, SearchUnavailable, search_index
from .writer import Writer

STYLESHEET = "lessonkit.css"
# Static files every HTML site carries, found like templates so a project can override them.
# lessonkit.js is progressive (copy buttons, the current section in the table of contents) and
# search.js drives the search page; pages read and navigate the same without either.
ASSETS = (STYLESHEET, "lessonkit.js", "search.js")
# Above this many lessons the sidebar lists the lessons of the current module only (the other
# modules link to their place in the overview), so that a page of a course of a thousand lessons
# does not carry a thousand links.
FULL_SIDEBAR_LESSONS = 300


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
    search: bool = True,
    only: set[str] | None = None,
) -> RenderResult:
    """Render every lesson page and the course pages into `out`.

    With `search` (HTML only), the pages are indexed for full-text search afterwards and the
    index is written into `out/pagefind/` like any page. With `only`, the pages of other
    lessons are not rendered again (the preview server passes the lessons a change touched);
    the course pages always are.
    """
    out.mkdir(parents=True, exist_ok=True)
    writer = Writer(out)
    pages = Pages(course, settings, output_format=output_format, problems=problems or {})
    jobs = pages.jobs(only=only)
    indexed: dict[str, str] = {}
    for index, (relative, make) in enumerate(jobs, start=1):
        content = make()
        writer.write(relative, content)
        if isinstance(content, str) and relative.endswith(".html"):
            indexed[relative] = content
        if progress is not None:
            progress(index, len(jobs))
    made = len(jobs)
    if search and output_format == "html":
        made += _write_search_index(writer, pages, indexed)
    removed = writer.finish(clean=clean)
    return RenderResult(made, writer.written, writer.unchanged, removed, writer.warnings)


def _write_search_index(writer: Writer, pages: Pages, rendered: dict[str, str]) -> int:
    """Index the searchable pages (lessons, planning documents, guides, reviews) with Pagefind
    and write its files through `writer`; pages not rendered this time are read back from the
    folder, where an earlier build of this same course wrote them."""
    contents = {}
    for relative in pages.searchable():
        text = rendered.get(relative)
        if text is None:
            text = writer.read(relative)
        if text is not None:
            contents[relative] = text
    try:
        files = search_index(contents)
    except SearchUnavailable as error:
        writer.warnings.append(f"search is off: {error}")
        return 0
    for relative, data in files.items():
        writer.write(f"{SEARCH_FOLDER}/{relative}", data)
    return len(files)


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
        self.nav = self._navigation()
        self.module_of = {
            lesson.id: (series, module)
            for series in self.nav
            for module in series.modules
            for lesson in module.lessons
        }
        self._sidebars: dict[str, str] = {}

    def lesson(self, lesson_id: str) -> Lesson:
        model = self.course.lesson(lesson_id)
        assert model is not None
        return model

    def reviews(self, lesson_id: str) -> list[Review]:
        return self.course.history(lesson_id)

    def jobs(self, *, only: set[str] | None = None) -> list[tuple[str, Callable[[], str | bytes]]]:
        """(path, builder) for every file of the site; with `only`, the pages of lessons outside
        it are left out (the course pages and static files never are)."""
        ext = "html" if self.format == "html" else "md"
        jobs: list[tuple[str, Callable[[], str | bytes]]] = []
        if self.format == "html":
            # Found like any template, so a project's own stylesheet or script overrides it.
            for asset in ASSETS:
                jobs.append((asset, _bind(self.asset, asset)))
        jobs.append((f"index.{ext}", self.overview))
        if self.format == "html":
            jobs.append(("search.html", self.search))
            jobs.append(("ledger.html", _bind(self.ledger, "")))
            jobs.append(("concepts.html", self.concepts))
            for module in self.modules():
                jobs.append((f"ledger/{module.slug}.html", _bind(self.ledger, module.slug)))
        for lesson_id in self.order:
            if only is not None and lesson_id not in only:
                continue
            jobs.append((f"lessons/{lesson_id}.{ext}", _bind(self.student, lesson_id)))
            jobs.append((f"planning/{lesson_id}.{ext}", _bind(self.planning, lesson_id)))
            jobs.append((f"guides/{lesson_id}.{ext}", _bind(self.guide, lesson_id)))
            jobs.append((f"reviews/{lesson_id}.{ext}", _bind(self.review, lesson_id)))
            notebook = self.notebook(lesson_id)
            if notebook is not None and self.format == "html":
                name = self.notebooks[lesson_id]
                jobs.append((f"notebooks/{name}", notebook.read_bytes))
        return jobs

    def searchable(self) -> list[str]:
        """The pages the search index covers: every page of every lesson."""
        kinds = ("lessons", "planning", "guides", "reviews")
        return [f"{kind}/{lesson_id}.html" for lesson_id in self.order for kind in kinds]

    def asset(self, name: str) -> str:
        loader = self.html.loader
        assert loader is not None
        return loader.get_source(self.html, name)[0]

    def modules(self) -> list[NavModule]:
        return [module for series in self.nav for module in series.modules]

    # --- pieces shared by pages --------------------------------------------------------------

    def notebook(self, lesson_id: str) -> Path | None:
        practice = self.lesson(lesson_id).practice
        if practice is None or practice.notebook is None:
            return None
        path = inside(self.course.root, practice.notebook)
        return path if path is not None and exists(path, as_file=True) else None

    def neighbours(self, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
        index = self.order.index(lesson_id)
        previous = self.lesson(self.order[index - 1]) if index > 0 else None
        following = self.lesson(self.order[index + 1]) if index + 1 < len(self.order) else None
        return previous, following

    def notices(self, lesson_id: str) -> list[Diagnostic]:
        path = self.course.lessons[lesson_id].path
        return sorted(self.problems.get(path, []), key=lambda d: d.sort_key)

    def page(
        self,
        template: str,
        *,
        depth: int,
        current: str | None = None,
        current_page: bool = False,
        crumbs: list[tuple[str, str | None]] | None = None,
        **context: Any,
    ) -> str:
        """A page on the shared layout: `current` is the lesson it belongs to (marked in the
        sidebar, as the page itself when `current_page`), `crumbs` the breadcrumb trail after
        the overview as (text, link or None)."""
        root = "../" * depth
        return self.html.get_template(template).render(
            root=root,
            course_title=self.title,
            version=__version__,
            sidebar=Markup(self.sidebar(root, current, current_page)),
            crumbs=crumbs or [],
            **context,
        )

    def sidebar(self, root: str, current: str | None, current_page: bool) -> str:
        """The course sidebar for a page. Rendered once per folder depth; the current lesson
        and its module are marked by editing that one rendering, so a course of a thousand
        lessons does not render its whole tree again for each of its thousands of pages."""
        place = self.module_of.get(current) if current is not None else None
        full = sum(len(m.lessons) for m in self.modules()) <= FULL_SIDEBAR_LESSONS
        listed = None if full else (place[1].slug if place is not None else "")
        key = f"{root}|{listed}|{current is None}"
        if key not in self._sidebars:
            self._sidebars[key] = self.html.get_template("sidebar.html.j2").render(
                root=root, nav=self.nav, listed=listed, open_all=current is None
            )
        text = self._sidebars[key]
        if current is None or current not in self.module_of:
            return text
        module = self.module_of[current][1]
        mark = "page" if current_page else "true"
        link = f'data-lesson="{escape(current)}"'
        text = text.replace(link, f'{link} aria-current="{mark}"', 1)
        opening = f'<details class="module" data-module="{escape(module.slug)}"'
        return text.replace(opening, f"{opening} open", 1)

    def crumbs(self, lesson: Lesson, *more: tuple[str, str | None]) -> list[tuple[str, str | None]]:
        """Overview > series > module > lesson (> page), with links from one folder down."""
        trail: list[tuple[str, str | None]] = []
        if lesson.id in self.module_of:
            series, module = self.module_of[lesson.id]
            if series.title:
                trail.append((series.title, None))
            trail.append((module.label, f"../index.html#module-{module.slug}"))
        if more:
            trail.append((lesson.title, f"../lessons/{lesson.id}.html"))
            trail.extend(more)
        else:
            trail.append((lesson.title, None))
        return trail

    def markdown_page(self, template: str, kind: str, lesson: Lesson, text: str) -> str:
        # Links to other lessons open the same kind of page (planning links planning).
        folder = {"planning": "planning", "guide": "guides", "review": "reviews"}[template]
        resolve = _with_concepts(
            links.resolver(self.course, lesson, folder=folder, ext=self.format)
        )
        if self.format == "md":
            return links.rewrite(text, resolve)
        body, toc = _heading_ids(clean_html(to_html(_front_matter_as_code(text), links=resolve)))
        return self.page(
            "document.html.j2",
            depth=1,
            current=lesson.id,
            crumbs=self.crumbs(lesson, (kind.capitalize(), None)),
            kind=kind,
            lesson=lesson,
            title=f"{lesson.title}: {kind}",
            body=Markup(body),
            toc=toc,
            notices=self.notices(lesson.id),
        )

    def _navigation(self) -> list[NavSeries]:
        """Series -> modules -> lessons, from the curriculum (lessons it does not list go in a
        last module of their own), or by each lesson's module without one."""
        entries = {
            lesson_id: NavLesson(
                lesson_id,
                lesson.title,
                lesson.type,
                lesson.status.value,
            )
            for lesson_id in self.order
            for lesson in (self.lesson(lesson_id),)
        }
        placed: set[str] = set()
        nav: list[NavSeries] = []
        curriculum = self.course.curriculum
        slugs: set[str] = set()
        if curriculum is not None:
            for series in curriculum.series:
                modules = []
                for module in series.modules:
                    members = [entries[i] for i in module.lessons if i in entries]
                    placed.update(lesson.id for lesson in members)
                    modules.append(
                        NavModule(module.id, module.title, _unique(module.id, slugs), members)
                    )
                nav.append(NavSeries(series.id, series.title, modules))
        rest: dict[str, list[NavLesson]] = {}
        for lesson_id in self.order:
            if lesson_id not in placed:
                rest.setdefault(self.lesson(lesson_id).module, []).append(entries[lesson_id])
        if rest:
            modules = [
                NavModule(module_id, "", _unique(module_id, slugs), members)
                for module_id, members in rest.items()
            ]
            nav.append(NavSeries("", "Other lessons" if nav else "", modules))
        return nav

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
        # The exercises go in the outline's practice section; a lesson whose outline has none
        # gets one after the last section, so no exercise is left off the student's page.
        practice_section = any(
            section.kind is not None and section.kind.value == "practice"
            for section in lesson.design.outline
        )
        own_practice = bool(lesson.practice and lesson.practice.exercises) and not practice_section
        toc = [
            (section_id(number, section.title), section.title)
            for number, section in enumerate(lesson.design.outline, start=1)
        ]
        if own_practice:
            toc.append(("practice", "Practice"))
        if lesson.expected_knowledge:
            toc.append(("self-check", "Check your understanding"))
        return self.page(
            "lesson.html.j2",
            depth=1,
            current=lesson_id,
            current_page=True,
            crumbs=self.crumbs(lesson),
            title=lesson.title,
            toc=toc,
            own_practice=own_practice,
            **context,
        )

    def planning(self, lesson_id: str) -> str:
        lesson = self.lesson(lesson_id)
        linked = self.concept_links if self.format == "html" else None
        text = planning_markdown(self.course, lesson, self.markdown, concepts=linked)
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
        context: dict[str, Any] = {
            "modules": modules,
            "titles": titles,
            "description": (curriculum.description if curriculum else None),
        }
        if self.format == "md":
            return self.markdown.get_template("overview.md.j2").render(title=self.title, **context)
        anchors = {module.id: module.slug for module in self.modules()}
        return self.page("overview.html.j2", depth=0, title=self.title, anchors=anchors, **context)

    def search(self) -> str:
        return self.page("search.html.j2", depth=0, title="Search", crumbs=[("Search", None)])

    def ledger(self, slug: str) -> str:
        """The concept ledger of the whole course (`slug` "") or of one module: the depth table
        of what its lessons teach, and their cognitive load against the budget."""
        module = next((m for m in self.modules() if m.slug == slug), None)
        lesson_ids = [entry.id for entry in module.lessons] if module else self.order
        depth = 1 if module else 0
        root = "../" * depth
        ledger = self.course.ledger
        columns = [
            (i, self.lesson(i).title, f"{root}lessons/{quote(i)}.html", self.lesson(i).module)
            for i in lesson_ids
        ]
        concepts: dict[str, str] = {}
        cells: dict[tuple[str, str], str] = {}
        for lesson_id in lesson_ids:
            for key, teaching in ledger.taught.get(lesson_id, {}).items():
                known = self.course.concepts.canonical(key)
                name = known.name if known else split_qualifier(teaching.concept).base
                concepts.setdefault(key, name.replace("`", ""))
                cells[(key, lesson_id)] = teaching.depth
        table = charts.depth_table(list(concepts.items()), columns, cells, tuple(ledger.scale))
        groups: list[tuple[str, list[tuple[str, str, int, int]]]] = []
        for lesson_id in lesson_ids:
            lesson = self.lesson(lesson_id)
            load = lesson.design.cognitive_load
            budget = self.settings.load_budget(lesson.type)
            if not groups or groups[-1][0] != lesson.module:
                groups.append((lesson.module, []))
            new = len(load.new_concepts) if load else 0
            groups[-1][1].append((lesson_id, lesson.title, new, budget))
        title = f"Concept ledger: module {module.label}" if module else "Concept ledger"
        return self.page(
            "ledger.html.j2",
            depth=depth,
            title=title,
            crumbs=[("Concept ledger", f"{root}ledger.html"), (module.label, None)]
            if module
            else [("Concept ledger", None)],
            module=module,
            modules=self.modules(),
            heatmap=Markup(table),
            names=[entry for entry in self.concept_entries if entry.id in concepts],
            load_chart=Markup(charts.load_chart(groups)),
        )

    @cached_property
    def concept_entries(self) -> list[ConceptEntry]:
        """Every concept of the course with where it is taught, claimed and used."""
        return concept_listing(self.course).concepts

    @cached_property
    def concept_links(self) -> dict[str, str]:
        """Concept id -> the text a link to it shows on hover: its definition, or where it is
        taught when the glossary gives none."""
        titles = {}
        for entry in self.concept_entries:
            taught = ", ".join(f"{m.lesson} {m.depth}" for m in entry.taught)
            titles[entry.id] = entry.definition or (f"Taught by {taught}" if taught else entry.name)
        return titles

    def concepts(self) -> str:
        """One page of every concept, each at its own anchor (`concepts.html#<id>`): its names,
        its definition, and where it is taught, claimed and used."""
        return self.page(
            "concepts.html.j2",
            depth=0,
            title="Concepts",
            crumbs=[("Concepts", None)],
            concepts=self.concept_entries,
            titles={i: self.lesson(i).title for i in self.order},
        )


def _with_concepts(resolve: Callable[[str], str | None]) -> Callable[[str], str | None]:
    """`resolve`, and `concept:<id>` to that concept's entry on the concepts page."""

    def both(target: str) -> str | None:
        if target.startswith("concept:"):
            return f"../concepts.html#{quote(target.removeprefix('concept:'))}"
        return resolve(target)

    return both


@dataclass(frozen=True)
class NavLesson:
    id: str
    title: str
    type: str
    status: str


@dataclass(frozen=True)
class NavModule:
    id: str
    title: str
    slug: str  # for file names and anchors: the id as letters, digits and dashes
    lessons: list[NavLesson]

    @property
    def label(self) -> str:
        return f"Module {self.id}, {self.title}" if self.title else f"Module {self.id}"


@dataclass(frozen=True)
class NavSeries:
    id: str
    title: str
    modules: list[NavModule]


def section_id(number: int, title: str) -> str:
    """The id of an outline section's heading on the student page (and its TOC link)."""
    return f"{number}-{concept_id(title)}"


def _unique(name: str, taken: set[str]) -> str:
    slug = concept_id(name) or "module"
    candidate, count = slug, 1
    while candidate in taken:
        count += 1
        candidate = f"{slug}-{count}"
    taken.add(candidate)
    return candidate


_HEADING = re.compile(r"<h([23])>(.*?)</h\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")


def _heading_ids(body: str) -> tuple[str, list[tuple[str, str]]]:
    """Ids on the h2 and h3 headings of a sanitized document (made here, after the sanitizer,
    from letters, digits and dashes only), and its table of contents of the h2 headings as
    (id, text)."""
    taken: set[str] = set()
    toc: list[tuple[str, str]] = []

    def number(match: re.Match[str]) -> str:
        level, inner = match.group(1), match.group(2)
        text = html.unescape(_TAG.sub("", inner)).strip()
        anchor = _unique(f"s-{text}", taken)
        if level == "2":
            toc.append((anchor, text))
        return f'<h{level} id="{anchor}">{inner}</h{level}>'

    return _HEADING.sub(number, body), toc


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


def planning_markdown(
    course: Course,
    lesson: Lesson,
    env: jinja2.Environment,
    *,
    concepts: dict[str, str] | None = None,
) -> str:
    """The planning document in seed 002's shape. With `concepts` (concept id -> its hover
    text), concept names link to their entry on the concepts page (`concept:<id>`)."""
    context = _document_context(course, lesson)
    context["concept_link"] = functools.partial(_concept_link, course, concepts or {})
    return env.get_template("planning.md.j2").render(**context)


def _concept_link(course: Course, concepts: dict[str, str], row: Any) -> str:
    """A row's concept name as Markdown: a link to its entry when the page links concepts."""
    text = markdown_text(row.concept)
    key = course.ledger.resolve(row.concept, getattr(row, "id", None))
    if key not in concepts:
        return text
    # A link title in a table cell: quotes and backslashes escaped, a pipe would end the cell.
    title = " ".join(concepts[key].split())
    for char in ("\\", '"', "|"):
        title = title.replace(char, "\\" + char)
    return f'[{text}](concept:{key} "{title}")'


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
