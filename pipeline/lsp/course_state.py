"""One project's course as the editor sees it: the saved files, with the open buffers over them.

`validate` reads every file on every run; a keystroke cannot afford that in a 1,000-lesson
course. This keeps the documents read from disk (re-read only when a file's size or mtime
changes, checked on `rescan`) and the documents parsed from open buffers (re-parsed only when
their text changes), and on each `check` builds the course from both and runs the rules on the
open documents, exactly as `validate` would on those files with those contents.

What a change re-checks: the buffer that changed, always. The other open documents only when
the change can reach them: a rule sees another lesson only through the course (its model, or
the id of a file that failed its schema), so when the changed document's model is equal to the
one before (a comment, a blank line, a reformatting), nothing else can have changed. When it is
not, every open document is re-checked: edit a concept's depth in one lesson and the claim in
another open lesson is checked again against the new ledger.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..check.settings import Settings, project_settings
from ..check.validate import collect, diagnose, display_path, read_file
from ..core.diagnostics import Diagnostic
from ..core.project import Project
from ..course.course import Course
from ..read.documents import YAML_SUFFIXES, Document, classify

log = logging.getLogger(__name__)


@dataclass
class Buffer:
    """An open document: the editor's text and version, and the document parsed from it."""

    path: Path
    uri: str
    version: int | None
    text: str
    document: Document | None = None  # parsed at the last check, from `parsed_text`
    parsed_text: str | None = None


@dataclass(frozen=True)
class Checked:
    """The diagnostics of one open document, with the text and version they are about."""

    path: Path
    uri: str
    version: int | None
    text: str
    diagnostics: list[Diagnostic]


@dataclass
class CourseState:
    """The saved course plus the open buffers of one project, and the last course built."""

    project: Project
    settings: Settings = field(init=False)
    course: Course | None = None
    buffers: dict[Path, Buffer] = field(default_factory=dict)
    _disk: dict[Path, tuple[tuple[int, int], Document]] = field(default_factory=dict)
    _signatures: dict[Path, Any] = field(default_factory=dict)
    _scanned: bool = False
    _stale: bool = False  # a closed buffer: every open document is re-checked next time
    _generation: int = 0  # counts the editor's changes, to tell a check it is overtaken
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.settings = project_settings(self.project)  # ConfigError: the caller reports it

    # --- which files ---------------------------------------------------------------------------

    def owns(self, path: Path) -> bool:
        """Whether `path` is a file `validate` checks by default: YAML under lessons/ or reviews/.

        Other YAML files of the repository (CI workflows, pre-commit configuration) are not
        lessons, and checking them as lessons would only bury them in S002s.
        """
        if path.suffix not in YAML_SUFFIXES:
            return False
        for folder in (self.project.lessons_dir, self.project.reviews_dir):
            folder = folder.resolve()
            if folder in path.parents:
                relative = path.relative_to(folder).parts
                return not any(part.startswith(".") for part in relative)
        return False

    # --- the saved course ----------------------------------------------------------------------

    @property
    def scanned(self) -> bool:
        """Whether the saved course has been read (the first `rescan` reads it all)."""
        return self._scanned

    def rescan(self) -> bool:
        """Re-read the saved files that changed (by size or mtime), appeared or went away.

        Returns whether anything did.
        """
        folders = [self.project.lessons_dir, self.project.reviews_dir]
        paths = collect([folder for folder in folders if folder.is_dir()])
        changed = not self._scanned
        self._scanned = True
        seen = set()
        for path in paths:
            seen.add(path)
            try:
                stat = path.stat()
            except OSError:
                continue
            stamp = (stat.st_size, stat.st_mtime_ns)
            cached = self._disk.get(path)
            if cached is not None and cached[0] == stamp:
                continue
            self._disk[path] = (stamp, self._read(path, None))
            changed = True
        for path in set(self._disk) - seen:
            del self._disk[path]
            changed = True
        return changed

    def _read(self, path: Path, text: str | None) -> Document:
        try:
            return read_file(path, project=self.project, text=text)
        except Exception:  # a bug in lessonkit must not take the server down
            log.exception("internal error while reading %s", path)
            return Document(path, classify(path, reviews_dir=self.project.reviews_dir.resolve()))

    # --- buffers ---------------------------------------------------------------------------------

    def open(self, path: Path, uri: str, version: int | None, text: str) -> None:
        self.buffers[path] = Buffer(path, uri, version, text)
        self._generation += 1

    def change(self, path: Path, version: int | None, text: str) -> None:
        buffer = self.buffers.get(path)
        if buffer is not None:
            # A new Buffer rather than a mutation: a check running in another thread keeps
            # the one it started with.
            self.buffers[path] = Buffer(
                path, buffer.uri, version, text, buffer.document, buffer.parsed_text
            )
            self._generation += 1

    def close(self, path: Path) -> None:
        """Forget the buffer: the saved file stands for it again, for every other document."""
        if self.buffers.pop(path, None) is not None:
            self._signatures.pop(path, None)
            with self._lock:
                self._stale = True

    # --- checking --------------------------------------------------------------------------------

    def check(
        self, changed: Iterable[Path], *, everything: bool = False
    ) -> Iterator[list[Checked]]:
        """Re-check the open documents a change to `changed` paths can reach (all of them when
        `everything`, e.g. after the saved course changed).

        Yields the changed documents' diagnostics first, so the lesson being typed into is
        answered without waiting for the others, then the other open documents' when the
        change can reach them. When the editor changes a buffer in between, the others are
        left to the next check (which is then due to check them all).
        """
        if not self._scanned:
            everything = self.rescan() or everything
        generation = self._generation
        buffers = dict(self.buffers)  # a snapshot: the editor may change them meanwhile
        with self._lock:  # the editor's thread may mark it stale at the same moment
            everything = everything or self._stale
            self._stale = False
        reparsed = set()
        for path, buffer in buffers.items():
            if buffer.document is None or buffer.parsed_text != buffer.text:
                buffer.document = self._read(path, buffer.text)
                buffer.parsed_text = buffer.text
                reparsed.add(path)
        targets = set(changed) & set(buffers) | reparsed
        for path in targets:
            signature = _signature(buffers[path].document)
            if self._signatures.get(path, _UNSEEN) != signature:
                self._signatures[path] = signature
                everything = True
        documents = {path: document for path, (_, document) in self._disk.items()}
        for path, buffer in buffers.items():
            assert buffer.document is not None
            documents[path] = buffer.document
        self.course = Course(self.project.root, self.project.config, list(documents.values()))
        first = [buffers[path] for path in buffers if path in targets]
        if first:
            yield self._diagnose(self.course, first)
        others = [buffer for path, buffer in buffers.items() if path not in targets]
        if everything and others:
            if self._generation != generation:
                with self._lock:
                    self._stale = True  # typed on meanwhile: the next check does them all
                return
            yield self._diagnose(self.course, others)

    def _diagnose(self, course: Course, buffers: list[Buffer]) -> list[Checked]:
        root = self.project.root
        diagnostics, internal = diagnose(
            course,
            self.settings,
            [buffer.document for buffer in buffers if buffer.document is not None],
            cwd=root,
        )
        for problem in internal:
            log.error("%s", problem)
        by_path: dict[str, list[Diagnostic]] = {}
        for diagnostic in diagnostics:
            by_path.setdefault(diagnostic.path, []).append(diagnostic)
        return [
            Checked(
                buffer.path,
                buffer.uri,
                buffer.version,
                buffer.text,
                by_path.get(display_path(buffer.path, root), []),
            )
            for buffer in buffers
        ]


_UNSEEN = object()


def _signature(document: Document | None) -> Any:
    """What other documents' checks can see of `document`: its model, or for a file that failed
    its schema the id it would have (the course remembers it, see Course.broken)."""
    if document is None:
        return None
    if document.model is not None:
        return (document.kind, document.model)
    data = document.source.data if document.source is not None else None
    lesson_id = data.get("id") if isinstance(data, dict) else None
    return (document.kind, None, lesson_id if isinstance(lesson_id, str) else None)
