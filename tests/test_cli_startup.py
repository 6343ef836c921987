"""Start-up: the commands that need no course import none of the heavy wings."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lessonkit.cli import FORMAT_NAMES
from lessonkit.output.formats import FORMATTERS

# Imported by render, serve and the language server only; a quick command must not pay for them.
HEAVY = ("lessonkit.site", "lessonkit.lsp", "latex2mathml", "pygments", "watchfiles", "jinja2")

PROBE = """
import sys
from lessonkit.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
heavy = sorted(m for m in sys.modules if m.split(".")[0] in {heavy_roots} or m.startswith({heavy}))
print(code, ",".join(heavy), file=sys.stderr)
"""


def test_format_names_are_the_formatters() -> None:
    assert sorted(FORMAT_NAMES) == sorted(FORMATTERS)


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["rule", "S001"], ["--help"]])
def test_quick_commands_import_no_heavy_wing(args: list[str]) -> None:
    roots = {name for name in HEAVY if "." not in name}
    source = PROBE.format(heavy_roots=roots, heavy=tuple(n + "." for n in HEAVY if "." in n))
    completed = subprocess.run(
        [sys.executable, "-c", source, *args], capture_output=True, text=True, check=True
    )
    code, _, imported = completed.stderr.strip().splitlines()[-1].partition(" ")
    assert code in ("0", "None")
    assert imported == ""
