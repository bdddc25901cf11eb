"""Ambitions and milestones (the seed's "2020/21 ambition → 2019/20 milestone"): reading, checking, editing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ics_desktop.planning.actions import MILESTONE_STATUSES, ActionError, due_date_value, parse_capabilities
from ics_desktop.storage.edits import Batch, DeleteRecord, Edit, InsertRecord, SetField, insert_record, set_field
from ics_desktop.storage.store import Store

MILESTONE_FIELD_LABELS = {
    "ambition_year": "ambition year",
    "ambition": "ambition",
    "milestone_year": "milestone year",
    "title": "milestone",
    "due_date": "due date",
    "status": "status",
    "areas": "areas of focus",
    "capabilities": "capabilities",
}
DONE_STATUS = "achieved"


class MilestoneError(ActionError):
    """A milestone edit that cannot be saved as typed."""


def is_overdue(milestone: Mapping[str, Any], today: str) -> bool:
    """Past its due date and not achieved (a missed milestone stays flagged: it still needs attention)."""
    due = milestone.get("due_date")
    return bool(due) and str(due) < today and milestone.get("status") != DONE_STATUS


def area_titles(store: Store, programme_id: str) -> dict[int, str]:
    """Area of focus number → '1. Sharpening and communicating our vision'."""
    return {a["number"]: f"{a['number']}. {a['title']}" for a in store.areas_of_focus(programme_id)}


def areas_label(numbers: Sequence[int], titles: dict[int, str]) -> str:
    """The areas a milestone serves, by title (numbers no longer defined are shown as numbers)."""
    return "\n".join(titles.get(n, f"{n}. (no such area)") for n in numbers)


def parse_area_numbers(text: str, known: Sequence[int]) -> list[int]:
    """'1, 3' → [1, 3] (sorted, without repeats); a number that is not an area is an error."""
    typed = text.replace(";", ",").replace(",", " ").split()
    numbers: list[int] = []
    for word in typed:
        word = word.rstrip(".")
        if not word.isdigit():
            raise MilestoneError(f"'{word}' is not an area number: type the areas' numbers, e.g. 1, 3.")
        numbers.append(int(word))
    unknown = sorted({n for n in numbers if n not in known})
    if unknown:
        have = ", ".join(str(n) for n in sorted(known)) or "none yet"
        raise MilestoneError(f"There is no area of focus {', '.join(map(str, unknown))} (areas: {have}).")
    return sorted(set(numbers))


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    if not text:
        return "a new milestone"
    return f"“{text}”" if len(text) <= limit else f"“{text[: limit - 1].rstrip()}…”"


def new_milestone(store: Store, programme_id: str, **values: Any) -> InsertRecord:
    """An edit adding a milestone at the end; its years follow the last milestone's unless given."""
    last = store.conn.execute(
        # SQLite takes the bare columns from the row holding MAX(position): the last milestone.
        "SELECT ambition_year, milestone_year, COALESCE(MAX(position), -1) FROM milestones WHERE programme_id = ?",
        (programme_id,),
    ).fetchone()
    status = values.get("status", "planned")
    if status not in MILESTONE_STATUSES:
        raise MilestoneError(f"'{status}' is not a milestone status ({', '.join(MILESTONE_STATUSES)}).")
    record = {
        "programme_id": programme_id,
        "ambition_year": last[0] if last and last[0] is not None else "",
        "milestone_year": last[1] if last and last[1] is not None else "",
        "ambition": "",
        "title": "",
        "due_date": None,
        "status": status,
        "areas": [],
        "capabilities": [],
        "position": (last[2] if last and last[2] is not None else -1) + 1,
    }
    record.update({k: v for k, v in values.items() if k in MILESTONE_FIELD_LABELS})
    title = str(record["title"])
    return insert_record("milestones", record, f"new milestone {_short(title)}" if title else "new milestone")


def set_milestone_field(store: Store, milestone_id: str, field: str, value: Any) -> SetField:
    """An edit of one milestone field, validated; `value` as stored (areas as numbers, due date ISO or None)."""
    if field not in MILESTONE_FIELD_LABELS:
        raise ValueError(f"milestones.{field} is not editable")
    record = store.get("milestones", milestone_id)
    if field == "status" and value not in MILESTONE_STATUSES:
        raise MilestoneError(f"'{value}' is not a milestone status ({', '.join(MILESTONE_STATUSES)}).")
    if field == "due_date":
        if value:
            try:
                date.fromisoformat(str(value))
            except ValueError:
                raise MilestoneError(f"'{value}' is not a date.") from None
        else:
            value = None
    if field == "areas":
        known = [a["number"] for a in store.areas_of_focus(record["programme_id"])]
        missing = [n for n in value if n not in known]
        if missing:
            raise MilestoneError(f"There is no area of focus {', '.join(map(str, missing))}.")
        value = sorted(set(value))
    description = f"{MILESTONE_FIELD_LABELS[field]} of {_short(record['title'])}"
    return set_field(store, "milestones", milestone_id, field, value, description)


def set_from_text(store: Store, milestone_id: str, field: str, text: str) -> SetField:
    """An edit from what was typed in a cell: due dates as people type them, areas and capabilities as lists."""
    record = store.get("milestones", milestone_id)
    if field == "due_date":
        return set_milestone_field(store, milestone_id, field, due_date_value(text))
    if field == "areas":
        known = [a["number"] for a in store.areas_of_focus(record["programme_id"])]
        return set_milestone_field(store, milestone_id, field, parse_area_numbers(text, known))
    if field == "capabilities":
        codes = [c.code for c in store.programme_framework(record["programme_id"]).capabilities]
        return set_milestone_field(store, milestone_id, field, parse_capabilities(text, codes))
    return set_milestone_field(store, milestone_id, field, text)


def delete_milestones(store: Store, milestone_ids: Sequence[str]) -> Edit:
    """One undoable step removing milestones."""
    removals: list[Edit] = [
        DeleteRecord(f"deleted milestone {_short(store.get('milestones', m)['title'])}", "milestones", m)
        for m in milestone_ids
    ]
    return removals[0] if len(removals) == 1 else Batch(f"deleted {len(removals)} milestones", removals)
