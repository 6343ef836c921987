"""`lessonkit serve`: a local preview that re-renders on change and shows validation problems.

The server listens on 127.0.0.1 only. Every change under the lessons, reviews or templates
folders re-validates the course and re-renders it; a lesson with problems gets a notice at the
top of its pages listing them, so authors see them where they are reading.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from ..core.project import Project
from ..check.validate import default_paths, run
from .pages import RenderResult, problems_by_file, render_site


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # a preview server's access log is noise in the author's terminal


@dataclass
class Preview:
    """A running preview: build once, serve, and rebuild when sources change."""

    project: Project
    out: Path
    port: int = 8000
    server: ThreadingHTTPServer | None = None
    builds: int = 0
    last: RenderResult | None = None
    problems: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def build(self) -> RenderResult:
        cwd = self.project.root
        result = run(default_paths(self.project), project=self.project, cwd=cwd)
        assert result.course is not None and result.settings is not None
        self.problems = len(result.diagnostics)
        self.last = render_site(
            result.course,
            result.settings,
            self.out,
            problems=problems_by_file(result.diagnostics, cwd),
        )
        self.builds += 1
        return self.last

    def start(self) -> None:
        self.build()
        handler = functools.partial(_QuietHandler, directory=str(self.out))
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def watched(self) -> list[Path]:
        folders = [
            self.project.lessons_dir,
            self.project.reviews_dir,
            self.project.root / "templates",
        ]
        return [folder for folder in folders if folder.is_dir()]

    def watch(self) -> None:
        """Rebuild on every change until `stop()`."""
        for _changes in watchfiles.watch(*self.watched(), stop_event=self._stop, debounce=200):
            self.build()

    def stop(self) -> None:
        self._stop.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
