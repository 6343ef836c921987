"""`lessonkit status`: where every lesson of the course stands in the review loop.

The review column is `iteration/maximum`, prefixed `c<n>:` from the second cycle on; the
verdict says `(draft)` while the latest iteration is unsigned and `(re-review)` for a light
re-review of a small change after a PASS.
"""

from __future__ import annotations

from ..course.course import Course
from ..course.reviews import still_open
from ..schemas import FindingSeverity


def status_rows(course: Course, *, maximum: int) -> list[dict[str, object]]:
    """One row per lesson, in teaching order: type, status, latest review and what is open
    (`maximum`: the review iterations allowed)."""
    ordered = [i for i in course.ledger.order if i in course.lessons]
    ordered += sorted(i for i in course.lessons if i not in ordered)
    rows = []
    for lesson_id in ordered:
        lesson = course.lesson(lesson_id)
        assert lesson is not None
        latest = course.latest_review(lesson_id)
        open_counts = {severity.value.lower(): 0 for severity in FindingSeverity}
        for severity, _title in still_open(latest) if latest else []:
            open_counts[severity.value.lower()] += 1
        rows.append(
            {
                "id": lesson_id,
                "module": lesson.module,
                "position": lesson.position,
                "type": lesson.type,
                "status": lesson.status.value,
                "cycle": latest.cycle if latest else None,
                "iteration": latest.iteration if latest else None,
                "max_iterations": maximum,
                "verdict": latest.verdict.value if latest else None,
                "draft": latest.draft if latest else None,
                "re_review": latest.re_review is not None if latest else None,
                "reviewer": latest.reviewer if latest and not latest.draft else None,
                "open": open_counts,
                "current": (
                    latest.content_hash == course.content_hash(lesson_id) if latest else None
                ),
            }
        )
    return rows


def status_table(rows: list[dict[str, object]]) -> str:
    """`lessonkit status` as an aligned text table."""
    header = ("lesson", "module", "type", "status", "review", "verdict", "open C/I/P", "current")
    lines = [header]
    for row in rows:
        opened: dict[str, int] = row["open"]  # type: ignore[assignment]
        review = f"{row['iteration']}/{row['max_iterations']}" if row["iteration"] else "-"
        if row["cycle"] and row["cycle"] != 1:
            review = f"c{row['cycle']}:{review}"
        marks = [m for m, on in (("re-review", row["re_review"]), ("draft", row["draft"])) if on]
        verdict = str(row["verdict"] or "-") + (f" ({', '.join(marks)})" if marks else "")
        current = {True: "yes", False: "STALE", None: "-"}[row["current"]]  # type: ignore[index]
        lines.append(
            (
                str(row["id"]),
                f"{row['module']}.{row['position']}",
                str(row["type"]),
                str(row["status"]),
                review,
                verdict,
                f"{opened['critical']}/{opened['improvement']}/{opened['polish']}",
                current,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )
