"""`lessonkit serve`: a local preview that re-renders on change, reloads the browser and shows
validation problems.

The server listens on 127.0.0.1 only, with a thread per connection and a listen backlog that
holds a burst (a browser opening a page opens several connections at once), and answers with the
pages' Content-Security-Policy as a header too. A port that is not a port, or one in use, is a
one-line error before anything is built. Every change under the lessons, reviews or templates
folders re-validates the course and re-renders it; a lesson with problems gets a notice at the
top of its pages listing them, so authors see them where they are reading.

Live reload is the server's alone: it injects `<script src="/__lessonkit/reload.js">` into each
HTML page as it serves it (the files in the folder stay exactly what `render` writes), and the
script listens on an event stream, `/__lessonkit/events`, that announces every finished build.
A rebuild after a lesson edit renders again only that lesson's pages (and those of lessons whose
problems changed with it) with the course pages, unless something every page shows changed: a
title, type, status or place in the course, the curriculum, the configuration or a template.
Without `-o` the site goes into a temporary folder that `stop()` removes, Ctrl-C included.
"""

from __future__ import annotations

import errno
import functools
import hashlib
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import watchfiles

from ..check.validate import default_paths, run
from ..core.errors import UsageError
from ..core.project import Project
from ..course.course import Course
from .pages import RenderResult, problems_by_file, render_site
from .sanitize import CONTENT_SECURITY_POLICY

EVENTS = "/__lessonkit/events"
RELOAD_SCRIPT = "/__lessonkit/reload.js"
_KEEP_ALIVE = 15.0  # seconds between comments on an idle event stream, to notice a closed tab


class _Handler(SimpleHTTPRequestHandler):
    timeout = 30  # a connection that sends nothing does not hold its thread for ever

    def __init__(self, *args: Any, preview: Preview, **kwargs: Any) -> None:
        self.preview = preview  # set first: the base class handles the request in __init__
        super().__init__(*args, **kwargs)

    def log_message(self, format: str, *args: object) -> None:
        pass  # a preview server's access log is noise in the author's terminal

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def do_GET(self) -> None:
        path = unquote(urlsplit(self.path).path)
        if path == EVENTS:
            self._events()
        elif path == RELOAD_SCRIPT:
            script = files("lessonkit.templates").joinpath("reload.js").read_bytes()
            self._send(script, "text/javascript; charset=utf-8")
        elif not self._html_page():
            super().do_GET()

    def _send(self, data: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def _html_page(self) -> bool:
        """Serve an HTML page with the reload script added; False when this is not one."""
        local = Path(self.translate_path(self.path))
        if local.is_dir():
            if not urlsplit(self.path).path.endswith("/"):
                return False  # the base class redirects to the folder's URL with a slash
            local = local / "index.html"
        if local.suffix != ".html" or not local.is_file():
            return False
        try:
            page = local.read_bytes()
        except OSError:
            return False
        build = self.preview.builds
        tag = f'<script src="{RELOAD_SCRIPT}?build={build}" defer></script>\n</head>'
        self._send(page.replace(b"</head>", tag.encode(), 1), "text/html; charset=utf-8")
        return True

    def _events(self) -> None:
        """Server-sent events: the number of the latest build now, then at each new build."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        preview = self.preview
        seen = preview.builds
        try:
            self.wfile.write(f"retry: 1000\ndata: {seen}\n\n".encode())
            self.wfile.flush()
            while not preview.stopping:
                preview.wait_past(seen, timeout=_KEEP_ALIVE)
                if preview.stopping:
                    break
                if preview.builds != seen:
                    seen = preview.builds
                    self.wfile.write(f"data: {seen}\n\n".encode())
                else:
                    self.wfile.write(b": still here\n\n")
                self.wfile.flush()
        except OSError:  # the tab closed or reloaded
            pass
        self.close_connection = True


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog is 5: under a burst the kernel drops the connections
    # beyond it and clients wait out SYN retries (143 of 500 got no answer within 60 s).
    request_queue_size = 1024
    daemon_threads = True


def _listen(port: int, handler: Any) -> ThreadingHTTPServer:
    """A server bound to 127.0.0.1:`port`, or a UsageError that says why not."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port; use 1 to 65535 (0 picks a free one)")
    try:
        return _Server(("127.0.0.1", port), handler)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} on 127.0.0.1 is in use; choose another with --port"
            ) from error
        raise UsageError(f"cannot listen on 127.0.0.1:{port}: {error.strerror}") from error


@dataclass
class Preview:
    """A running preview: build once, serve, and rebuild when sources change.

    `watching` is set once the file watcher is running (edits from then on are seen), and
    `built` after every build; `rebuilt` is notified with it. `rendered` names the lessons the
    latest build rendered (None: all of them).
    """

    project: Project
    out: Path | None = None
    port: int = 8000
    server: ThreadingHTTPServer | None = None
    builds: int = 0
    last: RenderResult | None = None
    problems: int = 0
    rendered: set[str] | None = None
    watching: threading.Event = field(default_factory=threading.Event)
    built: threading.Event = field(default_factory=threading.Event)
    rebuilt: threading.Condition = field(default_factory=threading.Condition)
    _stop: threading.Event = field(default_factory=threading.Event)
    _temporary: Path | None = None
    _shared: str = ""
    _lessons: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.out is None:
            self._temporary = Path(tempfile.mkdtemp(prefix="lessonkit-preview-"))
            self.out = self._temporary

    @property
    def folder(self) -> Path:
        assert self.out is not None
        return self.out

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def build(self, *, everything: bool = True) -> RenderResult:
        """Validate and render; unless `everything`, only the lessons whose pages changed."""
        cwd = self.project.root
        result = run(default_paths(self.project), project=self.project, cwd=cwd)
        assert result.course is not None and result.settings is not None
        self.problems = len(result.diagnostics)
        problems = problems_by_file(result.diagnostics, cwd)
        shared, lessons = _fingerprints(result.course, problems)
        if everything or shared != self._shared:
            only = None
        else:
            only = {i for i, key in lessons.items() if self._lessons.get(i) != key}
        self.last = render_site(
            result.course, result.settings, self.folder, problems=problems, only=only
        )
        self._shared, self._lessons, self.rendered = shared, lessons, only
        with self.rebuilt:
            self.builds += 1
            self.rebuilt.notify_all()
        self.built.set()
        return self.last

    def wait_past(self, seen: int, *, timeout: float) -> None:
        """Wait until the build number is not `seen`, the preview stops, or `timeout`."""
        with self.rebuilt:
            self.rebuilt.wait_for(lambda: self.builds != seen or self.stopping, timeout=timeout)

    def wait_for_build(self, *, after: int, timeout: float) -> bool:
        """Wait until a build numbered above `after` has finished; False on timeout."""
        with self.rebuilt:
            return self.rebuilt.wait_for(lambda: self.builds > after, timeout=timeout)

    def start(self) -> None:
        # Listen first, so a bad or busy port is reported before a whole build; connections
        # that arrive during the build wait in the backlog.
        handler = functools.partial(_Handler, directory=str(self.folder), preview=self)
        try:
            server = _listen(self.port, handler)
        except BaseException:
            self._remove_temporary()
            raise
        try:
            self.build()
        except BaseException:
            server.server_close()
            self._remove_temporary()
            raise
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def watched(self) -> list[Path]:
        folders = [
            self.project.lessons_dir,
            self.project.reviews_dir,
            self.project.root / "templates",
        ]
        return [folder for folder in folders if folder.is_dir()]

    def watch(self) -> None:
        """Rebuild on every change until `stop()`."""
        templates = (self.project.root / "templates").resolve()
        for changes in watchfiles.watch(
            *self.watched(),
            stop_event=self._stop,
            debounce=200,
            rust_timeout=300,
            yield_on_timeout=True,  # the first (empty) yield tells that the watcher is running
        ):
            self.watching.set()
            if not changes:
                continue
            # A template or the stylesheet shapes every page; lesson and review edits are
            # narrowed by what they change.
            touched = [Path(path).resolve() for _, path in changes]
            self.build(everything=any(templates in path.parents for path in touched))

    def stop(self) -> None:
        with self.rebuilt:
            self._stop.set()
            self.rebuilt.notify_all()  # event streams end
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        self._remove_temporary()

    def _remove_temporary(self) -> None:
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)


def _fingerprints(course: Course, problems: dict[Path, list[Any]]) -> tuple[str, dict[str, str]]:
    """What every page shows (the course's shape: each lesson's id, title, type, status and
    place, the curriculum, the review states) as one digest, and per lesson what only its own
    pages show (its record, its reviews, its problems)."""
    shared = hashlib.sha256()
    lessons: dict[str, str] = {}
    for lesson_id in sorted(course.lessons):
        lesson = course.lesson(lesson_id)
        if lesson is None:
            continue
        place = (lesson.id, lesson.title, lesson.type, lesson.status.value, lesson.module)
        shared.update(repr((*place, lesson.position, lesson.previous)).encode())
        shared.update(repr((lesson.next, lesson.practice and lesson.practice.notebook)).encode())
        own = hashlib.sha256(lesson.model_dump_json().encode())
        for review in course.history(lesson_id):
            own.update(review.model_dump_json().encode())
        path = course.lessons[lesson_id].path
        own.update(repr(sorted(str(d) for d in problems.get(path, []))).encode())
        lessons[lesson_id] = own.hexdigest()
    if course.curriculum is not None:
        shared.update(course.curriculum.model_dump_json().encode())
    shared.update(repr(course.ledger.order).encode())
    return shared.hexdigest(), lessons
