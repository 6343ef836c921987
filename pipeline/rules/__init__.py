"""The rule registry: every diagnostic code lessonkit can report, with its metadata.

`lessonkit rules`, `lessonkit rule CODE`, `docs/rules.md` and the engine's severity stamping all
read this one registry. It is built by explicit imports of the family modules below, never by
scanning a directory, so what is registered is what you see here.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from ..diagnostics import Severity


@dataclass(frozen=True)
class Rule:
    """A rule's identity and documentation.

    `doc` has a fixed shape: what the rule checks, why, then a bad and a good example.
    """

    code: str
    name: str
    summary: str
    severity: Severity
    doc: str

    @property
    def family(self) -> str:
        return self.code[0]


REGISTRY: dict[str, Rule] = {}


def declare(code: str, name: str, summary: str, severity: Severity, doc: str) -> Rule:
    """Register a rule applied by the engine itself (the S family: reading and schema)."""
    if code in REGISTRY:
        raise ValueError(f"rule {code} registered twice")
    rule = Rule(code, name, summary, severity, inspect.cleandoc(doc))
    REGISTRY[code] = rule
    return rule


def get(code: str) -> Rule:
    """The registered rule for `code`; KeyError when there is none."""
    return REGISTRY[code]


from . import syntax  # noqa: E402,F401  (registers the S family)
