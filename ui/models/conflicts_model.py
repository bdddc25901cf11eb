"""A merge's conflicts, one row per field both laptops changed, with the choice of which to keep."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ics_desktop.bundles.format import LIST_COLUMNS
from ics_desktop.bundles.merge import MINE, THEIRS, Conflict, display_value
from ui.models.base import Index as _Index
from ui.models.base import TableModel


class ConflictModel(TableModel):
    """One row per field changed differently on both sides, with the side to keep."""

    HEADERS = ("Record", "Field", "This laptop", "The bundle", "Keep")

    def __init__(self, conflicts: list[Conflict], kinds: dict[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self.conflicts = conflicts
        self.choices = [MINE] * len(conflicts)
        self._kinds = kinds

    def row_count(self) -> int:
        return len(self.conflicts)

    def column_count(self) -> int:
        return len(self.HEADERS)

    def column_title(self, column: int) -> str | None:
        return self.HEADERS[column]

    def _kind(self, conflict: Conflict) -> str:
        if conflict.table == "people":
            return "Delivery team" if self._kinds.get(conflict.record_id) == "delivery" else "Participant"
        return conflict.kind[:1].upper() + conflict.kind[1:]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        conflict, choice, column = self.conflicts[index.row()], self.choices[index.row()], index.column()
        side = {2: MINE, 3: THEIRS}.get(column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{self._kind(conflict)}: {conflict.record}"
            if column == 1:
                return conflict.field.replace("_", " ")
            if side is not None:
                return display_value(conflict.field, conflict.mine if side == MINE else conflict.theirs)
            return "This laptop's" if choice == MINE else "The bundle's"
        if role == Qt.ItemDataRole.ToolTipRole and column == 0:
            return f"{self._kind(conflict)}: {conflict.record}"
        if role == Qt.ItemDataRole.ToolTipRole and side is not None:
            value = conflict.mine if side == MINE else conflict.theirs
            if isinstance(value, str) and conflict.field not in LIST_COLUMNS | {"definition", "cover_logo"}:
                return value if len(value) <= 2000 else value[:1999] + "…"  # as typed, lines kept
            return display_value(conflict.field, value, 2000)
        if role == Qt.ItemDataRole.FontRole and (side == choice or column == 4):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole and side == choice:
            return QBrush(QColor("#e3f1e6"))
        if role == Qt.ItemDataRole.ForegroundRole and side is not None and side != choice:
            return QBrush(QColor("#768692"))
        return None

    def set_choice(self, row: int, choice: str) -> None:
        if choice not in (MINE, THEIRS):
            raise ValueError(choice)
        self.choices[row] = choice
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.HEADERS) - 1))

    def choice_map(self) -> dict[tuple[str, str, str], str]:
        return {c.key: choice for c, choice in zip(self.conflicts, self.choices, strict=True)}
