"""Areas of focus and the workshop catalogue: every change as an undoable `Edit`.

A programme has as many numbered areas of focus as it needs (the seed's six are its sample, not a limit;
MAX_AREAS only guards against runaway data). Milestones refer to areas by *number* (their
`areas` JSON list), actions by id (`area_id`) and workshops by id (their `areas` JSON list), so
whatever renumbers areas (a move, a removal) updates milestones in the same step, and a removal
detaches actions and workshops in a way that undo puts back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ics_desktop.errors import UserFacingError
from ics_desktop.storage.edits import Batch, DeleteRecord, Edit, InsertRecord, SetField, insert_record, set_field
from ics_desktop.storage.records import AreaRecord, CatalogueRecord
from ics_desktop.storage.store import Store, now_iso

MAX_AREAS = 50  # a guard against runaway data, far beyond any programme (the seed has six)
TEXT_FIELDS = frozenset({"title", "narrative", "blend"})
LIST_FIELDS = frozenset({"preferred_workshops", "capabilities", "outputs", "outcomes", "topic_leads"})
FIELD_LABELS = {
    "title": "title",
    "narrative": "narrative",
    "blend": "workshop blend",
    "preferred_workshops": "preferred workshops",
    "capabilities": "capabilities addressed",
    "outputs": "planned workshop outputs",
    "outcomes": "hoped-for outcomes",
    "topic_leads": "topic leads",
}
CATALOGUE_FIELDS = frozenset({"number", "title", "description"})


class AreaError(UserFacingError):
    """An area-of-focus or catalogue change that cannot be made (the message says why)."""


# -- reading -----------------------------------------------------------------------------------------


def areas(store: Store, programme_id: str) -> list[AreaRecord]:
    """The programme's areas of focus in number order (JSON lists decoded)."""
    return store.areas_of_focus(programme_id)


def area_label(area: AreaRecord) -> str:
    """How an area is named in lists and messages: '2. System governance and leadership'."""
    title = str(area.get("title") or "").strip()
    return f"{area['number']}. {title or 'Untitled area of focus'}"


def area_name(area: Mapping[str, Any]) -> str:
    """How an area is named in a sentence: 'area 2 (System governance and leadership)'."""
    title = str(area.get("title") or "").strip()
    return f"area {area['number']}" + (f" ({title})" if title else "")


def action_counts(store: Store, area_id: str) -> tuple[int, int]:
    """How many actions belong to the area, and how many of them are still open (not done or dropped)."""
    row = store.rows(
        "SELECT COUNT(*) AS total, COALESCE(SUM(status NOT IN ('done', 'dropped')), 0) AS still_open "
        "FROM actions WHERE area_id = ?",
        (area_id,),
    )[0]
    return int(row["total"]), int(row["still_open"])


def _join(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def catalogue(store: Store, programme_id: str) -> list[CatalogueRecord]:
    return store.workshop_catalogue(programme_id)


def blend_phrase(numbers: list[int]) -> str:
    """The seed's way of describing a workshop blend: 'Workshop 12', 'Blend of workshops 1, 3 and 8'."""
    ordered = sorted(set(numbers))
    if not ordered:
        return ""
    if len(ordered) == 1:
        return f"Workshop {ordered[0]}"
    return "Blend of workshops " + _join([str(n) for n in ordered])


# -- edits that put back what a foreign key or a JSON list lost --------------------------------------


@dataclass
class DetachActions(Edit):
    """Clear `area_id` on the actions of one area (before it is deleted); undo points them back.

    The foreign key would null them anyway, but then undoing the removal could not restore them.
    One UPDATE either way, so thousands of actions cost nothing.
    """

    area_id: str = ""
    action_ids: list[str] = field(default_factory=list)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset({"actions"})

    def apply(self, store: Store) -> None:
        with store.atomic():
            self.action_ids = [
                r[0] for r in store.conn.execute("SELECT id FROM actions WHERE area_id = ?", (self.area_id,))
            ]
            store.conn.execute(
                "UPDATE actions SET area_id = NULL, modified = ? WHERE area_id = ?", (now_iso(), self.area_id)
            )

    def revert(self, store: Store) -> None:
        with store.atomic():
            store.conn.executemany(
                "UPDATE actions SET area_id = ?, modified = ? WHERE id = ?",
                [(self.area_id, now_iso(), action_id) for action_id in self.action_ids],
            )


def _milestone_updates(store: Store, programme_id: str, mapping: dict[int, int | None]) -> list[Edit]:
    """Rewrite milestones' area numbers through `mapping` (None drops the number); only those that change."""
    changes: list[Edit] = []
    for milestone in store.milestones(programme_id):
        old = list(milestone["areas"])
        new: list[Any] = []
        for number in old:
            mapped = mapping.get(number, number) if isinstance(number, int) else number
            if mapped is not None and mapped not in new:
                new.append(mapped)
        if all(isinstance(n, int) for n in new):
            new.sort()
        if new != old:
            changes.append(SetField("milestone areas", "milestones", milestone["id"], "areas", old, new))
    return changes


def _workshop_updates(store: Store, programme_id: str, area_id: str) -> list[Edit]:
    """Take a removed area's id out of workshops' `areas` lists."""
    changes: list[Edit] = []
    for workshop in store.rows("SELECT id, areas FROM workshops WHERE programme_id = ?", (programme_id,)):
        old = list(workshop["areas"])
        if area_id in old:
            new = [a for a in old if a != area_id]
            changes.append(SetField("workshop areas", "workshops", workshop["id"], "areas", old, new))
    return changes


# -- areas -------------------------------------------------------------------------------------------


def add_area(store: Store, programme_id: str, title: str = "") -> InsertRecord:
    """An edit adding the next area (numbered after the last); refused beyond MAX_AREAS."""
    existing = areas(store, programme_id)
    if len(existing) >= MAX_AREAS:
        raise AreaError(f"A programme has at most {MAX_AREAS} areas of focus; remove one before adding another.")
    number = max((a["number"] for a in existing), default=0) + 1
    return insert_record(
        "areas_of_focus",
        {"programme_id": programme_id, "number": number, "title": title},
        f"new area of focus {number}",
    )


def remove_area(store: Store, area_id: str) -> Batch:
    """An edit removing an area: later areas move up a number and milestones keep pointing at the same areas.

    Actions of the area lose it (undo restores them); workshops forget it.
    """
    area = store.get("areas_of_focus", area_id)
    programme_id = area["programme_id"]
    remaining = [a for a in areas(store, programme_id) if a["id"] != area_id]
    mapping: dict[int, int | None] = {area["number"]: None}
    renumber: list[Edit] = []
    for new_number, other in enumerate(remaining, start=1):
        mapping.setdefault(other["number"], new_number)
        if other["number"] != new_number:
            renumber.append(
                SetField("area number", "areas_of_focus", other["id"], "number", other["number"], new_number)
            )
    steps: list[Edit] = [
        DetachActions("actions of the area", area_id),
        *_workshop_updates(store, programme_id, area_id),
        *_milestone_updates(store, programme_id, mapping),
        *renumber,
        DeleteRecord("area", "areas_of_focus", area_id),  # last, so undo puts it back before re-pointing actions
    ]
    return Batch(f"removal of {area_name(area)}", steps)


def move_area(store: Store, area_id: str, step: int) -> Batch | None:
    """An edit swapping an area with its neighbour (step -1 up, +1 down); None at either end."""
    area = store.get("areas_of_focus", area_id)
    ordered = areas(store, area["programme_id"])
    index = next(i for i, a in enumerate(ordered) if a["id"] == area_id)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(ordered):
        return None
    other = ordered[target]
    a, b = area["number"], other["number"]
    steps: list[Edit] = [
        SetField("area number", "areas_of_focus", area_id, "number", a, b),
        SetField("area number", "areas_of_focus", other["id"], "number", b, a),
        *_milestone_updates(store, area["programme_id"], {a: b, b: a}),
    ]
    title = str(area["title"]).strip() or "untitled area"
    return Batch(f"move of '{title}' {'up' if step < 0 else 'down'}", steps)


def _clean(field_name: str, value: Any) -> Any:
    if field_name in TEXT_FIELDS:
        return "" if value is None else str(value)
    values = list(value or [])
    if field_name == "preferred_workshops":
        return sorted({int(v) for v in values})
    unique: list[Any] = []
    for v in values:
        if v not in unique:
            unique.append(v)
    return unique


def set_area_field(store: Store, area_id: str, field_name: str, value: Any) -> SetField:
    """An edit of one field of an area (text kept exactly as typed; lists without duplicates)."""
    if field_name not in FIELD_LABELS:
        raise ValueError(f"areas_of_focus.{field_name} is not set this way")
    area = store.get("areas_of_focus", area_id)
    description = f"area {area['number']} {FIELD_LABELS[field_name]}"
    return set_field(store, "areas_of_focus", area_id, field_name, _clean(field_name, value), description)


# -- workshop catalogue ------------------------------------------------------------------------------


def _users_of_workshop(store: Store, programme_id: str, number: int) -> list[AreaRecord]:
    return [a for a in areas(store, programme_id) if number in a["preferred_workshops"]]


def add_catalogue_entry(store: Store, programme_id: str, title: str = "", description: str = "") -> InsertRecord:
    """An edit adding a workshop to the catalogue, numbered after the highest."""
    number = max((w["number"] for w in catalogue(store, programme_id)), default=0) + 1
    values = {"programme_id": programme_id, "number": number, "title": title, "description": description}
    return insert_record("workshop_catalogue", values, f"new catalogue workshop {number}")


def _parse_number(value: Any) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        raise AreaError(f"A workshop number is a whole number, not '{value}'.") from None
    if number < 1:
        raise AreaError("A workshop number is 1 or more.")
    return number


def set_catalogue_field(store: Store, entry_id: str, field_name: str, value: Any) -> Edit:
    """An edit of a catalogue workshop; a new number must be free, and areas follow the renumbering."""
    if field_name not in CATALOGUE_FIELDS:
        raise ValueError(f"workshop_catalogue.{field_name} is not editable")
    entry = store.get("workshop_catalogue", entry_id)
    if field_name != "number":
        return set_field(
            store, "workshop_catalogue", entry_id, field_name, str(value), f"{field_name} of workshop {entry['number']}"
        )
    old, new = entry["number"], _parse_number(value)
    for other in catalogue(store, entry["programme_id"]):
        if other["number"] == new and other["id"] != entry_id:
            title = str(other["title"]).strip()
            raise AreaError(f"Workshop {new} is already in the catalogue" + (f" ({title})." if title else "."))
    steps: list[Edit] = [SetField("workshop number", "workshop_catalogue", entry_id, "number", old, new)]
    for area in _users_of_workshop(store, entry["programme_id"], old):
        renumbered = sorted({new if n == old else n for n in area["preferred_workshops"]})
        steps.append(
            SetField(
                "preferred workshops", "areas_of_focus", area["id"], "preferred_workshops", area["preferred_workshops"],
                renumbered,
            )
        )  # fmt: skip
    return Batch(f"renumbering of workshop {old} as {new}", steps)


def remove_catalogue_entry(store: Store, entry_id: str) -> DeleteRecord:
    """An edit removing a catalogue workshop; refused while an area still prefers it."""
    entry = store.get("workshop_catalogue", entry_id)
    users = _users_of_workshop(store, entry["programme_id"], entry["number"])
    if users:
        names = _join([area_name(a) for a in users])
        raise AreaError(
            f"Workshop {entry['number']} is a preferred workshop of {names}; "
            f"take it out of {'that area' if len(users) == 1 else 'those areas'} first."
        )
    return DeleteRecord(f"removal of catalogue workshop {entry['number']}", "workshop_catalogue", entry_id)
