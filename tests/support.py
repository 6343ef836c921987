"""Shared test helpers: the repository's paths and runners for the real command line."""

from __future__ import annotations

import contextlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from click.testing import Result as CliResult

from lessonkit.check.validate import ReadCache, Result, default_paths, run
from lessonkit.cli import main
from lessonkit.core.project import Project
from lessonkit.schemas import Config

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXPECT = re.compile(r"#\s*expect:\s*([A-Z]\d{3})\s+(\d+):(\d+)")


def run_cli(*args: str, cwd: Path) -> CliResult:
    """Run `lessonkit ARGS` in-process, with `cwd` as the current folder."""
    with contextlib.chdir(cwd):
        return CliRunner().invoke(main, list(args), catch_exceptions=False)


def run_console_script(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed `lessonkit` console script in a subprocess."""
    executable = Path(sys.executable).parent / "lessonkit"
    return subprocess.run(
        [str(executable), *args], cwd=cwd, capture_output=True, text=True, check=False
    )


def expectations(path: Path) -> set[tuple[str, int, int]]:
    """The `# expect: CODE line:col` comments a fixture carries."""
    text = path.read_bytes().decode("utf-8", errors="replace")
    return {(code, int(line), int(col)) for code, line, col in EXPECT.findall(text)}


def copy_reference(folder: Path) -> Path:
    """A copy of the reference curriculum (lessons, reviews, notebooks) as a project in `folder`."""
    for name in ("lessons", "reviews", "notebooks"):
        shutil.copytree(REPO / name, folder / name)
    (folder / "pyproject.toml").write_text("", encoding="utf-8")
    return folder


# The tests validate many copies of the reference curriculum that differ in one file: the files
# they share are read once per test process.
_READ = ReadCache()


def validate_course(folder: Path) -> Result:
    """`lessonkit validate` on the project in `folder`, default configuration, in-process."""
    project = Project(root=folder, config=Config())
    result = run(default_paths(project), project=project, cwd=folder, cache=_READ)
    assert not result.internal_errors, result.internal_errors
    return result


def git(folder: Path, *args: str) -> None:
    """Run git in `folder` with a throwaway identity."""
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )
