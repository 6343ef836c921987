"""Markdown prose to HTML for the rendered pages, safe by construction.

The text is parsed by the one Markdown model (`lessonkit.read.markdown`), the same parse the
prose rules read, and rendered here with lessonkit's own render rules:

- Raw HTML in prose is not passed through: it is recognised as markup and written as visible,
  escaped text, so `<script>` or `<img onerror=...>` cannot run; HTML comments are dropped.
- Links and images go through markdown-it's link validation, which refuses `javascript:`,
  `vbscript:`, `file:` and non-image `data:` URLs; such a link stays plain text.
- Math (`$...$`, `$$...$$`) becomes MathML at build time (latex2mathml), so reading a page
  needs no script and no CDN. Code blocks are highlighted at build time (Pygments).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote
from xml.etree.ElementTree import tostring

from latex2mathml.converter import convert_to_element
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import TextLexer, get_lexer_by_name
from pygments.util import ClassNotFound

from ..read.markdown import MARKDOWN, parse, parse_inline
from .sanitize import clean_mathml

_TITLE = re.compile(r"""title=(?:"([^"]+)"|'([^']+)'|(\S+))""")
_COMMENT = re.compile(r"\s*<!--.*?-->\s*", re.DOTALL)
_FORMATTER = HtmlFormatter(cssclass="highlight", wrapcode=True)


_CHARACTER_REFERENCE = re.compile(r"&amp;(#x[0-9A-Fa-f]+;)")


def _math(latex: str, options: dict[str, Any]) -> str:
    return _mathml(latex, "block" if options.get("display_mode") else "inline")


# A course writes the same few formulas again and again (56,652 conversions of 966 distinct ones
# in 200 generated lessons), and a page is rendered for students, planning and guides alike:
# convert each (formula, display) once per process. The result is a string, so sharing is safe.
@functools.lru_cache(maxsize=4096)
def _mathml(latex: str, display: str) -> str:
    try:
        element = convert_to_element(latex, display=display)
    except Exception:  # latex2mathml raises assorted errors on input it cannot read
        return f'<code class="math-error">{html.escape(latex)}</code>'
    # latex2mathml's own convert() unescapes its whole output to restore the character
    # references it writes (`&#x0002B;`), which turns `\text{<script>}` into markup. Serialise
    # escaped and restore only those references; then keep only what MathML allows (no
    # `\href` URLs, no `\style`).
    markup = _CHARACTER_REFERENCE.sub(r"&\1", tostring(element, encoding="unicode"))
    return clean_mathml(markup)


def _fence(self: Any, tokens: list[Any], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    info = token.info.strip()
    language = info.split()[0] if info else ""
    title = _TITLE.search(info)
    code = _highlighted(token.content, language)
    # The language as a label, and a box that lessonkit.js gives a copy button.
    label = f'<div class="code-lang">{html.escape(language)}</div>' if language else ""
    code = f'<div class="code-block">{label}{code}</div>\n'
    if title:
        name = next(group for group in title.groups() if group)
        return f'<div class="code-title">{html.escape(name)}</div>\n{code}'
    return code


# The same markup as mdit_py_plugins' dollarmath renderer, with MathML inside.
@functools.lru_cache(maxsize=2048)  # as _mathml: the same blocks recur across a course's pages
def _highlighted(content: str, language: str) -> str:
    try:
        lexer = get_lexer_by_name(language) if language else TextLexer()
    except ClassNotFound:
        lexer = TextLexer()
    code = highlight(content, lexer, _FORMATTER)
    # A block that scrolls sideways takes keyboard focus, so it can be scrolled without a mouse.
    return code.replace("<pre>", '<pre tabindex="0">', 1)


def _math_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    content = _math(tokens[idx].content.strip(), {"display_mode": False})
    return f'<span class="math inline">{content}</span>'


def _math_inline_double(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    content = _math(tokens[idx].content.strip(), {"display_mode": True})
    return f'<div class="math inline">{content}</div>'


def _math_block(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    content = _math(tokens[idx].content.strip(), {"display_mode": True})
    return f'<div class="math block">\n{content}\n</div>\n'


def _html_block(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    content = tokens[idx].content
    if _COMMENT.fullmatch(content):
        return ""
    return f"<p>{html.escape(content.strip())}</p>\n"


def _html_inline(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    content = tokens[idx].content
    return "" if _COMMENT.fullmatch(content) else html.escape(content)


_LINKS = "lessonkit_links"


def _link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    """A link, its target mapped by the page's link resolver (`lesson:<id>` to a page)."""
    token = tokens[idx]
    resolve = env.get(_LINKS)
    href = token.attrGet("href")
    target = resolve(unquote(str(href))) if resolve is not None and href is not None else None
    if target is None:
        return str(self.renderToken(tokens, idx, options, env))
    # A copy with its own attributes: the token belongs to a cached parse other pages share.
    mapped = token.copy(attrs={**token.attrs, "href": target})
    return str(self.renderToken([mapped], 0, options, env))


def _table_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    # Wide tables scroll sideways in place (the stylesheet), so each takes keyboard focus.
    return '<table tabindex="0">\n'


def _make() -> RendererHTML:
    renderer = RendererHTML(MARKDOWN)
    rules = {
        "fence": _fence,
        "math_inline": _math_inline,
        "math_inline_double": _math_inline_double,
        "math_block": _math_block,
        "html_block": _html_block,
        "html_inline": _html_inline,
        "link_open": _link_open,
        "table_open": _table_open,
    }
    for name, rule in rules.items():
        renderer.rules[name] = rule.__get__(renderer)
    return renderer


_RENDERER = _make()


def to_html(text: str | None, *, links: Callable[[str], str | None] | None = None) -> str:
    """Markdown prose as an HTML fragment ("" for nothing). `links` maps a link's target to
    the page it opens on the site (None: as written), for links between lessons."""
    if not text:
        return ""
    parsed = parse(text)
    env = parsed.env if links is None else {**parsed.env, _LINKS: links}
    return _RENDERER.render(parsed.tokens, MARKDOWN.options, env)


def to_inline_html(text: str | None) -> str:
    """A one-line Markdown string (a title, a table cell) as inline HTML, without <p>."""
    if not text:
        return ""
    return _RENDERER.render(parse_inline(text), MARKDOWN.options, {})
