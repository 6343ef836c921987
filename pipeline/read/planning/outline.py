"""Course and module outlines read into curriculum data: chapters (series), modules with
their content bullets, and the lessons a module lists, each with its own bullets.

An outline's structure is its headings, found by what they say:
- `## Chapter A: Title` (or Part, Series, Unit) opens a series, keeping the id as written;
- under a series, a heading is a module: `Module 2.1: Title`, `1.2 Title`, a file name such as
  `A1_introduction_to_notation.md` (id derived from its place, title from the name, the name
  kept as `label`), or a plain title;
- under a module, a heading is a lesson: `Lesson 1.2.3: Title (`slug`)`, a file name, a title;
- a `**Content:**` item (or bold label) lists content bullets; a `**Lessons:**` item lists
  lessons (`slug`, `Title (slug)`, `slug: Title`), each with bullets of its own; plain
  bullets under a module or lesson are its content.
A module outline (its first heading `# Module 2.1: Title`) is one module with its lessons.
Text after a horizontal rule that closes the last module, and headings that are neither
series, module nor lesson, are kept in the curriculum's `other_sections`, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...core.diagnostics import DataPath
from .blocks import Block, Item, Markdown, Section, bold_label, canon, flatten
from .located import Located, join
from .source import Recorder
from .values import is_slug, slugify, unique

Data = dict[str, Any]

CURRICULUM: DataPath = ("curriculum",)

_DASH = r"[:.\-—\u2013]"
_CHAPTER = re.compile(
    rf"^(?P<word>chapter|part|series|unit)\s+(?P<id>[A-Za-z0-9]+(?:\.\d+)*)\s*"
    rf"(?:{_DASH}\s*(?P<title>.*))?$",
    re.I,
)
_MODULE = re.compile(
    rf"^module\s+(?P<id>[A-Za-z]?\d+(?:\.\d+)*)\s*(?:{_DASH}\s*(?P<title>.*))?$", re.I
)
_LESSON = re.compile(rf"^lesson\s+(?P<id>\d+(?:\.\d+)*)\s*(?:{_DASH}\s*(?P<title>.*))?$", re.I)
_FILE = re.compile(r"^`?(?:[\w.-]+/)*(?P<stem>[\w-]+)\.(?:md|markdown|ipynb)`?$")
_NUMBERED = re.compile(
    r"^(?P<label>[A-Za-z]\d+|\d+(?:\.\d+)+|\d+(?=[.)]))[_\s.:)-]+(?P<rest>\S.*)$"
)
_SLUG_PAREN = re.compile(r"\s*\(\s*`?(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)`?\s*\)\s*$")
_SLUG_FIRST = re.compile(
    r"^`?(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)+|[a-z0-9]+)`?\s*"
    r"(?:(?:--|[:\-—\u2013])\s+(?P<title>.+))?$"
)
_COURSE = re.compile(
    r"^(?:curriculum|course(?:\s+outline)?|syllabus|outline)\s*[:\-—\u2013]\s*", re.I
)
_ITEM_MARKER = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+")

_CONTENT = ("content", "contents", "topics", "covers", "key topics")
_LESSONS = ("lessons", "lesson list")
_DESCRIPTION = ("description", "overview", "summary", "goal", "goals", "objective", "objectives")


def _heading_kind(title: str) -> str | None:
    text = title.strip()
    if _CHAPTER.match(text):
        return "series"
    if _MODULE.match(text):
        return "module"
    if _LESSON.match(text):
        return "lesson"
    return None


def _labels(doc: Markdown, names: tuple[str, ...]) -> int:
    """How many bold labels (standing alone or opening a list item) name one of `names`."""
    found = 0
    for section in doc.root.walk():
        if section.bold and canon(section.title.text) in names:
            found += 1
        for block in section.blocks:
            for item in block.items:
                labelled = bold_label(item.text)
                if labelled and canon(labelled[0].text) in names:
                    found += 1
    return found


def looks_like_outline(doc: Markdown) -> bool:
    """Series headings, or module headings (file names count) with content bullets, or a
    module heading over lesson headings."""
    titles = [s.title.text.strip() for s in doc.root.walk() if s.level and not s.bold]
    if not titles:
        return False
    kinds = [_heading_kind(title) for title in titles]
    series, modules, lessons = (kinds.count(k) for k in ("series", "module", "lesson"))
    files = sum(bool(_FILE.match(title)) for title in titles)
    contents = _labels(doc, _CONTENT)
    course = bool(_COURSE.match(titles[0]))
    return (
        series >= 2
        or (contents >= 2 and (series >= 1 or modules + files >= 2))
        or (course and series + modules + files >= 2)
        or (kinds[0] == "module" and lessons + files >= 2)
    )


@dataclass
class _Lesson:
    data: Data  # id, title, and what the importer needs to draft it
    content: list[Located] = field(default_factory=list)
    description: list[Located] = field(default_factory=list)
    heading: Located | None = None


@dataclass
class _Module:
    data: Data
    index: tuple[int, int]
    content: list[Located] = field(default_factory=list)
    description: list[Located] = field(default_factory=list)
    lessons: list[_Lesson] = field(default_factory=list)
    level: int = 0
    heading: Located | None = None


@dataclass
class _Series:
    data: Data
    index: int
    description: list[Located] = field(default_factory=list)
    modules: list[_Module] = field(default_factory=list)
    level: int = 0
    named: bool = False  # every module so far was named by a pattern (`Module 2`, a file)


@dataclass
class Outline:
    """An outline as read: curriculum data (its series may be partial: a module outline's
    series has no title) and the lessons it lists, for the importer to draft."""

    curriculum: Data
    lessons: list[Data]
    module_outline: bool = False


class OutlineReader:
    """Reads one course or module outline; `read()` returns the outline."""

    def __init__(self, doc: Markdown, rec: Recorder) -> None:
        self.doc = doc
        self.rec = rec
        self.title: Located | None = None
        self.description: list[Located] = []
        self.series: list[_Series] = []
        self.others: list[Data] = []
        self.module_outline = False
        self.lesson_ids: set[str] = set()

    def put(self, path: DataPath, value: Located) -> str:
        return self.rec.text((*CURRICULUM, *path), value)

    # --- the document ---------------------------------------------------------------------

    def read(self) -> Outline:
        series: _Series | None = None
        module: _Module | None = None
        lesson: _Lesson | None = None
        after_rule = False
        skip_until = -1  # text offset: the body of a section kept whole in other_sections
        collecting = "content"  # what plain bullets are: content, or lessons after **Lessons:**
        for section, block in flatten(self.doc):
            if block is None:
                if section.start < skip_until or not section.title.text.strip():
                    continue  # a heading with no text: its blocks stay where they are
                text = section.title.text.strip()
                kind = _heading_kind(text)
                if section.bold:
                    label = canon(text)
                    if label in _CONTENT or label in _LESSONS:
                        collecting = "lessons" if label in _LESSONS else "content"
                        if module is None or after_rule:
                            self._other(section)
                            skip_until = section.end
                        continue
                    if after_rule or module is None:
                        self._other(section)
                        skip_until = section.end
                    else:
                        target = lesson or module
                        target.description.append(section.title)
                    continue
                collecting = "content"
                if self.title is None and not self.series and kind != "series":
                    if kind == "module":
                        self.module_outline = True
                        series = self._series(section, implicit=True)
                        module = self._module(series, section)
                        lesson = None
                        after_rule = False
                        continue
                    self._course_title(section)
                    continue
                if kind == "series":
                    series, module, lesson = self._series(section), None, None
                    after_rule = False
                    continue
                if series is None and (kind == "module" or _FILE.match(text)):
                    series = self._series(section, implicit=True)
                named = kind == "module" or bool(_FILE.match(text))
                if (
                    series is not None
                    and kind != "lesson"
                    and (
                        named
                        or (module is None and section.level > series.level)
                        # A plain heading beside modules named `Module 2` or `B1_x.md` is not
                        # one of them (a glossary after the last module).
                        or (
                            module is not None
                            and section.level == module.level
                            and not series.named
                        )
                    )
                ):
                    series.named = named and (series.named or not series.modules)
                    module, lesson = self._module(series, section), None
                    after_rule = False
                    continue
                if module is not None and (kind == "lesson" or section.level > module.level):
                    lesson = self._lesson(module, section)
                    after_rule = False
                    continue
                self._other(section)
                skip_until = section.end
                series = module = lesson = None
                continue
            if block.text.start is not None and block.text.start < skip_until:
                continue
            if block.kind == "hr":
                after_rule = module is not None
                continue
            if after_rule or (series is None and module is None):
                if self.series and after_rule:
                    self._loose(block)
                else:
                    self.description.append(block.text)
                continue
            if block.kind in ("bullet_list", "ordered_list") and module is not None:
                for item in block.items:
                    collecting = self._item(module, lesson, item, collecting)
                continue
            if block.kind == "paragraph" and canon(block.text.text) in (*_CONTENT, *_LESSONS):
                # `Content:` on a line of its own, over the list it names
                collecting = "lessons" if canon(block.text.text) in _LESSONS else "content"
                continue
            if lesson is not None:
                lesson.description.append(block.text)
            elif module is not None:
                module.description.append(block.text)
            elif series is not None:
                series.description.append(block.text)
        return self._finish()

    # --- parts ----------------------------------------------------------------------------

    def _course_title(self, section: Section) -> None:
        title = section.title.strip()
        prefix = _COURSE.match(title.text)
        if prefix:
            title = title.cut(prefix.end()).strip()
        self.title = title

    def _series(self, section: Section, *, implicit: bool = False) -> _Series:
        index = len(self.series)
        path: DataPath = ("series", index)
        data: Data = {}
        if implicit:
            found = _MODULE.match(section.title.text.strip())
            major = found.group("id").split(".")[0] if found else None
            data["id"] = major if major and major.isdigit() else str(index + 1)
        else:
            found = _CHAPTER.match(section.title.text.strip())
            assert found is not None
            title = section.title.strip()
            data["id"] = self.put((*path, "id"), title.sub(found, "id"))
            if found.group("title"):
                data["title"] = self.put((*path, "title"), title.sub(found, "title").strip())
            else:
                data["title"] = self.put((*path, "title"), title)
        series = _Series(data, index, level=0 if implicit else section.level)
        self.series.append(series)
        return series

    def _module(self, series: _Series, section: Section) -> _Module:
        index = (series.index, len(series.modules))
        path: DataPath = ("series", series.index, "modules", index[1])
        written = section.title.strip()
        data: Data = {}
        derived = self._derived_id(series, index[1])
        found = _MODULE.match(written.text)
        if found:
            if re.fullmatch(r"\d+(?:\.\d+)*", found.group("id")):
                data["id"] = self.put((*path, "id"), written.sub(found, "id"))
            else:  # `Module A1`: a label, not a module number
                data["id"] = derived
                data["label"] = self.put((*path, "label"), written)
            title = written.sub(found, "title").strip() if found.group("title") else written
            data["title"] = self.put((*path, "title"), title)
        else:
            file = _FILE.match(written.text)
            name = written.sub(file, "stem") if file else written
            numbered = _NUMBERED.match(name.text)
            label = numbered.group("label") if numbered else None
            rest = name.sub(numbered, "rest") if numbered else name
            if label is not None and re.fullmatch(r"\d+(?:\.\d+)+", label):
                data["id"] = label
            else:
                data["id"] = derived
            if file or (label is not None and data["id"] == derived):
                data["label"] = self.put((*path, "label"), written)
            if file:
                data["title"] = _humanise(rest.text)
                self.rec.inferred(
                    written,
                    f"module {data['id']}: title '{data['title']}' from the file name, which is "
                    "kept as its label",
                )
            else:
                data["title"] = self.put((*path, "title"), rest)
        if data["id"] == derived and not (found and found.group("id") == derived):
            self.rec.inferred(written, f"module id {derived} from its place in the outline")
        module = _Module(data, index, level=section.level, heading=written)
        series.modules.append(module)
        return module

    def _derived_id(self, series: _Series, position: int) -> str:
        number = str(series.data.get("id", ""))
        major = number if number.isdigit() else str(series.index + 1)
        return f"{major}.{position + 1}"

    def _lesson(self, module: _Module, section: Section) -> _Lesson:
        written = section.title.strip()
        lesson = self._named_lesson(module, written)
        lesson.heading = written
        return lesson

    def _named_lesson(self, module: _Module, written: Located) -> _Lesson:
        """A lesson named by a heading or a `**Lessons:**` item's first line."""
        text = written
        found = _LESSON.match(text.text)
        if found and found.group("title"):
            text = text.sub(found, "title").strip()
        slug: str | None = None
        paren = _SLUG_PAREN.search(text.text)
        file = _FILE.match(text.text)
        first = _SLUG_FIRST.match(text.text)
        if paren:
            slug = paren.group("slug")
            text = text.cut(0, paren.start()).strip()
        elif file:
            stem = file.group("stem")
            slug = stem if is_slug(stem) else slugify(stem.replace("_", " "), words=12)
            text = Located.plain(_humanise(stem))
        elif first and (first.group("title") or "-" in first.group("slug")):
            slug = first.group("slug")
            text = text.sub(first, "title").strip() if first.group("title") else text
        lesson_id = unique(
            slug or slugify(text.text, words=6),
            self.lesson_ids,
            f"lesson-{len(self.lesson_ids) + 1}",
        )
        if slug is None or lesson_id != slug:
            self.rec.inferred(written, f"lesson id '{lesson_id}' from its title")
        position = len(module.lessons) + 1
        lesson = _Lesson(
            {
                "id": lesson_id,
                "title": text.text or lesson_id,
                "module": module.data["id"],
                "position": position,
                "at": written.start,  # text offset, for the report's line
            }
        )
        module.lessons.append(lesson)
        return lesson

    def _item(self, module: _Module, lesson: _Lesson | None, item: Item, collecting: str) -> str:
        """One bullet under a module or lesson; returns what plain bullets are from now on."""
        target = lesson or module
        lines = item.text.split("\n")
        # The label is read on the first line only: its nested list keeps its indentation.
        labelled = bold_label(lines[0]) or _plain_label(lines[0])
        if labelled is not None:
            labelled = (labelled[0], join([labelled[1], *lines[1:]]))
        if labelled is None:
            if collecting == "lessons" and lesson is None:
                self._listed_lesson(module, item.text)
            else:
                target.content.append(item.text)
            return collecting
        label, rest = labelled
        name = canon(label.text)
        head, children = _split_children(rest)
        if name in _CONTENT:
            if head.text:
                target.content.append(head)
            target.content.extend(children)
            return "content"
        if name in _LESSONS and lesson is None:
            for child in children:
                self._listed_lesson(module, child)
            return "lessons"
        if name in _DESCRIPTION:
            target.description.append(rest.strip())
            return collecting
        self.rec.unmapped(
            label, f"'{label.text}' has no field in the curriculum; kept in the description"
        )
        target.description.append(item.text)
        return collecting

    def _listed_lesson(self, module: _Module, text: Located) -> None:
        head, children = _split_children(text)
        lesson = self._named_lesson(module, head)
        lesson.content.extend(children)

    def _other(self, section: Section) -> None:
        index = len(self.others)
        path: DataPath = ("other_sections", index)
        title = section.title.strip()
        if section.bold:
            title = title.rstrip(":").rstrip()
        entry: Data = {"title": self.put((*path, "title"), title)}
        body = self.doc.body(section)
        if body.text:
            entry["body"] = self.put((*path, "body"), body)
        self.others.append(entry)
        self.rec.inferred(
            title, f"'{title.text}' is not a series, module or lesson; kept in other_sections"
        )

    def _loose(self, block: Block) -> None:
        """Text after the rule that closes the outline, outside any titled section."""
        if self.others and self.others[-1].get("loose"):
            self.others[-1]["parts"].append(block.text)
            return
        self.others.append({"loose": True, "parts": [block.text]})

    # --- the result ---------------------------------------------------------------------

    def _finish(self) -> Outline:
        curriculum: Data = {}
        if self.title is not None:
            curriculum["title"] = self.put(("title",), self.title)
        if self.description:
            curriculum["description"] = self.put(("description",), join(self.description, "\n\n"))
        lessons: list[Data] = []
        all_series = []
        for series in self.series:
            data = dict(series.data)
            if "title" not in data and not self.module_outline and self.title is not None:
                data["title"] = self.title.text  # a flat outline: its modules form one series
                self.rec.inferred(self.title, f"series {data['id']} takes the course title")
            if series.description:
                data["description"] = self.put(
                    ("series", series.index, "description"), join(series.description, "\n\n")
                )
            modules = []
            for module in series.modules:
                path: DataPath = ("series", series.index, "modules", module.index[1])
                entry = dict(module.data)
                if module.description:
                    entry["description"] = self.put(
                        (*path, "description"), join(module.description, "\n\n")
                    )
                module.content = [text for text in module.content if text.text.strip()]
                if module.content:
                    entry["content"] = [
                        self.put((*path, "content", i), text)
                        for i, text in enumerate(module.content)
                    ]
                entry["lessons"] = [lesson.data["id"] for lesson in module.lessons]
                modules.append(entry)
                for lesson in module.lessons:
                    data_lesson = dict(lesson.data)
                    data_lesson["content"] = [t.text for t in lesson.content if t.text.strip()]
                    if lesson.description:
                        data_lesson["description"] = join(lesson.description, "\n\n").text
                    lessons.append(data_lesson)
                self.rec.mapped(
                    module.heading,
                    f"module {entry['id']} '{entry['title']}': {len(module.content)} content "
                    f"bullet(s), {len(module.lessons)} lesson(s)",
                )
            data["modules"] = modules
            all_series.append(data)
        curriculum["series"] = all_series
        others = []
        for index, entry in enumerate(self.others):
            if entry.get("loose"):
                body = join(entry["parts"], "\n\n")
                entry = {
                    "title": "Notes",
                    "body": self.put(("other_sections", index, "body"), body),
                }
                self.rec.inferred(
                    body, "text after the outline's last module kept in other_sections as 'Notes'"
                )
            others.append(entry)
        if others:
            curriculum["other_sections"] = others
        return Outline(curriculum, lessons, self.module_outline)


def _humanise(stem: str) -> str:
    """`introduction_to_mathematical_notation` -> 'Introduction to mathematical notation'."""
    numbered = _NUMBERED.match(stem)
    words = (numbered.group("rest") if numbered else stem).replace("_", " ").replace("-", " ")
    words = " ".join(words.split())
    return words[:1].upper() + words[1:]


def _plain_label(text: Located) -> tuple[Located, Located] | None:
    """`Content:` written without bold, alone on the item's first line."""
    found = re.match(r"^(?P<label>[A-Za-z][A-Za-z ]{1,20}):\s*$", text.text)
    if not found or canon(found.group("label")) not in (*_CONTENT, *_LESSONS):
        return None
    return text.sub(found, "label"), text.cut(len(text.text))


def _split_children(text: Located) -> tuple[Located, list[Located]]:
    """An item's own text and its nested items, each with its continuation lines (dedented to
    the nested item's content)."""
    lines = text.split("\n")
    head: list[Located] = []
    children: list[list[Located]] = []
    markers = [m for line in lines[1:] if (m := _ITEM_MARKER.match(line.text))]
    first = _ITEM_MARKER.match(lines[0].text) if lines else None
    indents = [len(m.group("indent")) for m in ([first] if first else []) + markers]
    base = min(indents) if indents else 0
    width = 0
    for line in lines:
        marker = _ITEM_MARKER.match(line.text)
        if marker and len(marker.group("indent")) <= base:
            width = marker.end()
            children.append([line.cut(marker.end())])
        elif children:
            spaces = len(line.text) - len(line.text.lstrip(" "))
            children[-1].append(line.cut(min(spaces, width)))
        else:
            head.append(line)
    return join(head).strip(), [join(child).strip() for child in children]
