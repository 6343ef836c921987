"""`lessonkit lsp`: the language server, on pygls, over stdio.

Every open lesson, review or curriculum file under a project's `lessons/` or `reviews/` is
checked as `validate` would check it, against the saved course with the editor's unsaved
buffers in place of their files. A change is checked after a short pause in typing (the
debounce, 0.1 s; `initializationOptions: {"debounce": seconds}` changes it); the check runs
in one worker thread so the server keeps answering completion and hover meanwhile, and its
result is published only if the buffer is still the text it checked.

Nothing is written to stdout but the protocol: logging goes to stderr, and so does anything a
library prints. No input takes the server down: each handler logs its own failure and answers
as if it found nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import sys
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from .. import __version__
from ..core.errors import LessonkitError
from ..core.project import find_root, open_project
from ..read.documents import classify
from . import features
from .actions import FIX_ALL, Published, code_actions, to_lsp
from .course_state import Checked, CourseState
from .positions import UTF16, Lines

log = logging.getLogger("lessonkit.lsp")

DEBOUNCE = 0.1
CONFIG_FILES = ("lessonkit.toml", "pyproject.toml")

T = TypeVar("T")


def guarded(default: Callable[[], T]) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Run a handler; an exception is logged and the handler answers `default()` instead."""

    def wrap(handler: Callable[..., T]) -> Callable[..., T]:
        @functools.wraps(handler)
        def run(*args: Any) -> T:
            try:
                return handler(*args)
            except Exception:
                log.exception("%s failed", handler.__name__)
                return default()

        return run

    return wrap


@dataclass
class Job:
    """The checks waiting for one project: what changed since the last one started."""

    paths: set[Path] = field(default_factory=set)
    rescan: bool = False
    everything: bool = False
    waiting: asyncio.Task[None] | None = None  # the task still in its debounce pause


def path_of(uri: str) -> Path | None:
    """The file a `file:` URI names, as `validate` names it (its folder resolved, its own name
    kept); None for other schemes (untitled buffers)."""
    if not uri.startswith("file:"):
        return None
    try:
        name = to_fs_path(uri)
        path = Path(name).absolute() if name else None
        return path.parent.resolve() / path.name if path else None
    except (OSError, ValueError):
        return None


class LessonkitServer(LanguageServer):
    """The lessonkit language server: one CourseState per project with open documents."""

    def __init__(self) -> None:
        # Whole-text sync: a lesson is at most max_file_size, and the editor's text is then the
        # text checked, with no position arithmetic that could drift (pygls splits lines on
        # form feeds and U+2028 as well, where LSP clients do not).
        super().__init__(
            "lessonkit", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Full
        )
        self.debounce = DEBOUNCE
        self.states: dict[Path, CourseState | None] = {}  # project root -> its state
        self.open_paths: dict[str, tuple[Path, Path]] = {}  # uri -> (root, path), owned only
        self.published: dict[str, Published] = {}
        self.jobs: dict[Path, Job] = {}
        self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lessonkit-check")
        self._tasks: set[asyncio.Task[None]] = set()  # asyncio keeps only weak references
        self._register()

    # --- wiring ----------------------------------------------------------------------------------

    def _register(self) -> None:
        none: Callable[[], None] = lambda: None  # noqa: E731
        empty: Callable[[], list[Any]] = list
        handlers: list[tuple[str, Any, Callable[..., Any], Callable[[], Any]]] = [
            (types.INITIALIZE, None, self.on_initialize, none),
            (types.INITIALIZED, None, self.on_initialized, none),
            (types.SHUTDOWN, None, self.on_shutdown, none),
            (types.TEXT_DOCUMENT_DID_OPEN, None, self.on_open, none),
            (types.TEXT_DOCUMENT_DID_CHANGE, None, self.on_change, none),
            (types.TEXT_DOCUMENT_DID_SAVE, None, self.on_save, none),
            (types.TEXT_DOCUMENT_DID_CLOSE, None, self.on_close, none),
            (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, None, self.on_watched, none),
            (
                types.TEXT_DOCUMENT_COMPLETION,
                types.CompletionOptions(trigger_characters=[" ", "[", ","]),
                self.on_completion,
                empty,
            ),
            (types.TEXT_DOCUMENT_HOVER, None, self.on_hover, none),
            (types.TEXT_DOCUMENT_DEFINITION, None, self.on_definition, empty),
            (types.TEXT_DOCUMENT_REFERENCES, None, self.on_references, empty),
            (types.TEXT_DOCUMENT_DOCUMENT_SYMBOL, None, self.on_symbols, empty),
            (
                types.TEXT_DOCUMENT_CODE_ACTION,
                types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL]),
                self.on_code_action,
                empty,
            ),
        ]
        for method, options, handler, default in handlers:
            self.feature(method, options)(guarded(default)(handler))

    @property
    def encoding(self) -> str:
        try:
            return str(self.workspace.position_encoding or UTF16)
        except RuntimeError:  # before initialize
            return UTF16

    # --- lifecycle -------------------------------------------------------------------------------

    def on_initialize(self, params: types.InitializeParams) -> None:
        options = params.initialization_options
        if isinstance(options, dict):
            debounce = options.get("debounce")
            if isinstance(debounce, (int, float)) and 0 <= debounce <= 10:
                self.debounce = float(debounce)

    def on_initialized(self, params: types.InitializedParams) -> None:
        # Read the course of each workspace folder now, in the worker, so the first opened
        # lesson does not wait for a 1,000-file read.
        for folder in self.workspace.folders.values():
            path = path_of(folder.uri)
            if path is not None and path.is_dir():
                state = self.state_for(path)
                if state is not None:
                    self.schedule(state, (), delay=0, rescan=True)
        watch = self.client_capabilities.workspace
        if (
            watch
            and watch.did_change_watched_files
            and watch.did_change_watched_files.dynamic_registration
        ):
            self.client_register_capability(
                types.RegistrationParams(
                    registrations=[
                        types.Registration(
                            id="lessonkit-watch",
                            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=types.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[
                                    types.FileSystemWatcher(glob_pattern="**/*.{yaml,yml}"),
                                    types.FileSystemWatcher(
                                        glob_pattern="**/{lessonkit,pyproject}.toml"
                                    ),
                                ]
                            ),
                        )
                    ]
                )
            )

    def on_shutdown(self, params: None) -> None:
        self.worker.shutdown(wait=False, cancel_futures=True)

    # --- projects --------------------------------------------------------------------------------

    def state_for(self, start: Path) -> CourseState | None:
        """The state of the project above `start` (a folder), created on first use; None when
        its configuration is broken (reported once, until the configuration changes)."""
        root = find_root(start)
        if root not in self.states:
            try:
                self.states[root] = CourseState(open_project(root))
            except LessonkitError as error:
                self.states[root] = None
                self._tell(f"lessonkit: {error}", types.MessageType.Error)
        return self.states[root]

    def reload(self, root: Path) -> None:
        """Read a project's configuration again, and take over the editor's open documents
        of the project (also those opened while the configuration was broken)."""
        self.states.pop(root, None)
        for uri, (owner, _) in list(self.open_paths.items()):
            if owner == root:
                del self.open_paths[uri]
                self._clear(uri)
        state = self.state_for(root)
        if state is None:
            return
        for uri, document in self.workspace.text_documents.items():
            path = path_of(uri)
            if path is not None and find_root(path.parent) == root and state.owns(path):
                self.open_paths[uri] = (root, path)
                state.open(path, uri, document.version, document.source)
        self.schedule(state, (), delay=0, rescan=True, everything=True)

    def _tell(self, message: str, kind: types.MessageType) -> None:
        log.warning("%s", message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=message))

    # --- documents -------------------------------------------------------------------------------

    def on_open(self, params: types.DidOpenTextDocumentParams) -> None:
        document = params.text_document
        path = path_of(document.uri)
        if path is None:
            return
        state = self.state_for(path.parent)
        if state is None or not state.owns(path):
            return
        self.open_paths[document.uri] = (state.project.root, path)
        state.open(path, document.uri, document.version, document.text)
        self.schedule(state, [path], delay=0)

    def on_change(self, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        state, path = self._owned(uri)
        if state is None or path is None:
            return
        text = self.workspace.get_text_document(uri).source
        state.change(path, params.text_document.version, text)
        self.schedule(state, [path], delay=self.debounce)

    def on_save(self, params: types.DidSaveTextDocumentParams) -> None:
        path = path_of(params.text_document.uri)
        if path is None:
            return
        if path.name in CONFIG_FILES and path.parent in self.states:
            self.reload(path.parent)
            return
        state, _ = self._owned(params.text_document.uri)
        if state is not None:
            self.schedule(state, (), delay=0, rescan=True)

    def on_close(self, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        state, path = self._owned(uri)
        self.open_paths.pop(uri, None)
        self._clear(uri)
        if state is not None and path is not None:
            state.close(path)
            if state.buffers:
                self.schedule(state, (), delay=self.debounce)

    def on_watched(self, params: types.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            path = path_of(change.uri)
            if path is not None and path.name in CONFIG_FILES and path.parent in self.states:
                self.reload(path.parent)
        for state in list(self.states.values()):
            if state is not None and state.buffers:
                self.schedule(state, (), delay=self.debounce, rescan=True)

    def _owned(self, uri: str) -> tuple[CourseState | None, Path | None]:
        owned = self.open_paths.get(uri)
        if owned is None:
            return None, None
        root, path = owned
        return self.states.get(root), path

    def _clear(self, uri: str) -> None:
        if self.published.pop(uri, None) is not None:
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
            )

    # --- checking --------------------------------------------------------------------------------

    def schedule(
        self,
        state: CourseState,
        paths: Iterable[Path],
        *,
        delay: float,
        rescan: bool = False,
        everything: bool = False,
    ) -> None:
        """Check `paths` of `state` after `delay` seconds without further changes."""
        job = self.jobs.setdefault(state.project.root, Job())
        job.paths.update(paths)
        job.rescan |= rescan
        job.everything |= everything
        if job.waiting is not None and not job.waiting.done():
            job.waiting.cancel()  # still pausing: the new change restarts the pause
        task = asyncio.get_running_loop().create_task(self._check(state, job, delay))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        job.waiting = task

    async def _check(self, state: CourseState, job: Job, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        # From here on the check is not cancelled: a later change gets a check of its own,
        # queued behind this one in the worker.
        job.waiting = None
        paths, rescan, everything = set(job.paths), job.rescan, job.everything
        job.paths.clear()
        job.rescan = job.everything = False
        loop = asyncio.get_running_loop()

        def deliver(results: list[Checked]) -> None:  # called in the worker, per batch
            if not loop.is_closed():  # after exit, a last batch has nowhere to go
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(self.publish, state, results)

        try:
            await loop.run_in_executor(
                self.worker, _work, state, paths, rescan, everything, deliver
            )
        except RuntimeError:  # the worker was shut down
            return

    def publish(self, state: CourseState, results: list[Checked]) -> None:
        if self.states.get(state.project.root) is not state:
            return  # the project was reloaded meanwhile
        for checked in results:
            buffer = state.buffers.get(checked.path)
            if buffer is None or buffer.version != checked.version:
                continue  # closed, or changed since: the check of the new text is on its way
            lines = Lines(checked.text, self.encoding)
            pairs = [(diagnostic, to_lsp(diagnostic, lines)) for diagnostic in checked.diagnostics]
            before = self.published.get(checked.uri)
            if (
                before is not None
                and before.version == checked.version
                and [d for d, _ in before.pairs] == checked.diagnostics
            ):
                continue
            self.published[checked.uri] = Published(
                checked.uri, checked.version, checked.text, pairs
            )
            self.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(
                    uri=checked.uri,
                    version=checked.version,
                    diagnostics=[shown for _, shown in pairs],
                )
            )

    # --- requests --------------------------------------------------------------------------------

    def view(self, uri: str) -> features.View | None:
        state, path = self._owned(uri)
        if state is None or path is None:
            return None
        buffer = state.buffers.get(path)
        if buffer is None:
            return None
        return features.View(
            state=state,
            path=path,
            uri=uri,
            text=buffer.text,
            kind=classify(path, reviews_dir=state.project.reviews_dir.resolve()),
            encoding=self.encoding,
            uris={b.path: b.uri for b in state.buffers.values()},
        )

    def on_completion(self, params: types.CompletionParams) -> types.CompletionList | None:
        view = self.view(params.text_document.uri)
        if view is None:
            return None
        items = features.completion(view, params.position)
        return types.CompletionList(is_incomplete=False, items=items)

    def on_hover(self, params: types.HoverParams) -> types.Hover | None:
        view = self.view(params.text_document.uri)
        if view is None:
            return None
        published = self.published.get(view.uri)
        here = []
        if published is not None and published.text == view.text:
            here = published.at(params.position)
        return features.hover(view, params.position, here)

    def on_definition(self, params: types.DefinitionParams) -> list[types.Location]:
        view = self.view(params.text_document.uri)
        return features.definition(view, params.position) if view else []

    def on_references(self, params: types.ReferenceParams) -> list[types.Location]:
        view = self.view(params.text_document.uri)
        if view is None:
            return []
        declaration = params.context.include_declaration
        return features.references(view, params.position, declaration=declaration)

    def on_symbols(self, params: types.DocumentSymbolParams) -> list[types.DocumentSymbol]:
        view = self.view(params.text_document.uri)
        return features.symbols(view.text, view.encoding) if view else []

    def on_code_action(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        view = self.view(params.text_document.uri)
        published = self.published.get(params.text_document.uri)
        if view is None or published is None:
            return []
        buffer = view.state.buffers.get(view.path)
        workspace = self.client_capabilities.workspace
        edits = workspace.workspace_edit if workspace else None
        return code_actions(
            published,
            version=buffer.version if buffer else None,
            text=view.text,
            wanted=params.range,
            only=params.context.only,
            encoding=view.encoding,
            snippets=bool(edits and edits.snippet_edit_support),
        )


def _work(
    state: CourseState,
    paths: set[Path],
    rescan: bool,
    everything: bool,
    deliver: Callable[[list[Checked]], None],
) -> None:
    """One check, in the worker thread: re-read what changed on disk if asked, then check,
    handing each batch of results over as soon as it is ready."""
    try:
        if (rescan or not state.scanned) and state.rescan():
            everything = True
            # The saved course lives as long as the server: a thousand lessons of models
            # are millions of objects that every full garbage collection would walk again
            # (a second-long pause in the middle of typing). Frozen, they are skipped.
            gc.freeze()
        for results in state.check(paths, everything=everything):
            deliver(results)
    except Exception:
        log.exception("internal error while checking")


def serve() -> None:
    """Run the server over stdin/stdout until the client says exit."""
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="lessonkit lsp: %(levelname)s %(message)s"
    )
    logging.getLogger("pygls").setLevel(logging.WARNING)
    channel = sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print() must never corrupt the protocol stream
    LessonkitServer().start_io(sys.stdin.buffer, channel)
