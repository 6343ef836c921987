"""The `lessonkit` command line: thin click commands over plain functions.

Exit codes: 0 clean (warnings allowed), 1 when an error-level diagnostic is reported,
2 for usage errors, bad configuration and internal errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .errors import LessonkitError
from .project import open_project
from .report import FORMATTERS
from .validate import default_paths, run


@click.group(name="lessonkit", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lessonkit")
def main() -> None:
    """Validate, check and render lessons written as structured YAML."""


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(sorted(FORMATTERS)),
    default="text",
    show_default=True,
    help="Output format.",
)
def validate_command(paths: tuple[Path, ...], output_format: str) -> None:
    """Check lessons, reviews and the curriculum (default: the project's lessons/ and reviews/).

    Never writes to any file.
    """
    sys.exit(validate_main(paths=list(paths), output_format=output_format, cwd=Path.cwd()))


def validate_main(*, paths: list[Path], output_format: str, cwd: Path) -> int:
    """Run validate and print its report; returns the exit code."""
    try:
        project = open_project(cwd)
        targets = paths or default_paths(project)
    except LessonkitError as error:
        click.echo(f"lessonkit: {error}", err=True)
        return 2
    result = run(targets, project=project, cwd=cwd)
    click.echo(FORMATTERS[output_format](result), nl=False)
    for message in result.internal_errors:
        click.echo(f"lessonkit: {message}", err=True)
    return result.exit_code
