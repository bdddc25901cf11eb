"""What a phone is asked in a live round, and how the answers it sends are checked.

The wire format (the page, the tests and load tools use it):
`GET api/ballot` → {"questions": [...], "scale": [{"level", "label"}], "capabilities": [{"code", "statement",
"domain", "levels": {"1": label, …}, "stages": [{"title", "text"}]}], "named": bool, "open": bool};
`POST api/ballot` ← {"device": "<8–64 of A-Z a-z 0-9 _ ->", "scores": {"<code>": {"<question>": 1..4 | "?"}},
"name": "<participant, named rounds only>"}.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ics_desktop.frameworks.framework import Framework

DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
DONT_KNOW = "?"


class BallotError(ValueError):
    """A ballot that cannot be saved; the message is one line for the phone (and for a test)."""


@dataclass(frozen=True)
class Ballot:
    """One phone's answers, checked: (capability code, question) → level, or None for don't know."""

    device: str
    scores: dict[tuple[str, str], int | None]
    name: str | None = None


def describe(framework: Framework, questions: tuple[str, ...], *, named: bool, is_open: bool) -> dict[str, Any]:
    """The ballot as the phone's page shows it: covered capabilities only, in matrix order."""
    stages = {s.key: s.label or s.title for s in framework.stages}
    capabilities = []
    for domain in framework.domains:
        for capability in domain.capabilities:
            if not capability.covered:
                continue
            capabilities.append(
                {
                    "code": capability.code,
                    "statement": capability.statement,
                    "domain": f"{domain.number}. {domain.title}".strip(". "),
                    "levels": {str(s.level): s.label for s in framework.scale},
                    "stages": [
                        {"title": stages.get(key, key), "text": list(bullets)}
                        for key, bullets in domain.stages.items()
                        if bullets
                    ],
                }
            )
    chosen = [q for q in framework.questions if q.key in questions]
    return {
        "questions": [{"key": q.key, "label": q.label, "text": q.text} for q in chosen],
        "scale": [{"level": s.level, "label": s.label} for s in framework.scale],
        "capabilities": capabilities,
        "named": named,
        "open": is_open,
    }


def check_ballot(
    payload: Any, framework: Framework, questions: tuple[str, ...], names: frozenset[str] | None = None
) -> Ballot:
    """The ballot a phone sent, checked against the round; raises BallotError saying what is wrong."""
    if not isinstance(payload, dict):
        raise BallotError("The ballot must be a JSON object.")
    unknown = sorted(set(payload) - {"device", "scores", "name"})
    if unknown:
        raise BallotError(f"Unknown field {unknown[0]!r}.")
    device = payload.get("device")
    if not isinstance(device, str) or DEVICE_ID.fullmatch(device) is None:
        raise BallotError("The device id must be 8 to 64 letters, digits, '-' or '_'.")
    name = payload.get("name")
    if names is not None:
        if not isinstance(name, str) or name not in names:
            raise BallotError("Choose your name from the list.")
    elif name is not None:
        raise BallotError("This round is anonymous: no name is taken.")
    given = payload.get("scores", {})
    if not isinstance(given, dict):
        raise BallotError("'scores' must be an object of capability → question → score.")
    covered = set(framework.covered_codes)
    top = len(framework.scale)
    scores: dict[tuple[str, str], int | None] = {}
    for code, answers in given.items():
        if code not in covered:
            raise BallotError(f"There is no capability {str(code)[:20]!r} on this ballot.")
        if not isinstance(answers, dict):
            raise BallotError(f"The answers for {code} must be an object of question → score.")
        for question, value in answers.items():
            if question not in questions:
                raise BallotError(f"There is no question {str(question)[:20]!r} on this ballot.")
            if value == DONT_KNOW:
                scores[(code, question)] = None
            elif isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= top:
                scores[(code, question)] = value
            else:
                raise BallotError(f"The score for {code} {question} must be 1–{top} or '?'.")
    return Ballot(device, scores, name if names is not None else None)
