"""The participants and delivery team of a programme, as an editable table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ics_desktop.planning.topic_leads import topic_leads
from ics_desktop.storage import edits
from ics_desktop.storage.records import Person
from ui.models.base import Index as _Index
from ui.models.base import TableModel
from ui.undo import EditRunner

LEAD_TIP = "The areas of focus this person leads: tick topic leads on the Areas page"
COLUMNS: dict[str, list[tuple[str, str]]] = {
    "participant": [
        ("name", "Participant"),
        ("role", "Role"),
        ("organisation", "Organisation"),
        ("topic_lead", "Topic lead"),
    ],
    "delivery": [("name", "Name"), ("role", "Role"), ("organisation", "Organisation"), ("team", "Team")],
}


class PeopleModel(TableModel):
    """One row per person of one kind; each edit is saved to the store as soon as it is made."""

    def __init__(self, runner: EditRunner, kind: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        runner.changed.connect(self._tables_changed)
        self._kind = kind
        self._columns = COLUMNS[kind]
        self._programme_id: str | None = None
        self._people: list[Person] = []
        self._leads: dict[str, str] = {}

    def set_programme(self, programme_id: str | None) -> None:
        self.beginResetModel()
        self._programme_id = programme_id
        self._people = self._store.people(programme_id, self._kind) if programme_id else []
        self._leads = topic_leads(self._store, programme_id) if programme_id else {}
        self.endResetModel()

    def person(self, row: int) -> Person:
        return self._people[row]

    def row_count(self) -> int:
        return len(self._people)

    def column_count(self) -> int:
        return len(self._columns)

    def column_title(self, column: int) -> str | None:
        return self._columns[column][1]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        person = self._people[index.row()]
        field = self._columns[index.column()][0]
        if field == "topic_lead":  # one fact: the areas this person is ticked to lead
            if role == Qt.ItemDataRole.DisplayRole:
                return self._leads.get(person.id, "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return LEAD_TIP
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(person, field)
        if role == Qt.ItemDataRole.ToolTipRole:
            return person.profile or None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid() or self._columns[index.column()][0] == "topic_lead":
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        person = self._people[index.row()]
        field, label = self._columns[index.column()]
        text = "" if value is None else str(value)
        if getattr(person, field) == text:
            return False
        description = f"{label.lower()} of {person.name or 'a new person'}"
        return self._runner.run(edits.set_field(self._store, "people", person.id, field, text, description))

    def _tables_changed(self, tables: set[str]) -> None:
        if not tables & {"people", "areas_of_focus"} or self._programme_id is None:
            return
        self._leads = topic_leads(self._store, self._programme_id)
        fresh = self._store.people(self._programme_id, self._kind)
        if [p.id for p in fresh] == [p.id for p in self._people]:
            self._people = fresh
            if fresh:
                self.dataChanged.emit(self.index(0, 0), self.index(len(fresh) - 1, len(self._columns) - 1))
        else:
            self.beginResetModel()
            self._people = fresh
            self.endResetModel()

    def add_person(self) -> int:
        """Append a blank person (saved at once); returns the new row."""
        if self._programme_id is None:
            return -1
        position = max((p.position for p in self._people), default=-1) + 1
        values = {"programme_id": self._programme_id, "kind": self._kind, "position": position}
        what = "participant" if self._kind == "participant" else "team member"
        edit = edits.insert_record("people", values, f"added a {what}")
        if not self._runner.run(edit):
            return -1
        return next(i for i, p in enumerate(self._people) if p.id == edit.record_id)

    def remove_person(self, row: int) -> None:
        person = self._people[row]
        self._runner.run(edits.DeleteRecord(f"removed {person.name or 'a person'}", "people", person.id))
