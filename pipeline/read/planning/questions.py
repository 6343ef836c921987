"""Expected-knowledge questions as reviewers and designers write them: a numbered item whose
kind (explanation, multiple choice, tracing, prediction) is read from its wording, whose
choices are the lines under it, and whose answer follows an `Answer:` label or sits in a
`<details>` block.

Shared by the planning-document reader and the page-review reader, so a question reads the
same wherever it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .located import Located, join

# An explicit kind, written as a label or in brackets: `(prediction)`, `Multiple choice:`.
_STATED = (
    ("multiple-choice", re.compile(r"\bmultiple[- ]choice\b|\bmcq\b", re.I)),
    ("tracing", re.compile(r"\btracing\b|\btrace\b", re.I)),
    ("prediction", re.compile(r"\bpredict(?:ion)?\b", re.I)),
)
# What a question asks for, when no kind is stated.
_CUES = (
    (
        "prediction",
        re.compile(
            r"\bwhat (?:happens|will happen|would happen|is likely to happen)\b|"
            r"\bwhat (?:will|would) (?:\w+ ){0,3}(?:print|return|output|be)\b",
            re.I,
        ),
    ),
    ("tracing", re.compile(r"\bstep by step\b|\bafter each\b|\bwalk through\b", re.I)),
)
_CHOICE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\[(?P<mark>[ xX])\]\s+|\(?(?P<letter>[A-Ha-h])[).]\s+)(?P<text>\S.*)$"
)
_CORRECT = re.compile(r"\s*(?:\((?:correct|right answer)\)|✓|✔|✅)\s*$", re.I)
_ANSWER = re.compile(
    r"^\s*(?:\*\*)?(?:answer|expected(?:\s+answer)?|model answer)\s*:(?:\*\*)?\s*", re.I
)
_DETAILS = re.compile(r"<details>\s*(?:<summary>.*?</summary>)?(?P<inner>.*?)</details>", re.S)


@dataclass
class Question:
    """A question as read: its kind, why that kind, and its parts with their positions."""

    kind: str
    cue: str  # what decided the kind: "stated", "choices", a cue phrase, or "" (the default)
    prompt: Located
    choices: list[tuple[Located, bool]] = field(default_factory=list)
    answer: Located | None = None
    unmarked_choices: bool = False  # choices were written but none is marked correct


def question_kind(text: str) -> tuple[str, str]:
    """The kind a question's wording states or implies, and the words that decided it."""
    head = text.split("\n", 1)[0]
    for kind, pattern in _STATED:
        found = pattern.search(head)
        if found:
            return kind, f"it says '{found.group(0)}'"
    for kind, pattern in _CUES:
        found = pattern.search(text)
        if found:
            return kind, f"it asks '{found.group(0)}'"
    return "explanation", ""


def read_question(text: Located) -> Question:
    """One question from the text of a numbered item (its marker already removed)."""
    body = text
    answer: Located | None = None
    details = _DETAILS.search(body.text)
    if details:
        answer = body.cut(details.start("inner"), details.end("inner")).strip()
        body = join([body.cut(0, details.start()).rstrip(), body.cut(details.end()).strip()])
        body = body.strip()
    lines = body.split("\n")
    prompt_lines: list[Located] = []
    choices: list[tuple[Located, bool]] = []
    letters: list[str] = []
    for index, line in enumerate(lines):
        labelled = _ANSWER.match(line.text)
        if labelled and answer is None:
            answer = join([line.cut(labelled.end()), *lines[index + 1 :]]).strip()
            break
        choice = _CHOICE.match(line.text) if prompt_lines else None
        if choice:
            option = line.cut(choice.start("text"))
            correct = (choice.group("mark") or "").lower() == "x"
            mark = _CORRECT.search(option.text)
            if mark:
                option, correct = option.cut(0, mark.start()).rstrip(), True
            if option.text.startswith("**") and option.text.endswith("**") and len(option) > 4:
                option, correct = option.unwrap(), True
            choices.append((option, correct))
            letters.append((choice.group("letter") or "").lower())
            continue
        if choices and not line.text.strip():
            continue
        prompt_lines.append(line)
    prompt = join(prompt_lines).strip()
    if answer is not None and choices and not any(correct for _, correct in choices):
        # `Answer: B` names the correct choice by its letter.
        named = re.match(r"^\(?([A-Ha-h])\)?(?:[).:]|\s|$)", answer.text)
        if named and named.group(1).lower() in letters:
            at = letters.index(named.group(1).lower())
            choices[at] = (choices[at][0], True)
    kind, cue = question_kind(text.text)
    if len(choices) >= 2 and any(correct for _, correct in choices):
        return Question("multiple-choice", cue or "its choices", prompt, choices, answer)
    if choices:
        # Choices no one marked correct cannot make a multiple-choice question: the prompt
        # keeps them as written, and the caller reports it.
        whole = join([prompt, *(line for line in lines if _CHOICE.match(line.text))])
        if kind == "multiple-choice":
            kind, cue = "explanation", ""
        return Question(kind, cue, whole, [], answer, unmarked_choices=True)
    if kind == "multiple-choice":
        return Question("explanation", "", prompt, [], answer, unmarked_choices=True)
    return Question(kind, cue, prompt, [], answer)
