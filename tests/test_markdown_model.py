"""The one Markdown model: the rules and the pages read prose through the same parse."""

from __future__ import annotations

import html

from lessonkit.read.markdown import ProseText, parse
from lessonkit.site.html import to_html

NESTED = """\
Intro with `code — span` and $a — b$ math.

> Quoted:
>
> ```python
> x = 1
> ```

Indented code:

    ```python
    indented code, not a fence
    ```

- A list item:

  ```python title="loop.py"
  for step in range(3):
      pass
  ```

| term | note |
|---|---|
| `a—b` | plain — prose |

See [the guide](https://example.org/a--b) and <https://example.org/c--d>.
<!-- a comment — not shown -->

[ref]: ../notebooks/x.ipynb
"""


def test_rules_find_the_fences_the_page_shows_as_code() -> None:
    prose = ProseText(NESTED)
    blocks = prose.code_blocks
    assert [(b.language, b.title, b.content) for b in blocks] == [
        ("python", None, "x = 1\n"),
        ("python", "loop.py", "for step in range(3):\n    pass\n"),
    ]
    page = to_html(NESTED)
    assert page.count("<pre") == 3  # two fences and the indented code block
    assert html.escape("```python") in page  # the indented block shows its fence markers


def test_what_is_not_prose_comes_from_the_parse() -> None:
    prose = ProseText(NESTED)

    def prose_at(fragment: str, occurrence: int = 0) -> bool:
        index = -1
        for _ in range(occurrence + 1):
            index = NESTED.index(fragment, index + 1)
        return prose.is_prose(index)

    assert not prose_at("code — span")
    assert not prose_at("a — b")
    assert not prose_at("a--b")  # link destination
    assert not prose_at("c--d")  # autolink
    assert not prose_at("a comment")  # HTML comment
    assert not prose_at("`a—b`")  # code span in a table cell
    assert prose_at("plain — prose")  # prose in a table cell
    assert prose_at("Quoted")
    assert prose_at("the guide")  # a link's text is prose


def test_links_are_read_with_their_offsets() -> None:
    links = ProseText(NESTED).links
    assert [
        (link.target, NESTED[link.offset : link.offset + len(link.target)]) for link in links
    ] == [
        ("https://example.org/a--b", "https://example.org/a--b"),
        ("../notebooks/x.ipynb", "../notebooks/x.ipynb"),
    ]


def test_each_string_is_parsed_once() -> None:
    assert parse(NESTED) is parse(NESTED)
    assert ProseText(NESTED).markdown is parse(NESTED)


def test_comments_are_dropped_and_raw_html_is_escaped_on_the_page() -> None:
    page = to_html("Before <b onclick=x>bold</b>.\n\n<!-- private note -->\n\n<script>x</script>\n")
    assert "private note" not in page
    assert "<b " not in page and "<script>" not in page
    assert "&lt;script&gt;" in page


def test_plain_text_fields_keep_their_code_spans_and_escape_the_rest() -> None:
    from lessonkit.core.templating import markdown_text

    assert markdown_text("`nn.MSELoss` loss") == "`nn.MSELoss` loss"
    assert markdown_text("`a|b` and *x* $y$") == "`a\\|b` and \\*x\\* \\$y\\$"
    assert markdown_text("a lone ` tick") == "a lone \\` tick"
    page = to_html(markdown_text("`$\\text{<script>}$` <img src=x onerror=alert(1)>"))
    assert "<code>$\\text{&lt;script&gt;}$</code>" in page and "<img" not in page
