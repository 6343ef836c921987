"""`lessonkit serve`: a local preview that re-renders on change and shows validation problems.

The server listens on 127.0.0.1 only, with a thread per connection and a listen backlog that
holds a burst (a browser opening a page opens several connections at once), and answers with the
pages' Content-Security-Policy as a header too. A port that is not a port, or one in use, is a
one-line error before anything is built. Every change under the lessons, reviews or templates
folders re-validates the course and re-renders it; a lesson with problems gets a notice at the
top of its pages listing them, so authors see them where they are reading.
"""

from __future__ import annotations

import errno
import functools
import threading
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import watchfiles

from ..check.validate import default_paths, run
from ..core.errors import UsageError
from ..core.project import Project
from .pages import RenderResult, problems_by_file, render_site
from .sanitize import CONTENT_SECURITY_POLICY


class _QuietHandler(SimpleHTTPRequestHandler):
    timeout = 30  # a connection that sends nothing does not hold its thread for ever

    def log_message(self, format: str, *args: object) -> None:
        pass  # a preview server's access log is noise in the author's terminal

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog is 5: under a burst the kernel drops the connections
    # beyond it and clients wait out SYN retries (143 of 500 got no answer within 60 s).
    request_queue_size = 1024
    daemon_threads = True


def _listen(port: int, directory: Path) -> ThreadingHTTPServer:
    """A server bound to 127.0.0.1:`port`, or a UsageError that says why not."""
    if not 0 <= port <= 65535:
        raise UsageError(f"--port {port} is not a TCP port; use 1 to 65535 (0 picks a free one)")
    handler = functools.partial(_QuietHandler, directory=str(directory))
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
        # Listen first, so a bad or busy port is reported before a whole build; connections
        # that arrive during the build wait in the backlog.
        server = _listen(self.port, self.out)
        try:
            self.build()
        except BaseException:
            server.server_close()
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
        for _changes in watchfiles.watch(*self.watched(), stop_event=self._stop, debounce=200):
            self.build()

    def stop(self) -> None:
        self._stop.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
