"""Changed-only runs: the files changed since a git ref and the lessons whose checks depend on them.

`--changed-since REF` reports the files changed since a git ref and the lessons whose checks
depend on them. The whole course is still read (the ledger needs every lesson), so each
reported file gets exactly the diagnostics a full run gives it. A lesson L depends on a
changed lesson M when L cites M as a source, or has a claim without a source on a concept M
teaches (now or at REF), or is M's neighbour in teaching order, or shares its id; a review
depends on its lesson, and a lesson on its reviews (the gate reads them). A lesson file that
cannot be read counts by the id recovered for it. A changed curriculum or configuration
affects everything; so does a repository without a commit yet, where every file is new.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

from ..core.errors import UsageError
from ..core.git import git
from ..course.concepts import concept_id, concept_key
from ..course.course import Course
from ..read.documents import DocumentKind
from ..read.yaml_source import parse
from ..schemas import Lesson, Review

CONFIG_FILES = ("lessonkit.toml", "pyproject.toml")


def _git(root: Path, *args: str) -> str:
    try:
        completed = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise UsageError(f"--changed-since needs git: {error}") from None
    if completed.returncode != 0:
        raise UsageError(f"git {' '.join(args)}: {completed.stderr.strip()}")
    return completed.stdout


def changed_files(root: Path, ref: str) -> set[Path]:
    """Files changed since `ref` (committed, staged, unstaged or untracked), absolute."""
    top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    names = _git(root, "diff", "--name-only", ref, "--").splitlines()
    names += _git(root, "ls-files", "--others", "--exclude-standard").splitlines()
    return {(top / name).resolve() for name in names if name}


def _taught_at(root: Path, ref: str, path: Path) -> tuple[str | None, set[str]]:
    """(id, taught concept ids) of the lesson at `path` as it was at `ref`."""
    try:
        # `REF:./path` is relative to the folder git runs in: no lookup of the top level.
        text = _git(root, "show", f"{ref}:./{path.relative_to(root.resolve()).as_posix()}")
    except (UsageError, ValueError):
        return None, set()  # new at this ref, or outside the project
    source, _ = parse(text)
    data = source.data if source else None
    if not isinstance(data, dict):
        return None, set()
    taught = set()
    scope = (data.get("design") or {}).get("scope") or {}
    for row in scope.get("target_depths") or []:
        if isinstance(row, dict) and isinstance(row.get("concept"), str):
            taught.add(row.get("id") or concept_id(row["concept"]))
    lesson_id = data.get("id")
    return (lesson_id if isinstance(lesson_id, str) else None), taught


def affected(course: Course, changed: set[Path], ref: str) -> set[Path] | None:
    """The files to report for a change; None when everything is affected."""
    root = course.root.resolve()
    if any(path.name in CONFIG_FILES and path.parent == root for path in changed):
        return None
    by_path = {document.path: document for document in course.documents}
    if any(
        by_path.get(path) is not None and by_path[path].kind is DocumentKind.CURRICULUM
        for path in changed
    ):
        return None
    changed_ids: set[str] = set()
    taught: set[str] = set()
    reviewed: set[str] = set()  # lessons whose reviews changed
    for path in (p for p in changed if p.suffix in (".yaml", ".yml")):
        document = by_path.get(path)
        if document is not None and document.kind is not DocumentKind.LESSON:
            if isinstance(document.model, Review):
                # The gate (R001) reports on the lesson, and R005 on the next iteration.
                reviewed.add(document.model.lesson)
            continue
        if document is not None and isinstance(document.model, Lesson):
            lesson = document.model
            changed_ids.add(lesson.id)
            if lesson.design.scope:
                taught |= {concept_key(r) for r in lesson.design.scope.target_depths}
        elif document is not None:
            # A lesson that could not be read still has an id (its file name, an `id:` line):
            # the lessons citing it now get a note instead of their checks.
            changed_ids |= {i for i, file in course.broken_files.items() if file == path}
        old_id, old_taught = _taught_at(course.root, ref, path)
        if old_id:
            changed_ids.add(old_id)
        taught |= old_taught
    result = {path for path in changed if path in by_path}
    result |= {course.lessons[i].path for i in reviewed if i in course.lessons}
    order = course.ledger.order
    for document in course.lessons.values():
        lesson = document.model
        assert isinstance(lesson, Lesson)
        if _depends(lesson, changed_ids, taught, order):
            result.add(document.path)
    for lesson_id in {i for i in course.lessons if course.lessons[i].path in result}:
        result |= {document.path for document in course.reviews.get(lesson_id, [])}
    return result


def _depends(lesson: Lesson, changed: set[str], taught: set[str], order: tuple[str, ...]) -> bool:
    if lesson.id in changed:
        return True
    rows: Iterable[tuple[str, str | None, str | None]] = [
        (row.concept, row.id, row.source) for row in lesson.student_state.concepts
    ] + [(row.concept, row.id, row.source) for row in lesson.analysis.prerequisites]
    for name, explicit, source in rows:
        if source in changed or (source is None and (explicit or concept_id(name)) in taught):
            return True
    if lesson.id in order:
        index = order.index(lesson.id)
        neighbours = set(order[max(index - 1, 0) : index + 2]) - {lesson.id}
        if neighbours & changed:
            return True
    return lesson.previous in changed or lesson.next in changed


def unborn(root: Path, ref: str) -> bool:
    """Whether `ref` is HEAD in a repository that has no commit yet (every file is new)."""
    if ref != "HEAD":
        return False
    try:
        git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except UsageError:
        try:
            git(root, "rev-parse", "--git-dir")
        except UsageError:
            return False  # not a repository: the diff says so
        return True
    return False
