"""Read-only table models showing a framework: its capabilities, and its maturity matrix."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ics_desktop.framework import Framework

_Index = QModelIndex | QPersistentModelIndex
NOT_COVERED = "Not covered on this programme"


class CapabilitiesModel(QAbstractTableModel):
    """One row per capability: code, statement, domain and whether this programme covers it."""

    HEADERS = ("Code", "Capability", "Domain", "Covered")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._framework: Framework | None = None
        self._rows: list[tuple[str, str, str, bool]] = []

    def set_framework(self, framework: Framework | None) -> None:
        self.beginResetModel()
        self._framework = framework
        self._rows = (
            [
                (c.code, c.statement, f"{d.number}. {d.title}", c.covered)
                for d in framework.domains
                for c in d.capabilities
            ]
            if framework
            else []
        )
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        code, statement, domain, covered = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (code, statement, domain, "Yes" if covered else NOT_COVERED)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and not covered:
            return QBrush(QColor("#777777"))
        if role == Qt.ItemDataRole.FontRole and index.column() == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return None


class MatrixModel(QAbstractTableModel):
    """The maturity matrix: one row per domain, one column per stage, bullets in each cell."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._framework: Framework | None = None

    def set_framework(self, framework: Framework | None) -> None:
        self.beginResetModel()
        self._framework = framework
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._framework else len(self._framework.domains)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self._framework else 1 + len(self._framework.stages)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not self._framework:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "Domain" if section == 0 else self._framework.stages[section - 1].label
        if role == Qt.ItemDataRole.ToolTipRole and section > 0:
            return self._framework.stages[section - 1].title
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not self._framework:
            return None
        domain = self._framework.domains[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return f"{domain.number}. {domain.title}"
            stage = self._framework.stages[index.column() - 1]
            return "\n".join(f"• {line}" for line in domain.stages.get(stage.key, ()))
        if role == Qt.ItemDataRole.FontRole and index.column() == 0:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return None
