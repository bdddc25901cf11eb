"""The participants and delivery team of a programme, as an editable table."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from ics_desktop.records import Person
from ics_desktop.store import Store

_Index = QModelIndex | QPersistentModelIndex

COLUMNS: dict[str, list[tuple[str, str]]] = {
    "participant": [
        ("name", "Participant"),
        ("role", "Role"),
        ("organisation", "Organisation"),
        ("topic_lead", "Topic lead"),
    ],
    "delivery": [("name", "Name"), ("role", "Role"), ("organisation", "Organisation"), ("team", "Team")],
}


class PeopleModel(QAbstractTableModel):
    """One row per person of one kind; each edit is saved to the store as soon as it is made."""

    saved = Signal(str)

    def __init__(self, store: Store, kind: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = store
        self._kind = kind
        self._columns = COLUMNS[kind]
        self._programme_id: str | None = None
        self._people: list[Person] = []

    def set_programme(self, programme_id: str | None) -> None:
        self.beginResetModel()
        self._programme_id = programme_id
        self._people = self._store.people(programme_id, self._kind) if programme_id else []
        self.endResetModel()

    def person(self, row: int) -> Person:
        return self._people[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._people)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section][1]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        person = self._people[index.row()]
        field = self._columns[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return getattr(person, field)
        if role == Qt.ItemDataRole.ToolTipRole:
            return person.profile or None
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        person = self._people[index.row()]
        field, label = self._columns[index.column()]
        text = "" if value is None else str(value)
        if getattr(person, field) == text:
            return False
        self._store.update_field("people", person.id, field, text)
        self._people[index.row()] = replace(person, **{field: text})  # type: ignore[arg-type]
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole])
        self.saved.emit(f"Saved {label.lower()} of {person.name or 'a new person'}")
        return True

    def add_person(self) -> int:
        """Append a blank person (saved at once); returns the new row."""
        if self._programme_id is None:
            return -1
        row = len(self._people)
        self.beginInsertRows(QModelIndex(), row, row)
        self._store.add_person(self._programme_id, self._kind)
        self._people = self._store.people(self._programme_id, self._kind)
        self.endInsertRows()
        self.saved.emit("Added a person")
        return row

    def remove_person(self, row: int) -> None:
        person = self._people[row]
        self.beginRemoveRows(QModelIndex(), row, row)
        self._store.delete("people", person.id)
        del self._people[row]
        self.endRemoveRows()
        self.saved.emit(f"Removed {person.name or 'a person'}")
