"""Signing a drafted review: a person names themself, and the draft becomes a review.

`lessonkit review LESSON --sign "Name"` edits the latest iteration in place: the `draft: true`
line goes, `reviewer` is written (or replaced) with the name, `date` becomes the day of
signing, and the draft's header comment says who signed it. Everything else in the file (the
reviewer's own edits, comments, formatting) stays byte for byte. The edit is checked by
reading the result back before it replaces the file.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from ..core.errors import UsageError
from ..core.files import atomic_write
from ..core.words import plural
from ..course.course import Course
from ..read.documents import DocumentKind, check_schema
from ..read.yaml_source import parse
from ..schemas import Review
from .draft import DRAFT_HEADER, name


def sign_latest(
    course: Course, lesson_id: str, reviewer: str, *, today: datetime.date, cwd: Path
) -> tuple[Path, Review]:
    """Sign the lesson's latest review iteration as `reviewer`; returns its path and the
    signed review. UsageError when there is no draft to sign or the name is empty."""
    reviewer = " ".join(reviewer.split())
    if not reviewer:
        raise UsageError('--sign takes the reviewer\'s name, e.g. --sign "Ada Lovelace"')
    documents = course.reviews.get(lesson_id, [])
    if not documents:
        raise UsageError(
            f"{lesson_id} has no review to sign; `lessonkit review {lesson_id}` drafts one"
        )
    document = documents[-1]
    review = document.model
    assert isinstance(review, Review)
    if not review.draft:
        who = f" by {review.reviewer}" if review.reviewer else ""
        raise UsageError(f"{lesson_id}'s {name(review)} is already signed{who}")
    if document.origin is not None or document.source is None:
        raise UsageError(f"{lesson_id}'s {name(review)} is not a review file lessonkit can edit")
    text = signed_text(document.source.text, reviewer, today)
    source, problems = parse(text)
    model = None
    if source is not None and not problems:
        model, problems = check_schema(source, DocumentKind.REVIEW, context={})
    if not isinstance(model, Review) or model.draft or model.reviewer != reviewer:
        raise UsageError(
            f"could not sign {document.path.name} in place ({plural(len(problems), 'problem')} "
            "after the edit); delete its `draft: true` line and write `reviewer:` by hand"
        )
    atomic_write(document.path, text)
    return document.path, model


def signed_text(text: str, reviewer: str, today: datetime.date) -> str:
    """`text` (a review) with `draft: true` removed, `reviewer` and `date` set, and a draft
    header comment rewritten; every other character as it was."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, MappingNode):
        raise UsageError("the review is not a mapping of fields")
    fields = {key.value: (key, value) for key, value in root.value if isinstance(key, ScalarNode)}
    quoted = json.dumps(reviewer, ensure_ascii=False)  # a JSON string is a YAML scalar
    edits: list[tuple[int, int, str]] = []  # (start, end, replacement), applied from the end
    if "draft" in fields:
        start, end = _line(text, fields["draft"][0], fields["draft"][1])
        replacement = "" if "reviewer" in fields else f"reviewer: {quoted}\n"
        edits.append((start, end, replacement))
    if "reviewer" in fields:
        edits.append(_value(fields["reviewer"][1], quoted))
    if "date" in fields:
        edits.append(_value(fields["date"][1], today.isoformat()))
    if text.startswith(DRAFT_HEADER):
        first = text.index("\n") + 1
        end = first
        while text.startswith("#", end):  # the rest of the header comment
            end = text.index("\n", end) + 1
        what = text[len(DRAFT_HEADER) : text.index(",", len(DRAFT_HEADER))]
        header = (
            f"# Review {what}: drafted by `lessonkit review`, then completed and signed by "
            f"{reviewer} on {today.isoformat()}.\n"
        )
        edits.append((0, end, header))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _line(text: str, key: Node, value: Node) -> tuple[int, int]:
    """The whole line(s) of a `key: value` pair, comment and line break included."""
    start = text.rfind("\n", 0, key.start_mark.index) + 1
    end = text.find("\n", value.end_mark.index)
    return start, len(text) if end < 0 else end + 1


def _value(node: Node, replacement: str) -> tuple[int, int, str]:
    return node.start_mark.index, node.end_mark.index, replacement
