"""Output formats for `validate`, one function per format in one registry.

`--format NAME` looks the name up in FORMATTERS; adding a format is adding one function here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from xml.etree import ElementTree

import click

from .. import __version__
from ..check import rules
from ..check.ruledoc import describe_rule, parse
from ..check.validate import Result
from ..core.diagnostics import Diagnostic, Severity

Formatter = Callable[[Result], str]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# The colour of each severity in the text format (its code, and its count in the summary).
_COLOR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _paint(text: str, color: bool, fg: str | None = None) -> str:
    """`text` in bold (and in `fg`) when colouring."""
    return click.style(text, fg=fg, bold=True) if color else text


def summary_line(result: Result, *, color: bool = False) -> str:
    """`Checked 14 files: 2 errors, 1 warning.` or `Checked 14 files: no problems.`; with
    `color`, each count in its severity's colour and a clean result in green."""
    counts = [
        _paint(_plural(result.count(severity), name), color, fg=_COLOR[severity])
        for severity, name in (
            (Severity.ERROR, "error"),
            (Severity.WARNING, "warning"),
            (Severity.INFO, "note"),
        )
        if result.count(severity)
    ]
    found = ", ".join(counts) if counts else _paint("no problems", color, fg="green")
    return f"Checked {_plural(result.files, 'file')}: {found}."


def statistics(result: Result) -> str:
    """Counts per code, most frequent first: `   3  W002  double-hyphen-dash`."""
    counts: dict[str, int] = {}
    for diagnostic in result.diagnostics:
        counts[diagnostic.code] = counts.get(diagnostic.code, 0) + 1
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(f"{count:>5}  {code}  {rules.get(code).name}\n" for code, count in ordered)


def format_text(result: Result, *, color: bool = False) -> str:
    """One `path:line:col: CODE message` line per diagnostic, then a summary line.

    With `color` (ANSI styles, for a terminal): the location in bold, the code in its
    severity's colour, and the summary's counts; the text is the same once they are removed.
    """
    if color:
        lines = [
            f"{_paint(f'{d.path}:{d.line}:{d.column}:', color)} "
            f"{_paint(d.code, color, _COLOR[d.severity])} {d.message}"
            for d in result.diagnostics
        ]
    else:
        lines = [str(diagnostic) for diagnostic in result.diagnostics]
    lines.append(summary_line(result, color=color))
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


# --- GitHub Actions workflow commands ------------------------------------------------------

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _github_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(result: Result) -> str:
    """`::error file=...,line=...,col=...,endLine=...,endColumn=...,title=CODE name::message`.

    GitHub shows only a few annotations per step; `step_summary` writes the full list.
    """
    lines = []
    for d in result.diagnostics:
        properties = [("file", d.path), ("line", str(d.line)), ("col", str(d.column))]
        if d.end_line is not None:
            properties += [("endLine", str(d.end_line)), ("endColumn", str(d.end_column))]
        properties.append(("title", f"{d.code} {rules.get(d.code).name}"))
        joined = ",".join(f"{key}={_github_property(value)}" for key, value in properties)
        lines.append(f"::{_GITHUB_LEVEL[d.severity]} {joined}::{_github_data(d.message)}")
    lines.append(summary_line(result))
    return "\n".join(lines) + "\n"


def step_summary(result: Result) -> str:
    """A Markdown report of every diagnostic, for `$GITHUB_STEP_SUMMARY`."""
    lines = ["## lessonkit validate", "", summary_line(result), ""]
    if result.diagnostics:
        lines += ["| file | line | code | severity | message |", "|---|---|---|---|---|"]
        for d in result.diagnostics:
            message = d.message.replace("|", "\\|")
            lines.append(
                f"| `{d.path}` | {d.line}:{d.column} | {d.code} | {d.severity.value} | {message} |"
            )
        lines.append("")
    return "\n".join(lines)


# --- SARIF 2.1.0 -----------------------------------------------------------------------------

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def fingerprints(diagnostics: list[Diagnostic]) -> list[str]:
    """A stable identity per diagnostic: rule, file, field and message, not line numbers,
    so editing elsewhere in a file keeps the others' identities (SARIF, baselines)."""
    seen: dict[str, int] = {}
    result = []
    for d in diagnostics:
        base = "\0".join((d.code, d.path, d.field or "", d.message))
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        digest = hashlib.sha256(f"{base}\0{occurrence}".encode()).hexdigest()[:32]
        result.append(digest)
    return result


def format_sarif(result: Result) -> str:
    """A SARIF 2.1.0 log: rule metadata from the registry, results with regions."""
    codes = sorted(rules.REGISTRY)
    index = {code: position for position, code in enumerate(codes)}
    descriptors = []
    for code in codes:
        rule = rules.get(code)
        doc = parse(rule.doc)
        descriptors.append(
            {
                "id": code,
                "name": rule.name,
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": doc.what},
                "help": {
                    "text": describe_rule(code),
                    "markdown": f"{doc.what}\n\n**Why:** {doc.why}\n\nBad:\n```yaml\n{doc.bad}\n```"
                    f"\n\nGood:\n```yaml\n{doc.good}\n```",
                },
                "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
                "properties": {"tags": [rules.FAMILIES[code[0]]]},
            }
        )
    results = []
    for d, fingerprint in zip(result.diagnostics, fingerprints(result.diagnostics), strict=True):
        region: dict[str, int] = {"startLine": d.line, "startColumn": d.column}
        if d.end_line is not None and d.end_column is not None:
            region |= {"endLine": d.end_line, "endColumn": d.end_column}
        results.append(
            {
                "ruleId": d.code,
                "ruleIndex": index[d.code],
                "level": _SARIF_LEVEL[d.severity],
                "message": {"text": d.message},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                            "region": region,
                        }
                    }
                ],
                "partialFingerprints": {"lessonkitFinding/v1": fingerprint},
            }
        )
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "lessonkit",
                        "version": __version__,
                        "informationUri": "https://github.com/lessonkit/lessonkit",
                        "rules": descriptors,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


# --- JUnit XML ---------------------------------------------------------------------------------


def format_junit(result: Result) -> str:
    """One test case per file checked, one failure per diagnostic in it."""
    by_file: dict[str, list[Diagnostic]] = {path: [] for path in result.checked}
    for d in result.diagnostics:
        by_file.setdefault(d.path, []).append(d)
    failures = sum(1 for found in by_file.values() if found)
    suites = ElementTree.Element(
        "testsuites", name="lessonkit", tests=str(len(by_file)), failures=str(failures)
    )
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="lessonkit validate",
        tests=str(len(by_file)),
        failures=str(failures),
        errors="0",
        skipped="0",
    )
    for path, found in by_file.items():
        case = ElementTree.SubElement(
            suite, "testcase", classname=path.rsplit("/", 1)[0] if "/" in path else ".", name=path
        )
        case.set("file", path)
        for d in found:
            failure = ElementTree.SubElement(
                case, "failure", type=d.code, message=f"{d.severity.value}: {d.message}"
            )
            failure.text = str(d)
    ElementTree.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        + ElementTree.tostring(suites, encoding="unicode")
        + "\n"
    )


FORMATTERS: dict[str, Formatter] = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "sarif": format_sarif,
    "junit": format_junit,
}
