"""Output formats for `validate`, one function per format in one registry.

`--format NAME` looks the name up in FORMATTERS; adding a format is adding one function here.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from .diagnostics import Diagnostic, Severity
from .validate import Result

Formatter = Callable[[Result], str]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(result: Result) -> str:
    """`Checked 14 files: 2 errors, 1 warning.` or `Checked 14 files: no problems.`"""
    counts = [
        _plural(result.count(severity), name)
        for severity, name in (
            (Severity.ERROR, "error"),
            (Severity.WARNING, "warning"),
            (Severity.INFO, "note"),
        )
        if result.count(severity)
    ]
    found = ", ".join(counts) if counts else "no problems"
    return f"Checked {_plural(result.files, 'file')}: {found}."


def statistics(result: Result) -> str:
    """Counts per code, most frequent first: `   3  W002  double-hyphen-dash`."""
    from . import rules

    counts: dict[str, int] = {}
    for diagnostic in result.diagnostics:
        counts[diagnostic.code] = counts.get(diagnostic.code, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:>5}  {code}  {rules.get(code).name}\n" for code, count in ordered)


def format_text(result: Result) -> str:
    """One `path:line:col: CODE message` line per diagnostic, then a summary line."""
    lines = [str(diagnostic) for diagnostic in result.diagnostics]
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def diagnostic_json(diagnostic: Diagnostic) -> dict[str, object]:
    """The JSON object of one diagnostic (SPEC's contract); optional keys only when known."""
    item: dict[str, object] = {
        "code": diagnostic.code,
        "severity": diagnostic.severity.value,
        "path": diagnostic.path,
        "line": diagnostic.line,
        "column": diagnostic.column,
        "message": diagnostic.message,
    }
    if diagnostic.end_line is not None:
        item["end_line"] = diagnostic.end_line
        item["end_column"] = diagnostic.end_column
    item["fixable"] = diagnostic.fixable
    return item


def format_json(result: Result) -> str:
    """`{"version": 1, "diagnostics": [...], "summary": {...}}`."""
    document = {
        "version": 1,
        "diagnostics": [diagnostic_json(diagnostic) for diagnostic in result.diagnostics],
        "summary": {
            "files": result.files,
            "errors": result.count(Severity.ERROR),
            "warnings": result.count(Severity.WARNING),
            "infos": result.count(Severity.INFO),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
}
