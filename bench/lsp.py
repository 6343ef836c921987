"""Benchmark: `lessonkit lsp` re-checking one lesson per keystroke in a 1,000-lesson course.

    python bench/lsp.py [--lessons N] [--edits E] [--keep DIR]

Builds the synthetic curriculum of bench/validate.py (N lessons, default 1,000), starts
`lessonkit lsp` as an editor would (over stdio, with pygls' own client), opens three lessons
in the middle of the course and types into a prose field of the first one: E single-character
edits (default 60), alternately inserting and deleting a letter, each sent as a `didChange`
(the whole text: the server syncs whole documents) once the diagnostics of the previous one
have arrived. It prints:

- the first diagnostics after opening (the whole course read, cold);
- the latency from each `didChange` to the `publishDiagnostics` of that version, median and
  p95, with the debounce off (the check itself) and at the server's default debounce (what
  an author sees: the pause plus the check);
- the server's memory: resident set now and its peak (VmRSS, VmHWM).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types
from pygls.lsp.client import LanguageClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.validate import build  # the same synthetic course as bench/validate.py
from lessonkit.lsp.server import DEBOUNCE

LESSONKIT = str(Path(sys.executable).parent / "lessonkit")


class Session:
    """A client connected to a fresh server, recording when each publish arrives."""

    def __init__(self) -> None:
        self.client = LanguageClient("lessonkit-bench", "1")
        self.arrived: dict[tuple[str, int | None], float] = {}
        self.event = asyncio.Event()

        @self.client.feature(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def published(params: types.PublishDiagnosticsParams) -> None:
            self.arrived[(params.uri, params.version)] = time.perf_counter()
            self.event.set()

    async def start(self, folder: Path, debounce: float) -> None:
        await self.client.start_io(LESSONKIT, "lsp")
        server = self.client._server
        assert server is not None and server.stderr is not None
        self._stderr = asyncio.create_task(_drain(server.stderr))
        await self.client.initialize_async(
            types.InitializeParams(
                capabilities=types.ClientCapabilities(),
                root_uri=folder.as_uri(),
                workspace_folders=[types.WorkspaceFolder(folder.as_uri(), "course")],
                initialization_options={"debounce": debounce},
            )
        )
        self.client.initialized(types.InitializedParams())

    async def wait(self, uri: str, version: int) -> float:
        while (uri, version) not in self.arrived:
            self.event.clear()
            await self.event.wait()
        return self.arrived[(uri, version)]

    def memory(self) -> tuple[int, int]:
        """(VmRSS, VmHWM) of the server in KiB, from /proc (0 where it cannot be read)."""
        server = self.client._server
        values = {"VmRSS:": 0, "VmHWM:": 0}
        try:
            status = Path(f"/proc/{server.pid if server else 0}/status").read_text()
        except OSError:
            return 0, 0
        for line in status.splitlines():
            name, *rest = line.split()
            if name in values:
                values[name] = int(rest[0])
        return values["VmRSS:"], values["VmHWM:"]

    async def stop(self) -> None:
        await self.client.shutdown_async(None)
        self.client.exit(None)
        server = self.client._server
        if server is not None:
            await server.wait()
        self._stderr.cancel()
        await self.client.stop()


async def _drain(stream: asyncio.StreamReader) -> None:
    """Forward the server's stderr (its log), so a full pipe never blocks it."""
    while line := await stream.readline():
        sys.stderr.write(line.decode("utf-8", "replace"))


async def measure(
    folder: Path, paths: list[Path], edits: int, debounce: float
) -> tuple[float, list[float], tuple[int, int]]:
    session = Session()
    await session.start(folder, debounce)
    try:
        opened = time.perf_counter()
        uris = []
        for path in paths:
            uri = path.as_uri()
            uris.append(uri)
            session.client.text_document_did_open(
                types.DidOpenTextDocumentParams(
                    types.TextDocumentItem(uri, "yaml", 1, path.read_text(encoding="utf-8"))
                )
            )
        cold = max([await session.wait(uri, 1) for uri in uris]) - opened
        text = paths[0].read_text(encoding="utf-8")
        # Type into the first block of prose: the model changes with every keystroke, so every
        # open lesson is checked again, as it must be.
        block = re.search(r": [|>][-+]?\n( *)", text)
        assert block is not None, "the synthetic lessons have block scalars"
        at = block.end() + 1
        latencies = []
        for version in range(2, edits + 2):
            # The server takes whole texts (TextDocumentSyncKind.Full), as editors then send.
            typed = text[:at] + "x" + text[at:] if version % 2 == 0 else text
            sent = time.perf_counter()
            session.client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(uri=uris[0], version=version),
                    [types.TextDocumentContentChangeWholeDocument(text=typed)],
                )
            )
            latencies.append(await session.wait(uris[0], version) - sent)
        return cold, latencies, session.memory()
    finally:
        await session.stop()


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lessons", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--keep", type=Path, help="build the course here and keep it (reused)")
    args = parser.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="lessonkit-bench-lsp-"))
    try:
        lessons = folder / "lessons"
        if not (args.keep and len(list(lessons.glob("lesson-*.yaml"))) == args.lessons):
            shutil.rmtree(folder, ignore_errors=True)
            build(folder, args.lessons)
        middle = args.lessons // 2
        paths = [
            (lessons / f"lesson-{index:04d}.yaml").resolve()
            for index in (middle, middle + 1, middle + 5)
        ]
        results = {}
        for debounce in (0.0, DEBOUNCE):
            results[debounce] = asyncio.run(measure(folder.resolve(), paths, args.edits, debounce))
        cold, _, (rss, peak) = results[0.0]
        print(f"lessons:                {args.lessons}, three open, typing into {paths[0].name}")
        print(f"first diagnostics:      {cold:.2f} s after opening (the whole course read)")
        for debounce, (_, latencies, _) in results.items():
            label = "check alone" if debounce == 0 else f"with {debounce:.2f} s debounce"
            print(
                f"didChange -> publish:   median {statistics.median(latencies) * 1000:.0f} ms, "
                f"p95 {p95(latencies) * 1000:.0f} ms  ({label}, {len(latencies)} edits)"
            )
        print(f"server memory:          {rss / 1024:.0f} MiB resident, {peak / 1024:.0f} MiB peak")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
