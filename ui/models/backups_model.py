"""The automatic backups of one database, as the guided restore lists them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from ics_desktop.storage.restore import BackupSummary, format_size, format_taken
from ui.models.base import Index as _Index
from ui.models.base import TableModel


class BackupsModel(TableModel):
    """The backups of one database, newest first; a damaged backup is shown but cannot be chosen."""

    HEADERS = ("Taken", "When", "Size", "Contents")

    def __init__(self, summaries: list[BackupSummary], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summaries = summaries

    def row_count(self) -> int:
        return len(self.summaries)

    def column_count(self) -> int:
        return len(self.HEADERS)

    def column_title(self, column: int) -> str | None:
        return self.HEADERS[column]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if not self.summaries[index.row()].usable:
            return Qt.ItemFlag.NoItemFlags  # listed so nothing seems hidden, but never restorable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        summary = self.summaries[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return format_taken(summary.backup.taken)
            if column == 1:
                return summary.backup.reason_label()
            if column == 2:
                return format_size(summary.size)
            if not summary.usable:
                text = f"Cannot be restored: {summary.problem}"
            else:  # two lines: what it is about, then how much it holds
                text = "\n".join(t for t in (summary.programmes_text(), summary.figures_text()) if t)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{text}\n{summary.backup.path}"
            return text
        if role == Qt.ItemDataRole.ForegroundRole and not summary.usable:
            return QBrush(QColor("#8a1538"))
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 2:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
