"""The review sections of a planning document read into review iterations.

"## Review — 2026-02-09 (Iteration 1/3)" (or `--`, or no iteration number) starts an
iteration; its Summary counts, Verdict, Findings (`#### [SEV] — title` headings or numbered
bold items), fix-verification table (or list, or prose) and review notes become one review.
Iterations are numbered in document order: a plan whose numbering restarts after a fix pass
keeps the label it wrote (`label`) and gets the next number.
"""

from __future__ import annotations

import re
from typing import Any

from ...core.diagnostics import DataPath
from .blocks import Markdown, Section, bold_label, canon
from .located import Located
from .source import Recorder
from .tables import read_table
from .values import slugify, unique, words

Data = dict[str, Any]

_HEADING = re.compile(
    r"^review\s*(?:[—\u2013:-]+|--)?\s*(?P<date>\d{4}-\d{2}-\d{2})?\s*"
    r"(?:\(?\s*(?:iteration|round|pass)\s*(?P<n>\d+)\s*(?:/\s*(?P<of>\d+))?\s*\)?)?",
    re.IGNORECASE,
)
_SEVERITY = re.compile(r"\[?\b(CRITICAL|IMPROVEMENT|POLISH)\b\]?", re.IGNORECASE)
_FINDING_HEAD = re.compile(
    r"^\s*(?:\*\*)?\s*\[(?P<sev>CRITICAL|IMPROVEMENT|POLISH)\]\s*(?:[—\u2013:-]+|--)?\s*(?P<title>.+?)\s*(?:\*\*)?\s*$",
    re.IGNORECASE,
)
_NUMBERED_FINDING = re.compile(r"^\s*(?P<n>\d+)[.)]\s+\*\*(?P<inner>[^*]+)\*\*\s*(?P<after>.*)$")
_FIELD = re.compile(r"^\s*(?:[-*]\s+)?\*\*(?P<label>[^*\n]+?)(?::\*\*|\*\*\s*:)", re.M)
_FIELDS = {
    "location": "location",
    "where": "location",
    "issue": "issue",
    "problem": "issue",
    "student impact": "student_impact",
    "impact": "student_impact",
    "suggested fix": "suggested_fix",
    "fix": "suggested_fix",
    "suggestion": "suggested_fix",
}
_STATUSES = {
    "FIXED": "FIXED",
    "RESOLVED": "FIXED",
    "ADDRESSED": "FIXED",
    "DONE": "FIXED",
    "ACCEPTED": "ACCEPTED",
    "WONT FIX": "ACCEPTED",
    "WONTFIX": "ACCEPTED",
    "DEFERRED": "ACCEPTED",
    "STILL OPEN": "STILL OPEN",
    "OPEN": "STILL OPEN",
    "PARTIALLY FIXED": "STILL OPEN",
    "PARTIAL": "STILL OPEN",
    "NOT FIXED": "STILL OPEN",
}
_STATUS_WORD = re.compile(
    r"\b(PARTIALLY FIXED|NOT FIXED|STILL OPEN|WONT FIX|WON'T FIX|WONTFIX|FIXED|RESOLVED|ADDRESSED|"
    r"ACCEPTED|DEFERRED|PARTIAL|DONE|OPEN)\b"
)


def review_sections(doc: Markdown) -> list[Section]:
    """Every review section of the document, in order."""
    found = []
    for section in doc.root.walk():
        name = canon(section.title.text)
        if section.bold or not name.startswith("review"):
            continue
        match = _HEADING.match(section.title.text)
        if name == "review" or (match and (match.group("date") or match.group("n"))):
            found.append(section)
    return found


class ReviewReader:
    """Reads every review iteration of one document."""

    def __init__(self, doc: Markdown, rec: Recorder, *, lesson_id: str) -> None:
        self.doc = doc
        self.rec = rec
        self.lesson_id = lesson_id
        self.ids: set[str] = set()

    def read(self) -> list[Data]:
        reviews: list[Data] = []
        previous: list[Data] = []
        for number, section in enumerate(review_sections(self.doc), start=1):
            review = self._review(section, number, previous)
            reviews.append(review)
            previous = review.get("findings", [])
        return reviews

    def put(self, prefix: DataPath, path: DataPath, value: Located) -> str:
        return self.rec.text((*prefix, *path), value)

    def _review(self, section: Section, number: int, previous: list[Data]) -> Data:
        prefix: DataPath = ("reviews", number - 1)
        self.rec.region(prefix, section.start, section.end)
        title = section.title
        review: Data = {"lesson": self.lesson_id, "iteration": number}
        self.rec.region((*prefix, "lesson"), title.start or 0, title.end or 0)
        self.rec.region((*prefix, "iteration"), title.start or 0, title.end or 0)
        match = _HEADING.match(title.text)
        if match and match.group("date"):
            review["date"] = self.put(prefix, ("date",), title.sub(match, "date"))
        else:
            self.rec.unmapped(title, "review heading has no date (YYYY-MM-DD)")
        written = match.group("n") if match else None
        if written is None:
            self.rec.inferred(title, f"review heading has no iteration number; numbered {number}")
        elif int(written) != number:
            review["label"] = self.put(
                prefix, ("label",), title.sub(match, "n") if match else title
            )
            self.rec.inferred(
                title,
                f"labelled iteration {written}, imported as iteration {number} "
                "(the numbering restarts in the document)",
            )
        findings: list[Data] = []
        for child in section.children:
            name = canon(child.title.text)
            if name.startswith("summary"):
                self._summary(child, prefix, review)
            elif name.startswith("verdict"):
                self._verdict(child, prefix, review)
            elif "fix verification" in name or "verification" in name:
                self._verification(child, prefix, review, previous)
            elif name.startswith("finding"):
                findings = self._findings(child, prefix, previous, review)
            elif (
                "note" in name or "works well" in name or "pattern" in name or "assessment" in name
            ):
                self._notes(child, prefix, review)
            elif name.startswith("reviewer"):
                review["reviewer"] = self.put(prefix, ("reviewer",), self.doc.body(child))
            else:
                self.rec.unmapped(child.title, f"review section '{child.title.text}' has no field")
        for block in section.blocks:  # `**Verdict:** PASS`, `**Reviewer:** ...` as paragraphs
            for line in block.text.split("\n"):
                labelled = bold_label(line)
                if labelled is None:
                    continue
                label = canon(labelled[0].text)
                if label.startswith("verdict"):
                    self._verdict_value(labelled[1].strip(), prefix, review)
                elif label.startswith("reviewer"):
                    review["reviewer"] = self.put(prefix, ("reviewer",), labelled[1].strip())
                elif label.startswith("date") and "date" not in review:
                    review["date"] = self.put(prefix, ("date",), labelled[1].strip())
        if findings:
            review["findings"] = findings
        if "summary" not in review:
            counts = {"critical": 0, "improvement": 0, "polish": 0}
            for finding in findings:
                counts[finding["severity"].lower()] += 1
            review["summary"] = counts
            self.rec.inferred(title, "no Summary counts; counted from the findings")
        if "reviewer" not in review:
            self.rec.inferred(title, "the review names no reviewer; left unknown")
        return review

    def _summary(self, section: Section, prefix: DataPath, review: Data) -> None:
        counts: Data = {}
        self.rec.region((*prefix, "summary"), section.start, section.end)
        body = self.doc.body(section)
        for line in body.split("\n"):
            match = re.search(
                r"(critical|improvement|polish)\w*\s*[:=]?\s*\**\s*(\d+)", line.text, re.I
            )
            if match:
                key = match.group(1).lower()
                counts[key] = int(match.group(2))
                self.put(prefix, ("summary", key), line.sub(match, 2))
        review["summary"] = counts

    def _verdict(self, section: Section, prefix: DataPath, review: Data) -> None:
        title = section.title
        after = re.match(r"^verdict\s*[:—\u2013-]*\s*", title.text, re.I)
        value = title.cut(after.end()) if after else Located.plain("")
        body = self.doc.body(section)
        if not value.text.strip():  # `### Verdict` then the verdict on the next line
            first, _, _ = body.text.partition("\n")
            value, body = body.cut(0, len(first)), body.cut(len(first)).strip()
        self._verdict_value(value.strip(), prefix, review)
        if body.text:
            review["verdict_note"] = self.put(prefix, ("verdict_note",), body)

    def _verdict_value(self, value: Located, prefix: DataPath, review: Data) -> None:
        text = value.unwrap()
        match = re.match(r"^(PASS|NEEDS\s+REVISION|MAJOR\s+REVISION)\b", text.text, re.I)
        if match is None:
            review["verdict"] = self.put(prefix, ("verdict",), text)  # S002 reports it
            self.rec.unmapped(text, f"verdict '{text.text}' is not PASS, NEEDS or MAJOR REVISION")
            return
        review["verdict"] = re.sub(r"\s+", " ", match.group(1).upper())
        self.put(prefix, ("verdict",), text.sub(match, 1))
        rest = text.cut(match.end()).strip()
        if rest.text:
            review["verdict_qualifier"] = self.put(prefix, ("verdict_qualifier",), rest)
            self.rec.inferred(rest, f"verdict suffix '{rest.text}' kept as verdict_qualifier")

    def _findings(
        self, section: Section, prefix: DataPath, previous: list[Data], review: Data
    ) -> list[Data]:
        findings: list[Data] = []
        self.rec.region((*prefix, "findings"), section.start, section.end)
        carried_ids = {
            row["finding"]
            for row in review.get("fix_verification", [])
            if row.get("status") == "STILL OPEN"
        }
        chunks: list[tuple[str, Located, Located]] = []  # severity, title, body
        for child in section.children:
            head = _FINDING_HEAD.match(child.title.text)
            if head is None:
                self.rec.unmapped(
                    child.title, f"finding heading '{child.title.text}' has no [SEVERITY]"
                )
                continue
            chunks.append(
                (head.group("sev").upper(), child.title.sub(head, "title"), self.doc.body(child))
            )
        if not section.children:
            body = self.doc.body(section)
            starts = [m for m in re.finditer(r"^[ \t]*\d+[.)][ \t]+\*\*", body.text, re.M)]
            for index, start in enumerate(starts):
                end = starts[index + 1].start() if index + 1 < len(starts) else len(body.text)
                chunk = body.cut(start.start(), end)
                first, _, _ = chunk.text.partition("\n")
                match = _NUMBERED_FINDING.match(first)
                if match is None:
                    continue
                inner = chunk.sub(match, "inner")
                after = chunk.sub(match, "after")
                level = _SEVERITY.search(inner.text) or _SEVERITY.search(after.text)
                if level is None:
                    self.rec.unmapped(inner, f"finding '{inner.text}' has no severity")
                    continue
                title = (
                    inner
                    if _SEVERITY.search(inner.text) is None
                    else inner.cut(level.end()).strip().lstrip("—\u2013-: ").strip()
                )
                if not title.text:
                    title = after.strip().lstrip("—\u2013-: ").strip()
                chunks.append((level.group(1).upper(), title, chunk.cut(len(first)).strip()))
        for severity, title, body in chunks:
            path: DataPath = ("findings", len(findings))
            finding: Data = {"severity": severity}
            clean = title.unwrap()
            finding["title"] = self.put(prefix, (*path, "title"), clean)
            same = _same_finding(clean.text, severity, previous, carried_ids)
            if same is not None:
                finding["id"] = same
                self.rec.inferred(
                    clean, f"finding carries '{same}' forward from the previous iteration"
                )
            else:
                finding["id"] = unique(slugify(clean.text, words=5), self.ids, "finding")
            self.rec.region((*prefix, *path, "id"), clean.start or 0, clean.end or 0)
            self._finding_fields(body, prefix, path, finding)
            findings.append(finding)
        return findings

    def _finding_fields(
        self, body: Located, prefix: DataPath, path: DataPath, finding: Data
    ) -> None:
        labels = list(_FIELD.finditer(body.text))
        for index, match in enumerate(labels):
            end = labels[index + 1].start() if index + 1 < len(labels) else len(body.text)
            name = canon(match.group("label"))
            field = _FIELDS.get(name)
            value = _dedent(body.cut(match.end(), end).strip())
            if field is None:
                self.rec.unmapped(
                    body.sub(match, "label"), f"finding field '{match.group('label')}' has no field"
                )
                continue
            finding[field] = self.put(prefix, (*path, field), value)

    def _verification(
        self, section: Section, prefix: DataPath, review: Data, previous: list[Data]
    ) -> None:
        rows: list[Data] = []
        self.rec.region((*prefix, "fix_verification"), section.start, section.end)
        table = next((b for b in section.blocks if b.kind == "table"), None)
        entries: list[tuple[Located, Located | None, Located | None, Located | None]] = []
        if table is not None:
            parsed = read_table(self.doc, table)
            by_title = parsed.column("finding", "iteration")
            by_severity = parsed.column("severity")
            by_status = parsed.column("status")
            by_notes = parsed.column("notes", "note", "evidence")
            for cells in parsed.rows:
                cell = cells.get(by_title)
                if cell is not None:
                    entries.append(
                        (cell, cells.get(by_severity), cells.get(by_status), cells.get(by_notes))
                    )
        else:
            lists = [item.text for b in section.blocks for item in b.items]
            if lists:
                for text in lists:
                    status_at = _STATUS_WORD.search(text.text)
                    if status_at is None:
                        self.rec.unmapped(text, "fix-verification item names no status")
                        continue
                    head = text.cut(0, status_at.start()).strip().rstrip(":—\u2013-(").strip()
                    sev = _SEVERITY.search(head.text)
                    sev_cell = head.sub(sev, 1) if sev else None
                    if sev:
                        head = head.cut(0, sev.start()).strip().rstrip("(").strip()
                    notes_text = text.cut(status_at.end()).strip().lstrip(":—\u2013-) ").strip()
                    entries.append(
                        (head.unwrap(), sev_cell, text.sub(status_at, 1), notes_text or None)
                    )
            else:
                body = self.doc.body(section)
                for sentence in body.split(r"(?<=[.!?])\s+"):
                    status_at = _STATUS_WORD.search(sentence.text)
                    if status_at is None:
                        continue
                    entries.append((sentence, None, sentence.sub(status_at, 1), sentence))
                self.rec.inferred(
                    section.title, "fix verification given as prose; rows read sentence by sentence"
                )
        matched = _match_rows([e[0].text for e in entries], previous)
        for index, (title, severity, status, notes) in enumerate(entries):
            path: DataPath = ("fix_verification", len(rows))
            row: Data = {}
            target = matched.get(index)
            if target is None:
                self.rec.unmapped(
                    title,
                    f"fix-verification row '{title.text[:60]}' matches no finding of the "
                    "previous iteration",
                )
                row["finding"] = unique(slugify(title.text, words=5), set(), "finding")
            else:
                row["finding"] = target["id"]
            self.rec.region((*prefix, *path, "finding"), title.start or 0, title.end or 0)
            if target is None or title.text != target.get("title"):
                row["title"] = self.put(prefix, (*path, "title"), title)
            if severity is not None and _SEVERITY.search(severity.text):
                row["severity"] = _SEVERITY.search(severity.text).group(1).upper()  # type: ignore[union-attr]
                self.put(prefix, (*path, "severity"), severity)
            elif target is not None:
                row["severity"] = target["severity"]
            if status is not None:
                word = re.sub(r"\W+", " ", status.text.upper().replace("'", "")).strip()
                found = next((v for k, v in _STATUSES.items() if word.startswith(k)), None)
                if found is None:
                    row["status"] = self.put(prefix, (*path, "status"), status)
                    self.rec.unmapped(status, f"status '{status.text}' is not one lessonkit knows")
                else:
                    row["status"] = found
                    self.put(prefix, (*path, "status"), status)
                    if word != found:
                        row["status_as_written"] = self.put(
                            prefix, (*path, "status_as_written"), status
                        )
                        self.rec.inferred(status, f"status '{status.text}' read as {found}")
            if notes is not None and notes.text:
                row["notes"] = self.put(prefix, (*path, "notes"), notes)
            rows.append(row)
        review["fix_verification"] = rows

    def _notes(self, section: Section, prefix: DataPath, review: Data) -> None:
        for child in [section, *section.children]:
            name = canon(child.title.text)
            items = [item.text for block in child.blocks for item in block.items]
            if "works well" in name:
                self._list(prefix, review, "what_works_well", items)
            elif "pattern" in name:
                self._list(prefix, review, "patterns_to_watch", items)
            for block in child.blocks:
                if block.kind != "paragraph":
                    continue
                labelled = bold_label(block.text)
                if labelled is None:
                    continue
                label = canon(labelled[0].text)
                if "overall" in label or "assessment" in label:
                    value = labelled[1].strip()
                    review["overall_assessment"] = self.put(prefix, ("overall_assessment",), value)
                elif "reviewer" in label:
                    review["reviewer"] = self.put(prefix, ("reviewer",), labelled[1].strip())

    def _list(self, prefix: DataPath, review: Data, key: str, items: list[Located]) -> None:
        values = review.setdefault(key, [])
        for item in items:
            values.append(self.put(prefix, (key, len(values)), item))


def _dedent(text: Located) -> Located:
    lines = text.split("\n")
    indents = [len(x.text) - len(x.text.lstrip(" ")) for x in lines[1:] if x.text.strip()]
    cut = min(indents) if indents else 0
    out = lines[0]
    for line in lines[1:]:
        out = out + "\n" + line.cut(min(cut, len(line.text) - len(line.text.lstrip(" "))))
    return out


def _match_rows(titles: list[str], previous: list[Data]) -> dict[int, Data]:
    """Fix-verification rows matched one to one with the previous iteration's findings, by
    the words their titles share (best pairs first; none below a third of the words)."""
    pairs = []
    for i, title in enumerate(titles):
        left = words(title)
        for j, finding in enumerate(previous):
            right = words(finding.get("title", "")) | {finding.get("id", "")}
            if not left:
                continue
            if finding.get("id") and finding["id"] in title:
                score = 2.0
            else:
                score = len(left & right) / len(left)
            if score >= 0.3:
                pairs.append((score, i, j))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_rows: set[int] = set()
    used_findings: set[int] = set()
    out: dict[int, Data] = {}
    for _score, i, j in pairs:
        if i in used_rows or j in used_findings:
            continue
        used_rows.add(i)
        used_findings.add(j)
        out[i] = previous[j]
    return out


def _same_finding(title: str, severity: str, previous: list[Data], carried: set[str]) -> str | None:
    """The id of a previous finding this one restates (still open, and the same words)."""
    best, best_score = None, 0.0
    for finding in previous:
        if finding.get("id") not in carried:
            continue
        a, b = words(title), words(finding.get("title", ""))
        if not a or not b:
            continue
        score = len(a & b) / max(len(a), len(b))
        if score > best_score:
            best, best_score = finding["id"], score
    return best if best_score >= 0.5 else None
