"""`lessonkit lsp` end to end: a real LSP client (pytest-lsp) starts the server as a subprocess
on a copy of the reference course, opens lessons with unsaved edits, and checks what comes back:
the diagnostics `validate` gives for the same text, fixes, completion, hover and navigation.

One server serves the module (starting one per test would double the suite's time); each test
opens its documents through `editor`, which closes them again and waits for the server to
clear their diagnostics, so no test sees another's."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import AsyncIterator, Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
import pytest_lsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

from lessonkit.check.validate import run
from lessonkit.core.diagnostics import Diagnostic
from lessonkit.core.project import Project
from lessonkit.lsp.positions import Lines
from lessonkit.schemas import Config

from support import copy_reference, validate_course

LESSONKIT = str(Path(sys.executable).parent / "lessonkit")
CAPABILITIES = pytest_lsp.client_capabilities("visual-studio-code")
PUBLISH = types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
SEVERITIES = {"error": 1, "warning": 2, "info": 3}
SPACED = "No GPU training — everything"  # a W001 in training-loop's prose
CLOSED = -1  # marks a document closed until the server's clearing publish arrives

asyncio_module = pytest.mark.asyncio(loop_scope="module")


class Client(LanguageClient):
    """pytest-lsp's client, also remembering which version each publish was about."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions: dict[str, int | None] = {}


def _published(client: Client, params: types.PublishDiagnosticsParams) -> None:
    client.diagnostics[params.uri] = params.diagnostics
    client.versions[params.uri] = params.version


def _register(client: Client, params: types.RegistrationParams) -> None:
    """Accept the server's request to watch files, as editors do (pytest-lsp has no handler)."""


def make_client() -> Client:
    client = Client(converter_factory=default_converter)
    features = {
        **DEFAULT_CLIENT_FEATURES,
        PUBLISH: _published,
        types.CLIENT_REGISTER_CAPABILITY: _register,
    }
    register_lsp_features(client, features)
    return client


async def start(client: Client, folder: Path) -> None:
    await client.initialize_session(
        types.InitializeParams(
            capabilities=CAPABILITIES,
            root_uri=folder.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=folder.as_uri(), name="course")],
            initialization_options={"debounce": 0},
        )
    )


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_reference(tmp_path_factory.mktemp("course"))


@pytest_lsp.fixture(
    scope="module",
    config=ClientServerConfig(server_command=[LESSONKIT, "lsp"], client_factory=make_client),
)
async def client(lsp_client: Client, course: Path):  # type: ignore[no-untyped-def]
    await start(lsp_client, course)
    yield
    await lsp_client.shutdown_session()


class Editor:
    """The documents one test opens, edits and closes, and what the server says of them."""

    def __init__(self, client: Client, folder: Path) -> None:
        self.client = client
        self.folder = folder
        self.versions: dict[str, int] = {}

    def path(self, name: str) -> Path:
        return (self.folder / "lessons" / f"{name}.yaml").resolve()

    def text(self, name: str) -> str:
        return self.path(name).read_text(encoding="utf-8")

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.versions[uri] = 1
        self.client.text_document_did_open(
            types.DidOpenTextDocumentParams(
                types.TextDocumentItem(uri=uri, language_id="yaml", version=1, text=text)
            )
        )
        return uri

    def change(self, uri: str, text: str) -> None:
        self.versions[uri] += 1
        self.client.text_document_did_change(
            types.DidChangeTextDocumentParams(
                text_document=types.VersionedTextDocumentIdentifier(
                    uri=uri, version=self.versions[uri]
                ),
                content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
            )
        )

    async def diagnostics(
        self,
        uri: str,
        until: Callable[[Sequence[types.Diagnostic]], bool] = lambda _: True,
        timeout: float = 60,
    ) -> Sequence[types.Diagnostic]:
        """The diagnostics of the document's current version, once they satisfy `until`."""
        client = self.client

        def ready() -> bool:
            return client.versions.get(uri, CLOSED) == self.versions[uri] and until(
                client.diagnostics[uri]
            )

        async with asyncio.timeout(timeout):
            while not ready():
                await client.wait_for_notification(PUBLISH)
        return client.diagnostics[uri]

    async def close_all(self) -> None:
        client = self.client
        waiting = []
        for uri in self.versions:
            if uri in client.versions:
                client.versions[uri] = CLOSED
                waiting.append(uri)
            client.text_document_did_close(
                types.DidCloseTextDocumentParams(types.TextDocumentIdentifier(uri=uri))
            )
        async with asyncio.timeout(60):
            while any(client.versions.get(uri) == CLOSED for uri in waiting):
                await client.wait_for_notification(PUBLISH)
        for uri in waiting:
            del client.versions[uri], client.diagnostics[uri]


@pytest_asyncio.fixture(loop_scope="module")
async def editor(client: Client, course: Path) -> AsyncIterator[Editor]:
    opened = Editor(client, course)
    yield opened
    await opened.close_all()


# --- helpers -----------------------------------------------------------------------------------


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def codes(found: Sequence[types.Diagnostic]) -> set[str]:
    return {str(d.code) for d in found}


def cli(folder: Path, path: Path, texts: dict[Path, str]) -> list[Diagnostic]:
    """What `validate` says of `path` when the files hold `texts`."""
    project = Project(root=folder, config=Config())
    result = run([path], project=project, cwd=folder, texts=texts)
    assert not result.internal_errors
    return result.diagnostics


def same_as_cli(shown: Sequence[types.Diagnostic], expected: list[Diagnostic], text: str) -> None:
    lines = Lines(text)
    want = sorted(
        (d.code, lines.position(d.line, d.column), SEVERITIES[d.severity.value], d.message)
        for d in expected
    )
    got = sorted((str(d.code), d.range.start, int(d.severity or 0), d.message) for d in shown)
    assert [(c, (p.line, p.character), s, m) for c, p, s, m in got] == [
        (c, (p.line, p.character), s, m) for c, p, s, m in want
    ]


def position_of(text: str, needle: str, shift: int = 0) -> types.Position:
    """The LSP (UTF-16) position of the first `needle` in `text`, `shift` characters on."""
    return Lines(text).position_of_offset(text.index(needle) + shift)


def apply(text: str, edits: Sequence[types.TextEdit]) -> str:
    lines = Lines(text)
    spans = sorted(
        ((lines.offset(e.range.start), lines.offset(e.range.end), e.new_text) for e in edits),
        reverse=True,
    )
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


# --- diagnostics ---------------------------------------------------------------------------------

PLANTED = [
    ("title: The PyTorch Training Loop\n", "title: The PyTorch Training Loop\ntitle: Again\n"),  # S
    (  # P006, a warning: a modality without its rationale
        "      why: >-\n        This is fundamentally an API lesson. Every concept has a direct"
        " code translation. The\n        progression from manual -> wrapped manages cognitive"
        " load while building toward the full\n        picture. The student reads code as"
        " fluently as prose.\n",
        "",
    ),
    (
        "    - concept: nn.Module subclass pattern\n      depth: DEVELOPED",
        "    - concept: nn.Module subclass pattern\n      depth: APPLIED",
    ),  # C002
    ("No GPU training—everything", "No GPU \U0001f680 training — everything"),  # W001, emoji
    ("notebook: notebooks/2-1-4-training-loop.ipynb", "notebook: notebooks/gone.ipynb"),  # A001
]


@asyncio_module
async def test_unsaved_mistakes_of_every_family_as_validate_reports_them(editor: Editor) -> None:
    path = editor.path("training-loop")
    text = editor.text("training-loop")
    for old, new in PLANTED:
        text = replace_once(text, old, new)
    uri = editor.open(path, text)
    shown = await editor.diagnostics(uri)
    # Every family, at the CLI's positions (the file on disk was never changed: R001 is the
    # review gate seeing content no review covers).
    assert {"S003", "P006", "C002", "W001", "A001", "R001"} <= codes(shown)
    same_as_cli(shown, cli(editor.folder, path, {path: text}), text)
    by_code = {str(d.code): d for d in shown}
    assert by_code["S003"].range.start == position_of(text, "title: Again")
    assert by_code["C002"].range.start == position_of(text, "APPLIED")
    w001 = by_code["W001"]
    line = text.split("\n")[w001.range.start.line]
    assert w001.range.start.character == line.index("—") + 1  # the emoji is 2 UTF-16 units
    assert w001.code_description is not None
    assert w001.code_description.href.endswith("docs/rules.md#w001-em-dash-spacing")
    assert w001.source == "lessonkit"
    assert w001.severity == types.DiagnosticSeverity.Error
    assert by_code["P006"].severity == types.DiagnosticSeverity.Warning


async def _w001_actions(editor: Editor) -> tuple[str, str, list[types.CodeAction]]:
    """training-loop with a spaced em dash, and the code actions at its W001."""
    text = replace_once(editor.text("training-loop"), "No GPU training—everything", SPACED)
    uri = editor.open(editor.path("training-loop"), text)
    shown = await editor.diagnostics(uri, lambda found: "W001" in codes(found))
    w001 = next(d for d in shown if d.code == "W001")
    actions = await editor.client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=w001.range,
            context=types.CodeActionContext(diagnostics=[w001]),
        )
    )
    assert actions is not None
    return uri, text, [a for a in actions if isinstance(a, types.CodeAction)]


@asyncio_module
async def test_quick_fix_for_w001_removes_the_diagnostic(editor: Editor) -> None:
    uri, text, actions = await _w001_actions(editor)
    fix = next(a for a in actions if a.title.startswith("Fix W001"))
    assert fix.kind == types.CodeActionKind.QuickFix and fix.edit and fix.edit.changes
    fixed = apply(text, fix.edit.changes[uri])
    assert fixed == editor.text("training-loop")  # only the dash's spaces changed
    editor.change(uri, fixed)
    assert "W001" not in codes(await editor.diagnostics(uri))


@asyncio_module
async def test_suppression_with_a_reason_is_offered_above_the_field(editor: Editor) -> None:
    uri, text, actions = await _w001_actions(editor)
    suppress = next(a for a in actions if "Suppress" in a.title)
    assert suppress.edit and suppress.edit.changes
    edited = apply(text, suppress.edit.changes[uri])
    # The dash sits in a block of prose: the comment goes above the field's key, not into it.
    lines = edited.split("\n")
    comment = next(i for i, line in enumerate(lines) if "# lessonkit: ignore[W001]" in line)
    assert lines[comment + 1].strip().startswith(("body:", "- title:", "notes:"))
    # Without a reason the suppression does nothing, and S005 asks for one ...
    editor.change(uri, edited)
    assert {"W001", "S005"} <= codes(await editor.diagnostics(uri))
    # ... with the author's reason written in, the W001 is gone and nothing else is reported.
    editor.change(uri, edited.replace("ignore[W001]", "ignore[W001] quoting the plan", 1))
    assert not codes(await editor.diagnostics(uri)) & {"W001", "S005", "S006"}


@asyncio_module
async def test_one_lessons_depth_changes_another_open_lessons_diagnostics(editor: Editor) -> None:
    teacher, learner = editor.path("nn-module"), editor.path("training-loop")
    teacher_text = editor.text("nn-module")
    teacher_uri = editor.open(teacher, teacher_text)
    learner_uri = editor.open(learner, editor.text("training-loop"))
    assert "C002" not in codes(await editor.diagnostics(learner_uri))
    await editor.diagnostics(teacher_uri)
    lowered = replace_once(
        teacher_text,
        "      - concept: nn.Module subclass pattern\n        depth: DEVELOPED",
        "      - concept: nn.Module subclass pattern\n        depth: INTRODUCED",
    )
    editor.change(teacher_uri, lowered)  # unsaved: the file still says DEVELOPED
    shown = await editor.diagnostics(learner_uri, lambda found: "C002" in codes(found))
    # Both claims of the concept (student state and prerequisites), where validate puts them.
    expected = [d for d in cli(editor.folder, learner, {teacher: lowered}) if d.code == "C002"]
    assert len(expected) == 2
    assert all("nn.Module subclass pattern" in d.message for d in expected)
    assert sorted(
        (d.range.start.line + 1, d.range.start.character + 1, d.message)
        for d in shown
        if d.code == "C002"
    ) == sorted((d.line, d.column, d.message) for d in expected)
    editor.change(teacher_uri, teacher_text)  # undone: the claims are right again
    await editor.diagnostics(learner_uri, lambda found: "C002" not in codes(found))


@asyncio_module
async def test_a_broken_buffer_gets_s001_and_the_server_keeps_working(editor: Editor) -> None:
    text = editor.text("optimizers")
    uri = editor.open(editor.path("optimizers"), text + "oops: [unclosed\n")
    assert codes(await editor.diagnostics(uri)) == {"S001"}
    other = editor.open(editor.path("tensors"), editor.text("tensors"))
    assert not await editor.diagnostics(other)
    hover = await editor.client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(1, 1))
    )
    assert hover is not None  # the `id` field's documentation, from a buffer that does not parse
    editor.change(uri, text)
    assert not await editor.diagnostics(uri)


@asyncio_module
async def test_yaml_outside_lessons_and_reviews_is_left_alone(editor: Editor) -> None:
    workflow = editor.folder / ".github" / "ci.yaml"
    workflow.parent.mkdir(exist_ok=True)
    workflow.write_text("on: push\n", encoding="utf-8")
    outside = editor.open(workflow.resolve(), "on: push\n")
    inside = editor.open(editor.path("tensors"), editor.text("tensors"))
    await editor.diagnostics(inside)
    assert outside not in editor.client.diagnostics


def watched(editor: Editor, *paths: Path) -> None:
    """Tell the server files changed on disk, as an editor watching them does."""
    editor.client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=path.as_uri(), type=types.FileChangeType.Changed)
                for path in paths
            ]
        )
    )


@asyncio_module
async def test_a_saved_change_to_a_closed_lesson_reaches_the_open_ones(editor: Editor) -> None:
    teacher = editor.path("nn-module")
    saved = teacher.read_text(encoding="utf-8")
    uri = editor.open(editor.path("training-loop"), editor.text("training-loop"))
    assert "C002" not in codes(await editor.diagnostics(uri))
    try:
        teacher.write_text(
            replace_once(
                saved,
                "      - concept: nn.Module subclass pattern\n        depth: DEVELOPED",
                "      - concept: nn.Module subclass pattern\n        depth: INTRODUCED",
            ),
            encoding="utf-8",
        )
        watched(editor, teacher)
        await editor.diagnostics(uri, lambda found: "C002" in codes(found))
    finally:
        teacher.write_text(saved, encoding="utf-8")
        watched(editor, teacher)
    await editor.diagnostics(uri, lambda found: "C002" not in codes(found))


@asyncio_module
async def test_a_broken_configuration_is_shown_once_and_read_again_when_fixed(
    editor: Editor, tmp_path: Path
) -> None:
    project = tmp_path / "other-course"
    (project / "lessons").mkdir(parents=True)
    shutil.copy(editor.path("tensors"), project / "lessons" / "tensors.yaml")
    config = project / "lessonkit.toml"
    config.write_text("lesson_typse = []\n", encoding="utf-8")
    lesson = (project / "lessons" / "tensors.yaml").resolve()
    uri = editor.open(lesson, lesson.read_text(encoding="utf-8"))
    async with asyncio.timeout(60):
        while not any("lesson_typse" in m.message for m in editor.client.messages):
            await editor.client.wait_for_notification(types.WINDOW_SHOW_MESSAGE)
    message = next(m for m in editor.client.messages if "lesson_typse" in m.message)
    assert message.type == types.MessageType.Error and "lessonkit.toml" in message.message
    # The other project is unaffected, and fixing the file brings this one back.
    other = editor.open(editor.path("tensors"), editor.text("tensors"))
    assert not await editor.diagnostics(other)
    config.write_text("", encoding="utf-8")
    watched(editor, config)
    found = await editor.diagnostics(uri)
    assert "C006" not in codes(found) and "S002" not in codes(found)


# --- completion ----------------------------------------------------------------------------------


async def _completion(
    editor: Editor, uri: str, text: str, offset: int
) -> list[types.CompletionItem]:
    result = await editor.client.text_document_completion_async(
        types.CompletionParams(
            types.TextDocumentIdentifier(uri=uri), Lines(text).position_of_offset(offset)
        )
    )
    assert isinstance(result, types.CompletionList)
    return sorted(result.items, key=lambda item: item.sort_text or item.label)


@asyncio_module
async def test_concept_completion_offers_what_the_ledger_has_before_this_lesson(
    editor: Editor,
) -> None:
    text = editor.text("optimizers")
    uri = editor.open(editor.path("optimizers"), text)
    await editor.diagnostics(uri)
    course = validate_course(editor.folder).course
    assert course is not None
    ledger = course.ledger
    before = ledger.state_before(ledger.order.index("optimizers"))
    # The first prerequisite row's concept, with the cursor after its first three letters.
    prerequisites = text.index("  prerequisites:")
    at = text.index("    - concept: ", prerequisites) + len("    - concept: ") + 3
    items = {item.label: item for item in await _completion(editor, uri, text, at)}
    assert set(items) == {teaching.concept for teaching in before.values()}
    taught_later = {t.concept for t in ledger.taught["training-loop"].values()}
    assert taught_later - set(items)  # training-loop comes later: its new concepts are not offered
    for teaching in before.values():
        detail = items[teaching.concept].detail
        assert detail is not None and detail.startswith(teaching.depth)
        assert (teaching.lesson or "assumed") in detail


@asyncio_module
async def test_completion_of_sources_ids_enums_and_field_names(editor: Editor) -> None:
    text = editor.text("training-loop")
    row = "      source: loss-functions\n      notes: Formula"
    text = replace_once(text, row, row.replace("loss-functions", "lo"))
    hook = "      modalities: [heartbeat-analogy]\n      notes: |\n        Type: recognition"
    text = replace_once(text, hook, hook.replace("analogy]", "analogy, ]"))
    uri = editor.open(editor.path("training-loop"), text)
    await editor.diagnostics(uri)

    async def labels(offset: int) -> list[str]:
        return [item.label for item in await _completion(editor, uri, text, offset)]

    sources = await labels(text.index("source: lo\n") + len("source: lo"))
    assert sources[0] == "nn-module"  # the nearest earlier lesson first
    assert "training-loop" not in sources and "loss-functions" in sources
    assert len(sources) == 12  # every lesson before training-loop, none after
    modalities = await labels(text.index("heartbeat-analogy, ]") + len("heartbeat-analogy, "))
    assert set(modalities) == {
        "concrete-example",
        "symbolic-code",
        "visual-side-by-side",
        "heartbeat-analogy",
        "of-course-intuition",
    }
    depth = await labels(text.index("depth: DEVELOPED") + len("depth: DEV"))
    assert depth == ["MENTIONED", "INTRODUCED", "DEVELOPED", "APPLIED"]
    kind = await labels(text.index("      kind: hook") + len("      kind: h"))
    assert "hook" in kind and "negative-example" in kind
    # A field name in a student-state row that has concept, depth, source and notes already.
    missing = await labels(text.index("      notes: Formula, squaring") + len("      "))
    assert "id" in missing and "depth" not in missing


# --- hover and navigation ------------------------------------------------------------------------


@asyncio_module
async def test_hover_on_a_code_a_concept_a_source_and_a_field(editor: Editor) -> None:
    text = replace_once(editor.text("training-loop"), "No GPU training—everything", SPACED)
    uri = editor.open(editor.path("training-loop"), text)
    shown = await editor.diagnostics(uri, lambda found: "W001" in codes(found))
    w001 = next(d for d in shown if d.code == "W001")

    async def hover(position: types.Position) -> str:
        result = await editor.client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri=uri), position)
        )
        assert result is not None and isinstance(result.contents, types.MarkupContent)
        return result.contents.value

    on_code = await hover(w001.range.start)
    assert "W001" in on_code and "Why" in on_code and "rules.md#w001" in on_code
    on_concept = await hover(position_of(text, "concept: nn.Sequential", len("concept: ")))
    assert "`nn-module`" in on_concept and "INTRODUCED" in on_concept
    on_source = await hover(position_of(text, "source: loss-functions", len("source: ")))
    assert "`loss-functions`" in on_source and "Teaches" in on_source
    on_field = await hover(position_of(text, "gap_resolution:", 2))
    assert "Analysis.gap_resolution" in on_field


@asyncio_module
async def test_definitions_references_and_symbols(editor: Editor) -> None:
    text = editor.text("training-loop")
    uri = editor.open(editor.path("training-loop"), text)
    await editor.diagnostics(uri)
    here = types.TextDocumentIdentifier(uri=uri)
    client = editor.client

    source = await client.text_document_definition_async(
        types.DefinitionParams(here, position_of(text, "source: loss-functions", len("source: ")))
    )
    assert isinstance(source, list) and len(source) == 1
    assert source[0].uri == editor.path("loss-functions").as_uri()
    target = editor.text("loss-functions")
    assert source[0].range.start == position_of(target, "\nid: ", len("\nid: "))

    concept = await client.text_document_definition_async(
        types.DefinitionParams(here, position_of(text, "concept: nn.Sequential", len("concept: ")))
    )
    assert isinstance(concept, list) and len(concept) == 1
    assert concept[0].uri == editor.path("nn-module").as_uri()
    teacher = editor.text("nn-module")
    taught = teacher.index("    target_depths:")
    row = teacher.index("      - concept: nn.Sequential", taught) + len("      - concept: ")
    assert concept[0].range.start == Lines(teacher).position_of_offset(row)

    planned = await client.text_document_definition_async(
        types.DefinitionParams(here, position_of(text, "[heartbeat-analogy]", 1))
    )
    assert isinstance(planned, list) and len(planned) == 1
    assert planned[0].range.start == position_of(text, "- id: heartbeat-analogy", len("- id: "))

    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=here,
            position=position_of(text, "concept: nn.Sequential", len("concept: ")),
            context=types.ReferenceContext(include_declaration=True),
        )
    )
    assert references is not None
    assert {Path(r.uri.removeprefix("file://")).name for r in references} >= {
        "nn-module.yaml",
        "training-loop.yaml",
    }

    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=here)
    )
    assert symbols is not None
    design = next(s for s in symbols if isinstance(s, types.DocumentSymbol) and s.name == "design")
    outline = next(s for s in design.children or [] if s.name == "outline")
    hook = next(s for s in outline.children or [] if s.name.startswith("Hook"))
    assert hook.name == 'Hook—"You Have Already Written This"' and hook.detail == "hook"


# --- never dies --------------------------------------------------------------------------------

_EDIT_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(":-[]{}#&*!|>'\"\n\t ,—`$\\\u2028\ufeff")),
        st.characters(codec="utf-8"),
    ),
    max_size=12,
)
_EDITS = st.lists(
    st.tuples(st.floats(0, 1), st.floats(0, 0.02), _EDIT_TEXT), min_size=10, max_size=25
)


@pytest.mark.slow
@settings(
    max_examples=3,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=_EDITS)
def test_random_edits_never_take_the_server_down(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[float, float, str]]
) -> None:
    folder = copy_reference(tmp_path_factory.mktemp("fuzz"))
    asyncio.run(_fuzz(folder, edits))
    shutil.rmtree(folder, ignore_errors=True)


async def _fuzz(folder: Path, edits: list[tuple[float, float, str]]) -> None:
    client = make_client()
    await client.start_io(LESSONKIT, "lsp")
    try:
        await start(client, folder)
        editor = Editor(client, folder)
        original = editor.text("autograd")
        uri = editor.open(editor.path("autograd"), original)
        baseline = await editor.diagnostics(uri)
        text = original
        for where, size, insert in edits:
            begin = int(where * len(text))
            end = min(len(text), begin + int(size * len(text)))
            text = text[:begin] + insert + text[end:]
            editor.change(uri, text)
            if editor.versions[uri] % 5 == 0:  # ask things of the mangled buffer too
                here = types.TextDocumentIdentifier(uri=uri)
                at = Lines(text).position_of_offset(begin)
                await client.text_document_hover_async(types.HoverParams(here, at))
                await client.text_document_completion_async(types.CompletionParams(here, at))
                await client.text_document_definition_async(types.DefinitionParams(here, at))
                await client.text_document_document_symbol_async(types.DocumentSymbolParams(here))
        await editor.diagnostics(uri)  # the last edit's diagnostics arrive
        editor.change(uri, original)
        # Back to the saved text: the diagnostics of the start, from a server that is alive.
        assert await editor.diagnostics(uri) == baseline
        assert client._server is not None and client._server.returncode is None
    finally:
        await client.shutdown_session()
        await client.stop()
