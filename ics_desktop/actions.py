"""Actions and milestones of a programme: reading them for tables, filtering, overdue, progress notes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from .store import Store

ACTION_STATUSES = ("open", "in progress", "blocked", "done", "dropped")
CLOSED_STATUSES = frozenset({"done", "dropped"})
MILESTONE_STATUSES = ("planned", "on track", "at risk", "achieved", "missed")


@dataclass(frozen=True)
class ActionRow:
    """One action as the actions table shows it (area and workshop resolved to names)."""

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

    def is_overdue(self, today: str) -> bool:
        return bool(self.due_date) and self.due_date < today and self.status not in CLOSED_STATUSES  # type: ignore[operator]


def action_rows(store: Store, programme_id: str) -> list[ActionRow]:
    """Every action of a programme in one query (fast enough for tens of thousands)."""
    rows = store.conn.execute(
        "SELECT a.id, a.title, a.owner, a.due_date, a.status, a.area_id, "
        "COALESCE(f.number || '. ' || f.title, ''), a.workshop_id, COALESCE(w.title, ''), a.capabilities, "
        "(SELECT COUNT(*) FROM action_notes n WHERE n.action_id = a.id) "
        "FROM actions a LEFT JOIN areas_of_focus f ON f.id = a.area_id LEFT JOIN workshops w ON w.id = a.workshop_id "
        "WHERE a.programme_id = ? ORDER BY a.due_date IS NULL, a.due_date, a.created",
        (programme_id,),
    ).fetchall()
    out = []
    for r in rows:
        caps = tuple(json.loads(r[9] or "[]"))
        haystack = " ".join((r[1], r[2], r[4], r[6], r[8], " ".join(caps))).casefold()
        out.append(ActionRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], caps, r[10], haystack))
    return out


def action_row(store: Store, action_id: str) -> ActionRow:
    programme_id = store.get("actions", action_id)["programme_id"]
    return next(a for a in action_rows(store, programme_id) if a.id == action_id)


def action_notes(store: Store, action_id: str) -> list[dict[str, Any]]:
    """Dated progress notes (the weekly touchpoints), oldest first."""
    return store.rows("SELECT * FROM action_notes WHERE action_id = ? ORDER BY date, created", (action_id,))


def next_milestones(store: Store, programme_id: str, today: str, limit: int = 3) -> list[dict[str, Any]]:
    return store.rows(
        "SELECT * FROM milestones WHERE programme_id = ? AND status NOT IN ('achieved', 'missed') "
        "AND due_date IS NOT NULL ORDER BY due_date < ?, due_date LIMIT ?",
        (programme_id, today, limit),
    )


def today_iso() -> str:
    return date.today().isoformat()
