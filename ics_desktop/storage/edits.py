"""Reversible edits: every change a user makes, as an object that can be applied and reverted (undo/redo).

The UI wraps these in QUndoCommands; the core knows nothing of Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ics_desktop.storage.store import Store

# Child tables by parent (table, foreign key column), for snapshots taken before a delete.
_CHILDREN: dict[str, list[tuple[str, str]]] = {
    "actions": [("action_notes", "action_id")],
    "workshops": [("workshop_items", "workshop_id")],
    "respondents": [("responses", "respondent_id")],
    "assessments": [("respondents", "assessment_id"), ("capability_results", "assessment_id")],
}
_MISSING = object()


def snapshot(store: Store, table: str, record_id: str) -> list[tuple[str, dict[str, Any]]]:
    """A record and everything that would be deleted with it, parents before children."""
    rows = [(table, store.get(table, record_id))]
    for child_table, column in _CHILDREN.get(table, []):
        for (child_id,) in store.conn.execute(f"SELECT id FROM [{child_table}] WHERE [{column}] = ?", (record_id,)):
            rows.extend(snapshot(store, child_table, child_id))
    return rows


@dataclass
class Edit:
    """Base: `apply` does the change, `revert` undoes it; `tables` says what a view should reload."""

    description: str

    @property
    def tables(self) -> frozenset[str]:
        return frozenset()

    def apply(self, store: Store) -> None:
        raise NotImplementedError

    def revert(self, store: Store) -> None:
        raise NotImplementedError


@dataclass
class SetField(Edit):
    table: str = ""
    record_id: str = ""
    field: str = ""
    old: Any = None
    new: Any = None

    @property
    def tables(self) -> frozenset[str]:
        return frozenset({self.table})

    def apply(self, store: Store) -> None:
        store.update_field(self.table, self.record_id, self.field, self.new)

    def revert(self, store: Store) -> None:
        store.update_field(self.table, self.record_id, self.field, self.old)


def set_field(store: Store, table: str, record_id: str, field: str, new: Any, description: str) -> SetField:
    """An edit of one field, remembering its current value."""
    return SetField(description, table, record_id, field, store.get(table, record_id)[field], new)


@dataclass
class InsertRecord(Edit):
    table: str = ""
    values: dict[str, Any] = field(default_factory=dict)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset({self.table})

    @property
    def record_id(self) -> str:
        return str(self.values["id"])

    def apply(self, store: Store) -> None:
        if "created" in self.values:  # redo: put back exactly what was there
            store.restore_rows([(self.table, self.values)])
        else:
            new_id = store.insert(self.table, self.values)
            self.values = store.get(self.table, new_id)

    def revert(self, store: Store) -> None:
        store.delete(self.table, self.record_id)


def insert_record(table: str, values: dict[str, Any], description: str) -> InsertRecord:
    """An edit adding a record (its id is fixed now, so redo brings back the same record)."""
    from ics_desktop.storage.store import new_id

    return InsertRecord(description, table, {"id": new_id(), **values})


@dataclass
class DeleteRecord(Edit):
    table: str = ""
    record_id: str = ""
    rows: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(t for t, _ in self.rows) | {self.table}

    def apply(self, store: Store) -> None:
        self.rows = snapshot(store, self.table, self.record_id)
        store.delete(self.table, self.record_id)

    def revert(self, store: Store) -> None:
        store.restore_rows(self.rows)


@dataclass
class SetResponse(Edit):
    respondent_id: str = ""
    capability_code: str = ""
    question: str = ""
    old: Any = _MISSING
    new: Any = _MISSING  # _MISSING: no response at all; None: don't know

    @property
    def tables(self) -> frozenset[str]:
        return frozenset({"responses"})

    def _put(self, store: Store, value: Any) -> None:
        if value is _MISSING:
            with store.atomic():
                store.conn.execute(
                    "DELETE FROM responses WHERE respondent_id = ? AND capability_code = ? AND question = ?",
                    (self.respondent_id, self.capability_code, self.question),
                )
        else:
            store.set_response(self.respondent_id, self.capability_code, self.question, value)

    def apply(self, store: Store) -> None:
        self._put(store, self.new)

    def revert(self, store: Store) -> None:
        self._put(store, self.old)


NO_RESPONSE = _MISSING


def set_response(store: Store, respondent_id: str, code: str, question: str, new: Any, description: str) -> SetResponse:
    """An edit of one score; `new` is a level, None for don't know, or NO_RESPONSE to blank it."""
    row = store.conn.execute(
        "SELECT score FROM responses WHERE respondent_id = ? AND capability_code = ? AND question = ?",
        (respondent_id, code, question),
    ).fetchone()
    return SetResponse(description, respondent_id, code, question, _MISSING if row is None else row[0], new)


@dataclass
class Batch(Edit):
    """Several edits as one step (all or nothing)."""

    edits: list[Edit] = field(default_factory=list)

    @property
    def tables(self) -> frozenset[str]:
        return frozenset().union(*(e.tables for e in self.edits)) if self.edits else frozenset()

    def apply(self, store: Store) -> None:
        with store.atomic():
            for edit in self.edits:
                edit.apply(store)

    def revert(self, store: Store) -> None:
        with store.atomic():
            for edit in reversed(self.edits):
                edit.revert(store)
