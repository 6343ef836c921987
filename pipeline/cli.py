"""The `lessonkit` command line: thin click commands over the wings' plain functions.

Exit codes: 0 clean (warnings allowed), 1 when an error-level diagnostic is reported,
2 for usage errors, bad configuration and internal errors.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import re
import signal
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec

import click

from . import __version__
from .core.errors import LessonkitError, UsageError
from .core.words import plural

# Every other wing is imported inside the command that uses it, for start-up time:
# `lessonkit --version` and `lessonkit rules` stay clear of render, Jinja, Pygments, MathML,
# the site server and the Pydantic models (bench/speed.py measures it).
if TYPE_CHECKING:
    from .check.validate import Result
    from .course import aliases

# The names of output.formats.FORMATTERS, spelled out so that --help needs no import of the
# formatters; tests/test_cli_startup.py keeps the two the same.
FORMAT_NAMES = ("github", "json", "junit", "sarif", "text")

P = ParamSpec("P")


def reports_errors(command: Callable[P, int | None]) -> Callable[P, None]:
    """Run a command body; a LessonkitError becomes one line on stderr and exit 2, and the
    body's return value (None for 0) is the exit code."""

    @wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            code = command(*args, **kwargs)
        except LessonkitError as error:
            click.echo(f"lessonkit: {error}", err=True)
            sys.exit(2)
        sys.exit(code or 0)

    return wrapper


def say(message: str) -> None:
    """A note for the user on stderr, in lessonkit's voice."""
    click.echo(f"lessonkit: {message}", err=True)


def color_option(command: Callable[P, None]) -> Callable[P, None]:
    """`--color auto|always|never`, the same on every command that colours its output."""
    return click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour the text output: auto means on a terminal, unless NO_COLOR is set.",
    )(command)


def use_color(choice: str) -> bool | None:
    """click.echo's `color` for a --color choice: None lets click colour only a terminal.
    NO_COLOR (https://no-color.org) turns auto off; an explicit --color always still wins."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    return None


@click.group(name="lessonkit", context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lessonkit")
def main() -> None:
    """Validate, check and render lessons written as structured YAML."""


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice([*FORMAT_NAMES, "auto"]),
    default="text",
    show_default=True,
    help="Output format; auto is github under GitHub Actions, else text.",
)
@click.option(
    "-o",
    "--output",
    "output_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of to standard output.",
)
@click.option(  # the spelling before -o/--output, kept for scripts that use it
    "--output-file",
    "output_file_alias",
    type=click.Path(dir_okay=False, path_type=Path),
    hidden=True,
)
@click.option(
    "--write",
    "extra_outputs",
    multiple=True,
    metavar="FORMAT:PATH",
    help="Also write the report in FORMAT to PATH (repeatable), e.g. sarif:lessonkit.sarif.",
)
@click.option(
    "--changed-since",
    metavar="REF",
    help="Report only files changed since git REF and the lessons that depend on them.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report only findings not recorded in FILE (recorded on first use).",
)
@click.option("--update-baseline", is_flag=True, help="Rewrite --baseline with today's findings.")
@click.option("--fix", is_flag=True, help="Rewrite the fixable problems (only their characters).")
@click.option("--diff", is_flag=True, help="Show the fixes as a diff; change nothing.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when errors are found.")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--statistics", is_flag=True, help="Count the problems per rule.")
@click.option("--show-settings", is_flag=True, help="Print the resolved configuration and exit.")
@color_option
def validate_command(
    paths: tuple[Path, ...],
    output_format: str,
    output_file: Path | None,
    output_file_alias: Path | None,
    extra_outputs: tuple[str, ...],
    changed_since: str | None,
    baseline: Path | None,
    update_baseline: bool,
    fix: bool,
    diff: bool,
    exit_zero: bool,
    strict: bool,
    statistics: bool,
    show_settings: bool,
    color: str,
) -> None:
    """Check lessons, reviews and the curriculum (default: the project's lessons/ and reviews/).

    Writes nothing, unless --fix is given.
    """
    sys.exit(
        validate_main(
            paths=list(paths),
            output_format=output_format,
            cwd=Path.cwd(),
            output_file=output_file or output_file_alias,
            extra_outputs=list(extra_outputs),
            changed_since=changed_since,
            baseline=baseline,
            update_baseline=update_baseline,
            fix=fix,
            diff=diff,
            exit_zero=exit_zero,
            strict=strict,
            show_statistics=statistics,
            show_settings=show_settings,
            color=color,
        )
    )


def validate_main(
    *,
    paths: list[Path],
    output_format: str,
    cwd: Path,
    output_file: Path | None = None,
    extra_outputs: list[str] | None = None,
    changed_since: str | None = None,
    baseline: Path | None = None,
    update_baseline: bool = False,
    fix: bool = False,
    diff: bool = False,
    exit_zero: bool = False,
    strict: bool = False,
    show_statistics: bool = False,
    show_settings: bool = False,
    color: str = "auto",
) -> int:
    """Run validate and print its report; returns the exit code."""
    from .check import fixes
    from .check.settings import project_settings, settings_json
    from .check.validate import default_paths, run
    from .core.project import open_project
    from .output.formats import FORMATTERS, format_text, statistics, step_summary
    from .output.narrow import narrow

    if fix and diff:
        say("--fix and --diff cannot be combined")
        return 2
    if output_format == "auto":
        output_format = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    try:
        writes = [_parse_output(spec) for spec in extra_outputs or []]
        project = open_project(cwd)
        if show_settings:
            click.echo(settings_json(project))
            return 0
        project_settings(project)  # bad rule settings fail before any work
        targets = paths or default_paths(project)
    except LessonkitError as error:
        say(str(error))
        return 2
    result = run(targets, project=project, cwd=cwd)
    fixed = 0
    if diff:
        planned = fixes.plan(result.diagnostics, cwd)
        for file_fix in planned:
            click.echo(file_fix.diff(), nl=False)
        _report_internal(result)
        return 2 if result.internal_errors else (1 if planned else 0)
    if fix:
        for file_fix in fixes.plan(result.diagnostics, cwd):
            fixes.write(file_fix)
            fixed += file_fix.count
        if fixed:
            result = run(targets, project=project, cwd=cwd)
    try:
        result = narrow(
            result,
            project=project,
            cwd=cwd,
            changed_since=changed_since,
            baseline=baseline,
            update_baseline=update_baseline,
            say=say,
        )
    except LessonkitError as error:
        say(str(error))
        return 2
    output = FORMATTERS[output_format](result)
    if show_statistics and output_format == "text":
        output = statistics(result) + output
    if output_file is not None:
        output_file.write_text(output, encoding="utf-8")
    elif output_format == "text":  # styled; click strips the colour where it does not belong
        styled = format_text(result, color=True)
        if show_statistics:
            styled = statistics(result) + styled
        click.echo(styled, nl=False, color=use_color(color))
    else:
        click.echo(output, nl=False)
    for extra_format, path in writes:
        path.write_text(FORMATTERS[extra_format](result), encoding="utf-8")
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file and output_format == "github":
        with open(summary_file, "a", encoding="utf-8") as stream:
            stream.write(step_summary(result))
    if fix:
        click.echo(f"Fixed {fixed} problem{'' if fixed == 1 else 's'}.", err=True)
    _report_internal(result)
    return exit_code(result, exit_zero=exit_zero, strict=strict)


def _parse_output(spec: str) -> tuple[str, Path]:
    name, separator, path = spec.partition(":")
    if not separator or not path or name not in FORMAT_NAMES:
        choices = ", ".join(FORMAT_NAMES)
        raise UsageError(f"--write takes FORMAT:PATH with FORMAT one of {choices}")
    return name, Path(path)


def exit_code(result: Result, *, exit_zero: bool, strict: bool) -> int:
    """0, 1 or 2 per the contract, with --exit-zero and --strict applied."""
    from .core.diagnostics import Severity

    if result.internal_errors:
        return 2
    if exit_zero:
        return 0
    if result.count(Severity.ERROR) or (strict and result.count(Severity.WARNING)):
        return 1
    return 0


def _report_internal(result: Result) -> None:
    for message in result.internal_errors:
        say(message)


@main.command("rules")
@click.argument("prefix", required=False, default="")
@reports_errors
def rules_command(prefix: str) -> None:
    """List the rules (optionally only those whose code starts with PREFIX)."""
    from .check.ruledoc import rule_table

    table = rule_table(prefix.upper())
    if not table:
        raise UsageError(f"no rule code starts with '{prefix}'")
    click.echo(table)


@main.command("rule")
@click.argument("code")
@reports_errors
def rule_command(code: str) -> None:
    """Explain one rule: what it checks, why, how to fix it, and its options."""
    from .check.ruledoc import describe_rule

    try:
        click.echo(describe_rule(code.upper()))
    except KeyError:
        raise UsageError(f"no rule {code}; `lessonkit rules` lists them") from None


@main.command("review")
@click.argument("lesson")
@click.option(
    "--sign",
    "signer",
    metavar="NAME",
    help="Sign the latest (drafted) iteration as its reviewer, instead of drafting.",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Date of the draft or signature (default: today).",
)
@click.option("--report", is_flag=True, help="Print the review report instead of drafting.")
@reports_errors
def review_command(
    lesson: str, signer: str | None, day: datetime.datetime | None, report: bool
) -> None:
    """Draft the next review iteration of LESSON (an id or a lesson file), --sign it, or
    --report it.

    The draft's findings come from the rules, the previous iteration's findings are re-checked
    for the fix-verification table, and a verdict is proposed. A draft says `draft: true` and
    opens the review gate only once a reviewer signs it. An existing iteration is never
    overwritten.
    """
    from .check.validate import display_path, validate_project
    from .review.draft import draft_next
    from .review.report import review_report
    from .review.sign import sign_latest
    from .schemas import Lesson

    cwd = Path.cwd()
    project, result = validate_project(cwd)
    assert result.course is not None and result.settings is not None
    document = result.course.find_lesson(lesson, cwd)
    today = day.date() if day else datetime.date.today()
    if signer is not None:
        assert isinstance(document.model, Lesson)
        signed_path, signed = sign_latest(
            result.course, document.model.id, signer, today=today, cwd=cwd
        )
        click.echo(display_path(signed_path, cwd))
        if signed.content_hash != result.course.content_hash(document.model.id):
            say("the lesson changed after this review was drafted; the next draft reviews it")
        return
    if report:
        shown = display_path(document.path, cwd)
        firing = {d.code for d in result.diagnostics if d.path == shown}
        assert isinstance(document.model, Lesson)
        lesson_id = document.model.id
        maximum = result.settings.max_review_iterations
        text = review_report(result.course, lesson_id, maximum=maximum, firing=firing)
        click.echo(text, nl=False)
        return
    path = draft_next(project, result, document, today=today, cwd=cwd)
    click.echo(display_path(path, cwd))


@main.command("status")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@reports_errors
def status_command(output_format: str) -> None:
    """The review state of every lesson: type, status, latest verdict, open findings."""
    from .check.validate import validate_project
    from .review.status import status_rows, status_table

    _, result = validate_project(Path.cwd())
    assert result.course is not None and result.settings is not None
    rows = status_rows(result.course, maximum=result.settings.max_review_iterations)
    if output_format == "json":
        click.echo(json.dumps({"version": 1, "lessons": rows}, indent=2))
    else:
        click.echo(status_table(rows))


@main.command("concepts")
@click.option("--suggest", is_flag=True, help="Propose alias groups for names of one concept.")
@click.option(
    "--write",
    is_flag=True,
    help="With --suggest: add the accepted groups to the glossary (lessons/concepts.yaml).",
)
@click.option(
    "--accept",
    metavar="N,N|all",
    help="With --write: the group numbers to add (default: ask for each on a terminal).",
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.6,
    show_default=True,
    help="With --suggest: leave out groups less certain than this.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
@reports_errors
def concepts_command(
    suggest: bool, write: bool, accept: str | None, min_confidence: float, output_format: str
) -> None:
    """The course's concepts: where each is taught and claimed, and the names neither the
    glossary nor any lesson knows. --suggest proposes alias groups, ranked by confidence;
    --write adds the accepted ones to the glossary, keeping its layout."""
    from .authoring import glossary
    from .check.validate import display_path, run
    from .core.project import open_project
    from .course import aliases, listing

    cwd = Path.cwd()
    if (write or accept) and not suggest:
        raise UsageError("--write and --accept go with --suggest")
    project = open_project(cwd)
    course = run([], project=project, cwd=cwd).course  # the course, no rule run
    assert course is not None
    if not suggest:
        listed = listing.listing(course)
        shown = listed.as_json() if output_format == "json" else listing.text(listed)
        click.echo(json.dumps(shown, indent=2) if output_format == "json" else shown)
        return
    groups = aliases.suggest(course, min_confidence=min_confidence)
    if output_format == "json":
        numbered = [group.as_json(number) for number, group in enumerate(groups, 1)]
        click.echo(json.dumps({"version": 1, "groups": numbered}, indent=2))
    else:
        click.echo(aliases.text(groups))
    if not write or not groups:
        return
    chosen = _accepted(groups, accept)
    if not chosen:
        say("no group accepted; the glossary is unchanged")
        return
    document = course.glossary_document
    if document is not None and document.model is None:
        shown = display_path(document.path, cwd)
        raise UsageError(f"{shown} has errors (`lessonkit validate` lists them); fix it first")
    path = document.path if document is not None else project.lessons_dir / "concepts.yaml"
    glossary.write_groups(path, chosen)
    say(f"added {plural(len(chosen), 'group')} to {display_path(path, cwd)}")


def _accepted(groups: list[aliases.Group], accept: str | None) -> list[aliases.Group]:
    """The groups to write: those `--accept` numbers, or those confirmed one by one."""
    if accept is None:
        if not sys.stdin.isatty():
            raise UsageError("say which groups to add: --accept 1,3 or --accept all")
        return [g for n, g in enumerate(groups, 1) if click.confirm(f"add group {n} ({g.name})?")]
    if accept.strip() == "all":
        return list(groups)
    try:
        numbers = {int(part) for part in accept.split(",") if part.strip()}
    except ValueError:
        wanted = f"--accept takes group numbers like 1,3 or 'all', not '{accept}'"
        raise UsageError(wanted) from None
    wrong = sorted(n for n in numbers if not 1 <= n <= len(groups))
    if wrong:
        raise UsageError(f"no group {wrong[0]}: the groups are numbered 1 to {len(groups)}")
    return [g for n, g in enumerate(groups, 1) if n in numbers]


@main.command("schema")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder to write the schemas into.",
)
@reports_errors
def schema_command(output: Path) -> None:
    """Write JSON Schema for lessons, reviews, the curriculum and configuration.

    Editors use them to complete and check YAML as it is typed; see docs/editors.md.
    """
    from .check.validate import display_path
    from .core.project import open_project
    from .docs import schemas

    project = open_project(Path.cwd())
    for path in schemas.write(project.config, output):
        click.echo(display_path(path.resolve(), Path.cwd()))


@main.command("new")
@click.argument("lesson_id", metavar="ID")
@click.option("--module", "module", required=True, help='Module number, e.g. "2.1".')
@click.option(
    "--module-title",
    metavar="TITLE",
    help="Add MODULE to the curriculum with this title when it is not there yet.",
)
@click.option("--type", "lesson_type", required=True, help="Lesson type, e.g. BUILD.")
@reports_errors
def new_command(lesson_id: str, module: str, module_title: str | None, lesson_type: str) -> None:
    """Scaffold lesson ID at the end of MODULE: student state from the concept ledger,
    everything else a TODO that `validate` reports as a warning. Also writes (or refreshes)
    the JSON Schemas in schemas/ that the lesson's first line points editors to."""
    from .authoring import new
    from .check.validate import display_path, run
    from .core.project import open_project
    from .docs import schemas

    cwd = Path.cwd()
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", lesson_id):
        raise UsageError(f"'{lesson_id}' is not an id: lowercase letters, digits, hyphens")
    if not re.fullmatch(r"\d+(?:\.\d+)*", module):
        raise UsageError(f"'{module}' is not a module number like 2.1")
    project = open_project(cwd)
    course = run([], project=project, cwd=cwd).course  # the whole course, folders or not
    assert course is not None
    if module_title is not None and course.curriculum_document is None:
        say("no curriculum.yaml: lessons are ordered by module and position; --module-title unused")
    planned = new.plan(
        course,
        lesson_id=lesson_id,
        module=module,
        lesson_type=lesson_type,
        lessons_dir=project.lessons_dir,
        module_title=module_title,
    )
    written = new.write(planned)
    written += schemas.refresh(project.config, new.schema_folder(project.root))
    for path in written:
        click.echo(display_path(path, cwd))


@main.command("init")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", help="The course's title (default: from the folder's name).")
@reports_errors
def init_command(folder: Path | None, title: str | None) -> None:
    """Start a course in FOLDER (default: here): lessonkit.toml, a curriculum with a first
    lesson, reviews/, notebooks/, the editors' schemas, pre-commit, a GitHub workflow,
    .gitignore and a README. A file that exists is never overwritten; each is listed."""
    from .authoring import init
    from .check.validate import display_path
    from .docs import schemas

    cwd = Path.cwd()
    target = folder or cwd
    report = init.init_course(target, title=title, schema_texts=schemas.texts)
    for path in report.written:
        click.echo(display_path(path, cwd))
    for path, why in report.skipped:
        shown = display_path(path, cwd) + ("/" if path.is_dir() else "")
        say(f"kept {shown} ({why})")
    for note in report.notes:
        say(note)
    where = (
        "" if target.resolve() == cwd.resolve() else f"cd {display_path(target.resolve(), cwd)} && "
    )
    say(f"next: {where}lessonkit validate (docs/start.md walks on to a first green CI run)")


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Project folder to write lessons/ and reviews/ into (default: the project root).",
)
@click.option("--dry-run", is_flag=True, help="Print the paths and the report; write nothing.")
@click.option("--force", is_flag=True, help="Replace files that exist with other content.")
@reports_errors
def import_command(paths: tuple[Path, ...], output: Path | None, dry_run: bool, force: bool) -> int:
    """Import Markdown planning documents (files, or folders searched recursively) as lesson
    and review YAML, add each lesson to the curriculum, and print an import report."""
    from .authoring import importer
    from .check.validate import display_path, validate_project

    cwd = Path.cwd()
    project, result = validate_project(cwd)
    assert result.course is not None
    target = (output or project.root).resolve()
    planned = importer.plan_import(
        list(paths), project=project, course=result.course, output=target, cwd=cwd
    )
    written = [o.path for o in planned.outputs if o.state != "unchanged"]
    if not dry_run:
        written = importer.write(planned, force=force)
    for path in written:
        click.echo(display_path(path, cwd))
    click.echo(importer.report(planned, cwd=cwd))
    return 1 if planned.failed else 0


@main.command("render")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("site"),
    show_default=True,
    help="Folder to write the site into; nothing is written outside it.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["html", "md"]),
    default="html",
    show_default=True,
)
@click.option(
    "--clean", is_flag=True, help="Remove pages rendered earlier that have no source now."
)
@reports_errors
def render_command(paths: tuple[Path, ...], output: Path, output_format: str, clean: bool) -> None:
    """Render lesson pages, planning documents, teaching guides, review reports, the overview
    and the concept ledger (default: the whole project; PATHS narrows the lessons rendered)."""
    from .check.validate import collect as validate_collect
    from .check.validate import display_path, validate_project
    from .core.diagnostics import Severity
    from .site.pages import render_site

    cwd = Path.cwd()
    _, result = validate_project(cwd)
    course, settings = result.course, result.settings
    assert course is not None and settings is not None
    if paths:
        wanted = {path.resolve() for path in validate_collect(list(paths))}
        course.lessons = {i: d for i, d in course.lessons.items() if d.path in wanted}
    interactive = sys.stderr.isatty() and not os.environ.get("CI")
    with contextlib.ExitStack() as stack:
        rendered = render_site(
            course,
            settings,
            output,
            output_format=output_format,
            clean=clean,
            progress=_ProgressBar(stack) if interactive else None,
        )
    for warning in rendered.warnings:
        say(warning)
    errors = result.count(Severity.ERROR)
    if errors:
        say(f"validate reports {plural(errors, 'error')}; pages show what is valid")
    removed = f", {len(rendered.removed)} removed" if clean else ""
    click.echo(
        f"Rendered {plural(rendered.pages, 'file')} into {display_path(output.resolve(), cwd)}/ "
        f"({rendered.written} written, {rendered.unchanged} unchanged{removed})."
    )


class _ProgressBar:
    """render's progress as click's bar on stderr, made at the first page (when the number of
    pages is known) and closed by `stack`."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self.stack = stack
        self.done = 0
        self.update: Callable[[int], None] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.update is None:
            bar = click.progressbar(length=total, label="Rendering", file=sys.stderr)
            self.update = self.stack.enter_context(bar).update
        self.update(done - self.done)
        self.done = done


@main.command("serve")
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to render into (default: a temporary folder).",
)
@click.option("--port", type=int, default=8000, show_default=True)
@reports_errors
def serve_command(output: Path | None, port: int) -> None:
    """Preview the site on 127.0.0.1, re-rendering on every change; problems show on the pages."""
    from .core.project import open_project
    from .site.serve import Preview

    project = open_project(Path.cwd())
    # Without -o the preview renders into a temporary folder that stop() removes; a SIGTERM
    # ends it like Ctrl-C, so that folder goes then too.
    signal.signal(signal.SIGTERM, _interrupt)
    preview = Preview(project, output, port)
    preview.start()
    click.echo(f"Serving {preview.url} (from {preview.folder}); Ctrl-C stops.")
    try:
        preview.watch()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@main.command("lsp")
@click.option("--stdio", is_flag=True, help="Speak over stdin and stdout (the only transport).")
@reports_errors
def lsp_command(stdio: bool) -> None:
    """Language server: every check as you type, completion and navigation from the ledger."""
    try:  # an optional extra: validate and render work without it
        from .lsp.server import serve
    except ImportError as error:
        raise UsageError(f"`lessonkit lsp` needs pip install 'lessonkit[lsp]' ({error})") from None
    serve()
