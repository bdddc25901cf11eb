"""The one base for the app's flat item models: what every table and list over the store shares.

Qt asks a flat model for its rows and columns with a parent index that must have no children, and for
header texts by orientation and role; these are answered here once, from a few plain methods a model
fills in (`row_count`, `column_count`, `column_title`, and optionally tips and row titles).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole


class TableModel(QAbstractTableModel):
    """A flat table. Subclasses give `row_count`, `column_count` and `column_title`."""

    def row_count(self) -> int:
        raise NotImplementedError

    def column_count(self) -> int:
        raise NotImplementedError

    def column_title(self, column: int) -> str | None:
        return None

    def column_tip(self, column: int) -> str | None:
        return None

    def row_title(self, row: int) -> str | None:
        """The row's header text (None: no text; most views hide the row header)."""
        return None

    def row_tip(self, row: int) -> str | None:
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.row_count()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.column_count()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if not 0 <= section < (self.column_count() if horizontal else self.row_count()):
            return None
        if role == DISPLAY:
            return self.column_title(section) if horizontal else self.row_title(section)
        if role == TOOLTIP:
            return self.column_tip(section) if horizontal else self.row_tip(section)
        return None

    def refresh_all(self) -> None:
        """Every cell may show something new (the rows are the same)."""
        rows, columns = self.row_count(), self.column_count()
        if rows and columns:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, columns - 1))


class ListModel(QAbstractListModel):
    """A flat list. Subclasses give `row_count`."""

    def row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.row_count()
