"""`--fix` on generated Markdown: links, code and math come out byte for byte (issue 12).

Prose dashes (W001, W002) are fixed; everything the Markdown model says is not prose (link and
image destinations, autolinks, code spans and blocks, math, HTML comments and raw HTML) must
be left exactly as written. Each example is a lesson whose first section's body is generated
from those pieces, fixed through `lessonkit validate --fix`, and parsed again.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lessonkit.read.markdown import parse

from support import FIXTURES, run_cli

COMPLETE = (FIXTURES / "complete_lesson.yaml").read_text(encoding="utf-8")
MARKER = "      body: |\n"

WORDS = st.sampled_from(["loss", "step", "the", "grad", "a--b", "well—known", "x", "1"])
DASHES = st.sampled_from([" -- ", " — ", " -- ", " — ", "--", "—", " - "])
SEGMENT = st.sampled_from(["a--b", "c—d", "e-f", "g", "h--", "--i", "j%20k"])
PATH = st.lists(SEGMENT, min_size=1, max_size=3).map("/".join)
URL = st.one_of(
    PATH.map(lambda path: f"https://example.org/{path}"),
    PATH.map(lambda path: f"../notebooks/{path}.ipynb"),
    PATH.map(lambda path: f"lesson:{path.replace('/', '-')}#x--y"),
)
CODE = st.lists(st.sampled_from(["a", "--", " — ", "b", "x -- y", "—"]), min_size=1, max_size=4)


def _prose(words: list[str], dashes: list[str]) -> str:
    text = words[0]
    for word, dash in zip(words[1:], dashes, strict=False):
        text += dash + word
    return text


PROSE = st.builds(
    _prose, st.lists(WORDS, min_size=1, max_size=5), st.lists(DASHES, min_size=4, max_size=4)
)
INLINE = st.one_of(
    PROSE,
    st.builds(lambda text, url: f"[{text}]({url})", PROSE, URL),
    st.builds(lambda text, url: f"![{text}]({url})", PROSE, URL),
    st.builds(lambda text, url: f'[{text}]({url} "a -- title")', PROSE, URL),
    PATH.map(lambda path: f"<https://example.org/{path}>"),
    CODE.map(lambda parts: "`" + "".join(parts).strip() + "`"),
    CODE.map(lambda parts: "$" + "".join(parts).strip().replace("$", "") + "$"),
    PROSE.map(lambda text: f"<!-- {text} -->"),
    PROSE.map(lambda text: f"<span title='{text}'>"),
)
PARAGRAPH = st.lists(INLINE, min_size=1, max_size=6).map(" ".join)
BLOCK = st.one_of(
    PARAGRAPH,
    CODE.map(lambda parts: "```python\n" + "".join(parts) + "\n```"),
    CODE.map(lambda parts: "$$\n" + "".join(parts).replace("$", "") + "\n$$"),
    PROSE.map(lambda text: f"<!-- {text}\n{text} -->"),
    st.builds(lambda label, url: f"[{label}]: {url}", st.sampled_from(["r1", "r2"]), URL),
)
# Every body ends in a paragraph that starts with prose, so most examples have a dash to fix.
BODY = st.builds(
    lambda blocks, prose, rest: "\n\n".join([*blocks, f"{prose} {rest}".strip()]),
    st.lists(BLOCK, max_size=4),
    PROSE,
    PARAGRAPH,
)

_OPAQUE = {
    "code_inline",
    "math_inline",
    "math_inline_double",
    "fence",
    "code_block",
    "math_block",
    "html_inline",
    "html_block",
}


def _not_prose(text: str) -> list[tuple[str, Any]]:
    """What the Markdown model reads as not prose, in order: contents and destinations."""
    found: list[tuple[str, Any]] = []
    for token in parse(text).tokens:
        for item in [token, *(token.children or [])]:
            if item.type in _OPAQUE:
                found.append((item.type, item.content))
            elif item.type in ("link_open", "image"):
                found.append((item.type, item.attrGet("href") or item.attrGet("src")))
    return found


def _indented(body: str) -> str:
    return "".join(f"        {line}\n" if line else "\n" for line in body.split("\n"))


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(body=BODY)
def test_fix_never_changes_links_code_or_math(body: str) -> None:
    start = COMPLETE.index(MARKER) + len(MARKER)
    lesson = COMPLETE[:start] + _indented(body) + "\n" + COMPLETE[start:]
    with tempfile.TemporaryDirectory() as folder:
        course = Path(folder)
        (course / "pyproject.toml").write_text("", encoding="utf-8")
        (course / "lessons").mkdir()
        path = course / "lessons" / "fixture-lesson.yaml"
        path.write_text(lesson, encoding="utf-8")
        original = yaml.safe_load(lesson)["design"]["outline"][0]["body"]
        result = run_cli("validate", "--fix", cwd=course)
        assert result.exit_code in (0, 1), result.output
        fixed_text = path.read_text(encoding="utf-8")
    fixed = yaml.safe_load(fixed_text)["design"]["outline"][0]["body"]
    assert _not_prose(fixed) == _not_prose(original)
    # Only the body's prose changed: the rest of the file is as it was.
    assert fixed_text.replace(_indented(fixed.rstrip("\n")), "") == lesson.replace(
        _indented(original.rstrip("\n")), ""
    )
