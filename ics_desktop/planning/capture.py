"""Live workshop capture: one typed line becomes an output, decision, risk, note or action.

Prefixes mark the kind (``o:`` output, ``d:`` decision, ``r:`` risk, ``n:`` note, ``a:`` action; the
UI also sets the kind with a key). An action line may carry ``@owner``, ``due <date>`` (or ``by``)
and ``#<area number>``, e.g. ``a: Draft the MoU @Julia due 2w #1``.

Anything the parser cannot make sense of is reported in `CapturedLine.problems` (the UI then keeps
the line in the box instead of recording it); words that merely look like prose ("led by Mark",
"due diligence") stay in the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from ics_desktop.dates import DateError, Due, looks_like_date, resolve_due

KINDS = ("output", "decision", "risk", "action", "note")
PREFIXES = {
    "o": "output", "out": "output", "output": "output",
    "d": "decision", "dec": "decision", "decision": "decision",
    "r": "risk", "risk": "risk",
    "n": "note", "note": "note",
    "a": "action", "act": "action", "action": "action",
}  # fmt: skip
_PREFIX = re.compile(r"^\s*([a-zA-Z]{1,8})\s*:\s*(.*)$", re.S)
_AREA = re.compile(r"(?:^|\s)#(\d{1,2})\b")
_DUE_WORD = re.compile(r"(?:^|\s)(?:due|by)\s+", re.I)
_OWNER = re.compile(r"(?<!\S)@(?=\S)")
_TRIM = ".,;:"


@dataclass(frozen=True)
class CapturedLine:
    kind: str
    text: str
    owner: str = ""
    due: date | None = None
    area_number: int | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)
    due_note: str = ""  # how a relative due date was counted ("2w from 31 Oct 2018 …")


@dataclass(frozen=True)
class OwnerMatch:
    """Who an ``@name`` fragment means."""

    owner: str  # a name from the people given, or the word as typed when nobody fits
    words: int  # how many words of the fragment the owner used up
    ambiguous: tuple[str, ...] = ()  # several people fit: the user should type more


def match_owner(fragment: str, people: Sequence[str]) -> OwnerMatch:
    """The person a typed name fragment means: an exact name, a unique start of a name, or of one of its words.

    ``Julia`` → Julia Ross, ``Julia R`` → Julia Ross, ``Ross`` → Julia Ross; ``Sar`` (Sarah Truelove,
    Sara Blackmore) is ambiguous; a name nobody has (a guest) is kept as typed.
    """
    words = fragment.split()
    if not words:
        return OwnerMatch("", 0)
    folded = [(p, p.casefold()) for p in people if p.strip()]
    ambiguous: tuple[str, ...] = ()
    for length in range(min(4, len(words)), 0, -1):
        candidate = " ".join(words[:length]).rstrip(_TRIM).casefold()
        if not candidate:
            continue
        exact = [p for p, f in folded if f == candidate]
        if exact:
            return OwnerMatch(exact[0], length)
        starts = [p for p, f in folded if f.startswith(candidate)]
        if len(starts) == 1:
            return OwnerMatch(starts[0], length)
        if length == 1:
            in_name = [p for p, f in folded if any(w.startswith(candidate) for w in f.split())]
            if len(in_name) == 1:
                return OwnerMatch(in_name[0], 1)
            ambiguous = tuple(starts or in_name)
    if ambiguous:
        return OwnerMatch(words[0].rstrip(_TRIM), 1, ambiguous)
    # Nobody fits (a guest): "@Bob Smith to send" means Bob Smith, so take the capitalised words too.
    used = 1
    while used < min(3, len(words)) and words[used][:1].isupper() and not words[used - 1].endswith(tuple(_TRIM)):
        used += 1
    return OwnerMatch(" ".join(words[:used]).rstrip(_TRIM), used)


def resolve_owner(typed: str, people: Sequence[str]) -> str:
    """An owner typed into a table cell: the full name when it clearly means one person, else as typed."""
    typed = typed.strip().removeprefix("@").strip()
    found = match_owner(typed, people)
    if found.owner and not found.ambiguous and found.words == len(typed.split()):
        return found.owner
    return typed


def _take_due(text: str, today: date | None) -> tuple[str, Due | None, str | None]:
    """Find ``due <date>`` / ``by <date>`` in an action's text: (text without it, due, problem).

    Relative dates count from `today` (the workshop's date) and move off weekends.
    """
    for keyword in _DUE_WORD.finditer(text):
        rest = text[keyword.end() :]
        spans = []
        for word in re.finditer(r"\S+", rest):
            if word.group().startswith(("@", "#")):
                break
            spans.append(word)
        fragment = " ".join(w.group() for w in spans)
        if not looks_like_date(fragment):
            continue  # "led by Mark": prose, not a date
        errors: dict[int, str] = {}
        for length in range(min(4, len(spans)), 0, -1):
            typed = " ".join(w.group() for w in spans[:length]).rstrip(_TRIM)
            try:
                due = resolve_due(typed, today or date.today())
            except DateError as exc:
                errors[length] = str(exc)
                continue
            end = keyword.end() + spans[length - 1].end()
            return (text[: keyword.start()] + text[end:]).strip(), due, None
        wanted = 2 if spans[0].group().lower() in ("next", "this", "in") and len(spans) > 1 else 1
        message = errors.get(wanted) or next(iter(errors.values()))
        return text, None, f"Due date: {message}{'' if message.endswith('.') else '.'}"
    return text, None, None


def parse_capture_line(
    line: str, default_kind: str = "note", people: Sequence[str] | None = None, today: date | None = None
) -> CapturedLine:
    """Split a typed line into its kind and text, and for an action its owner, due date and area."""
    people = people or []
    kind, text = default_kind, line.strip()
    if m := _PREFIX.match(text):
        prefix = m.group(1).lower()
        if prefix in PREFIXES:
            kind, text = PREFIXES[prefix], m.group(2).strip()
    if kind != "action":
        return CapturedLine(kind, text, problems=() if text else ("Type something to record.",))
    problems: list[str] = []
    owner = ""
    area: int | None = None
    if m := _AREA.search(text):
        area = int(m.group(1))
        text = (text[: m.start()] + text[m.end() :]).strip()
    text, due, problem = _take_due(text, today)  # `today`: the day relative dates count from
    if problem:
        problems.append(problem)
    if m := _OWNER.search(text):
        after = text[m.end() :]
        found = match_owner(after, people)
        owner = found.owner
        if found.ambiguous:
            names = ", ".join(found.ambiguous[:-1]) + f" or {found.ambiguous[-1]}"
            problems.append(f"@{after.split()[0]} could be {names}: type more of the name.")
        text = (text[: m.start()] + " " + " ".join(after.split()[found.words :])).strip()
    text = " ".join(text.split())
    if not text:
        problems.append("An action needs a description, e.g. a: Draft the MoU @Julia due 2w.")
    return CapturedLine("action", text, owner, due.day if due else None, area, tuple(problems), due.note if due else "")
