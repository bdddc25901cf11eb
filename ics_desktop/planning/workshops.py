"""Workshops of a programme: planning (date, venue, areas, attendees, agenda, status) and what the room produced.

Captured outputs, decisions, risks and notes are `workshop_items`; captured actions go straight into the
programme's `actions` (with the workshop as their source), so they are tracked with every other action.
Every change is an `Edit`, so it can be undone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

from ics_desktop.dates import day_text, resolve_due, weekday_abbr
from ics_desktop.errors import UserFacingError
from ics_desktop.planning.capture import KINDS, CapturedLine, resolve_owner
from ics_desktop.storage.edits import Batch, DeleteRecord, Edit, InsertRecord, SetField, insert_record, set_field
from ics_desktop.storage.records import AreaRecord, WorkshopRecord
from ics_desktop.storage.store import Store, now_iso

STATUSES = ("planned", "held", "cancelled")
ITEM_KINDS = ("output", "decision", "risk", "note")  # stored in workshop_items; "action" lives in actions
GUEST_PREFIX = "guest:"
# An action linked to a workshop after the fact (e.g. in the Actions table) goes after what was captured.
_UNPLACED = 2**31
PLAN_FIELDS = {
    "title": "workshop title",
    "starts_at": "workshop date and time",
    "venue": "workshop venue",
    "status": "workshop status",
    "areas": "workshop areas of focus",
    "attendees": "workshop attendees",
    "agenda": "workshop agenda",
}


class CaptureError(UserFacingError):
    """A captured line that cannot be recorded as it stands (the message says why)."""


@dataclass(frozen=True)
class WorkshopRow:
    """One workshop as the list shows it."""

    id: str
    title: str
    starts_at: str | None
    venue: str
    status: str
    items: int
    actions: int


@dataclass(frozen=True)
class CapturedItem:
    """One entry of the running list: a workshop item or an action raised in the workshop."""

    id: str
    table: str  # "workshop_items" or "actions"
    kind: str
    text: str
    created: str
    position: int = 0  # the list's own order, shared by items and actions (see db/0004_capture_order.sql)
    owner: str = ""
    due_date: str | None = None
    area_id: str | None = None
    area: str = ""  # "1. Sharpening and communicating our vision"

    @property
    def is_action(self) -> bool:
        return self.table == "actions"


# -- reading -------------------------------------------------------------------------------------


def list_workshops(store: Store, programme_id: str) -> list[WorkshopRow]:
    """A programme's workshops by date (undated last), with how much was captured in each."""
    # Counted in one pass each (an index on actions(workshop_id), when there is one, makes this a lookup).
    items = dict(
        store.conn.execute(
            "SELECT i.workshop_id, COUNT(*) FROM workshop_items i JOIN workshops w ON w.id = i.workshop_id "
            "WHERE w.programme_id = ? GROUP BY i.workshop_id",
            (programme_id,),
        ).fetchall()
    )
    actions = dict(
        store.conn.execute(
            "SELECT workshop_id, COUNT(*) FROM actions "
            "WHERE workshop_id IN (SELECT id FROM workshops WHERE programme_id = ?) GROUP BY workshop_id",
            (programme_id,),
        ).fetchall()
    )
    rows = store.conn.execute(
        "SELECT id, title, starts_at, venue, status FROM workshops WHERE programme_id = ? "
        "ORDER BY starts_at IS NULL, starts_at, created, id",
        (programme_id,),
    ).fetchall()
    return [WorkshopRow(r[0], r[1], r[2], r[3], r[4], items.get(r[0], 0), actions.get(r[0], 0)) for r in rows]


def workshop_exists(store: Store, workshop_id: str) -> bool:
    return store.conn.execute("SELECT 1 FROM workshops WHERE id = ?", (workshop_id,)).fetchone() is not None


def workshop(store: Store, workshop_id: str) -> WorkshopRecord:
    return cast(WorkshopRecord, store.get("workshops", workshop_id))


def workshop_day(store: Store, workshop_id: str, today: date | None = None) -> date:
    """The day a workshop's relative due dates count from: its own date, or today when it has none."""
    starts_at = workshop(store, workshop_id)["starts_at"]
    try:
        return date.fromisoformat(str(starts_at)[:10]) if starts_at else (today or date.today())
    except ValueError:
        return today or date.today()


def mark_held(store: Store, workshop_id: str) -> SetField:
    """An undoable edit: the workshop took place (its status becomes held)."""
    return set_plan_field(store, workshop_id, "status", "held")


def area_label(area: AreaRecord) -> str:
    return f"{area['number']}. {area['title']}".strip()


def people_names(store: Store, programme_id: str) -> list[str]:
    """Names an action can be given to: participants first, then the delivery team."""
    people = store.people(programme_id, "participant") + store.people(programme_id, "delivery")
    return [p.name for p in people if p.name.strip()]


def captured_items(store: Store, workshop_id: str) -> list[CapturedItem]:
    """Everything captured in a workshop, in the order it was entered (plain queries: this runs on every Enter).

    Ordered by the stored position; lines from two laptops merged at the same position follow by
    creation time and then id, so each laptop's own order is kept and the result is the same every time.
    """
    items = [
        CapturedItem(r[0], "workshop_items", r[1], r[2], r[3], position=r[4])
        for r in store.conn.execute(
            "SELECT id, kind, text, created, position FROM workshop_items WHERE workshop_id = ?", (workshop_id,)
        )
    ]
    actions = [
        CapturedItem(
            r[0],
            "actions",
            "action",
            r[1],
            r[2],
            owner=r[3],
            due_date=r[4],
            area_id=r[5],
            area=f"{r[6]}. {r[7]}" if r[6] is not None else "",
            position=r[8] if r[8] is not None else _UNPLACED,
        )
        for r in store.conn.execute(
            "SELECT a.id, a.title, a.created, a.owner, a.due_date, a.area_id, f.number, f.title, a.capture_position "
            "FROM actions a "
            "LEFT JOIN areas_of_focus f ON f.id = a.area_id WHERE a.workshop_id = ?",
            (workshop_id,),
        )
    ]
    return sorted(items + actions, key=lambda i: (i.position, i.created, i.id))


def kind_counts(items: list[CapturedItem]) -> dict[str, int]:
    counts = dict.fromkeys(KINDS, 0)
    for item in items:
        counts[item.kind] = counts.get(item.kind, 0) + 1
    return counts


# -- attendees: people by id, guests as "guest:Name" --------------------------------------------


def guest_entry(name: str) -> str:
    return GUEST_PREFIX + name


def split_attendees(attendees: list[str]) -> tuple[list[str], list[str]]:
    """(person ids, guest names) of a workshop's attendee list."""
    people = [a for a in attendees if not a.startswith(GUEST_PREFIX)]
    guests = [a[len(GUEST_PREFIX) :] for a in attendees if a.startswith(GUEST_PREFIX)]
    return people, guests


def join_attendees(person_ids: list[str], guests: list[str]) -> list[str]:
    return list(person_ids) + [guest_entry(g) for g in guests]


# -- planning edits ------------------------------------------------------------------------------


def new_workshop(programme_id: str, title: str = "New workshop", starts_at: str | None = None) -> InsertRecord:
    """An edit adding a planned workshop."""
    values = {"programme_id": programme_id, "title": title, "starts_at": starts_at, "status": "planned"}
    return insert_record("workshops", values, f"new workshop '{title}'")


def set_plan_field(store: Store, workshop_id: str, field_name: str, value: Any) -> SetField:
    """An edit of one planning field (title, starts_at, venue, status, areas, attendees, agenda)."""
    if field_name not in PLAN_FIELDS:
        raise ValueError(f"not a workshop field: {field_name}")
    if field_name == "status" and value not in STATUSES:
        raise ValueError(f"not a workshop status: {value}")
    return set_field(store, "workshops", workshop_id, field_name, value, PLAN_FIELDS[field_name])


@dataclass
class DeleteWorkshop(DeleteRecord):
    """Delete a workshop and its items; its actions stay (unlinked), and undo links them again."""

    action_ids: list[str] = field(default_factory=list)

    @property
    def tables(self) -> frozenset[str]:
        return super().tables | {"workshop_items", "actions"}

    def apply(self, store: Store) -> None:
        self.action_ids = [
            r[0] for r in store.conn.execute("SELECT id FROM actions WHERE workshop_id = ?", (self.record_id,))
        ]
        super().apply(store)  # the schema sets the actions' workshop_id to NULL

    def revert(self, store: Store) -> None:
        with store.atomic():
            super().revert(store)
            store.conn.executemany(
                "UPDATE actions SET workshop_id = ? WHERE id = ?", [(self.record_id, a) for a in self.action_ids]
            )


def delete_workshop(store: Store, workshop_id: str) -> DeleteWorkshop:
    title = str(workshop(store, workshop_id)["title"]).strip() or "untitled workshop"
    return DeleteWorkshop(f"deletion of workshop '{title}'", "workshops", workshop_id)


# -- capture -------------------------------------------------------------------------------------


def line_problems(line: CapturedLine, areas: list[AreaRecord], today: date | None = None) -> list[str]:
    """Why a parsed line cannot be recorded (empty when it can)."""
    problems = list(line.problems)
    if line.kind == "action":
        if line.area_number is not None and not any(a["number"] == line.area_number for a in areas):
            numbers = ", ".join(str(a["number"]) for a in areas) or "none yet"
            problems.append(f"There is no area of focus #{line.area_number} (areas: {numbers}).")
        if line.due is not None and line.due < (today or date.today()):
            problems.append(f"The due date {day_text(line.due)} has already passed.")
    return problems


def _next_position(store: Store, workshop_id: str) -> int:
    """The next place in a workshop's running list (items and actions share one sequence)."""
    row = store.conn.execute(
        "SELECT MAX(COALESCE((SELECT MAX(position) FROM workshop_items WHERE workshop_id = ?), -1), "
        "COALESCE((SELECT MAX(capture_position) FROM actions WHERE workshop_id = ?), -1)) + 1",
        (workshop_id, workshop_id),
    ).fetchone()
    return int(row[0])


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def capture_edit(
    store: Store, workshop_id: str, line: CapturedLine, areas: list[AreaRecord], today: date | None = None
) -> InsertRecord:
    """The edit recording one captured line; raises CaptureError when the line has a problem."""
    problems = line_problems(line, areas, today)
    if problems:
        raise CaptureError(" ".join(problems))
    if line.kind == "action":
        programme_id = workshop(store, workshop_id)["programme_id"]
        area = next((a for a in areas if a["number"] == line.area_number), None)
        values = {
            "programme_id": programme_id,
            "workshop_id": workshop_id,
            "title": line.text,
            "owner": line.owner,
            "due_date": line.due.isoformat() if line.due else None,
            "area_id": area["id"] if area else None,
            "status": "open",
            "capture_position": _next_position(store, workshop_id),
        }
        note = f" (due {line.due_note})" if line.due_note else ""
        return insert_record("actions", values, f"action '{_short(line.text)}'{note}")
    if line.kind not in ITEM_KINDS:
        raise ValueError(f"not a capture kind: {line.kind}")
    values = {"workshop_id": workshop_id, "kind": line.kind, "text": line.text}
    values["position"] = _next_position(store, workshop_id)
    return insert_record("workshop_items", values, f"{line.kind} '{_short(line.text)}'")


# -- editing the running list --------------------------------------------------------------------


def edit_text(store: Store, item: CapturedItem, text: str) -> SetField:
    field_name = "title" if item.is_action else "text"
    return set_field(store, item.table, item.id, field_name, text, f"text of the {item.kind}")


def edit_owner(store: Store, item: CapturedItem, typed: str, people: list[str]) -> SetField:
    """The owner as typed, completed to a full name when it clearly means one person."""
    if not item.is_action:
        raise CaptureError(f"Only actions have an owner; make this {item.kind} an action first.")
    return set_field(store, "actions", item.id, "owner", resolve_owner(typed, people), "action owner")


def edit_due(store: Store, item: CapturedItem, typed: str, today: date | None = None) -> SetField:
    """The due date typed as in capture (31/1, 2w, next fri; blank clears it). Raises DateError.

    Relative dates count from `today` (pass the workshop's day) and move off weekends, as in capture.
    """
    if not item.is_action:
        raise CaptureError(f"Only actions have a due date; make this {item.kind} an action first.")
    due = resolve_due(typed.strip().removeprefix("due ").removeprefix("by "), today or date.today())
    description = f"action due date ({due.note})" if due and due.note else "action due date"
    return set_field(store, "actions", item.id, "due_date", due.day.isoformat() if due else None, description)


def edit_area(store: Store, item: CapturedItem, area_id: str | None) -> SetField:
    if not item.is_action:
        raise CaptureError(f"Only actions have an area of focus; make this {item.kind} an action first.")
    return set_field(store, "actions", item.id, "area_id", area_id, "action area of focus")


def change_kind(store: Store, item: CapturedItem, kind: str) -> Edit | None:
    """Make an entry another kind; an item becoming an action (or back) moves table, keeping its place."""
    if kind == item.kind:
        return None
    if kind not in KINDS:
        raise ValueError(f"not a capture kind: {kind}")
    description = f"{item.kind} made a {kind}"
    if not item.is_action and kind != "action":
        return set_field(store, "workshop_items", item.id, "kind", kind, description)
    old = store.get(item.table, item.id)
    stamp = now_iso()
    if kind == "action":
        workshop_id = old["workshop_id"]
        values: dict[str, Any] = {
            "programme_id": workshop(store, workshop_id)["programme_id"],
            "workshop_id": workshop_id,
            "title": old["text"],
            "status": "open",
            "capture_position": old["position"],
        }
        table = "actions"
    else:
        workshop_id = old["workshop_id"]
        values = {
            "workshop_id": workshop_id,
            "kind": kind,
            "text": old["title"],
            "position": item.position if old["capture_position"] is not None else _next_position(store, workshop_id),
        }
        table = "workshop_items"
    # Given its created stamp, the new record is put in as it stands, so it keeps its place in the list.
    insert = insert_record(table, {**values, "created": old["created"], "modified": stamp}, description)
    return Batch(description, [DeleteRecord(description, item.table, item.id), insert])


def delete_captured(item: CapturedItem) -> DeleteRecord:
    return DeleteRecord(f"removal of the {item.kind} '{_short(item.text)}'", item.table, item.id)


def starts_at_text(value: str | None, *, weekday: bool = True) -> str:
    """A workshop's date and time: 'Mon 15 Oct 2018, 09:30' (or '15 Oct 2018, 09:30')."""
    if not value:
        return "Not scheduled"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    shown = f"{day_text(moment.date())}, {moment.strftime('%H:%M')}"
    return f"{weekday_abbr(moment)} {shown}" if weekday else shown
