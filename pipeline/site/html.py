"""Markdown prose to HTML for the rendered pages, safe by construction.

- Raw HTML in prose is not passed through: markdown-it runs with `html` off, so `<script>` or
  `<img onerror=...>` arrive on the page as visible, escaped text.
- Links and images go through markdown-it's link validation, which refuses `javascript:`,
  `vbscript:`, `file:` and non-image `data:` URLs; such a link stays plain text.
- Math (`$...$`, `$$...$$`) becomes MathML at build time (latex2mathml), so reading a page
  needs no script and no CDN. Code blocks are highlighted at build time (Pygments).
"""

from __future__ import annotations

import html
import re
from typing import Any

from latex2mathml.converter import convert as latex_to_mathml
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

_TITLE = re.compile(r"""title=(?:"([^"]+)"|'([^']+)'|(\S+))""")
_FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


def _math(latex: str, options: dict[str, Any]) -> str:
    display = "block" if options.get("display_mode") else "inline"
    try:
        return latex_to_mathml(latex, display=display)
    except Exception:  # latex2mathml raises assorted errors on input it cannot read
        return f'<code class="math-error">{html.escape(latex)}</code>'


def _fence(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    info = token.info.strip()
    language = info.split()[0] if info else ""
    title = _TITLE.search(info)
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    code = highlight(token.content, lexer, _FORMATTER)
    if title:
        name = next(group for group in title.groups() if group)
        return f'<div class="code-title">{html.escape(name)}</div>\n{code}'
    return code


def _make() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(
        ["table", "strikethrough"]
    )
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=True,
        allow_digits=True,
        double_inline=True,
        renderer=_math,
    )
    md.add_render_rule("fence", _fence)
    return md


_MD = _make()


def to_html(text: str | None) -> str:
    """Markdown prose as an HTML fragment ("" for nothing)."""
    if not text:
        return ""
    return _MD.render(text)


def to_inline_html(text: str | None) -> str:
    """A one-line Markdown string (a title, a table cell) as inline HTML, without <p>."""
    if not text:
        return ""
    return _MD.renderInline(text)
