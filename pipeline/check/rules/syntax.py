"""S family: the file can be read, parsed and matched against its schema.

These are applied while loading (`lessonkit.load`) and validating against the Pydantic models
(`lessonkit.documents`); here they are only declared, so that they have one home in the registry.
"""

from __future__ import annotations

from ...core.diagnostics import Severity
from ..registry import declare

declare(
    "S001",
    "yaml-syntax",
    "YAML syntax error",
    Severity.ERROR,
    """
    Checks that the file is well-formed YAML, and reports the parser's own line and column.

    Why: nothing else can be checked in a file that does not parse. Tabs used for indentation
    are the most common cause; YAML indents with spaces only.

    Bad:
        title: The Training Loop
        module "2.1"

    Good:
        title: The Training Loop
        module: "2.1"
    """,
)

declare(
    "S002",
    "schema",
    "Schema violation: missing field, wrong type, bad enum value, unknown field",
    Severity.ERROR,
    """
    Checks the file against its model (lesson, review or curriculum): required fields present,
    values of the right type, enum values spelled exactly, no unknown fields. The position is the
    offending key or value; a missing field points at the mapping that lacks it.

    Why: every rule and page relies on the fields being there and meaning what the schema says.
    An unknown field is usually a typo, and a typo silently drops content.

    Bad:
        prerequisites:
          - concept: nn.Linear
            required_depth: DEVELOPPED

    Good:
        prerequisites:
          - concept: nn.Linear
            required_depth: DEVELOPED
    """,
)

declare(
    "S003",
    "duplicate-key",
    "Duplicate mapping key",
    Severity.ERROR,
    """
    Checks that no mapping repeats a key. The first value is kept and the repeat is reported.

    Why: YAML parsers disagree on which value wins, and either way half of what the author
    wrote is lost without a word.

    Bad:
        title: The Training Loop
        title: Training Loops in PyTorch

    Good:
        title: The Training Loop
    """,
)

declare(
    "S004",
    "unreadable-input",
    "Unreadable input: not UTF-8, too large, YAML aliases/anchors or disallowed tags",
    Severity.ERROR,
    """
    Checks that the file is a regular UTF-8 file no larger than `max_file_size`, and uses plain
    YAML: no anchors (`&name`), aliases (`*name`), merge keys (`<<`) or tags other than the
    standard scalar, list and mapping tags, and no value the loader cannot build (a date that
    does not exist such as `2024-02-30`, a number too long to print, `!!int x`); such a value is
    read as text. A file with anchors or aliases, more than `max_nodes` values or values nested
    deeper than `max_depth` is not checked further. Also reported: more diagnostics of one code
    in a file than `max_diagnostics_per_code`, counted in one line.

    Why: lessons are read by people and by tools; anchors and aliases make a value appear in two
    places while being written in one (and a few lines of them can expand to gigabytes), and
    non-standard tags ask a loader to build arbitrary objects. Size, encoding and shape limits
    keep a stray binary or hostile file from stalling the run.

    Bad:
        misconceptions:
          - &zero-grad
            id: zero-grad
        examples:
          - *zero-grad

    Good:
        misconceptions:
          - id: zero-grad
    """,
)

declare(
    "S005",
    "invalid-suppression",
    "Suppression comment without a reason, or naming no known rule",
    Severity.ERROR,
    """
    Checks `# lessonkit: ignore[CODE, ...] reason` comments: every code must be a rule, and a
    reason must follow the closing bracket. Such a comment suppresses nothing until fixed.

    Why: a suppression is a decision someone will have to revisit; the reason is what lets
    them. A misspelt code would otherwise silence nothing while looking as if it did.

    Bad:
        is_not_about:  # lessonkit: ignore[W001]
          - No DataLoader or Dataset objects — raw tensors for data

    Good:
        is_not_about:  # lessonkit: ignore[W001] quoting the original planning document
          - No DataLoader or Dataset objects — raw tensors for data
    """,
)

declare(
    "S006",
    "unused-suppression",
    "Suppression comment that suppresses nothing",
    Severity.WARNING,
    """
    Checks that every suppression comment still silences a diagnostic of an enabled rule on
    the lines it covers.

    Why: once the text is fixed, a leftover suppression would silently hide the next real
    problem in that field.

    Bad:
        # lessonkit: ignore[W001] quoting the original
        title: The Training Loop

    Good:
        title: The Training Loop
    """,
)

declare(
    "S007",
    "internal-error",
    "A rule failed on this file (a bug in lessonkit); its other findings are kept",
    Severity.ERROR,
    """
    When a rule raises an error while checking a file, reports it there instead of ending the
    run: every other rule's findings, in this file and in the others, are still reported, and
    the error's details are printed on standard error for a bug report. The command exits 2,
    as for any internal error. A rule that checks the whole course reports its failure on the
    first file checked.

    Why: one bug in one rule must not hide every other finding of the run, and a file whose
    check did not finish must not pass silently.

    Bad:
        # lessons/x.yaml:1:1: S007 rule W001 failed on this file (ValueError: ...); its
        # findings here may be missing. This is a bug in lessonkit: please report it

    Good:
        # no S007: every rule ran to the end
    """,
)

declare(
    "S008",
    "glossary-name-conflict",
    "A glossary name given twice: a duplicate alias, or a name claimed by two concepts",
    Severity.ERROR,
    """
    Checks the course glossary (`lessons/concepts.yaml`): every name (a concept's id, its
    canonical name and each alias, compared by normalised id) belongs to one concept, once.
    The first concept that lists a name keeps it; the later one is reported at its line.

    Why: the ledger resolves a lesson's concept names through the glossary. A name claimed by
    two concepts would make a prerequisite trace to whichever comes first, silently; a
    duplicate alias is harmless but says the list was edited without being read.

    Bad:
        # lessons/concepts.yaml
        concepts:
          - id: mse-loss
            name: MSE loss
            aliases: [Mean squared error, MSE]
          - id: mean-absolute-error
            name: Mean absolute error
            aliases: [MAE, MSE]        # MSE is the first concept's

    Good:
        # lessons/concepts.yaml
        concepts:
          - id: mse-loss
            name: MSE loss
            aliases: [Mean squared error, MSE]
          - id: mean-absolute-error
            name: Mean absolute error
            aliases: [MAE]
    """,
)
