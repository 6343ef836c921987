"""Diagnostics as the editor shows them, and the code actions that act on them.

A diagnostic keeps the CLI's code, severity, message and position; its range is converted to
the client's position encoding, and it links to the rule's section of docs/rules.md.

Code actions: each fixable diagnostic's own fix (its `Edit` holds character offsets into the
text the check read, so it is offered only while the buffer is still that text), all fixes of
the file at once (`source.fixAll`), and a suppression comment on the line above.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from lsprotocol import types

from ..check import rules
from ..check.fixes import apply_edits
from ..core.diagnostics import Diagnostic, Edit, Severity
from .locate import Outline
from .positions import Lines

RULES_DOCS = "https://github.com/lessonkit/lessonkit/blob/main/docs/rules.md"
SOURCE = "lessonkit"
FIX_ALL = "source.fixAll.lessonkit"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# Reading problems: the file has no parsed text a comment could sit in (S001, S004), or the
# finding is about a suppression comment itself (S005, S006).
_UNSUPPRESSIBLE = frozenset({"S001", "S004", "S005", "S006"})


def rule_href(code: str) -> str:
    """The rule's section of docs/rules.md (GitHub's anchor for '### CODE name')."""
    rule = rules.REGISTRY.get(code)
    anchor = f"{code}-{rule.name}".lower() if rule else code.lower()
    return f"{RULES_DOCS}#{anchor}"


def to_lsp(diagnostic: Diagnostic, lines: Lines) -> types.Diagnostic:
    """One lessonkit diagnostic as an LSP diagnostic of the text in `lines`."""
    return types.Diagnostic(
        range=lines.range(
            diagnostic.line, diagnostic.column, diagnostic.end_line, diagnostic.end_column
        ),
        message=diagnostic.message,
        severity=_SEVERITY[diagnostic.severity],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=rule_href(diagnostic.code)),
        source=SOURCE,
    )


@dataclass(frozen=True)
class Published:
    """What was last published for a document: the text it is about and both forms of each."""

    uri: str
    version: int | None
    text: str
    pairs: list[tuple[Diagnostic, types.Diagnostic]]

    def at(self, position: types.Position) -> list[Diagnostic]:
        """The diagnostics whose range holds `position`."""
        point = (position.line, position.character)
        return [
            diagnostic
            for diagnostic, shown in self.pairs
            if (shown.range.start.line, shown.range.start.character)
            <= point
            <= (shown.range.end.line, shown.range.end.character)
        ]


def code_actions(
    published: Published,
    *,
    version: int | None,
    text: str,
    wanted: types.Range,
    only: Sequence[str] | None,
    encoding: str,
    snippets: bool,
) -> list[types.CodeAction]:
    """Quick fixes and suppressions for the diagnostics in `wanted`, and fix-all.

    Nothing when the buffer moved on since the check (`version`/`text` differ): the offsets
    would land in the wrong place, and the next check is on its way.
    """
    if published.version != version or published.text != text:
        return []
    lines = Lines(text, encoding)
    actions: list[types.CodeAction] = []
    kinds = tuple(only) if only else None

    def allowed(kind: str) -> bool:
        return kinds is None or any(kind == k or kind.startswith(k + ".") for k in kinds)

    touched = [
        (diagnostic, shown)
        for diagnostic, shown in published.pairs
        if _overlaps(shown.range, wanted)
    ]
    if allowed(types.CodeActionKind.QuickFix):
        for diagnostic, shown in touched:
            if diagnostic.edit is not None:
                actions.append(_fix(published.uri, diagnostic, shown, diagnostic.edit, lines))
        outline: Outline | None = None
        for diagnostic, shown in touched:
            if diagnostic.code in _UNSUPPRESSIBLE:
                continue
            outline = outline or Outline(text)
            actions.append(
                _suppress(published.uri, version, diagnostic, shown, outline, lines, snippets)
            )
    fixable = [d.edit for d, _ in published.pairs if d.edit is not None]
    if fixable and allowed(FIX_ALL):
        fixed, count = apply_edits(text, fixable)
        if fixed != text:
            whole = types.Range(types.Position(0, 0), lines.position_of_offset(len(text)))
            actions.append(
                types.CodeAction(
                    title=f"Fix all {count} fixable lessonkit problems in this file",
                    kind=FIX_ALL,
                    edit=types.WorkspaceEdit(
                        changes={published.uri: [types.TextEdit(whole, fixed)]}
                    ),
                )
            )
    return actions


def _overlaps(a: types.Range, b: types.Range) -> bool:
    start_a, end_a = (a.start.line, a.start.character), (a.end.line, a.end.character)
    start_b, end_b = (b.start.line, b.start.character), (b.end.line, b.end.character)
    return start_a <= end_b and start_b <= end_a


def _fix(
    uri: str, diagnostic: Diagnostic, shown: types.Diagnostic, edit: Edit, lines: Lines
) -> types.CodeAction:
    replace = types.Range(lines.position_of_offset(edit.start), lines.position_of_offset(edit.end))
    return types.CodeAction(
        title=f"Fix {diagnostic.code}: {diagnostic.message}",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[shown],
        is_preferred=True,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(replace, edit.replacement)]}),
    )


def _suppress(
    uri: str,
    version: int | None,
    diagnostic: Diagnostic,
    shown: types.Diagnostic,
    outline: Outline,
    lines: Lines,
    snippets: bool,
) -> types.CodeAction:
    """`# lessonkit: ignore[CODE] reason` on its own line above the diagnostic's field.

    Inside a multi-line value (Markdown prose) a comment line would become text, so the
    comment goes above the field's key, covering the whole field. The reason is the author's
    to write: with snippet support the cursor lands on it; without, the comment is inserted
    with none, and S005 asks for it (a suppression without a reason suppresses nothing).
    """
    target = diagnostic.line - 1
    owner = outline.owner.get(target)
    if owner is not None:
        target = owner
    line = outline.lines[target] if 0 <= target < len(outline.lines) else None
    indent = " " * (line.indent if line is not None else 0)
    comment = f"{indent}# lessonkit: ignore[{diagnostic.code}]"
    at = types.Range(lines.at(target, 0), lines.at(target, 0))
    title = f"Suppress {diagnostic.code} here (say why in the comment)"
    edit: types.WorkspaceEdit
    if snippets:
        snippet = types.SnippetTextEdit(
            at, types.StringValue(_escape(comment) + " ${1:why this is right here}\n")
        )
        edit = types.WorkspaceEdit(
            document_changes=[
                types.TextDocumentEdit(
                    types.OptionalVersionedTextDocumentIdentifier(uri=uri, version=version),
                    [snippet],
                )
            ]
        )
    else:
        edit = types.WorkspaceEdit(changes={uri: [types.TextEdit(at, comment + "\n")]})
    return types.CodeAction(
        title=title, kind=types.CodeActionKind.QuickFix, diagnostics=[shown], edit=edit
    )


def _escape(text: str) -> str:
    """Text as a literal part of a snippet."""
    return text.replace("\\", "\\\\").replace("$", "\\$").replace("}", "\\}")
