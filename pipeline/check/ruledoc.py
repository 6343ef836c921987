"""Rule documentation, read from the registry: `lessonkit rules`, `lessonkit rule`, docs/rules.md.

A rule's docstring has a fixed shape: a paragraph saying what it checks, a paragraph starting
"Why:", then a "Bad:" and a "Good:" example, each an indented YAML fragment. `parse` splits it
into those parts; a test checks that every rule's docstring has all four.
"""

from __future__ import annotations

import inspect
import json
import textwrap
from dataclasses import dataclass

from . import rules
from .registry import Rule


@dataclass(frozen=True)
class RuleDoc:
    """The four parts of a rule's docstring."""

    what: str
    why: str
    bad: str
    good: str


@dataclass(frozen=True)
class OptionDoc:
    name: str
    default: str
    description: str


def parse(doc: str) -> RuleDoc:
    """Split a rule docstring into what / why / bad / good (empty strings where missing)."""
    text = inspect.cleandoc(doc)
    head, _, examples = text.partition("\nBad:\n")
    bad, _, good = examples.partition("\nGood:\n")
    what, _, why = head.partition("\nWhy: ")
    why = " ".join(why.split())
    return RuleDoc(
        what=" ".join(what.split()),
        why=why[:1].upper() + why[1:],
        bad=textwrap.dedent(bad).strip("\n"),
        good=textwrap.dedent(good).strip("\n"),
    )


def options(rule: Rule) -> list[OptionDoc]:
    """The rule's options with their defaults, for docs and `lessonkit rule`."""
    if rule.options is None:
        return []
    defaults = rule.options().model_dump(mode="json")
    return [
        OptionDoc(name, json.dumps(defaults[name], ensure_ascii=False), info.description or "")
        for name, info in rule.options.model_fields.items()
    ]


def rule_table(prefix: str = "") -> str:
    """One line per rule: code, severity, name, summary."""
    lines = []
    for code, rule in sorted(rules.REGISTRY.items()):
        if code.startswith(prefix):
            fix = " (fixable)" if rule.fixable else ""
            lines.append(f"{code}  {rule.severity.value:<7}  {rule.name:<38}  {rule.summary}{fix}")
    return "\n".join(lines)


def describe_rule(code: str) -> str:
    """The full text `lessonkit rule CODE` prints; KeyError for an unknown code."""
    rule = rules.get(code)
    doc = parse(rule.doc)
    fix = ", fixable with --fix" if rule.fixable else ""
    parts = [
        f"{rule.code} {rule.name} ({rule.severity.value} by default{fix})",
        rule.summary,
        "",
        "What it checks",
        textwrap.indent(textwrap.fill(doc.what, 96), "  "),
        "",
        "Why",
        textwrap.indent(textwrap.fill(doc.why, 96), "  "),
        "",
        "Bad",
        textwrap.indent(doc.bad, "    "),
        "",
        "Good",
        textwrap.indent(doc.good, "    "),
    ]
    listed = options(rule)
    if listed:
        parts += ["", f"Options ([tool.lessonkit.rules.{rule.code}])"]
        parts += [f"  {o.name} = {o.default}  # {o.description}" for o in listed]
    return "\n".join(parts)


def families() -> list[tuple[str, str, list[tuple[Rule, RuleDoc, list[OptionDoc]]]]]:
    """(letter, title, rules) per family, for docs/rules.md."""
    grouped = []
    for letter, title in rules.FAMILIES.items():
        members = [
            (rule, parse(rule.doc), options(rule))
            for code, rule in sorted(rules.REGISTRY.items())
            if code.startswith(letter)
        ]
        if members:
            grouped.append((letter, title, members))
    return grouped
