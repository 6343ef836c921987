"""`lessonkit lsp` end to end: a real LSP client (pytest-lsp) starts the server as a subprocess
on a copy of the reference course, opens lessons with unsaved edits, and checks what comes back:
the diagnostics `validate` gives for the same text, fixes, completion, hover and navigation."""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import pytest_lsp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

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


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[LESSONKIT, "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: Path):  # type: ignore[no-untyped-def]
    accept_registrations(lsp_client)
    project = copy_reference(tmp_path)
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=CAPABILITIES,
            root_uri=project.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=project.as_uri(), name="course")],
            initialization_options={"debounce": 0},
        )
    )
    yield
    await lsp_client.shutdown_session()


# --- helpers -----------------------------------------------------------------------------------


def accept_registrations(client: LanguageClient) -> None:
    """Answer the server's request to watch files, as editors do (pytest-lsp does not)."""

    @client.feature(types.CLIENT_REGISTER_CAPABILITY)
    def register(params: types.RegistrationParams) -> None:
        return None


def lesson(folder: Path, name: str) -> Path:
    return (folder / "lessons" / f"{name}.yaml").resolve()


def replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def open_text(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            types.TextDocumentItem(uri=uri, language_id="yaml", version=version, text=text)
        )
    )
    return uri


def change_text(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics(
    client: LanguageClient,
    uri: str,
    until: Callable[[Sequence[types.Diagnostic]], bool] = lambda _: True,
    timeout: float = 60,
) -> Sequence[types.Diagnostic]:
    """The diagnostics published for `uri`, once they satisfy `until`."""
    async with asyncio.timeout(timeout):
        while uri not in client.diagnostics or not until(client.diagnostics[uri]):
            await client.wait_for_notification(PUBLISH)
    return client.diagnostics[uri]


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
    (
        "No GPU training—everything",
        "No GPU \U0001f680 training — everything",
    ),  # W001, after an emoji
    ("notebook: notebooks/2-1-4-training-loop.ipynb", "notebook: notebooks/gone.ipynb"),  # A001
]


def planted(folder: Path) -> str:
    text = lesson(folder, "training-loop").read_text(encoding="utf-8")
    for old, new in PLANTED:
        text = replace_once(text, old, new)
    return text


@pytest.mark.asyncio
async def test_unsaved_mistakes_of_every_family_as_validate_reports_them(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = lesson(tmp_path, "training-loop")
    text = planted(tmp_path)
    uri = open_text(client, path, text)
    shown = await diagnostics(client, uri)
    # Every family, at the CLI's positions (the file on disk was never changed: R001 is the
    # review gate seeing content no review covers).
    assert {"S003", "P006", "C002", "W001", "A001", "R001"} <= codes(shown)
    same_as_cli(shown, cli(tmp_path, path, {path: text}), text)
    by_code = {str(d.code): d for d in shown}
    assert by_code["S003"].range.start == position_of(text, "title: Again")
    assert by_code["C002"].range.start == position_of(text, "APPLIED")
    # UTF-16: the emoji before the dash takes two code units.
    w001 = by_code["W001"]
    line = text.split("\n")[w001.range.start.line]
    assert w001.range.start.character == line.index("—") + 1  # the emoji is 2 UTF-16 units
    assert w001.code_description is not None
    assert w001.code_description.href.endswith("docs/rules.md#w001-em-dash-spacing")
    assert w001.source == "lessonkit"
    assert by_code["W001"].severity == types.DiagnosticSeverity.Error
    assert by_code["P006"].severity == types.DiagnosticSeverity.Warning


@pytest.mark.asyncio
async def test_quick_fix_for_w001_removes_the_diagnostic(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = lesson(tmp_path, "training-loop")
    text = replace_once(
        path.read_text(encoding="utf-8"),
        "No GPU training—everything",
        "No GPU training — everything",
    )
    uri = open_text(client, path, text)
    shown = await diagnostics(client, uri, lambda found: "W001" in codes(found))
    w001 = next(d for d in shown if d.code == "W001")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=w001.range,
            context=types.CodeActionContext(diagnostics=[w001]),
        )
    )
    assert actions is not None
    fix = next(
        a for a in actions if isinstance(a, types.CodeAction) and a.title.startswith("Fix W001")
    )
    assert fix.kind == types.CodeActionKind.QuickFix and fix.edit and fix.edit.changes
    fixed = apply(text, fix.edit.changes[uri])
    assert "No GPU training—everything" in fixed
    change_text(client, uri, fixed, 2)
    after = await diagnostics(client, uri, lambda found: "W001" not in codes(found))
    assert "W001" not in codes(after)


@pytest.mark.asyncio
async def test_suppression_with_a_reason_is_offered_above_the_field(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = lesson(tmp_path, "training-loop")
    text = replace_once(
        path.read_text(encoding="utf-8"),
        "No GPU training—everything",
        "No GPU training — everything",
    )
    uri = open_text(client, path, text)
    shown = await diagnostics(client, uri, lambda found: "W001" in codes(found))
    w001 = next(d for d in shown if d.code == "W001")
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=w001.range,
            context=types.CodeActionContext(diagnostics=[w001]),
        )
    )
    assert actions is not None
    suppress = next(a for a in actions if isinstance(a, types.CodeAction) and "Suppress" in a.title)
    assert suppress.edit and suppress.edit.changes
    edited = apply(text, suppress.edit.changes[uri])
    # The dash sits in a block of prose: the comment goes above the field's key, not into it.
    lines = edited.split("\n")
    comment = next(i for i, line in enumerate(lines) if "# lessonkit: ignore[W001]" in line)
    assert lines[comment + 1].strip().startswith(("body:", "- title:", "notes:"))
    # With the author's reason written in, the W001 is gone and nothing else is reported.
    reasoned = edited.replace("ignore[W001]", "ignore[W001] quoting the planning document", 1)
    change_text(client, uri, reasoned, 2)
    after = await diagnostics(client, uri, lambda found: "W001" not in codes(found))
    assert not codes(after) & {"W001", "S005", "S006"}


@pytest.mark.asyncio
async def test_one_lessons_depth_changes_another_open_lessons_diagnostics(
    client: LanguageClient, tmp_path: Path
) -> None:
    teacher = lesson(tmp_path, "nn-module")
    learner = lesson(tmp_path, "training-loop")
    teacher_text = teacher.read_text(encoding="utf-8")
    learner_text = learner.read_text(encoding="utf-8")
    teacher_uri = open_text(client, teacher, teacher_text)
    learner_uri = open_text(client, learner, learner_text)
    assert "C002" not in codes(await diagnostics(client, learner_uri))
    await diagnostics(client, teacher_uri)
    lowered = replace_once(
        teacher_text,
        "      - concept: nn.Module subclass pattern\n        depth: DEVELOPED",
        "      - concept: nn.Module subclass pattern\n        depth: INTRODUCED",
    )
    change_text(client, teacher_uri, lowered, 2)
    shown = await diagnostics(client, learner_uri, lambda found: "C002" in codes(found))
    # Both claims of the concept (student state and prerequisites), where validate puts them.
    expected = [d for d in cli(tmp_path, learner, {teacher: lowered}) if d.code == "C002"]
    assert len(expected) == 2
    assert sorted(
        (d.range.start.line + 1, d.range.start.character + 1, d.message)
        for d in shown
        if d.code == "C002"
    ) == sorted((d.line, d.column, d.message) for d in expected)
    assert all("nn.Module subclass pattern" in d.message for d in expected)
    # Undo: the claim is right again.
    change_text(client, teacher_uri, teacher_text, 3)
    await diagnostics(client, learner_uri, lambda found: "C002" not in codes(found))


@pytest.mark.asyncio
async def test_a_broken_buffer_gets_s001_and_the_server_keeps_working(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = lesson(tmp_path, "optimizers")
    text = path.read_text(encoding="utf-8")
    uri = open_text(client, path, text + "oops: [unclosed\n")
    shown = await diagnostics(client, uri, lambda found: bool(found))
    assert codes(shown) == {"S001"}
    other = lesson(tmp_path, "tensors")
    other_uri = open_text(client, other, other.read_text(encoding="utf-8"))
    assert not await diagnostics(client, other_uri)
    hover = await client.text_document_hover_async(
        types.HoverParams(types.TextDocumentIdentifier(uri=uri), types.Position(1, 1))
    )
    assert hover is not None  # the `id` field's documentation, from a buffer that does not parse
    change_text(client, uri, text, 2)
    await diagnostics(client, uri, lambda found: not found)


@pytest.mark.asyncio
async def test_yaml_outside_lessons_and_reviews_is_left_alone(
    client: LanguageClient, tmp_path: Path
) -> None:
    workflow = tmp_path / ".github" / "ci.yaml"
    workflow.parent.mkdir()
    workflow.write_text("on: push\n", encoding="utf-8")
    outside = open_text(client, workflow.resolve(), "on: push\n")
    inside = lesson(tmp_path, "tensors")
    inside_uri = open_text(client, inside, inside.read_text(encoding="utf-8"))
    await diagnostics(client, inside_uri)
    assert outside not in client.diagnostics


# --- completion ----------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_concept_completion_offers_what_the_ledger_has_before_this_lesson(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = lesson(tmp_path, "optimizers")
    text = path.read_text(encoding="utf-8")
    uri = open_text(client, path, text)
    await diagnostics(client, uri)
    course = validate_course(tmp_path).course
    assert course is not None
    ledger = course.ledger
    before = ledger.state_before(ledger.order.index("optimizers"))
    # The first prerequisite row's concept, with the cursor after its first three letters.
    line_text = next(line for line in text.split("\n") if line.startswith("    - concept:"))
    prerequisites = text.index("  prerequisites:")
    at = text.index(line_text, prerequisites) + len("    - concept: ") + 3
    result = await client.text_document_completion_async(
        types.CompletionParams(
            types.TextDocumentIdentifier(uri=uri), Lines(text).position_of_offset(at)
        )
    )
    assert isinstance(result, types.CompletionList)
    labels = {item.label: item for item in result.items}
    assert set(labels) == {teaching.concept for teaching in before.values()}
    taught_later = {t.concept for t in ledger.taught["training-loop"].values()}
    assert taught_later - set(labels)  # training-loop comes after: its new concepts are not offered
    for teaching in before.values():
        item = labels[teaching.concept]
        assert item.detail is not None and item.detail.startswith(teaching.depth)
        assert (teaching.lesson or "assumed") in item.detail


@pytest.mark.asyncio
async def test_completion_of_sources_ids_enums_and_field_names(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = lesson(tmp_path, "training-loop")
    text = path.read_text(encoding="utf-8")
    row = "      source: loss-functions\n      notes: Formula"
    text = replace_once(text, row, row.replace("loss-functions", "lo"))
    hook = "      modalities: [heartbeat-analogy]\n      notes: |\n        Type: recognition"
    text = replace_once(text, hook, hook.replace("analogy]", "analogy, ]"))
    uri = open_text(client, path, text)
    await diagnostics(client, uri)

    async def labels(offset: int) -> list[str]:
        result = await client.text_document_completion_async(
            types.CompletionParams(
                types.TextDocumentIdentifier(uri=uri), Lines(text).position_of_offset(offset)
            )
        )
        assert isinstance(result, types.CompletionList)
        return [item.label for item in sorted(result.items, key=lambda i: i.sort_text or i.label)]

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
    row_end = text.index("      notes: Formula, squaring rationale")
    missing = await labels(row_end + len("      "))
    assert "id" in missing and "depth" not in missing


# --- hover and navigation ------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_hover_on_a_code_a_concept_a_source_and_a_field(
    client: LanguageClient, tmp_path: Path
) -> None:
    path = lesson(tmp_path, "training-loop")
    text = replace_once(
        path.read_text(encoding="utf-8"),
        "No GPU training—everything",
        "No GPU training — everything",
    )
    uri = open_text(client, path, text)
    shown = await diagnostics(client, uri, lambda found: "W001" in codes(found))
    w001 = next(d for d in shown if d.code == "W001")

    async def hover(position: types.Position) -> str:
        result = await client.text_document_hover_async(
            types.HoverParams(types.TextDocumentIdentifier(uri=uri), position)
        )
        assert result is not None and isinstance(result.contents, types.MarkupContent)
        return result.contents.value

    on_code = await hover(w001.range.start)
    assert "W001" in on_code and "Why" in on_code and "rules.md#w001" in on_code
    on_concept = await hover(position_of(text, "concept: nn.Sequential", len("concept: ")))
    assert "nn-module" in on_concept and "INTRODUCED" in on_concept
    on_source = await hover(position_of(text, "source: loss-functions", len("source: ")))
    assert "Loss Functions" in on_source or "loss-functions" in on_source
    assert "Teaches" in on_source
    on_field = await hover(position_of(text, "gap_resolution:", 2))
    assert "gap" in on_field.lower() and "Analysis.gap_resolution" in on_field


@pytest.mark.asyncio
async def test_definitions_references_and_symbols(client: LanguageClient, tmp_path: Path) -> None:
    path = lesson(tmp_path, "training-loop")
    text = path.read_text(encoding="utf-8")
    uri = open_text(client, path, text)
    await diagnostics(client, uri)
    here = types.TextDocumentIdentifier(uri=uri)

    source = await client.text_document_definition_async(
        types.DefinitionParams(here, position_of(text, "source: loss-functions", len("source: ")))
    )
    assert isinstance(source, list) and len(source) == 1
    target = lesson(tmp_path, "loss-functions")
    assert source[0].uri == target.as_uri()
    target_text = target.read_text(encoding="utf-8")
    assert source[0].range.start == position_of(target_text, "\nid: ", len("\nid: "))

    concept = await client.text_document_definition_async(
        types.DefinitionParams(here, position_of(text, "concept: nn.Sequential", len("concept: ")))
    )
    assert isinstance(concept, list) and len(concept) == 1
    teacher = lesson(tmp_path, "nn-module")
    assert concept[0].uri == teacher.as_uri()
    teacher_text = teacher.read_text(encoding="utf-8")
    taught = teacher_text.index("    target_depths:")
    row = teacher_text.index("      - concept: nn.Sequential", taught) + len("      - concept: ")
    assert concept[0].range.start == Lines(teacher_text).position_of_offset(row)

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
    files = {Path(r.uri.removeprefix("file://")).name for r in references}
    assert {"nn-module.yaml", "training-loop.yaml"} <= files

    symbols = await client.text_document_document_symbol_async(
        types.DocumentSymbolParams(text_document=here)
    )
    assert symbols is not None
    design = next(s for s in symbols if isinstance(s, types.DocumentSymbol) and s.name == "design")
    outline = next(s for s in design.children or [] if s.name == "outline")
    sections = [s.name for s in outline.children or []]
    assert 'Hook—"You Have Already Written This"' in sections
    hook = next(s for s in outline.children or [] if s.name.startswith("Hook"))
    assert hook.detail == "hook"


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
    folder = tmp_path_factory.mktemp("fuzz")
    if not (folder / "lessons").exists():
        copy_reference(folder)
    asyncio.run(_fuzz(folder, edits))
    shutil.rmtree(folder, ignore_errors=True)


async def _fuzz(folder: Path, edits: list[tuple[float, float, str]]) -> None:
    client = pytest_lsp.make_test_lsp_client()
    accept_registrations(client)
    await client.start_io(LESSONKIT, "lsp")
    try:
        await client.initialize_session(
            types.InitializeParams(
                capabilities=CAPABILITIES,
                root_uri=folder.as_uri(),
                initialization_options={"debounce": 0},
            )
        )
        path = lesson(folder, "autograd")
        original = path.read_text(encoding="utf-8")
        uri = open_text(client, path, original)
        baseline = await diagnostics(client, uri)
        text = original
        for version, (where, size, insert) in enumerate(edits, start=2):
            lines = Lines(text)
            start = int(where * len(text))
            end = min(len(text), start + int(size * len(text)))
            change = types.TextDocumentContentChangePartial(
                range=types.Range(lines.position_of_offset(start), lines.position_of_offset(end)),
                text=insert,
            )
            client.text_document_did_change(
                types.DidChangeTextDocumentParams(
                    types.VersionedTextDocumentIdentifier(uri=uri, version=version), [change]
                )
            )
            text = text[:start] + insert + text[end:]
            if version % 5 == 0:  # ask things of the mangled buffer too
                at = lines.position_of_offset(start)
                await client.text_document_hover_async(
                    types.HoverParams(types.TextDocumentIdentifier(uri=uri), at)
                )
                await client.text_document_completion_async(
                    types.CompletionParams(types.TextDocumentIdentifier(uri=uri), at)
                )
                await client.text_document_document_symbol_async(
                    types.DocumentSymbolParams(types.TextDocumentIdentifier(uri=uri))
                )
        last = len(edits) + 2
        change_text(client, uri, original, last)
        # Back to the saved text: the same diagnostics as at the start, from a live server.
        async with asyncio.timeout(60):
            while True:
                await client.wait_for_notification(PUBLISH)
                if client.diagnostics.get(uri) == baseline:
                    break
        assert client._server is not None and client._server.returncode is None
    finally:
        await client.shutdown_session()
        await client.stop()
