"""The course charts as a reader meets them: the cells, bars, labels, legend and table they show."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest

from lessonkit.site.charts import depth_table, load_chart

SVG = "{http://www.w3.org/2000/svg}"
SCALE = ("MENTIONED", "INTRODUCED", "DEVELOPED", "APPLIED")
Render = Callable[[], str]
Modules = list[tuple[str, list[tuple[str, str, int, int]]]]
TRICKY = 'a<b & "c" `d`'

CONCEPTS = [
    ("nn-linear", "nn.Linear"),
    ("tricky", TRICKY),
    ("autograd", "Autograd"),
    ("unused", "Never taught"),
]
LESSONS = [
    ("nn-module", "nn.Module: Same Math", "lessons/nn-module.html", "2.1"),
    ("training-loop", "The Training Loop", "lessons/training-loop.html", "2.1"),
]
CELLS = {
    ("nn-linear", "nn-module"): "DEVELOPED",
    ("nn-linear", "training-loop"): "APPLIED",
    ("tricky", "nn-module"): "MENTIONED",
    ("autograd", "training-loop"): "INTRODUCED",
}

MODULES: Modules = [
    (
        "pytorch-fundamentals",
        [
            ("nn-module", "2.1.3", 3, 3),  # exactly at budget: not over
            ("training-loop", "2.1.4", 2, 3),
            ("optimizers", "2.1.5", 5, 3),  # over by 2
        ],
    ),
    ("data", [("datasets", "2.2.1", 1, 4)]),
]


def heatmap() -> str:
    return depth_table(CONCEPTS, LESSONS, CELLS, SCALE)


def chart() -> str:
    return load_chart(MODULES)


def svg_of(markup: str) -> ET.Element:
    """The <svg> element alone, parsed as XML the way a strict consumer would."""
    match = re.search(r"<svg\b.*</svg>", markup, re.DOTALL)
    assert match, "no <svg> in the output"
    return ET.fromstring(match.group(0))


def titles_of(elements: list[ET.Element]) -> list[str]:
    return [element.findtext(f"{SVG}title") or "" for element in elements]


def classes(element: ET.Element) -> list[str]:
    return (element.get("class") or "").split()


def groups(svg: ET.Element, css: str) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if css in classes(g)]


def table_rows(markup: str) -> list[list[str]]:
    """The rows of the table alternative, as the text of each cell."""
    figure = ET.fromstring(markup)
    body = figure.find("details/table/tbody")
    assert body is not None
    return [["".join(cell.itertext()) for cell in row] for row in body]


# Both charts -------------------------------------------------------------------------------------


def test_load_chart_is_a_labelled_image_with_summary() -> None:
    svg = svg_of(chart())
    assert svg.get("role") == "img"
    title = svg.find(f"{SVG}title")
    desc = svg.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert svg.get("aria-labelledby") == title.get("id")
    assert svg.get("aria-describedby") == desc.get("id")


def test_load_chart_keeps_its_size_and_scrolls_instead_of_shrinking() -> None:
    figure = ET.fromstring(chart())
    box = figure.find("div")
    assert box is not None and box.get("class") == "chart-scroll"
    assert box.get("tabindex") == "0" and box.get("aria-label")  # reachable by keyboard
    svg = box.find(f"{SVG}svg")
    assert svg is not None
    _, _, width, height = (float(part) for part in svg.get("viewBox", "").split())
    assert width > 0 and height > 0
    assert (float(svg.get("width", "0")), float(svg.get("height", "0"))) == (width, height)


@pytest.mark.parametrize(
    ("render", "kind"), [(heatmap, "heatmap"), (chart, "load")], ids=["heatmap", "load"]
)
def test_chart_is_a_captioned_figure(render: Render, kind: str) -> None:
    figure = ET.fromstring(render())  # the whole fragment is well-formed
    assert figure.tag == "figure"
    assert figure.get("class") == f"chart {kind}"
    assert figure.findtext("figcaption")


def test_load_chart_has_a_table_alternative() -> None:
    figure = ET.fromstring(chart())
    assert figure.findtext("details/summary") == "Table"
    assert figure.find("details/table/thead") is not None


@pytest.mark.parametrize("render", [heatmap, chart], ids=["heatmap", "load"])
def test_same_input_gives_the_same_markup(render: Render) -> None:
    assert render() == render()


def test_two_charts_on_one_page_share_no_ids() -> None:
    page = "".join(
        [
            depth_table(CONCEPTS, LESSONS, CELLS, SCALE),
            load_chart(MODULES, id_prefix="c"),
            load_chart(MODULES, id_prefix="d"),
        ]
    )
    ids = re.findall(r'\bid="([^"]+)"', page)
    assert ids and len(ids) == len(set(ids))


def test_a_prefix_that_cannot_be_an_id_is_refused() -> None:
    with pytest.raises(ValueError, match="id_prefix"):
        load_chart(MODULES, id_prefix='x" onload="y')


# Depth table -------------------------------------------------------------------------------------


def grid(markup: str) -> ET.Element:
    table = ET.fromstring(markup).find("div/table")
    assert table is not None
    return table


def taught(markup: str) -> list[ET.Element]:
    return [cell for cell in grid(markup).iter("td") if "depth" in classes(cell)]


def test_one_labelled_linked_column_per_lesson() -> None:
    table = grid(heatmap())
    headers = table.findall("thead/tr/th")
    assert headers[0].text == "Concept" and headers[0].get("scope") == "col"
    columns = headers[1:]
    assert [th.get("scope") for th in columns] == ["col", "col"]
    links = [th.find("a") for th in columns]
    assert [a.get("href") for a in links if a is not None] == [href for _, _, href, _ in LESSONS]
    assert ["".join(a.itertext()) for a in links if a is not None] == [
        title for _, title, _, _ in LESSONS
    ]
    assert [th.get("data-module") for th in columns] == ["2.1", "2.1"]


def test_one_cell_per_taught_pair_with_letter_and_title() -> None:
    cells = taught(heatmap())
    assert len(cells) == len(CELLS)
    by_title = {cell.get("title"): cell for cell in cells}
    linear = by_title["nn.Linear: DEVELOPED in nn.Module: Same Math"]
    assert linear.text == "D"
    assert "depth-2" in classes(linear)
    assert sorted(cell.text or "" for cell in cells) == ["A", "D", "I", "M"]
    assert by_title[f"{TRICKY}: MENTIONED in nn.Module: Same Math"].text == "M"


def test_rows_line_up_with_the_columns() -> None:
    # Every row spans the concept header and one cell per lesson, untaught runs merged.
    for row in grid(heatmap()).findall("tbody/tr"):
        assert row[0].tag == "th" and row[0].get("scope") == "row"
        assert sum(int(cell.get("colspan", "1")) for cell in row[1:]) == len(LESSONS)
    rows = grid(heatmap()).findall("tbody/tr")
    assert [row[0].text for row in rows] == [name for _, name in CONCEPTS]
    unused = rows[3]
    assert [cell.get("colspan") for cell in unused[1:]] == ["2"]  # one cell, not two


def test_fill_darkens_with_depth_without_a_stylesheet() -> None:
    legend = ET.fromstring(heatmap()).find("ul")
    assert legend is not None
    keys = [item.find("span") for item in legend]
    styles = [key.get("style", "") for key in keys if key is not None]
    fills = [re.search(r"background-color: (#[0-9a-f]{6})", style).group(1) for style in styles]  # type: ignore[union-attr]
    assert [brightness(fill) for fill in fills] == sorted(map(brightness, fills), reverse=True)
    assert len(set(fills)) == len(SCALE)


def brightness(colour: str) -> int:
    return sum(int(colour[index : index + 2], 16) for index in (1, 3, 5))


def test_legend_maps_each_letter_to_its_depth() -> None:
    legend = ET.fromstring(heatmap()).find("ul")
    assert legend is not None
    assert [item.findtext("span") for item in legend] == ["M", "I", "D", "A"]
    assert ["".join(item.itertext()).split()[1] for item in legend] == list(SCALE)


def test_the_table_scrolls_in_a_labelled_box() -> None:
    box = ET.fromstring(heatmap()).find("div")
    assert box is not None
    assert box.get("class") == "table-scroll"
    assert box.get("role") == "region" and box.get("aria-label") and box.get("tabindex") == "0"


def test_concept_names_and_titles_are_escaped_everywhere() -> None:
    concepts = [*CONCEPTS[:3], ("tricky-title", "x")]
    lessons = [(*LESSONS[0][:1], TRICKY, '"><script>', "2.1")]
    markup = depth_table(concepts, lessons, {("tricky", "nn-module"): "MENTIONED"}, SCALE)
    assert "a<b" not in markup and "<script>" not in markup
    assert "a&lt;b &amp; &quot;c&quot; `d`" in markup
    assert TRICKY in [row[0].text for row in grid(markup).findall("tbody/tr")]


def test_cell_order_does_not_change_the_markup() -> None:
    reversed_cells = dict(reversed(list(CELLS.items())))
    assert depth_table(CONCEPTS, LESSONS, reversed_cells, SCALE) == heatmap()


@pytest.mark.parametrize(
    ("concepts", "lessons", "cells"),
    [([], [], {}), ([], LESSONS, {}), (CONCEPTS, [], {}), (CONCEPTS, LESSONS, {})],
    ids=["nothing", "no-concepts", "no-lessons", "nothing-taught"],
)
def test_empty_table_says_so(
    concepts: list[tuple[str, str]],
    lessons: list[tuple[str, str, str, str]],
    cells: dict[tuple[str, str], str],
) -> None:
    markup = depth_table(concepts, lessons, cells, SCALE)
    assert "<table" not in markup
    figure = ET.fromstring(markup)
    assert figure.findtext("p") == "No concepts are taught in these lessons."
    assert figure.findtext("figcaption")


def test_custom_scale_letters_stay_distinct() -> None:
    scale = ("DEFINED", "DEVELOPED", "USED")
    cells = {("nn-linear", "nn-module"): "DEFINED", ("nn-linear", "training-loop"): "DEVELOPED"}
    legend = ET.fromstring(depth_table(CONCEPTS, LESSONS, cells, scale)).find("ul")
    assert legend is not None
    assert [item.findtext("span") for item in legend] == ["DEF", "DEV", "USE"]


def test_long_titles_are_shortened_in_the_header_but_whole_in_titles() -> None:
    title = "a lesson title far longer than any column header should ever be allowed to grow"
    lessons = [("long", title, "lessons/long.html", "1.1")]
    markup = depth_table(CONCEPTS, lessons, {("nn-linear", "long"): "APPLIED"}, SCALE)
    link = grid(markup).find("thead/tr/th/a")
    assert link is not None and link.get("title") == title
    label = link.findtext("span") or ""
    assert label.endswith("\u2026") and len(label) < len(title)
    assert [cell.get("title") for cell in taught(markup)] == [f"nn.Linear: APPLIED in {title}"]


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ({("nn-linear", "nn-module"): "MASTERED"}, "not in scale"),
        ({("ghost", "nn-module"): "APPLIED"}, "unknown concept"),
        ({("nn-linear", "ghost"): "APPLIED"}, "unknown lesson"),
    ],
)
def test_cells_that_do_not_fit_the_grid_are_refused(
    cells: dict[tuple[str, str], str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        depth_table(CONCEPTS, LESSONS, cells, SCALE)


# Load chart --------------------------------------------------------------------------------------


def test_one_bar_per_lesson_with_value_and_title() -> None:
    bars = groups(svg_of(chart()), "bar")
    assert titles_of(bars) == [
        "nn-module (2.1.3): 3 new concepts, budget 3",
        "training-loop (2.1.4): 2 new concepts, budget 3",
        "optimizers (2.1.5): 5 new concepts, budget 3 (over by 2)",
        "datasets (2.2.1): 1 new concept, budget 4",
    ]
    values = [
        next(t.text for t in bar.findall(f"{SVG}text") if "value" in classes(t)) for bar in bars
    ]
    assert values == ["3", "2", "5", "1"]


def test_bars_over_budget_are_marked_by_more_than_colour() -> None:
    bars = groups(svg_of(chart()), "bar")
    over = [bar for bar in bars if "over-budget" in classes(bar)]
    assert titles_of(over) == ["optimizers (2.1.5): 5 new concepts, budget 3 (over by 2)"]
    markers = [t.text for t in over[0].findall(f"{SVG}text") if "over-marker" in classes(t)]
    assert markers == ["!"]
    rect = over[0].find(f"{SVG}rect")
    assert rect is not None
    assert (rect.get("fill") or "").startswith("url(#")  # the hatch pattern
    assert rect.get("stroke")
    for bar in bars:
        if bar is not over[0]:
            assert not [t for t in bar.findall(f"{SVG}text") if "over-marker" in classes(t)]


def test_budget_is_a_dashed_line_at_the_budget_height() -> None:
    bars = groups(svg_of(chart()), "bar")
    for bar in bars:
        line = bar.find(f"{SVG}line")
        assert line is not None and "budget" in classes(line)
        assert line.get("stroke-dasharray")
    at_budget = bars[0]  # 3 new concepts, budget 3: the line sits on the top of the bar
    line, rect = at_budget.find(f"{SVG}line"), at_budget.find(f"{SVG}rect")
    assert line is not None and rect is not None
    assert line.get("y1") == rect.get("y")


def test_values_sit_above_their_bar_and_clear_of_the_budget_line() -> None:
    # Budget just above the bar (4 of 5), far above it (1 of 9), inside it (10 over 1).
    modules: Modules = [("m", [("a", "1.1", 4, 5), ("b", "1.2", 1, 9), ("c", "1.3", 10, 1)])]
    for bar in groups(svg_of(load_chart(modules)), "bar"):
        rect, line = bar.find(f"{SVG}rect"), bar.find(f"{SVG}line")
        value = next(t for t in bar.findall(f"{SVG}text") if "value" in classes(t))
        assert rect is not None and line is not None
        baseline = float(value.get("y", ""))
        assert baseline < float(rect.get("y", ""))
        # The text occupies roughly one font size above its baseline; the line must miss it.
        assert not baseline - 11 <= float(line.get("y1", "")) <= baseline


def test_taller_bars_for_more_concepts() -> None:
    bars = groups(svg_of(chart()), "bar")
    heights = [float(bar.find(f"{SVG}rect").get("height", "")) for bar in bars]  # type: ignore[union-attr]
    assert heights[2] > heights[0] > heights[1] > heights[3]


def test_modules_are_labelled_under_their_bars() -> None:
    svg = svg_of(chart())
    modules = groups(svg, "modules")[0]
    assert [text.text for text in modules.findall(f"{SVG}text")] == [
        "pytorch-fundamentals",
        "data",
    ]
    lesson_labels = [t.text for t in svg.iter(f"{SVG}text") if "label" in classes(t)]
    assert lesson_labels == ["2.1.3", "2.1.4", "2.1.5", "2.2.1"]


def test_legend_explains_budget_and_marker() -> None:
    legend = groups(svg_of(chart()), "legend")[0]
    texts = [text.text for text in legend.findall(f"{SVG}text")]
    assert texts == ["new concepts", "budget", "! over budget"]


def test_desc_names_the_lessons_over_budget() -> None:
    desc = svg_of(chart()).findtext(f"{SVG}desc")
    assert desc == (
        "4 lessons in 2 modules; most new concepts: 5 in optimizers (2.1.5); "
        "1 over budget: optimizers (2.1.5)"
    )


def test_load_table_lists_every_lesson() -> None:
    assert table_rows(chart()) == [
        ["pytorch-fundamentals", "2.1.3 (nn-module)", "3", "3", "no"],
        ["pytorch-fundamentals", "2.1.4 (training-loop)", "2", "3", "no"],
        ["pytorch-fundamentals", "2.1.5 (optimizers)", "5", "3", "yes, by 2"],
        ["data", "2.2.1 (datasets)", "1", "4", "no"],
    ]


def test_load_text_is_escaped() -> None:
    markup = load_chart([("m<&>", [("l&1", '"x"<', 1, 0)])])
    assert "m<&>" not in markup
    svg = svg_of(markup)
    assert titles_of(groups(svg, "bar")) == ['l&1 ("x"<): 1 new concept, budget 0 (over by 1)']
    assert [t.text for t in groups(svg, "modules")[0].findall(f"{SVG}text")] == ["m<&>"]
    assert table_rows(markup) == [["m<&>", '"x"< (l&1)', "1", "0", "yes, by 1"]]


@pytest.mark.parametrize("modules", [[], [("empty", [])]], ids=["no-modules", "no-lessons"])
def test_empty_load_chart_says_so(modules: Modules) -> None:
    markup = load_chart(modules)
    assert "<svg" not in markup
    assert ET.fromstring(markup).findtext("p") == "No lessons to chart."


def test_modules_without_lessons_are_left_out() -> None:
    markup = load_chart([("empty", []), *MODULES])
    modules = groups(svg_of(markup), "modules")[0]
    assert "empty" not in [text.text for text in modules.findall(f"{SVG}text")]


def test_all_zero_counts_still_draw_an_axis() -> None:
    svg = svg_of(load_chart([("m", [("l", "1.1", 0, 0)])]))
    assert [t.text for t in groups(svg, "axis")[0].findall(f"{SVG}text")] == ["0", "1"]
    assert titles_of(groups(svg, "bar")) == ["l (1.1): 0 new concepts, budget 0"]


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        load_chart([("m", [("l", "1.1", -1, 3)])])
