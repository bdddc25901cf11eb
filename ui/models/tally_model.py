"""Tally entry: per capability and question, the number of people at each level (dots or hands counted)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.framework import Framework
from ui.models.base import Index as _Index
from ui.models.base import TableModel
from ui.undo import EditRunner


class TallyModel(TableModel):
    """Rows are (capability, question); columns are the scale's levels and then the total."""

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._assessment_id: str | None = None
        self._framework: Framework | None = None
        self._rows: list[tuple[str, str]] = []
        self._counts: dict[tuple[str, str], dict[int, int]] = {}
        self._levels: list[int] = []
        self._participants = 0  # the programme's participants: what a question's count is checked against

    def set_assessment(self, assessment_id: str | None, question: str | None = None) -> None:
        self.beginResetModel()
        self._assessment_id = assessment_id
        if assessment_id:
            record = self._store.get("assessments", assessment_id)
            self._framework = self._store.framework(record["framework_id"])
            questions = [question] if question else self._framework.question_keys()
            self._rows = [(c.code, q) for c in self._framework.capabilities if c.covered for q in questions]
            self._levels = [s.level for s in self._framework.scale]
            self._counts = {row: rounds.tally_counts(self._store, assessment_id, *row) for row in self._rows}
            self._participants = len(self._store.people(record["programme_id"], "participant"))
        else:
            self._framework, self._rows, self._counts, self._levels = None, [], {}, []
        self.endResetModel()

    def row_count(self) -> int:
        return len(self._rows)

    def column_count(self) -> int:
        return len(self._levels) + 1 if self._levels else 0

    def column_title(self, column: int) -> str | None:
        if self._framework is None:
            return None
        if column < len(self._levels):
            return f"{self._levels[column]} {self._framework.scale_label(self._levels[column])}"
        return "People"

    def row_title(self, row: int) -> str | None:
        if self._framework is None:
            return None
        code, question = self._rows[row]
        label = next((q.label for q in self._framework.questions if q.key == question), question)
        return f"{code}  {label}"

    def row_tip(self, row: int) -> str | None:
        return self._framework.capability(self._rows[row][0]).statement if self._framework else None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        counts = self._counts[self._rows[index.row()]]
        total_column = index.column() == len(self._levels)
        if role == Qt.ItemDataRole.DisplayRole and total_column and self._participants:
            # Checked against the programme's participants: more hands than people is a miscount.
            total = sum(counts.values())
            over = " — more than the participants" if total > self._participants else ""
            return f"{total} of {self._participants}{over}"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if total_column:
                return sum(counts.values())
            return counts.get(self._levels[index.column()], 0)
        if role == Qt.ItemDataRole.ToolTipRole and total_column and self._participants:
            return f"People counted for this question, of the programme's {self._participants} participants"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and index.column() < len(self._levels):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self._assessment_id is None:
            return False
        try:
            count = int(str(value).strip() or "0")
        except ValueError:
            self._runner.saved.emit(f"'{value}' is not a count: type a whole number")
            return False
        row = self._rows[index.row()]
        counts = dict(self._counts[row])
        level = self._levels[index.column()]
        if counts.get(level, 0) == count:
            return False
        counts[level] = count
        if count < 0:
            self._runner.saved.emit("Not saved: a count cannot be negative")
            return False
        edit = rounds.tally_edit(self._store, self._assessment_id, row[0], row[1], counts)
        edit.description = f"tally {row[0]} {row[1]}: {count} at level {level}"
        return self._runner.run(edit)

    def reload_counts(self) -> None:
        """Re-read the counts (after undo/redo or another entry mode)."""
        if self._assessment_id is None:
            return
        self._counts = {row: rounds.tally_counts(self._store, self._assessment_id, *row) for row in self._rows}
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self._levels)))
