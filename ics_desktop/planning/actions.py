"""Actions of a programme: table rows, filters, overdue, progress notes, and the edits that change them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from ics_desktop.dates import DateError, day_text, parse_due_date
from ics_desktop.errors import UserFacingError
from ics_desktop.storage.edits import Batch, DeleteRecord, Edit, InsertRecord, SetField, insert_record, set_field
from ics_desktop.storage.store import Store

ACTION_STATUSES = ("open", "in progress", "blocked", "done", "dropped")
CLOSED_STATUSES = frozenset({"done", "dropped"})
MILESTONE_STATUSES = ("planned", "on track", "at risk", "achieved", "missed")
ACTION_FIELD_LABELS = {
    "title": "action",
    "owner": "owner",
    "due_date": "due date",
    "status": "status",
    "area_id": "area of focus",
    "workshop_id": "workshop",
    "capabilities": "capabilities",
}


class ActionError(UserFacingError):
    """An action edit that cannot be saved as typed (a bad date, an unknown status or capability)."""


class ActionRow(NamedTuple):
    """One action as the actions table shows it (area and workshop resolved to names).

    A NamedTuple rather than a frozen dataclass: building 10,000 of them is three times faster.
    """

    id: str
    title: str
    owner: str
    due_date: str | None
    status: str
    area_id: str | None
    area: str
    workshop_id: str | None
    workshop: str
    capabilities: tuple[str, ...]
    notes: int
    haystack: str  # lower-cased text searched by the free-text filter
    area_number: int | None = None
    modified: str = ""

    def is_overdue(self, today: str) -> bool:
        return bool(self.due_date) and self.due_date < today and self.status not in CLOSED_STATUSES  # type: ignore[operator]


_COLUMNS = "a.id, a.title, a.owner, a.due_date, a.status, a.area_id, a.workshop_id, a.capabilities, a.modified"


class _Names:
    """Area and workshop names and note counts of one programme, looked up in Python.

    Joining them in SQL costs more than the rest of the query at 10,000 actions (temporary B-trees
    for the grouped note counts); a few dictionaries cost nothing.
    """

    def __init__(self, store: Store, programme_id: str, action_ids: Sequence[str] | None = None) -> None:
        self.areas = {
            r[0]: (f"{r[1]}. {r[2]}", r[1])
            for r in store.conn.execute(
                "SELECT id, number, title FROM areas_of_focus WHERE programme_id = ?", (programme_id,)
            )
        }
        self.workshops = dict(
            store.conn.execute("SELECT id, title FROM workshops WHERE programme_id = ?", (programme_id,)).fetchall()
        )
        if action_ids is None:
            notes = store.conn.execute(
                "SELECT n.action_id, COUNT(*) FROM action_notes n JOIN actions a ON a.id = n.action_id "
                "WHERE a.programme_id = ? GROUP BY n.action_id",
                (programme_id,),
            )
        else:
            marks = ",".join("?" * len(action_ids))
            notes = store.conn.execute(
                f"SELECT action_id, COUNT(*) FROM action_notes WHERE action_id IN ({marks}) GROUP BY action_id",
                list(action_ids),
            )
        self.notes: dict[str, int] = dict(notes.fetchall())
        self.capabilities: dict[str, tuple[str, ...]] = {"[]": (), "": ()}  # few distinct lists: decode each once

    def row(self, r: Sequence[Any]) -> ActionRow:
        caps = self.capabilities.get(r[7] or "")
        if caps is None:
            caps = self.capabilities[r[7]] = tuple(json.loads(r[7]))
        area, number = self.areas.get(r[5], ("", None)) if r[5] else ("", None)
        workshop = self.workshops.get(r[6], "") if r[6] else ""
        haystack = f"{r[1]}\n{r[2]}\n{r[4]}\n{area}\n{workshop}\n{' '.join(caps)}".casefold()
        return ActionRow(
            r[0], r[1], r[2], r[3], r[4], r[5], area, r[6], workshop, caps, self.notes.get(r[0], 0), haystack, number,
            r[8],
        )  # fmt: skip


def action_rows(store: Store, programme_id: str) -> list[ActionRow]:
    """Every action of a programme (fast enough for tens of thousands), soonest due first, undated last."""
    names = _Names(store, programme_id)
    # Ordered by the (programme_id, due_date) index, which puts undated actions first: move them last.
    rows = store.conn.execute(
        f"SELECT {_COLUMNS} FROM actions a WHERE a.programme_id = ? ORDER BY a.due_date, a.created, a.id",
        (programme_id,),
    ).fetchall()
    undated = 0
    while undated < len(rows) and rows[undated][3] is None:
        undated += 1
    return [names.row(r) for r in rows[undated:]] + [names.row(r) for r in rows[:undated]]


def _rows_where(store: Store, programme_id: str, where: str, params: Sequence[Any]) -> list[ActionRow]:
    rows = store.conn.execute(f"SELECT {_COLUMNS} FROM actions a WHERE {where}", list(params)).fetchall()
    if not rows:
        return []
    names = _Names(store, programme_id, [r[0] for r in rows] if len(rows) <= 500 else None)
    return [names.row(r) for r in rows]


def action_rows_by_id(store: Store, programme_id: str, action_ids: Iterable[str]) -> dict[str, ActionRow]:
    """Fresh rows for a few actions of a programme, keyed by id; missing ids are left out."""
    ids = list(action_ids)
    found: dict[str, ActionRow] = {}
    for start in range(0, len(ids), 500):  # stay well under SQLite's parameter limit
        chunk = ids[start : start + 500]
        where = f"a.programme_id = ? AND a.id IN ({','.join('?' * len(chunk))})"
        found.update((a.id, a) for a in _rows_where(store, programme_id, where, [programme_id, *chunk]))
    return found


def action_row(store: Store, action_id: str) -> ActionRow:
    programme_id = store.get("actions", action_id)["programme_id"]
    return action_rows_by_id(store, programme_id, [action_id])[action_id]


def actions_changed_since(store: Store, programme_id: str, since: str) -> tuple[int, list[ActionRow]]:
    """(how many actions the programme has, those modified at or after `since`): what a view re-reads after an edit.

    Every edit stamps `modified`, and an insert or delete changes the count or brings an unknown id,
    so a view can refresh the few rows an edit touched instead of reading 10,000.
    """
    count = store.conn.execute("SELECT COUNT(*) FROM actions WHERE programme_id = ?", (programme_id,)).fetchone()[0]
    return int(count), _rows_where(store, programme_id, "a.programme_id = ? AND a.modified >= ?", [programme_id, since])


def note_counts(store: Store, programme_id: str) -> dict[str, int]:
    """Action id → number of progress notes (actions without notes are left out)."""
    return _Names(store, programme_id).notes


def action_notes(store: Store, action_id: str) -> list[dict[str, Any]]:
    """Dated progress notes (the weekly touchpoints), oldest first."""
    return store.rows("SELECT * FROM action_notes WHERE action_id = ? ORDER BY date, created, id", (action_id,))


def action_exists(store: Store, action_id: str) -> bool:
    """Whether the action is still there (an undo may have removed it)."""
    return bool(store.rows("SELECT 1 FROM actions WHERE id = ?", (action_id,)))


def next_milestones(store: Store, programme_id: str, today: str, limit: int = 3) -> list[dict[str, Any]]:
    return store.rows(
        "SELECT * FROM milestones WHERE programme_id = ? AND status NOT IN ('achieved', 'missed') "
        "AND due_date IS NOT NULL ORDER BY due_date < ?, due_date, created, id LIMIT ?",
        (programme_id, today, limit),
    )


def today_iso() -> str:
    return date.today().isoformat()


def display_date(iso: str | None) -> str:
    """'2026-01-31' → '31 Jan 2026' (blank stays blank; anything unparseable is shown as stored)."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return day_text(day)


def owners(store: Store, programme_id: str, rows: Iterable[ActionRow] | None = None) -> list[str]:
    """Names an action can be given to: participants, the delivery team, and anyone already owning one.

    Pass the programme's rows when they are at hand (a table model has them): that skips a query.
    """
    names = {p.name.strip() for p in store.people(programme_id) if p.name.strip()}
    if rows is None:
        query = "SELECT DISTINCT owner FROM actions WHERE programme_id = ?"
        names.update(o.strip() for (o,) in store.conn.execute(query, (programme_id,)))
    else:
        names.update(o.strip() for o in {a.owner for a in rows})
    names.discard("")
    return sorted(names, key=str.casefold)


# -- filters --------------------------------------------------------------------------------------

NO_AREA = ""  # the area filter value for "actions without an area of focus"
NO_OWNER = ""  # the owner filter value for "actions nobody owns yet"
OPEN = "*open"  # the status filter value for "anything not done or dropped"


@dataclass(frozen=True)
class ActionFilter:
    """What the actions table shows. None means "any" for area, owner and status."""

    text: str = ""
    area_id: str | None = None  # an area's id, or NO_AREA
    owner: str | None = None  # an owner's name as stored, or NO_OWNER
    status: str | None = None  # a status, or OPEN
    overdue_only: bool = False

    @property
    def active(self) -> bool:
        chosen = (self.area_id, self.owner, self.status)
        return bool(self.text.strip()) or self.overdue_only or any(v is not None for v in chosen)


def action_matcher(f: ActionFilter, today: str) -> Callable[[ActionRow], bool] | None:
    """A predicate for the filter, built once and called per row (None when everything passes).

    Each test is a closure over precomputed values so a proxy model can call it for 10,000 rows per
    keystroke: no allocation, no SQL, one attribute look-up per active test.
    """
    tests: list[Callable[[ActionRow], bool]] = []
    terms = f.text.casefold().split()
    if len(terms) == 1:
        term = terms[0]
        tests.append(lambda a: term in a.haystack)
    elif terms:
        tests.append(lambda a: all(t in a.haystack for t in terms))
    if f.area_id is not None:
        wanted_area = f.area_id or None
        tests.append(lambda a: a.area_id == wanted_area)
    if f.owner is not None:
        wanted_owner = f.owner.strip().casefold()
        tests.append(lambda a: a.owner.strip().casefold() == wanted_owner)
    if f.status == OPEN:
        tests.append(lambda a: a.status not in CLOSED_STATUSES)
    elif f.status is not None:
        wanted_status = f.status
        tests.append(lambda a: a.status == wanted_status)
    if f.overdue_only:
        tests.append(lambda a: a.is_overdue(today))
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda a: all(test(a) for test in tests)


def filter_actions(rows: Iterable[ActionRow], f: ActionFilter, today: str | None = None) -> list[ActionRow]:
    """The rows the filter keeps, in their order."""
    match = action_matcher(f, today or today_iso())
    return list(rows) if match is None else [a for a in rows if match(a)]


# -- edits ----------------------------------------------------------------------------------------


def _short(title: str, limit: int = 40) -> str:
    title = " ".join(title.split())
    if not title:
        return "a new action"
    return f"“{title}”" if len(title) <= limit else f"“{title[: limit - 1].rstrip()}…”"


def parse_capabilities(text: str, known: Sequence[str]) -> list[str]:
    """'1.1, 1.2 4.1' → ['1.1', '1.2', '4.1'] in the framework's order; unknown codes are an error."""
    typed = [c for c in text.replace(";", ",").replace(",", " ").split() if c]
    unknown = [c for c in typed if c not in known]
    if unknown:
        listed = ", ".join(known) if len(known) <= 30 else f"{known[0]} … {known[-1]}"
        raise ActionError(f"Unknown capability {', '.join(unknown)} (this framework has {listed}).")
    return [c for c in known if c in set(typed)]


def new_action(
    programme_id: str,
    *,
    title: str = "",
    owner: str = "",
    due_date: str | None = None,
    status: str = "open",
    area_id: str | None = None,
    workshop_id: str | None = None,
    capabilities: Sequence[str] = (),
) -> InsertRecord:
    """An edit adding one action."""
    if status not in ACTION_STATUSES:
        raise ActionError(f"'{status}' is not an action status ({', '.join(ACTION_STATUSES)}).")
    values = {
        "programme_id": programme_id,
        "title": title,
        "owner": owner,
        "due_date": due_date,
        "status": status,
        "area_id": area_id,
        "workshop_id": workshop_id,
        "capabilities": list(capabilities),
    }
    return insert_record("actions", values, f"new action {_short(title)}" if title else "new action")


def due_date_value(text: str, today: date | None = None) -> str | None:
    """A typed due date ('31/1', '2w', 'next fri', blank) as stored (ISO or None); ActionError if not a date."""
    try:
        day = parse_due_date(text, today)
    except DateError as exc:
        raise ActionError(str(exc)) from None
    return day.isoformat() if day else None


def set_action_field(store: Store, action_id: str, field: str, value: Any) -> SetField:
    """An edit of one field of an action, validated; `value` as stored (a due date as ISO or None)."""
    if field not in ACTION_FIELD_LABELS:
        raise ValueError(f"actions.{field} is not editable")
    record = store.get("actions", action_id)
    if field == "status" and value not in ACTION_STATUSES:
        raise ActionError(f"'{value}' is not an action status ({', '.join(ACTION_STATUSES)}).")
    if field == "due_date" and value is not None:
        try:
            date.fromisoformat(str(value))
        except ValueError:
            raise ActionError(f"'{value}' is not a date.") from None
    if field in ("area_id", "workshop_id") and value:
        table = "areas_of_focus" if field == "area_id" else "workshops"
        owner = store.conn.execute(f"SELECT programme_id FROM [{table}] WHERE id = ?", (value,)).fetchone()
        if owner is None or owner[0] != record["programme_id"]:
            raise ActionError(f"That {ACTION_FIELD_LABELS[field]} is not part of this programme.")
    if field in ("area_id", "workshop_id", "due_date") and not value:
        value = None
    description = f"{ACTION_FIELD_LABELS[field]} of {_short(record['title'])}"
    return set_field(store, "actions", action_id, field, value, description)


def set_due_date(store: Store, action_id: str, text: str, today: date | None = None) -> SetField:
    """An edit of an action's due date as typed ('31/1', '2w', 'next fri'; blank clears it)."""
    return set_action_field(store, action_id, "due_date", due_date_value(text, today))


def set_statuses(store: Store, action_ids: Sequence[str], status: str) -> Batch:
    """One undoable step setting the status of several actions (those already at it are left alone)."""
    if status not in ACTION_STATUSES:
        raise ActionError(f"'{status}' is not an action status ({', '.join(ACTION_STATUSES)}).")
    changes: list[Edit] = []
    for action_id in action_ids:
        if store.get("actions", action_id)["status"] != status:
            changes.append(set_action_field(store, action_id, "status", status))
    count = len(changes)
    return Batch(f"status {status} for {count} action{'s' if count != 1 else ''}", changes)


def delete_actions(store: Store, action_ids: Sequence[str]) -> Edit:
    """One undoable step removing actions with their notes."""
    removals: list[Edit] = []
    for action_id in action_ids:
        title = store.get("actions", action_id)["title"]
        removals.append(DeleteRecord(f"deleted action {_short(title)}", "actions", action_id))
    if len(removals) == 1:
        return removals[0]
    return Batch(f"deleted {len(removals)} actions", removals)


def add_note(store: Store, action_id: str, text: str, day: str | None = None) -> InsertRecord:
    """An edit adding a dated progress note to an action (today unless a date is given)."""
    title = store.get("actions", action_id)["title"]
    when = day or today_iso()
    try:
        date.fromisoformat(when)
    except ValueError:
        raise ActionError(f"'{when}' is not a date.") from None
    values = {"action_id": action_id, "date": when, "text": text}
    return insert_record("action_notes", values, f"progress note on {_short(title)}")


def set_note_field(store: Store, note_id: str, field: str, value: str) -> SetField:
    """An edit of a note's date (ISO) or text."""
    if field not in ("date", "text"):
        raise ValueError(f"action_notes.{field} is not editable")
    if field == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ActionError(f"'{value}' is not a date.") from None
    action_id = store.get("action_notes", note_id)["action_id"]
    title = store.get("actions", action_id)["title"]
    label = "date of a note" if field == "date" else "progress note"
    return set_field(store, "action_notes", note_id, field, value, f"{label} on {_short(title)}")


def delete_note(store: Store, note_id: str) -> DeleteRecord:
    action_id = store.get("action_notes", note_id)["action_id"]
    title = store.get("actions", action_id)["title"]
    return DeleteRecord(f"deleted a progress note on {_short(title)}", "action_notes", note_id)
