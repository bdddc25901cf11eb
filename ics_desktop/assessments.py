"""Scoring rounds of a programme: respondents, tallies, previous rounds, and the change between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .edits import Edit
from .errors import StoreError
from .store import Store, new_id, now_iso

TALLY_PREFIX = "Tally "


@dataclass(frozen=True)
class Respondent:
    id: str
    label: str
    kind: str  # named | anonymous | tally | import
    illustrative: bool


def create_assessment(store: Store, programme_id: str, name: str, date: str | None, notes: str = "") -> str:
    """A new scoring round tied to the programme's current framework version."""
    name = name.strip()
    if not name:
        raise StoreError("An assessment needs a name.")
    if any(a.name.casefold() == name.casefold() for a in store.assessments(programme_id)):
        raise StoreError(f"This programme already has an assessment called '{name}'.")
    return store.add_assessment(programme_id, name, date, notes)


def assessment_by_name(store: Store, programme_id: str, name: str) -> str | None:
    for a in store.assessments(programme_id):
        if a.name.casefold() == name.strip().casefold():
            return a.id
    return None


def delete_assessment(store: Store, assessment_id: str) -> None:
    """Remove a scoring round with all its responses and agreed results (one transaction)."""
    store.delete("assessments", assessment_id)


def respondents(store: Store, assessment_id: str, *, include_tally: bool = True) -> list[Respondent]:
    rows = store.conn.execute(
        "SELECT id, label, kind, illustrative FROM respondents WHERE assessment_id = ? ORDER BY created, label",
        (assessment_id,),
    ).fetchall()
    return [Respondent(r[0], r[1], r[2], bool(r[3])) for r in rows if include_tally or r[2] != "tally"]


def answer_count(store: Store, respondent_id: str) -> int:
    """How many answers a respondent has given."""
    return int(store.rows("SELECT COUNT(*) AS n FROM responses WHERE respondent_id = ?", (respondent_id,))[0]["n"])


def next_anonymous_code(store: Store, assessment_id: str, prefix: str = "P") -> str:
    """The next free anonymous code: P01, P02, …"""
    taken = {r.label for r in respondents(store, assessment_id)}
    number = 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def response_map(store: Store, assessment_id: str) -> dict[tuple[str, str, str], int | None]:
    """(respondent id, capability code, question) → score (None for don't know)."""
    rows = store.conn.execute(
        "SELECT x.respondent_id, x.capability_code, x.question, x.score FROM responses x "
        "JOIN respondents r ON r.id = x.respondent_id WHERE r.assessment_id = ?",
        (assessment_id,),
    ).fetchall()
    return {(r[0], r[1], r[2]): r[3] for r in rows}


def tally_counts(store: Store, assessment_id: str, capability_code: str, question: str) -> dict[int, int]:
    """How many respondents gave each level (all respondents, tallied or named)."""
    rows = store.conn.execute(
        "SELECT x.score, COUNT(*) FROM responses x JOIN respondents r ON r.id = x.respondent_id "
        "WHERE r.assessment_id = ? AND x.capability_code = ? AND x.question = ? AND x.score IS NOT NULL "
        "GROUP BY x.score",
        (assessment_id, capability_code, question),
    ).fetchall()
    return {int(level): int(count) for level, count in rows}


def set_tally(store: Store, assessment_id: str, capability_code: str, question: str, counts: dict[int, int]) -> None:
    """Make the room's count at each level equal `counts`, using tally respondents for the hands counted.

    Scores entered for named or anonymous respondents are kept; a count below them is refused.
    """
    if any(c < 0 for c in counts.values()):
        raise StoreError("A count cannot be negative.")
    with store.atomic():
        store.conn.execute(
            "DELETE FROM responses WHERE capability_code = ? AND question = ? AND respondent_id IN "
            "(SELECT id FROM respondents WHERE assessment_id = ? AND kind = 'tally')",
            (capability_code, question, assessment_id),
        )
        others = tally_counts(store, assessment_id, capability_code, question)
        needed: list[int] = []
        for level, count in sorted(counts.items()):
            already = others.get(level, 0)
            if count < already:
                raise StoreError(
                    f"{already} participant(s) already scored {capability_code} {question} at level {level} "
                    f"individually; the count cannot be less than that."
                )
            needed.extend([level] * (count - already))
        slots = [r for r in respondents(store, assessment_id) if r.kind == "tally"]
        while len(slots) < len(needed):
            label = f"{TALLY_PREFIX}{len(slots) + 1:03d}"
            slots.append(Respondent(store.add_respondent(assessment_id, label, kind="tally"), label, "tally", False))
        stamp = now_iso()
        store.conn.executemany(
            "INSERT INTO responses (id, respondent_id, capability_code, question, score, created, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (new_id(), slot.id, capability_code, question, level, stamp, stamp)
                for slot, level in zip(slots, needed, strict=False)
            ],
        )


def previous_assessment(store: Store, assessment_id: str) -> str | None:
    """The scoring round held before this one in the same programme (by date, then creation)."""
    current = store.get("assessments", assessment_id)
    ordered = store.assessments(current["programme_id"])
    ids = [a.id for a in ordered]
    index = ids.index(assessment_id)
    return ids[index - 1] if index > 0 else None


def computed_change(current: int | None, previous: int | None) -> str | None:
    """up / same / down between two agreed current maturities; None when either is unknown."""
    if current is None or previous is None:
        return None
    return "up" if current > previous else "down" if current < previous else "same"


def agreed_with_change(store: Store, assessment_id: str) -> dict[str, dict[str, Any]]:
    """Agreed figures per capability with `change` filled: by hand where set, else from the previous round.

    Each entry also says where the change came from: `change_source` is "manual", "computed" or None.
    """
    agreed = store.capability_results(assessment_id)
    previous_id = previous_assessment(store, assessment_id)
    before = store.capability_results(previous_id) if previous_id else {}
    out: dict[str, dict[str, Any]] = {}
    codes = set(agreed) | set(before)
    for code in codes:
        row = dict(agreed.get(code, {}))
        if row.get("change"):
            row["change_source"] = "manual"
        else:
            change = computed_change(row.get("agreed_current"), before.get(code, {}).get("agreed_current"))
            row["change"] = change
            row["change_source"] = "computed" if change else None
        out[code] = row
    return out


@dataclass
class SetTally(Edit):
    """An undoable tally change for one capability and question."""

    assessment_id: str = ""
    capability_code: str = ""
    question: str = ""
    old: dict[int, int] = field(default_factory=dict)
    new: dict[int, int] = field(default_factory=dict)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset({"responses", "respondents"})

    def apply(self, store: Store) -> None:
        set_tally(store, self.assessment_id, self.capability_code, self.question, self.new)

    def revert(self, store: Store) -> None:
        set_tally(store, self.assessment_id, self.capability_code, self.question, self.old)


def tally_edit(store: Store, assessment_id: str, code: str, question: str, new: dict[int, int]) -> SetTally:
    old = tally_counts(store, assessment_id, code, question)
    levels = set(old) | set(new)
    return SetTally(
        f"tally {code} {question}",
        assessment_id,
        code,
        question,
        {lvl: old.get(lvl, 0) for lvl in levels},
        {lvl: new.get(lvl, 0) for lvl in levels},
    )


@dataclass
class SetResult(Edit):
    """An undoable change to one agreed figure (current, desired, change, focus, justification)."""

    assessment_id: str = ""
    capability_code: str = ""
    field_name: str = ""
    old: Any = None
    new: Any = None

    @property
    def tables(self) -> frozenset[str]:
        return frozenset({"capability_results"})

    def apply(self, store: Store) -> None:
        store.set_capability_result(self.assessment_id, self.capability_code, **{self.field_name: self.new})

    def revert(self, store: Store) -> None:
        store.set_capability_result(self.assessment_id, self.capability_code, **{self.field_name: self.old})


def result_edit(store: Store, assessment_id: str, code: str, field_name: str, new: Any, description: str) -> SetResult:
    current = store.capability_results(assessment_id).get(code, {})
    default = "" if field_name == "justification" else 0 if field_name == "focus" else None
    return SetResult(description, assessment_id, code, field_name, current.get(field_name, default), new)
