"""What a run shows: the result narrowed to changed files and to findings not in the baseline."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from ..check.validate import Result, display_path
from ..core.project import Project
from ..core.words import plural
from . import baseline as baselines
from . import changed


def narrow(
    result: Result,
    *,
    project: Project,
    cwd: Path,
    changed_since: str | None,
    baseline: Path | None,
    update_baseline: bool,
    say: Callable[[str], None],
) -> Result:
    """The result restricted to changed files and to findings not in the baseline; `say`
    tells the user what was recorded or hidden. Raises UsageError for git or baseline trouble."""
    root = project.root.resolve()
    if changed_since is not None and not changed.unborn(root, changed_since):
        # (before the first commit, every file is new: the whole result stands)
        assert result.course is not None
        keep = changed.affected(
            result.course, changed.changed_files(root, changed_since), changed_since
        )
        if keep is not None:
            shown = {display_path(path, cwd) for path in keep}
            result = dataclasses.replace(
                result,
                diagnostics=[d for d in result.diagnostics if d.path in shown],
                checked=[path for path in result.checked if path in shown],
            )
    if baseline is not None:
        if update_baseline or not baseline.exists():
            baselines.write_baseline(baseline, result.diagnostics, root, cwd)
            say(f"recorded {plural(len(result.diagnostics), 'finding')} in {baseline}")
            return dataclasses.replace(result, diagnostics=[])
        new, fixed = baselines.apply_baseline(baseline, result.diagnostics, root, cwd)
        hidden = len(result.diagnostics) - len(new)
        if hidden or fixed:
            say(
                f"{plural(hidden, 'known finding')} hidden by {baseline}"
                + (f"; {fixed} fixed since it was recorded (--update-baseline)" if fixed else "")
            )
        result = dataclasses.replace(result, diagnostics=new)
    return result
