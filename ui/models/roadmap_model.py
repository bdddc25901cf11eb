"""The roadmap per capability: agreed current → desired, and the areas, workshops, actions and milestones."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ics_desktop.planning.roadmap import CapabilityRoadmap
from ui.models.base import Index as _Index
from ui.models.base import TableModel

HEADERS = ("Code", "Capability", "Current\n→ desired", "Areas of focus", "Workshops", "Actions", "Milestones")


def _maturity(entry: CapabilityRoadmap) -> str:
    if not entry.covered:
        return "not covered"
    current = "–" if entry.current is None else str(entry.current)
    desired = str(entry.desired) if entry.desired is not None else "?" if entry.desired_open else "–"
    return f"{current} → {desired}"


def _listing(items: list[str], limit: int = 3) -> str:
    if not items:
        return ""
    shown = [item if len(item) <= 60 else item[:58].rstrip() + "…" for item in items[:limit]]
    more = f"\n… and {len(items) - limit} more" if len(items) > limit else ""
    return "\n".join(shown) + more


class RoadmapModel(TableModel):
    """Read-only: edits happen on the pages that own each record."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[CapabilityRoadmap] = []

    def set_rows(self, rows: list[CapabilityRoadmap]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def column_count(self) -> int:
        return len(HEADERS)

    def column_title(self, column: int) -> str | None:
        return HEADERS[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        entry = self._rows[index.row()]
        column = index.column()
        lists = (entry.areas, entry.workshops, entry.actions, entry.milestones)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return entry.code
            if column == 1:
                return entry.statement
            if column == 2:
                return _maturity(entry)
            items = lists[column - 3]
            if column in (5, 6) and len(items) > 2:
                noun = "actions" if column == 5 else "milestones"
                return f"{len(items)} {noun}:\n" + _listing(items, 2)
            return _listing(items)
        if role == Qt.ItemDataRole.ToolTipRole and column >= 3:
            return "\n".join(lists[column - 3]) or None
        if role == Qt.ItemDataRole.ForegroundRole and not entry.covered:
            return QBrush(QColor("#888888"))
        if role == Qt.ItemDataRole.BackgroundRole and entry.focus:
            return QBrush(QColor("#fff4d6"))
        if role == Qt.ItemDataRole.FontRole and column in (0, 2):
            font = QFont()
            font.setBold(True)
            if column == 2:
                font.setPointSize(font.pointSize() + 2)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (0, 2):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return None
