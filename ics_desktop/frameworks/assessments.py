"""Scoring rounds of a programme: respondents, tallies, previous rounds, and the change between them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ics_desktop.errors import StoreError
from ics_desktop.storage.edits import Batch, DeleteRecord, Edit, InsertRecord, SetField, insert_record, set_field
from ics_desktop.storage.records import ResultRecord
from ics_desktop.storage.store import Store, new_id, now_iso

TALLY_PREFIX = "Tally "


@dataclass(frozen=True)
class Respondent:
    id: str
    label: str
    kind: str  # named | anonymous | tally | import
    illustrative: bool


def create_assessment(store: Store, programme_id: str, name: str, date: str | None, notes: str = "") -> str:
    """A new scoring round tied to the programme's current framework version."""
    return store.add_assessment(programme_id, _checked_name(store, programme_id, name), date, notes)


def _checked_name(store: Store, programme_id: str, name: str, *, keep: str | None = None) -> str:
    name = name.strip()
    if not name:
        raise StoreError("An assessment needs a name.")
    if any(a.name.casefold() == name.casefold() and a.id != keep for a in store.assessments(programme_id)):
        raise StoreError(f"This programme already has an assessment called '{name}'.")
    return name


def new_assessment(store: Store, programme_id: str, name: str, date: str | None) -> InsertRecord:
    """The edit adding a scoring round on the programme's current framework version (undoable)."""
    name = _checked_name(store, programme_id, name)
    values = {
        "programme_id": programme_id,
        "framework_id": store.programme(programme_id).framework_id,
        "name": name,
        "date": date,
        "notes": "",
    }
    return insert_record("assessments", values, f"new assessment '{name}'")


def rename_assessment(store: Store, assessment_id: str, name: str) -> SetField:
    """The edit renaming a scoring round (names are unique in a programme, ignoring case)."""
    programme_id = store.get("assessments", assessment_id)["programme_id"]
    name = _checked_name(store, programme_id, name, keep=assessment_id)
    return set_field(store, "assessments", assessment_id, "name", name, f"name of assessment '{name}'")


def set_assessment_date(store: Store, assessment_id: str, day: str | None) -> SetField:
    """The edit of a scoring round's date (ISO 8601)."""
    return set_field(store, "assessments", assessment_id, "date", day, "assessment date")


def remove_assessment(store: Store, assessment_id: str) -> DeleteRecord:
    """The edit deleting a scoring round with its respondents, responses and agreed results (undo restores all)."""
    name = store.get("assessments", assessment_id)["name"]
    return DeleteRecord(f"deletion of assessment '{name}'", "assessments", assessment_id)


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


def next_anonymous_code(store: Store, assessment_id: str, prefix: str = "P") -> str:
    """The next free anonymous code: P01, P02, …"""
    taken = {r.label for r in respondents(store, assessment_id)}
    number = 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def answer_count(store: Store, respondent_id: str) -> int:
    """How many answers a respondent has given (don't know included)."""
    row = store.conn.execute("SELECT COUNT(*) FROM responses WHERE respondent_id = ?", (respondent_id,)).fetchone()
    return int(row[0])


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

    Scores entered for named or anonymous respondents are kept; a count below them is refused, and
    so is a count above them (it would add people the grid does not show: a round is scored either
    person by person or by counting hands).
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
        individuals = store.individual_respondents(assessment_id)
        if needed and individuals:
            raise StoreError(
                f"{individuals} participant(s) are scored one by one in this round (the Grid shows them): "
                "a count above their scores would add people the grid does not show. Type scores in the Grid, "
                "or count hands in a round of its own."
            )
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


# The seed's words for the change since the previous round, and the short forms typed in a hurry.
CHANGE_WORDS = {"up": "Has gone up", "same": "Remained the same", "down": "Has gone down"}
_CHANGE_TYPED = {
    **{key: key for key in CHANGE_WORDS},
    **{words.casefold(): key for key, words in CHANGE_WORDS.items()},
    "gone up": "up",
    "gone down": "down",
    "the same": "same",
}
# What a desired maturity left open looks like (the seed prints "?").
OPEN_DESIRED = "?"


def parse_change(text: str) -> str | None:
    """The key (up / same / down) for the seed's words or the short forms, any case; blank → None.

    Raises ValueError for anything else.
    """
    typed = " ".join(text.replace("▲", " ").replace("▼", " ").replace("●", " ").split()).casefold()
    if not typed:
        return None
    try:
        return _CHANGE_TYPED[typed]
    except KeyError:
        raise ValueError(f"'{text.strip()}' is not a change") from None


def change_words(change: str | None) -> str:
    """The seed's words for a stored change ("" when none was recorded)."""
    return CHANGE_WORDS.get(change or "", "")


def desired_text(row: Mapping[str, Any], missing: str = "") -> str:
    """An agreed desired maturity as shown: its level, "?" when left open, `missing` when not entered."""
    desired = row.get("agreed_desired")
    if desired is not None:
        return str(desired)
    return OPEN_DESIRED if row.get("desired_open") else missing


def computed_change(current: int | None, previous: int | None) -> str | None:
    """up / same / down between two agreed current maturities; None when either is unknown."""
    if current is None or previous is None:
        return None
    return "up" if current > previous else "down" if current < previous else "same"


def result_of(agreed: Mapping[str, ResultRecord], code: str) -> Mapping[str, Any]:
    """A capability's agreed figures, or an empty mapping when none are recorded (every .get gives None)."""
    return agreed.get(code) or {}


def agreed_results(store: Store, assessment_id: str) -> dict[str, ResultRecord]:
    """The agreed figures per capability exactly as recorded (a change is never filled in on the way)."""
    return store.capability_results(assessment_id)


# The name this had while it filled in a blank change on the way out (it no longer does): kept so code
# written against it elsewhere still runs, and gets the figures as recorded.
agreed_with_change = agreed_results


def fill_change_edit(store: Store, assessment_id: str) -> Edit | None:
    """One undoable step setting each change not yet entered from the previous round's agreed current.

    A change set by hand or left blank on purpose is kept; None when there is nothing to fill.
    """
    previous_id = previous_assessment(store, assessment_id)
    if previous_id is None:
        return None
    before = store.capability_results(previous_id)
    edits: list[Edit] = []
    for code, row in sorted(store.capability_results(assessment_id).items()):
        if row.get("change") or row.get("change_blank"):
            continue
        earlier = before.get(code)
        change = computed_change(row.get("agreed_current"), earlier["agreed_current"] if earlier else None)
        if change:
            edits.append(SetResult(f"{code} change = {change}", assessment_id, code, "change", None, change))
    return Batch("fill change from the previous round", edits) if edits else None


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
    """An undoable change to one agreed figure (current, desired, change, focus, justification, and the
    flags saying desired was left open or change left blank on purpose)."""

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


def result_fields_edit(
    store: Store, assessment_id: str, code: str, new: dict[str, Any], description: str
) -> Edit | None:
    """One undoable step setting several agreed fields of a capability; None when nothing would change."""
    current: Mapping[str, Any] = store.capability_results(assessment_id).get(code) or {}
    defaults = {"justification": "", "focus": 0, "desired_open": 0, "change_blank": 0}
    edits: list[Edit] = [
        SetResult(description, assessment_id, code, name, current.get(name, defaults.get(name)), value)
        for name, value in new.items()
        if current.get(name, defaults.get(name)) != value
    ]
    if not edits:
        return None
    return edits[0] if len(edits) == 1 else Batch(description, edits)


def desired_fields(level: int | None, *, left_open: bool) -> dict[str, Any]:
    """The stored fields for a desired maturity: a level, left open ("?"), or not entered."""
    return {"agreed_desired": level, "desired_open": int(left_open and level is None)}


def change_fields(change: str | None) -> dict[str, Any]:
    """The stored fields for a change: a key (up / same / down), or None for a change left blank on purpose."""
    return {"change": change, "change_blank": int(change is None)}
