"""Script payloads in every field that reaches a page, and the checks of a rendered page.

`build_project` writes one lesson per payload (and a review of it, and a curriculum that lists
them all) with the payload in every string field the models accept it in. The fields are found
by walking the Pydantic models (Lesson, Review, Curriculum) over the reference lesson's data,
so a field added to a model is covered without a change here; absent optional parts are
fabricated so that they are covered too. Each payload that runs sets `window.__pwned` or opens
a dialog; `inspect_page` collects that and any markup that could run script.
"""

from __future__ import annotations

import copy
import datetime
import enum
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from lessonkit.schemas import (
    DEFAULT_DEPTH_SCALE,
    DEFAULT_LESSON_TYPES,
    Curriculum,
    Lesson,
    Review,
    field_shape,
)

REPO = Path(__file__).resolve().parents[2]
BASE_LESSON = REPO / "lessons" / "training-loop.yaml"
BASE_REVIEW = REPO / "reviews" / "training-loop" / "iteration-2.yaml"

PAYLOADS = [
    "<script>window.__pwned=1;alert(1)</script>",
    '<img src=x onerror="window.__pwned=2;alert(2)">',
    '<svg onload="window.__pwned=3"></svg>',
    "[click me](javascript:window.__pwned=4)",
    '<a href="javascript:window.__pwned=5">raw link</a>',
    r"$\text{<script>window.__pwned=6;alert(6)</script>}$",
    r"$\hbox{<svg/onload=window.__pwned=7>}$",
    r"$\href{javascript:window.__pwned=8}{click}$",
    r"$$\text{<img src=x onerror=window.__pwned=9>}$$",
    '" onmouseover="window.__pwned=10" autofocus onfocus="window.__pwned=10" x="',
    "' onfocus='window.__pwned=11' autofocus x='",
    "</title></textarea></style><script>window.__pwned=12</script>",
    "[data](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xMzwvc2NyaXB0Pg==)",
    '<iframe srcdoc="<script>parent.__pwned=14</script>"></iframe>',
    '<details open ontoggle="window.__pwned=15">x</details>',
    '![x](x" onerror="window.__pwned=16)',
    "[entity](&#106;avascript:window.__pwned=17)",
    "<math><mtext><script>window.__pwned=18</script></mtext></math>",
    r"$\mathrm{</math><img src=x onerror=window.__pwned=19>}$",
    '<style>*{background:url("javascript:window.__pwned=20")}</style>',
    '<base href="javascript:window.__pwned=21//">',
    '<a href="jav&#x09;ascript:window.__pwned=22">tab</a>',
    '<object data="javascript:window.__pwned=23"></object>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__pwned=24">',
    '<form><button formaction="javascript:window.__pwned=25">go</button></form>',
    "`code` </code><script>window.__pwned=26</script>",
    "```html\n<script>window.__pwned=27</script>\n```",
    r"$\href{data:text/html,<script>alert(28)</script>}{x}$",
    '<svg><a xlink:href="javascript:window.__pwned=29"><text>x</text></a></svg>',
    "javascript:window.__pwned=30",
    r"$\unicode{<img src=x onerror=window.__pwned=31>}$ \(\text{<b onclick=alert(31)>}\)",
    '<img src="x" onerror="alert(32)"/> {{ 7 * 7 }} {% raw %}',
]

# --- filling the models -------------------------------------------------------------------------


@functools.cache
def _adapter(base: Any, metadata: tuple[Any, ...]) -> TypeAdapter[Any]:
    return TypeAdapter(Annotated[(base, *metadata)] if metadata else base)


def _accepts(base: Any, metadata: tuple[Any, ...], value: object) -> bool:
    try:
        _adapter(base, metadata).validate_python(value)
    except ValidationError:
        return False
    return True


def _placeholder(base: Any, metadata: tuple[Any, ...]) -> object | None:
    """A valid value for a field that does not take free text (an id, a depth, a date)."""
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return next(iter(base)).value
    candidates: list[object] = []
    if base is str:
        candidates = ["fab-1", "1.1", DEFAULT_DEPTH_SCALE[0], DEFAULT_LESSON_TYPES[0]]
    elif base is bool:
        candidates = [False]
    elif base is int:
        candidates = [1]
    elif base is datetime.date:
        candidates = ["2024-03-01"]
    return next((c for c in candidates if _accepts(base, metadata, c)), None)


def fabricate(model: type[BaseModel], payload: str) -> dict[str, Any] | None:
    """A minimal valid instance of `model` as data, the payload in every free-text field; None
    when one cannot be made this way."""
    data: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        shape = field_shape(info.annotation, info.metadata)
        value: object | None
        if shape.is_model:
            value = fabricate(shape.base, payload)
        elif shape.base is str and _accepts(str, shape.metadata, payload):
            value = payload
        else:
            value = _placeholder(shape.base, shape.metadata)
        if value is None:
            if info.is_required():
                return None
            continue
        data[info.alias or name] = [value] if shape.many else value
    try:
        model.model_validate(data)
    except ValidationError:
        return None
    return data


def _trim(items: list[Any]) -> list[Any]:
    """The first item of each kind (or the first two when they have no kinds): every field is
    kept, repetition is not, so the pages stay small."""
    if not all(isinstance(item, dict) for item in items):
        return items[:2]
    kinds: dict[object, Any] = {}
    for item in items:
        kinds.setdefault(item.get("kind"), item)
    return items[:2] if len(kinds) == 1 else list(kinds.values())


def fill(model: type[BaseModel], data: dict[str, Any], payload: str) -> None:
    """Put `payload` into every field of `data` (an instance of `model`) that takes free text,
    fabricating absent parts where the model still validates with them."""
    fabricated = []
    for name, info in model.model_fields.items():
        key = info.alias or name
        shape = field_shape(info.annotation, info.metadata)
        value = data.get(key)
        if shape.is_model:
            if not value:
                made = fabricate(shape.base, payload)
                if made is None:
                    continue
                value = data[key] = [made] if shape.many else made
                fabricated.append(key)
            items = _trim(value) if isinstance(value, list) else [value]
            if shape.many:
                data[key] = items
            for item in items:
                if isinstance(item, dict):
                    fill(shape.base, item, payload)
        elif shape.base is str and _accepts(str, shape.metadata, payload):
            data[key] = [payload] if shape.many else payload
    # A model's own validators may refuse a fabricated part (choices on an open question).
    for key in fabricated:
        try:
            model.model_validate(data)
            break
        except ValidationError:
            del data[key]


def count(data: object, payload: str) -> int:
    """How many values in `data` are the payload."""
    if isinstance(data, dict):
        return sum(count(value, payload) for value in data.values())
    if isinstance(data, list):
        return sum(count(value, payload) for value in data)
    return int(data == payload)


# --- the project ---------------------------------------------------------------------------------


@functools.cache
def _base(path: Path) -> dict[str, Any]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert isinstance(data, dict)
    return data


def _load(path: Path) -> dict[str, Any]:
    return copy.deepcopy(_base(path))


def _dump(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")


def lesson_id(index: int) -> str:
    return f"xss-{index:02d}"


def build_project(root: Path, payloads: list[str] = PAYLOADS) -> int:
    """One lesson and one review per payload and a curriculum of them all, in `root` (a
    project); returns the number of fields holding a payload."""
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    filled = 0
    series = []
    for index, payload in enumerate(payloads):
        identifier = lesson_id(index)
        lesson = _load(BASE_LESSON)
        lesson.pop("previous", None)
        lesson.pop("next", None)
        fill(Lesson, lesson, payload)
        filled += count(lesson, payload)
        lesson.update(id=identifier, module=f"{index + 1}.1", position=1)
        Lesson.model_validate(lesson)  # the payloads went only where the model takes them
        _dump(root / "lessons" / f"{identifier}.yaml", lesson)

        review = _load(BASE_REVIEW)
        fill(Review, review, payload)
        filled += count(review, payload)
        review["lesson"] = identifier
        Review.model_validate(review)
        _dump(root / "reviews" / identifier / f"iteration-{review['iteration']}.yaml", review)

        module: dict[str, Any] = {"id": f"{index + 1}.1", "title": payload}
        module.update(description=payload, lessons=[identifier])
        series.append(
            {"id": str(index + 1), "title": payload, "description": payload, "modules": [module]}
        )
        filled += 4
    everything = "\n\n".join(payloads)
    curriculum: dict[str, Any] = {"title": everything, "description": everything}
    curriculum["assumed"] = [
        {"concept": payload, "depth": DEFAULT_DEPTH_SCALE[0], "notes": payload}
        for payload in payloads
    ]
    curriculum["series"] = series
    Curriculum.model_validate(curriculum)
    _dump(root / "lessons" / "curriculum.yaml", curriculum)
    return filled + 2 + 2 * len(payloads)


# --- a page in the browser ------------------------------------------------------------------------

# Markup in a rendered page that could run script: inline scripts, event handlers, script and
# data: URLs that can be navigated to, frames and other embedding elements, refreshes. Scripts
# from files of the site are allowed.
DANGEROUS_MARKUP = r"""
() => {
  const found = [];
  const urlAttributes = ["href", "src", "xlink:href", "action", "formaction", "data",
                         "background", "poster", "srcset", "ping"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    if (tag === "script") {
      const src = el.getAttribute("src");
      const external = src && /^[a-z][a-z0-9+.-]*:/i.test(src.trim());
      if (!src || external) found.push("script " + (src || "inline"));
    }
    if (["iframe", "frame", "object", "embed", "base", "applet"].includes(tag)) {
      found.push("<" + tag + ">");
    }
    if (tag === "meta" && (el.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      found.push("meta refresh");
    }
    for (const attribute of el.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(tag + " " + name);
      if (name === "srcdoc") found.push(tag + " srcdoc");
      const script = /^(javascript|vbscript):/.test(value);
      // A data: URL runs script when navigated to or framed, not as an image or an icon.
      const navigable = /^data:/.test(value) && !["img", "link", "source"].includes(tag);
      if (urlAttributes.includes(name) && (script || navigable)) {
        found.push(tag + " " + name + "=" + value.slice(0, 40));
      }
    }
  }
  return found;
}
"""


def inspect_page(page: Any, url: str) -> list[str]:
    """Load `url` in a Playwright page (its dialog, console and error listeners installed by
    `watch`), open every disclosure, and return what ran or could run."""
    page.goto(url)
    page.wait_for_load_state("load")
    page.eval_on_selector_all("details", "els => els.forEach(e => { e.open = true; })")
    found = [f"markup: {item}" for item in page.evaluate(DANGEROUS_MARKUP)]
    pwned = page.evaluate("window.__pwned")
    if pwned is not None:
        found.append(f"executed: payload {pwned} set window.__pwned")
    return found


def watch(page: Any, events: list[str]) -> None:
    """Record dialogs (dismissed), uncaught errors and script-related console errors."""

    def dialog(d: Any) -> None:
        events.append(f"executed: a {d.type} dialog ({d.message})")
        d.dismiss()

    def console(message: Any) -> None:
        text = message.text
        if message.type == "error" and "Failed to load resource" not in text:
            events.append(f"console error: {text[:160]}")

    page.on("dialog", dialog)
    page.on("console", console)
    page.on("pageerror", lambda error: events.append(f"executed: page error {error}"))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serving(site: Path) -> Iterator[str]:
    """The site over HTTP on 127.0.0.1 (as a reader would get it); yields its base URL."""
    handler = functools.partial(_Quiet, directory=str(site))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def scan_site(site: Path, browser: Any) -> dict[str, list[str]]:
    """Every page of `site` loaded in `browser` (a Playwright browser): what ran or could run
    on each page with anything to report."""
    report: dict[str, list[str]] = {}
    with serving(site) as base:
        page = browser.new_page()
        events: list[str] = []
        watch(page, events)
        for relative in pages(site):
            found = inspect_page(page, base + relative)
            found += events
            events.clear()
            if found:
                report[relative] = found
        page.close()
    return report
