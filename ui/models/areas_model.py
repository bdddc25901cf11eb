"""Qt models of the Areas of focus page: the list of areas, pick lists, the two overview tables, the catalogue."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from ics_desktop.errors import UserFacingError
from ics_desktop.planning import areas as core
from ics_desktop.storage.records import AreaRecord, CatalogueRecord
from ui.models.base import Index as _Index
from ui.models.base import ListModel, TableModel
from ui.undo import EditRunner

ID_ROLE = Qt.ItemDataRole.UserRole + 1
MUTED = QColor("#6b7b86")
ITEM_SIZE = QSize(120, 24)


class AreasListModel(ListModel):
    """The programme's areas in number order: '1. Sharpening and communicating our vision'."""

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = runner.store
        self._programme_id: str | None = None
        self.areas: list[AreaRecord] = []

    def set_programme(self, programme_id: str | None) -> None:
        self._programme_id = programme_id
        self.reload()

    def reload(self) -> None:
        """Read the areas again: a reset when ids or order changed, else only the text (keeps the selection)."""
        fresh = core.areas(self._store, self._programme_id) if self._programme_id else []
        if [a["id"] for a in fresh] == [a["id"] for a in self.areas]:
            changed = fresh != self.areas
            self.areas = fresh
            if fresh and changed:
                self.dataChanged.emit(self.index(0), self.index(len(fresh) - 1))
            return
        self.beginResetModel()
        self.areas = fresh
        self.endResetModel()

    def row_of(self, area_id: str | None) -> int:
        return next((i for i, a in enumerate(self.areas) if a["id"] == area_id), -1)

    def row_count(self) -> int:
        return len(self.areas)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        area = self.areas[index.row()]
        untitled = not str(area["title"]).strip()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return core.area_label(area)
        if role == Qt.ItemDataRole.ToolTipRole:
            return area["narrative"] or None
        if role == Qt.ItemDataRole.ForegroundRole and untitled:
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.FontRole and untitled:
            font = QFont()
            font.setItalic(True)
            return font
        if role == ID_ROLE:
            return area["id"]
        return None


@dataclass(frozen=True)
class PickItem:
    """One choice in a pick list: its stored key, what is shown, and whether it is shown muted."""

    key: Any
    label: str
    tooltip: str = ""
    muted: bool = False


class PickListModel(ListModel):
    """Checkable choices. A click or Space asks for the change (`toggled`); the view reloads from the store."""

    toggled = Signal(object, bool)  # key, now checked

    def __init__(self, parent: Any = None, *, elide: bool = False) -> None:
        super().__init__(parent)
        self._elide = elide
        self.items: list[PickItem] = []
        self.checked: list[Any] = []
        self._enabled = True

    def set_items(self, items: list[PickItem], checked: list[Any], enabled: bool = True) -> None:
        if items == self.items:
            self.set_checked(checked, enabled)
            return
        self.beginResetModel()
        self.items, self.checked, self._enabled = items, list(checked), enabled
        self.endResetModel()

    def set_checked(self, checked: list[Any], enabled: bool = True) -> None:
        if (list(checked), enabled) == (self.checked, self._enabled):
            return
        self.checked, self._enabled = list(checked), enabled
        if self.items:
            self.dataChanged.emit(self.index(0), self.index(len(self.items) - 1))

    def keys(self) -> list[Any]:
        return [item.key for item in self.items]

    def row_count(self) -> int:
        return len(self.items)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return item.label
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if item.key in self.checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.tooltip or item.label
        if role == Qt.ItemDataRole.ForegroundRole and item.muted:
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.SizeHintRole and self._elide:
            return ITEM_SIZE  # narrow, so a long statement elides at the view's edge instead of scrolling
        if role == ID_ROLE:
            return item.key
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsUserCheckable
        return flags | Qt.ItemFlag.ItemIsEnabled if self._enabled else flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        state = Qt.CheckState(value) if isinstance(value, int) else value
        self.toggled.emit(self.items[index.row()].key, state == Qt.CheckState.Checked)
        return True


# -- the two read-only overview tables, as in the terms of reference ---------------------------------

PLANS = "plans"
OUTCOMES = "outcomes"
TABLE_COLUMNS = {
    PLANS: ("Area of focus", "Preferred workshop(s)", "Baseline capabilities"),
    OUTCOMES: ("Area of focus", "Workshop outputs", "Outcomes"),
}


def _bullets(lines: list[str]) -> str:
    return "\n".join(f"• {line}" for line in lines)


class AreasTableModel(TableModel):
    """All areas in one table: the workshop plan (blend, narrative, capabilities) or outputs and outcomes."""

    def __init__(self, runner: EditRunner, kind: str, parent: Any = None) -> None:
        super().__init__(parent)
        self._store = runner.store
        self._kind = kind
        self._columns = TABLE_COLUMNS[kind]
        self._programme_id: str | None = None
        self._rows: list[tuple[str, str, str]] = []

    def set_programme(self, programme_id: str | None) -> None:
        self._programme_id = programme_id
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows = [self._row(a) for a in core.areas(self._store, self._programme_id)] if self._programme_id else []
        self.endResetModel()

    def _row(self, area: AreaRecord) -> tuple[str, str, str]:
        name = core.area_label(area)
        if self._kind == OUTCOMES:
            return name, _bullets(area["outputs"]), _bullets(area["outcomes"])
        blend = str(area["blend"]).strip() or core.blend_phrase(area["preferred_workshops"])
        narrative = str(area["narrative"]).strip()
        plan = f"{blend}: {narrative}" if blend and narrative else blend or narrative
        return name, plan, ", ".join(area["capabilities"])

    def row_count(self) -> int:
        return len(self._rows)

    def column_count(self) -> int:
        return len(self._columns)

    def column_title(self, column: int) -> str | None:
        return self._columns[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        if role == Qt.ItemDataRole.FontRole and index.column() == 0:
            font = QFont()
            font.setBold(True)
            return font
        return None


# -- the workshop catalogue ----------------------------------------------------------------------------

CATALOGUE_COLUMNS = (("number", "No."), ("title", "Title"), ("description", "Description"))


class CatalogueModel(TableModel):
    """The programme's workshop catalogue (number, title, description); each edit saved and undoable."""

    refused = Signal(str)  # why an edit was not made

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._programme_id: str | None = None
        self.entries: list[CatalogueRecord] = []
        runner.changed.connect(self._tables_changed)

    def set_programme(self, programme_id: str | None) -> None:
        self._programme_id = programme_id
        self.beginResetModel()
        self.entries = core.catalogue(self._store, programme_id) if programme_id else []
        self.endResetModel()

    def _tables_changed(self, tables: set[str]) -> None:
        if "workshop_catalogue" in tables and self._programme_id is not None:
            fresh = core.catalogue(self._store, self._programme_id)
            if [e["id"] for e in fresh] == [e["id"] for e in self.entries]:
                changed = fresh != self.entries
                self.entries = fresh
                if fresh and changed:
                    self.dataChanged.emit(self.index(0, 0), self.index(len(fresh) - 1, len(CATALOGUE_COLUMNS) - 1))
            else:
                self.beginResetModel()
                self.entries = fresh
                self.endResetModel()

    def row_of(self, entry_id: str) -> int:
        return next((i for i, e in enumerate(self.entries) if e["id"] == entry_id), -1)

    def row_count(self) -> int:
        return len(self.entries)

    def column_count(self) -> int:
        return len(CATALOGUE_COLUMNS)

    def column_title(self, column: int) -> str | None:
        return CATALOGUE_COLUMNS[column][1]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry: Mapping[str, Any] = self.entries[index.row()]  # read by column name
        field = CATALOGUE_COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return entry[field]
        if role == Qt.ItemDataRole.ToolTipRole and field == "description":
            return entry[field] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and field == "number":
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.isValid() else base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        entry: Mapping[str, Any] = self.entries[index.row()]
        field = CATALOGUE_COLUMNS[index.column()][0]
        text = "" if value is None else str(value)
        if str(entry[field]) == text:
            return False
        try:
            edit = core.set_catalogue_field(self._store, entry["id"], field, text)
        except UserFacingError as exc:
            self.refused.emit(str(exc))
            return False
        return self._runner.run(edit)

    def add_entry(self) -> int:
        """Append a workshop numbered after the highest (saved at once); returns its row, or -1."""
        if self._programme_id is None:
            return -1
        edit = core.add_catalogue_entry(self._store, self._programme_id)
        if not self._runner.run(edit):
            return -1
        return self.row_of(edit.record_id)

    def remove_entry(self, row: int) -> bool:
        """Remove a workshop; refused (with `refused`) while an area prefers it."""
        try:
            edit = core.remove_catalogue_entry(self._store, self.entries[row]["id"])
        except UserFacingError as exc:
            self.refused.emit(str(exc))
            return False
        return self._runner.run(edit)
