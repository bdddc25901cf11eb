"""Live workshop capture: one typed line becomes an output, decision, risk, note or action.

Prefixes mark the kind (``o:`` output, ``d:`` decision, ``r:`` risk, ``n:`` note, ``a:`` action; the
UI also sets the kind with a key). An action line may carry ``@owner``, ``due <date>`` (or ``by``)
and ``#<area number>``, e.g. ``a: Draft the MoU @Julia due 2w #1``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import DateError, parse_due_date

KINDS = ("output", "decision", "risk", "note", "action")
PREFIXES = {
    "o": "output", "out": "output", "output": "output",
    "d": "decision", "dec": "decision", "decision": "decision",
    "r": "risk", "risk": "risk",
    "n": "note", "note": "note",
    "a": "action", "act": "action", "action": "action",
}  # fmt: skip
_PREFIX = re.compile(r"^\s*([a-zA-Z]{1,8})\s*:\s*(.*)$", re.S)
_AREA = re.compile(r"(?:^|\s)#(\d{1,2})\b")
_DUE = re.compile(r"(?:^|\s)(?:due|by)\s+(.+?)(?=\s+[@#]|\s*$)", re.I)


@dataclass(frozen=True)
class CapturedLine:
    kind: str
    text: str
    owner: str = ""
    due: date | None = None
    area_number: int | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)


def _match_owner(fragment: str, people: list[str]) -> tuple[str, int]:
    """The participant a typed @name fragment means, and how many words of it were used."""
    words = fragment.split()
    for length in range(min(4, len(words)), 0, -1):
        candidate = " ".join(words[:length]).rstrip(".,;").casefold()
        exact = [p for p in people if p.casefold() == candidate]
        if exact:
            return exact[0], length
        prefixed = [p for p in people if p.casefold().startswith(candidate)]
        if len(prefixed) == 1 and length == 1:
            return prefixed[0], 1
    return (words[0].rstrip(".,;") if words else ""), 1 if words else 0


def parse_capture_line(
    line: str, default_kind: str = "note", people: list[str] | None = None, today: date | None = None
) -> CapturedLine:
    """Split a typed line into its kind and text, and for an action its owner, due date and area."""
    people = people or []
    kind, text = default_kind, line.strip()
    if m := _PREFIX.match(text):
        prefix = m.group(1).lower()
        if prefix in PREFIXES:
            kind, text = PREFIXES[prefix], m.group(2).strip()
    if kind != "action":
        return CapturedLine(kind, text)
    problems: list[str] = []
    owner = ""
    due: date | None = None
    area: int | None = None
    if m := _AREA.search(text):
        area = int(m.group(1))
        text = (text[: m.start()] + text[m.end() :]).strip()
    if m := _DUE.search(text):
        try:
            due = parse_due_date(m.group(1), today)
            text = (text[: m.start()] + text[m.end() :]).strip()
        except DateError as exc:
            problems.append(str(exc))
    at = text.find("@")
    if at >= 0:
        owner, used = _match_owner(text[at + 1 :], people)
        rest = text[at + 1 :].split()
        text = (text[:at] + " " + " ".join(rest[used:])).strip()
    return CapturedLine("action", " ".join(text.split()), owner, due, area, tuple(problems))
