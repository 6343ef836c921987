"""The course charts: concept depth by lesson (a table), and new concepts per lesson (inline SVG).

Both are pure functions from plain tuples to one HTML fragment, so the caller decides what to
chart and the page templates only paste the result. Three promises shape the markup:

- Readable without colour: depths carry a letter, over-budget bars a hatch, an outline and a "!".
- Readable without the stylesheet: every fill is an inline attribute; the CSS classes
  (`depth-N`, `over-budget`, ...) are hooks for restyling, not requirements.
- Readable without the picture: the depth chart is a real table with row and column headers;
  the load chart's SVG is one `role="img"` with a title and a summary, and a `<details>` table
  in the same figure carries every value for screen readers and for copying.
- Readable on a phone: neither shrinks to the column; each scrolls sideways in its own box.

Output is deterministic (ids come from `id_prefix`, numbers are formatted the same way each time)
so a rebuilt page diffs cleanly; two load charts on one page need different prefixes.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Geometry in SVG user units. The text width estimate is for the 11px sans-serif set on the root;
# it only has to be generous enough that labels are not clipped.
CELL = 18
CHAR_WIDTH = 6.5
FONT_SIZE = 11
PAD = 8
MAX_LABEL_CHARS = 48
"""Labels drawn in a chart are shortened to this many characters with an ellipsis; titles and the
table keep the full text, so one very long concept name cannot push the grid off the page."""

_SIN45 = math.sqrt(0.5)
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_BASELINE_SHIFT = FONT_SIZE / 3  # moves text down so it looks centred on a y (no dominant-baseline)

# Sequential blues from light to dark: the eye reads "darker = deeper" without a key.
_LIGHTEST = (0xDE, 0xEB, 0xF7)
_DARKEST = (0x08, 0x30, 0x6B)
_INK = "#1a1a1a"
_GRID = "#e3e3e3"
_BAR_FILL = "#6baed6"
_OVER_FILL = "#fdd0a2"
_OVER_INK = "#a63603"
_DASHES = "3 2"

Concept = tuple[str, str]
Lesson = tuple[str, str]
LoadRow = tuple[str, str, int, int]
Module = tuple[str, list[LoadRow]]


# Markup -------------------------------------------------------------------------------------------


def _e(text: object) -> str:
    """Escape for both element text and attribute values (quotes included)."""
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    """A coordinate with at most one decimal, so output never depends on float noise."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _attrs(attrs: dict[str, str | float]) -> str:
    # Keyword names map to SVG names: class_ -> class, stroke_width -> stroke-width.
    parts = []
    for key, value in attrs.items():
        name = key.rstrip("_").replace("_", "-")
        text = value if isinstance(value, str) else _num(value)
        parts.append(f' {name}="{_e(text)}"')
    return "".join(parts)


def _open(tag: str, **attrs: str | float) -> str:
    return f"<{tag}{_attrs(attrs)}>"


def _el(tag: str, text: str | None = None, /, **attrs: str | float) -> str:
    """One element with escaped text, or self-closing without text."""
    if text is None:
        return f"<{tag}{_attrs(attrs)}/>"
    return f"<{tag}{_attrs(attrs)}>{_e(text)}</{tag}>"


def _hline(x1: float, x2: float, y: float, **attrs: str | float) -> str:
    return _el("line", x1=x1, y1=y, x2=x2, y2=y, **attrs)


def _rotated_label(x: float, y: float, text: str, *, anchor: str, css: str) -> str:
    """A label slanted up to the right (anchor "start") or down to the left (anchor "end")."""
    transform = f"rotate(-45 {_num(x)} {_num(y)})"
    return _el("text", text, class_=css, x=x, y=y, text_anchor=anchor, transform=transform)


# Shared pieces ------------------------------------------------------------------------------------


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _shorten(text: str) -> str:
    if len(text) <= MAX_LABEL_CHARS:
        return text
    return text[: MAX_LABEL_CHARS - 1].rstrip() + "\u2026"


def _legend_width(text: str) -> float:
    """One legend entry: a cell-sized key, a gap, the text and room before the next entry."""
    return CELL + 4 + _text_width(text) + 2 * PAD


def _check_prefix(id_prefix: str) -> None:
    # The prefix becomes element ids and url(#...) references; anything else would break them.
    if not _ID.fullmatch(id_prefix):
        message = "id_prefix must be a letter, then letters, digits, '-' or '_'"
        raise ValueError(f"{message}: {id_prefix!r}")


def _svg_open(width: float, height: float, id_prefix: str, title: str, desc: str) -> list[str]:
    # Drawn at its own size (one SVG unit, one CSS pixel) and never shrunk to the column: on a
    # phone an 11px label scaled to a third is unreadable, so a wide chart scrolls in its box
    # (see `_figure`) instead.
    svg = _open(
        "svg",
        xmlns="http://www.w3.org/2000/svg",
        role="img",
        aria_labelledby=f"{id_prefix}-title",
        aria_describedby=f"{id_prefix}-desc",
        viewBox=f"0 0 {_num(width)} {_num(height)}",
        width=width,
        height=height,
        font_family="system-ui, sans-serif",
        font_size=FONT_SIZE,
        fill=_INK,
    )
    return [
        svg,
        _el("title", title, id=f"{id_prefix}-title"),
        _el("desc", desc, id=f"{id_prefix}-desc"),
    ]


def _figure(kind: str, caption: str, body: Iterable[str]) -> str:
    lines = [_open("figure", class_=f"chart {kind}"), _el("figcaption", caption)]
    lines.extend(body)
    lines.append("</figure>")
    return "\n".join(lines)


def _empty(kind: str, caption: str, message: str) -> str:
    # An empty <svg> would render as a blank box with nothing for a screen reader; say why instead.
    return _figure(kind, caption, [_el("p", message, class_="chart-empty")])


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, row_header: int = 0
) -> list[str]:
    """The text alternative: a collapsed table whose column `row_header` names each row."""
    lines = [_open("details", class_="chart-table"), _el("summary", "Table"), "<table>"]
    head = "".join(_el("th", header, scope="col") for header in headers)
    lines.extend([f"<thead><tr>{head}</tr></thead>", "<tbody>"])
    for row in rows:
        cells = (
            _el("th", cell, scope="row") if index == row_header else _el("td", cell)
            for index, cell in enumerate(row)
        )
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines.extend(["</tbody>", "</table>", "</details>"])
    return lines


# Depth heatmap ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Depth:
    """One step of the depth scale as drawn: its rank, name, letter and colours."""

    rank: int
    name: str
    letter: str
    fill: str
    ink: str


def depth_table(
    concepts: list[tuple[str, str]],
    lessons: list[tuple[str, str, str, str]],
    cells: dict[tuple[str, str], str],
    scale: tuple[str, ...],
    *,
    caption: str = "Concept depth by lesson",
) -> str:
    """A concept x lesson table of the depth each lesson teaches, as a <figure>.

    `concepts` are rows as (concept id, display name); `lessons` are columns as (lesson id,
    title, link, module) in teaching order; `cells` maps (concept id, lesson id) to a depth
    name from `scale` (shallowest first); a missing pair means the lesson does not teach that
    concept. Raises ValueError when a cell names an unknown concept, lesson or depth.

    A table rather than a picture, so it scales to hundreds of lessons and concepts without
    shrinking: it scrolls in its own box, the lesson titles (slanted, each a link to its
    lesson) and concept names stay in view as sticky headers, and every cell is text (the
    depth's letter, its name in the title) that a screen reader reads with its headers. Runs
    of cells a concept is not taught in are one spanning cell, so the markup grows with what
    is taught rather than with concepts x lessons.
    """
    _check_cells(concepts, [(lesson[0], lesson[1]) for lesson in lessons], cells, scale)
    if not cells:
        return _empty("heatmap", caption, "No concepts are taught in these lessons.")
    depths = _depths(scale)
    by_name = {depth.name: depth for depth in depths}
    legend = ['<ul class="depth-legend" aria-label="Depths">']
    for depth in depths:
        key = _depth_cell_key(depth)
        legend.append(f"<li><span {key}>{_e(depth.letter)}</span> {_e(depth.name)}</li>")
    legend.append("</ul>")
    lines = [
        _open("figure", class_="chart heatmap"),
        _el("figcaption", caption),
        *legend,
        _open("div", class_="table-scroll", role="region", aria_label=caption, tabindex="0"),
        '<table class="depth-table">',
        "<thead><tr>" + _el("th", "Concept", scope="col", class_="corner"),
    ]
    for _lesson_id, title, href, module in lessons:
        lines.append(
            f'<th scope="col" class="lesson" data-module="{_e(module)}">'
            f'<a href="{_e(href)}" title="{_e(title)}"><span>{_e(_shorten(title))}</span></a></th>'
        )
    lines.extend(["</tr></thead>", "<tbody>"])
    for concept_id, name in concepts:
        row = [_el("th", name, scope="row")]
        gap = 0
        for lesson_id, title, _href, _module in lessons:
            depth_name = cells.get((concept_id, lesson_id))
            if depth_name is None:
                gap += 1
                continue
            row.append(_gap(gap))
            gap = 0
            depth = by_name[depth_name]
            label = f"{name}: {depth.name} in {title}"
            row.append(f'<td title="{_e(label)}" {_depth_cell_key(depth)}>{_e(depth.letter)}</td>')
        row.append(_gap(gap))
        lines.append(f"<tr>{''.join(row)}</tr>")
    lines.extend(["</tbody>", "</table>", "</div>", "</figure>"])
    return "\n".join(lines)


def _gap(count: int) -> str:
    if count == 0:
        return ""
    return "<td></td>" if count == 1 else f'<td colspan="{count}"></td>'


def _depth_cell_key(depth: _Depth) -> str:
    """The class and colours of a cell of `depth`: inline, so a custom scale of any length
    colours without a stylesheet rule per depth."""
    return (
        f'class="depth depth-{depth.rank}" '
        f'style="background-color: {depth.fill}; color: {depth.ink}"'
    )


def _check_cells(
    concepts: list[Concept],
    lessons: list[Lesson],
    cells: dict[tuple[str, str], str],
    scale: tuple[str, ...],
) -> None:
    concept_ids = {concept_id for concept_id, _ in concepts}
    lesson_ids = {lesson_id for lesson_id, _ in lessons}
    for (concept_id, lesson_id), depth in cells.items():
        if concept_id not in concept_ids:
            raise ValueError(f"cell for unknown concept {concept_id!r}")
        if lesson_id not in lesson_ids:
            raise ValueError(f"cell for unknown lesson {lesson_id!r}")
        if depth not in scale:
            raise ValueError(f"depth {depth!r} ({concept_id!r} in {lesson_id!r}) is not in scale")


def _depths(scale: tuple[str, ...]) -> list[_Depth]:
    letters = _letters(scale)
    last = max(len(scale) - 1, 1)
    depths = []
    for rank, name in enumerate(scale):
        # Start a quarter of the way in: the lightest blue is too close to white to read as taught.
        fill = _mix(_LIGHTEST, _DARKEST, 0.25 + 0.75 * rank / last)
        depths.append(_Depth(rank, name, letters[rank], _hex(fill), _ink_on(fill)))
    return depths


def _letters(scale: tuple[str, ...]) -> list[str]:
    """The initial letter of each depth, or the shortest prefix length that tells them apart.

    The default scale gives M/I/D/A; a custom scale such as DEFINED/DEVELOPED gets DEF/DEV rather
    than two D cells that only colour could tell apart.
    """
    for size in range(1, max(map(len, scale), default=0) + 1):
        letters = [name[:size].upper() for name in scale]
        if len(set(letters)) == len(letters):
            return letters
    return [name.upper() for name in scale]


def _mix(low: tuple[int, ...], high: tuple[int, ...], amount: float) -> tuple[int, ...]:
    return tuple(round(a + (b - a) * amount) for a, b in zip(low, high, strict=True))


def _hex(rgb: tuple[int, ...]) -> str:
    return "#" + "".join(f"{channel:02x}" for channel in rgb)


def _ink_on(rgb: tuple[int, ...]) -> str:
    """Black or white text, whichever contrasts more with the fill (WCAG relative luminance)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in rgb)
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    # Contrast with white is 1.05/(L+0.05), with black (L+0.05)/0.05; they cross near L = 0.179.
    return "#ffffff" if luminance < 0.179 else "#000000"


# Load chart ---------------------------------------------------------------------------------------

BAR = 18
BAR_GAP = 8
GROUP_GAP = 24
PLOT_HEIGHT = 120
_LOAD_LEGEND = ("new concepts", "budget", "! over budget")


@dataclass(frozen=True)
class _Bar:
    """One lesson's bar: its data and the x of its left edge."""

    module_id: str
    lesson_id: str
    label: str
    new: int
    budget: int
    x: float

    @property
    def over(self) -> int:
        return max(0, self.new - self.budget)

    @property
    def title(self) -> str:
        load = f"{_plural(self.new, 'new concept')}, budget {self.budget}"
        text = f"{self.lesson_id} ({self.label}): {load}"
        return f"{text} (over by {self.over})" if self.over else text


@dataclass(frozen=True)
class _Group:
    """One module's span on the x axis, for its label and bracket."""

    module_id: str
    left: float
    right: float


@dataclass(frozen=True)
class _LoadBox:
    """Where the load chart's parts go: the plot area, the value scale and the rows under it."""

    plot_left: float
    plot_right: float
    baseline: float
    top_value: int
    step: int
    module_y: float
    legend_y: float
    width: float
    height: float

    def y(self, value: float) -> float:
        return self.baseline - value * PLOT_HEIGHT / self.top_value


def load_chart(
    modules: list[tuple[str, list[tuple[str, str, int, int]]]],
    *,
    id_prefix: str = "load",
    caption: str = "New concepts per lesson against the budget",
) -> str:
    """A bar per lesson of the new concepts it introduces, grouped by module, with its budget.

    `modules` is [(module id, [(lesson id, label, new concepts, budget), ...]), ...] in teaching
    order. Modules without lessons are left out. Raises ValueError on a negative count or budget.
    """
    _check_prefix(id_prefix)
    _check_load(modules)
    modules = [(module_id, rows) for module_id, rows in modules if rows]
    if not modules:
        return _empty("load", caption, "No lessons to chart.")
    top_value, step = _scale(modules)
    axis_width = _axis_width(modules, top_value)
    bars, groups = _place_bars(modules, axis_width)
    box = _load_box(bars, groups, axis_width, top_value, step)
    svg = _load_svg(bars, groups, box, id_prefix, caption)
    headers = ("Module", "Lesson", "New concepts", "Budget", "Over budget?")
    table = _table(headers, _load_rows(bars), row_header=1)
    scroll = _open("div", class_="chart-scroll", role="region", aria_label=caption, tabindex="0")
    return _figure("load", caption, [scroll, *svg, "</div>", *table])


def _check_load(modules: list[Module]) -> None:
    for module_id, rows in modules:
        for lesson_id, _, new, budget in rows:
            if new < 0 or budget < 0:
                raise ValueError(f"negative count or budget for {lesson_id!r} in {module_id!r}")


def _scale(modules: list[Module]) -> tuple[int, int]:
    """The top of the value axis and its tick step: a 1-2-5 step giving at most five ticks."""
    largest = max(1, *(max(new, budget) for _, rows in modules for _, _, new, budget in rows))
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if largest <= 5 * step:
                return math.ceil(largest / step) * step, step
        magnitude *= 10


def _axis_width(modules: list[Module], top_value: int) -> float:
    # Room for the tick values, or for the first lesson label slanting down to the left.
    first_label = _text_width(_shorten(modules[0][1][0][1])) * _SIN45
    return PAD + max(_text_width(str(top_value)) + PAD, first_label - BAR / 2)


def _place_bars(modules: list[Module], axis_width: float) -> tuple[list[_Bar], list[_Group]]:
    bars: list[_Bar] = []
    groups: list[_Group] = []
    left = axis_width + BAR_GAP
    for module_id, rows in modules:
        bars_width = len(rows) * BAR + (len(rows) - 1) * BAR_GAP
        # A module with few lessons and a long name gets the name's width, bars centred under it.
        group_width = max(bars_width, _text_width(_shorten(module_id)))
        x = left + (group_width - bars_width) / 2
        for lesson_id, label, new, budget in rows:
            bars.append(_Bar(module_id, lesson_id, label, new, budget, x))
            x += BAR + BAR_GAP
        groups.append(_Group(module_id, left, left + group_width))
        left += group_width + GROUP_GAP
    return bars, groups


def _load_box(
    bars: list[_Bar], groups: list[_Group], axis_width: float, top_value: int, step: int
) -> _LoadBox:
    # Above the tallest bar: its value and the over-budget "!" on top of each other.
    baseline = PAD + 2 * FONT_SIZE + 4 + PLOT_HEIGHT
    label_drop = max(_text_width(_shorten(bar.label)) for bar in bars) * _SIN45 + FONT_SIZE
    module_y = baseline + PAD + label_drop + FONT_SIZE
    legend_y = module_y + 2 * PAD
    plot_right = groups[-1].right + BAR_GAP
    legend_right = PAD + sum(_legend_width(text) for text in _LOAD_LEGEND)
    return _LoadBox(
        plot_left=axis_width,
        plot_right=plot_right,
        baseline=baseline,
        top_value=top_value,
        step=step,
        module_y=module_y,
        legend_y=legend_y,
        width=max(plot_right, legend_right) + PAD,
        height=legend_y + CELL + PAD,
    )


def _load_svg(
    bars: list[_Bar], groups: list[_Group], box: _LoadBox, id_prefix: str, caption: str
) -> list[str]:
    lines = _svg_open(box.width, box.height, id_prefix, caption, _load_desc(bars, groups))
    lines.extend(_hatch(id_prefix))
    lines.extend(_load_axis(box))
    # Values and markers centre on their bar; the slanted labels set their own anchor.
    lines.append(_open("g", class_="bars", text_anchor="middle"))
    for bar in bars:
        lines.extend(_load_bar(bar, box, id_prefix))
    lines.append("</g>")
    lines.extend(_load_groups(groups, box))
    lines.extend(_load_legend(box, id_prefix))
    lines.append("</svg>")
    return lines


def _load_desc(bars: list[_Bar], groups: list[_Group]) -> str:
    over = [f"{bar.lesson_id} ({bar.label})" for bar in bars if bar.over]
    most = max(bars, key=lambda bar: bar.new)
    text = (
        f"{_plural(len(bars), 'lesson')} in {_plural(len(groups), 'module')}; "
        f"most new concepts: {most.new} in {most.lesson_id} ({most.label}); "
        f"{len(over)} over budget"
    )
    return f"{text}: {', '.join(over)}" if over else text


def _hatch(id_prefix: str) -> list[str]:
    # Diagonal stripes mark over-budget bars for readers who cannot tell the fills apart.
    return [
        "<defs>",
        _open(
            "pattern",
            id=f"{id_prefix}-over",
            width=6,
            height=6,
            patternUnits="userSpaceOnUse",
            patternTransform="rotate(45)",
        ),
        _el("rect", width=6, height=6, fill=_OVER_FILL),
        _el("line", x1=0, y1=0, x2=0, y2=6, stroke=_OVER_INK, stroke_width=2),
        "</pattern>",
        "</defs>",
    ]


def _bar_paint(over: bool, id_prefix: str) -> dict[str, str | float]:
    """Fill (and outline) of a bar or its legend key: hatched and outlined when over budget."""
    if over:
        return {"fill": f"url(#{id_prefix}-over)", "stroke": _OVER_INK, "stroke_width": 2}
    return {"fill": _BAR_FILL}


def _load_axis(box: _LoadBox) -> list[str]:
    lines = [_open("g", class_="axis", text_anchor="end")]
    for value in range(0, box.top_value + 1, box.step):
        y = box.y(value)
        lines.append(_hline(box.plot_left, box.plot_right, y, stroke=_GRID))
        lines.append(_el("text", str(value), x=box.plot_left - 4, y=y + _BASELINE_SHIFT))
    lines.append(_hline(box.plot_left, box.plot_right, box.baseline, stroke=_INK))
    lines.append("</g>")
    return lines


def _load_bar(bar: _Bar, box: _LoadBox, id_prefix: str) -> list[str]:
    top = box.y(bar.new)
    budget_y = box.y(bar.budget)
    centre = bar.x + BAR / 2
    value_y = _value_y(top, budget_y)
    height = box.baseline - top
    lines = [
        _open("g", class_="bar over-budget" if bar.over else "bar"),
        _el("title", bar.title),
        _el(
            "rect", x=bar.x, y=top, width=BAR, height=height, **_bar_paint(bar.over > 0, id_prefix)
        ),
        _hline(
            bar.x - 3,
            bar.x + BAR + 3,
            budget_y,
            class_="budget",
            stroke=_INK,
            stroke_width=2,
            stroke_dasharray=_DASHES,
        ),
        _el("text", str(bar.new), class_="value", x=centre, y=value_y),
    ]
    if bar.over:
        marker_y = value_y - FONT_SIZE
        lines.append(
            _el(
                "text",
                "!",
                class_="over-marker",
                x=centre,
                y=marker_y,
                fill=_OVER_INK,
                font_weight="bold",
            )
        )
    label_y = box.baseline + PAD + FONT_SIZE / 2
    lines.append(_rotated_label(centre, label_y, _shorten(bar.label), anchor="end", css="label"))
    lines.append("</g>")
    return lines


def _value_y(top: float, budget_y: float) -> float:
    """The baseline of a bar's value: just above the bar, or above its budget line if that is
    close enough above the bar to strike through the number."""
    above_bar = top - 4
    if above_bar - FONT_SIZE <= budget_y <= top:
        return budget_y - 4
    return above_bar


def _load_groups(groups: list[_Group], box: _LoadBox) -> list[str]:
    # A bracket over each module's name shows which bars it owns.
    lines = [_open("g", class_="modules", text_anchor="middle", font_weight="bold")]
    bracket_y = box.module_y - FONT_SIZE - 2
    for group in groups:
        lines.append(_hline(group.left, group.right, bracket_y, stroke=_INK))
        centre = (group.left + group.right) / 2
        lines.append(_el("text", _shorten(group.module_id), x=centre, y=box.module_y))
    lines.append("</g>")
    return lines


def _load_legend(box: _LoadBox, id_prefix: str) -> list[str]:
    y = box.legend_y
    middle = y + CELL / 2
    lines = [_open("g", class_="legend")]
    x = float(PAD)
    for text in _LOAD_LEGEND:
        if text == "budget":
            dashes: dict[str, str | float] = {
                "stroke": _INK,
                "stroke_width": 2,
                "stroke_dasharray": _DASHES,
            }
            lines.append(_hline(x + 2, x + CELL - 2, middle, **dashes))
        else:
            paint = _bar_paint(text.startswith("!"), id_prefix)
            lines.append(_el("rect", x=x + 2, y=y + 2, width=CELL - 4, height=CELL - 4, **paint))
        lines.append(_el("text", text, x=x + CELL + 4, y=middle + _BASELINE_SHIFT))
        x += _legend_width(text)
    lines.append("</g>")
    return lines


def _load_rows(bars: list[_Bar]) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            bar.module_id,
            f"{bar.label} ({bar.lesson_id})",
            str(bar.new),
            str(bar.budget),
            f"yes, by {bar.over}" if bar.over else "no",
        )
        for bar in bars
    ]
