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

import os
from collections.abc import Callable, Iterable
from pathlib import Path

from ..core.errors import UsageError
from ..core.files import read_bounded
from ..core.git import git, names
from ..course.concepts import concept_id
from ..course.course import Course
from ..read.documents import DocumentKind
from ..read.yaml_source import decode, parse
from ..schemas import Lesson, Review

CONFIG_FILES = ("lessonkit.toml", "pyproject.toml")
# Files whose listing as changed is checked against their content at REF (see changed_files).
_COMPARED = (".yaml", ".yml", ".md", *CONFIG_FILES)


def changed_files(root: Path, ref: str) -> set[Path]:
    """Files changed since `ref` (committed, staged, unstaged or untracked), absolute.

    git runs read-only (`core.git`): `git diff` does not refresh the index's stat cache, so a
    file whose modification time changed but not its content is listed too; `_same_at` drops
    those among the course's and configuration files, whose listing would widen the report.
    """
    if ref.startswith("-"):  # git would read it as an option (`--output=FILE` writes a file)
        raise UsageError(f"--changed-since {ref}: a git ref cannot start with '-'")
    try:
        git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    except UsageError:
        raise UsageError(f"--changed-since {ref}: no such commit in this repository") from None
    top = Path(os.fsdecode(git(root, "rev-parse", "--show-toplevel").strip()))
    listed = names(git(root, "diff", "--name-only", "-z", ref, "--"))
    same = _same_at(root, top, ref, [name for name in listed if name.endswith(_COMPARED)])
    found = [name for name in listed if name not in same]
    found += names(git(root, "ls-files", "-z", "--full-name", "--others", "--exclude-standard"))
    return {(top / name).resolve() for name in found}


def _same_at(root: Path, top: Path, ref: str, names: list[str]) -> set[str]:
    """The `names` (relative to the top level) whose content now is their content at `ref`.

    One `git cat-file --batch` reads every old version; nothing is written.
    """
    names = [name for name in names if "\n" not in name]  # the batch protocol is line-based
    if not names:
        return set()
    requests = "".join(f"{ref}:{name}\n" for name in names).encode("utf-8", "surrogateescape")
    output = git(root, "cat-file", "--batch", stdin=requests)
    same: set[str] = set()
    position = 0
    for name in names:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if len(header) != 3:  # "<name> missing": not in the old tree
            continue
        size = int(header[2])
        old = output[position : position + size]
        position += size + 1
        try:
            current = read_bounded(top / name, size)
        except OSError:  # gone, larger, or not a regular file: changed
            continue
        if current == old:
            same.add(name)
    return same


def _taught_at(root: Path, ref: str, path: Path) -> tuple[str | None, set[str]]:
    """(id, taught concept ids) of the lesson at `path` as it was at `ref`."""
    try:
        # `REF:./path` is relative to the folder git runs in: no lookup of the top level.
        raw = git(root, "show", f"{ref}:./{path.relative_to(root.resolve()).as_posix()}")
    except (UsageError, ValueError):
        return None, set()  # new at this ref, or outside the project
    text, _ = decode(raw)
    if text is None:
        return None, set()
    # The old version is whatever was committed: read it as untrusted as any lesson, taking
    # only values of the expected shape.
    source, _ = parse(text)
    data = source.data if source else None
    if not isinstance(data, dict):
        return None, set()
    taught = set()
    design = data.get("design")
    scope = design.get("scope") if isinstance(design, dict) else None
    rows = scope.get("target_depths") if isinstance(scope, dict) else None
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and isinstance(row.get("concept"), str):
            explicit = row.get("id")
            taught.add(explicit if isinstance(explicit, str) else concept_id(row["concept"]))
    lesson_id = data.get("id")
    return (lesson_id if isinstance(lesson_id, str) else None), taught


def affected(course: Course, changed: set[Path], ref: str) -> set[Path] | None:
    """The files to report for a change; None when everything is affected."""
    root = course.root.resolve()
    if any(path.name in CONFIG_FILES and path.parent == root for path in changed):
        return None
    by_path = {document.path: document for document in course.documents}
    if any(
        by_path.get(path) is not None
        and by_path[path].kind in (DocumentKind.CURRICULUM, DocumentKind.GLOSSARY)
        for path in changed
    ):
        return None  # the order, or what every concept name means
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
                taught |= {course.ledger.key(r) for r in lesson.design.scope.target_depths}
        elif document is not None:
            # A lesson that could not be read still has an id (its file name, an `id:` line):
            # the lessons citing it now get a note instead of their checks.
            changed_ids |= {i for i, file in course.broken_files.items() if file == path}
        old_id, old_taught = _taught_at(course.root, ref, path)
        if old_id:
            changed_ids.add(old_id)
        taught |= {course.ledger.resolve(key, key) for key in old_taught}
    result = {path for path in changed if path in by_path}
    result |= {course.lessons[i].path for i in reviewed if i in course.lessons}
    order = course.ledger.order
    for document in course.lessons.values():
        model = document.model
        assert isinstance(model, Lesson)
        if _depends(model, changed_ids, taught, order, course.ledger.resolve):
            result.add(document.path)
    for lesson_id in {i for i in course.lessons if course.lessons[i].path in result}:
        result |= {document.path for document in course.reviews.get(lesson_id, [])}
    return result


def _depends(
    lesson: Lesson,
    changed: set[str],
    taught: set[str],
    order: tuple[str, ...],
    resolve: Callable[[str, str | None], str],
) -> bool:
    if lesson.id in changed:
        return True
    rows: Iterable[tuple[str, str | None, str | None]] = [
        (row.concept, row.id, row.source) for row in lesson.student_state.concepts
    ] + [(row.concept, row.id, row.source) for row in lesson.analysis.prerequisites]
    for name, explicit, source in rows:
        if source in changed or (source is None and resolve(name, explicit) in taught):
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
