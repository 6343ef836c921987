"""Every HTML fragment made from lesson data passes an allowlist sanitizer before it reaches a page.

Markdown is rendered with raw HTML off and link validation on, but the fragment still holds
output of other libraries: MathML from latex2mathml (which, left alone, passes `\\text{<script>}`
through as markup and turns `\\href{javascript:...}` into an attribute) and code from Pygments.
Rather than trust each of them, the fragment is parsed and rebuilt by nh3 (the Python binding of
ammonia, an HTML5-parser-based sanitizer) from an allowlist: the elements and attributes
lessonkit's Markdown produces, MathML's presentation elements, no event handlers, no `style`
beyond table-cell alignment, and no URL attribute in MathML at all.

The pages also carry `CONTENT_SECURITY_POLICY`: no inline script, no script from elsewhere, so a
payload that slipped through a sanitizer would still not run.
"""

from __future__ import annotations

import nh3
from markupsafe import Markup

# The policy every page carries (a <meta http-equiv> in base.html.j2, and a header from `serve`).
# Scripts only as same-origin files, plus compiling WebAssembly ('wasm-unsafe-eval' allows that
# and nothing of JavaScript's eval) for the search engine Pagefind ships as a .wasm file of the
# site; inline style attributes only because the charts colour their cells with them (lesson
# data cannot set one: the sanitizer drops `style` but text-align). Forms submit only to the
# site itself (the search box opens search.html).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "style-src-attr 'unsafe-inline'",
        "img-src 'self' data: https:",
        "connect-src 'self'",
        "worker-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
    )
)

# MathML Core's presentation elements. Not `semantics`/`annotation-xml` (which can carry HTML),
# not `maction` (an interaction element), and no attribute that holds a URL (`href`, `src`).
_MATHML_TAGS = frozenset(
    {
        "math",
        "menclose",
        "merror",
        "mfrac",
        "mi",
        "mmultiscripts",
        "mn",
        "mo",
        "mover",
        "mpadded",
        "mphantom",
        "mprescripts",
        "mroot",
        "mrow",
        "ms",
        "mspace",
        "msqrt",
        "mstyle",
        "msub",
        "msubsup",
        "msup",
        "mtable",
        "mtd",
        "mtext",
        "mtr",
        "munder",
        "munderover",
        "none",
    }
)
_MATHML_COMMON = frozenset(
    {
        "dir",
        "displaystyle",
        "scriptlevel",
        "mathvariant",
        "mathcolor",
        "mathbackground",
        "mathsize",
    }
)
_MATHML_OWN: dict[str, frozenset[str]] = {
    "math": frozenset({"xmlns", "display"}),
    "mo": frozenset(
        {
            "accent",
            "fence",
            "form",
            "largeop",
            "lspace",
            "maxsize",
            "minsize",
            "movablelimits",
            "rspace",
            "separator",
            "stretchy",
            "symmetric",
        }
    ),
    "mover": frozenset({"accent"}),
    "munder": frozenset({"accentunder"}),
    "munderover": frozenset({"accent", "accentunder"}),
    "mfrac": frozenset({"linethickness"}),
    "mspace": frozenset({"width", "height", "depth", "linebreak"}),
    "mpadded": frozenset({"width", "height", "depth", "lspace", "voffset"}),
    "mtable": frozenset(
        {"columnalign", "rowalign", "columnspacing", "rowspacing", "columnlines", "rowlines"}
    ),
    "mtr": frozenset({"columnalign", "rowalign"}),
    "mtd": frozenset({"columnalign", "rowalign", "columnspan", "rowspan"}),
    "menclose": frozenset({"notation"}),
    "ms": frozenset({"lquote", "rquote"}),
}
_MATHML_ATTRIBUTES = {
    tag: set(_MATHML_COMMON | _MATHML_OWN.get(tag, set())) for tag in _MATHML_TAGS
}

# What lessonkit's Markdown renderer makes (markdown-it with tables and strikethrough, Pygments
# code blocks, the math wrappers), and nothing else.
_HTML_TAGS = frozenset(
    {
        "a",
        "blockquote",
        "br",
        "code",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "img",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "span",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_HTML_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"style"},
    "td": {"style"},
    "div": {"class"},
    "span": {"class"},
    "code": {"class"},
    # tabindex="0" from lessonkit's renderer (never from prose, whose raw HTML is text): blocks
    # that scroll sideways are reachable by keyboard.
    "pre": {"class", "tabindex"},
    "table": {"tabindex"},
}

_MATHML = nh3.Cleaner(
    tags=set(_MATHML_TAGS),
    attributes=_MATHML_ATTRIBUTES,
    url_schemes=set(),
    link_rel=None,
)
_FRAGMENT = nh3.Cleaner(
    tags=set(_HTML_TAGS | _MATHML_TAGS),
    attributes={**_MATHML_ATTRIBUTES, **_HTML_ATTRIBUTES},
    # Relative links stay as they are; of absolute ones, only the web and mail.
    url_schemes={"http", "https", "mailto"},
    # markdown-it writes `style="text-align:right"` for aligned table columns; nothing else.
    filter_style_properties={"text-align"},
    link_rel=None,  # no link opens a new browsing context, so no rel is needed
)


def clean_mathml(markup: str) -> str:
    """A MathML fragment with everything outside the MathML allowlist removed."""
    return _MATHML.clean(markup)


def clean_html(markup: str) -> Markup:
    """An HTML fragment made from lesson data, rebuilt from the allowlist, ready for a template."""
    return Markup(_FRAGMENT.clean(markup))
