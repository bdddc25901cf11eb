"""Results per capability: the room's means and spread beside the agreed figures the group records."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import AssessmentResults, assessment_results
from ics_desktop.storage.records import ResultRecord
from ui.models.base import Index as _Index
from ui.models.base import TableModel
from ui.undo import EditRunner

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = [
    "Code", "Capability", "Now", "Aspire", "Realistic", "Agreed\ncurrent", "Agreed\ndesired", "Change", "Focus",
    "n", "Now\n1·2·3·4", "Spread", "Delivery\ngap", "Ambition\ngap", "Justification",
]  # fmt: skip
(CODE, STATEMENT, NOW, ASPIRE, REALISTIC, AGREED_CURRENT, AGREED_DESIRED, CHANGE, FOCUS, N, COUNTS, SPREAD,
 DELIVERY_GAP, AMBITION_GAP, JUSTIFICATION) = range(len(COLUMNS))  # fmt: skip
COLUMN_WIDTHS = {
    CODE: 54, STATEMENT: 280, NOW: 52, ASPIRE: 60, REALISTIC: 80, AGREED_CURRENT: 66, AGREED_DESIRED: 66,
    CHANGE: 112, FOCUS: 58, N: 36, COUNTS: 86, SPREAD: 58, DELIVERY_GAP: 66, AMBITION_GAP: 72, JUSTIFICATION: 200,
}  # fmt: skip
EDITABLE = {AGREED_CURRENT: "agreed_current", AGREED_DESIRED: "agreed_desired", CHANGE: "change",
            JUSTIFICATION: "justification"}  # fmt: skip


def _name(column: int) -> str:
    return COLUMNS[column].replace("\n", " ").lower()


def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return ""
    return f"{value:+.1f}" if signed else f"{value:.1f}"


class ResultsModel(TableModel):
    """One row per capability of the assessment's framework."""

    def __init__(self, runner: EditRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._assessment_id: str | None = None
        self._framework: Framework | None = None
        self.results: AssessmentResults | None = None
        self._agreed: dict[str, ResultRecord] = {}
        self._codes: list[str] = []

    def set_assessment(self, assessment_id: str | None) -> None:
        self.beginResetModel()
        self._assessment_id = assessment_id
        if assessment_id:
            record = self._store.get("assessments", assessment_id)
            self._framework = self._store.framework(record["framework_id"])
            self._codes = [c.code for c in self._framework.capabilities]
            self._load()
        else:
            self._framework, self.results, self._agreed, self._codes = None, None, {}, []
        self.endResetModel()

    def _load(self) -> None:
        assert self._assessment_id and self._framework
        self.results = assessment_results(self._store, self._framework, self._assessment_id)
        self._agreed = rounds.agreed_results(self._store, self._assessment_id)

    def refresh_scores(self) -> None:
        """Recompute after responses changed, keeping rows (and the view's selection) in place."""
        if not self._assessment_id:
            return
        self._load()
        if self._codes:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._codes) - 1, len(COLUMNS) - 1))

    @property
    def framework(self) -> Framework | None:
        return self._framework

    def code(self, row: int) -> str:
        return self._codes[row]

    def agreed(self) -> dict[str, int | None]:
        return {code: row.get("agreed_current") for code, row in self._agreed.items()}

    # -- Qt model API ----------------------------------------------------------------------

    def row_count(self) -> int:
        return len(self._codes)

    def column_count(self) -> int:
        return len(COLUMNS)

    def column_title(self, column: int) -> str | None:
        return COLUMNS[column]

    def column_tip(self, column: int) -> str | None:
        return {
            SPREAD: "How far the room disagrees (standard deviation of 'now')",
            DELIVERY_GAP: "Realistic − now",
            AMBITION_GAP: "Aspire − realistic",
            COUNTS: "How many people scored 'now' at each level",
            CHANGE: "Change since the previous assessment: Has gone up, Remained the same or Has gone down "
            "(up / same / down); blank leaves it blank. 'Fill change from previous round' fills the rest.",
            AGREED_DESIRED: "Desired maturity: a level, or ? to leave it open",
        }.get(column)

    def _value(self, row: int, column: int) -> Any:
        """The raw value of a cell (numbers for sorting; None when empty)."""
        assert self._framework and self.results
        code = self._codes[row]
        cap = self._framework.capability(code)
        agreed = rounds.result_of(self._agreed, code)
        result = self.results.result
        if column == CODE:
            return code
        if column == STATEMENT:
            return cap.statement
        if column in (NOW, ASPIRE, REALISTIC):
            return result(code, ("now", "aspire", "realistic")[column - NOW]).mean
        if column == N:
            return result(code, "now").n
        if column == COUNTS:
            return result(code, "now").counts
        if column == SPREAD:
            return result(code, "now").spread
        if column == DELIVERY_GAP:
            return self.results.delivery_gap(code)
        if column == AMBITION_GAP:
            return self.results.ambition_gap(code)
        if column in (AGREED_CURRENT, AGREED_DESIRED, JUSTIFICATION, CHANGE):
            return agreed.get(EDITABLE[column])
        if column == FOCUS:
            return bool(agreed.get("focus"))
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._framework is None:
            return None
        row, column = index.row(), index.column()
        code = self._codes[row]
        covered = self._framework.capability(code).covered
        value = self._value(row, column)
        if role == Qt.ItemDataRole.DisplayRole:
            if column in (NOW, ASPIRE, REALISTIC, SPREAD):
                return _fmt(value)
            if column in (DELIVERY_GAP, AMBITION_GAP):
                return _fmt(value, signed=True)
            if column == COUNTS:
                return " · ".join(str(c) for _, c in sorted(value.items())) if sum(value.values()) else ""
            if column == AGREED_CURRENT:
                return "" if value is None else str(value)
            if column == AGREED_DESIRED:
                return rounds.desired_text(rounds.result_of(self._agreed, code))
            if column == CHANGE:
                return rounds.change_words(value)
            if column == FOCUS:
                return None
            if column == STATEMENT and not covered:
                return f"{value}  (not covered on this programme)"
            return value
        if role == Qt.ItemDataRole.EditRole:
            if column == AGREED_DESIRED:
                return rounds.desired_text(rounds.result_of(self._agreed, code))
            if column == CHANGE:
                return rounds.change_words(value)
            if column in EDITABLE:
                return "" if value is None else str(value)
            return value
        if role == SORT_ROLE:
            if column == COUNTS:
                return sum(value.values())
            return -1e9 if value is None else (float(value) if isinstance(value, (int, float, bool)) else value)
        if role == Qt.ItemDataRole.CheckStateRole and column == FOCUS:
            return Qt.CheckState.Checked if value else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == STATEMENT:
                return value
            if column == AGREED_DESIRED and rounds.result_of(self._agreed, code).get("desired_open"):
                return "Left open by the group"
            if column == JUSTIFICATION and value:
                return value
        if role == Qt.ItemDataRole.ForegroundRole and not covered:
            return QBrush(QColor("#888888"))
        if role == Qt.ItemDataRole.BackgroundRole and rounds.result_of(self._agreed, code).get("focus"):
            return QBrush(QColor("#fff4d6"))
        if role == Qt.ItemDataRole.FontRole and column in (CODE, AGREED_CURRENT, AGREED_DESIRED):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column not in (STATEMENT, JUSTIFICATION):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() in EDITABLE:
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == FOCUS:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or self._assessment_id is None:
            return False
        code, column = self._codes[index.row()], index.column()
        if column == FOCUS and role == Qt.ItemDataRole.CheckStateRole:
            focus = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
            return self._save(code, {"focus": int(focus)}, "focus " + ("on" if focus else "off"))
        if role != Qt.ItemDataRole.EditRole or column not in EDITABLE:
            return False
        field = EDITABLE[column]
        text = "" if value is None else str(value).strip()
        if column in (AGREED_CURRENT, AGREED_DESIRED):
            levels = {str(s.level) for s in self._framework.scale} if self._framework else set()
            if text not in levels and text not in ("", rounds.OPEN_DESIRED):
                open_hint = ", ? to leave it open," if column == AGREED_DESIRED else ""
                self._runner.saved.emit(f"Not saved: {_name(column)} must be 1–{len(levels)}{open_hint} or blank")
                return False
            level = int(text) if text in levels else None
            if column == AGREED_CURRENT:
                what = f"= {level}" if level is not None else "cleared"
                return self._save(code, {field: level}, f"{_name(column)} {what}")
            left_open = text == rounds.OPEN_DESIRED
            what = f"= {level}" if level is not None else "left open (?)" if left_open else "cleared"
            return self._save(code, rounds.desired_fields(level, left_open=left_open), f"{_name(column)} {what}")
        if column == CHANGE:
            try:
                choice = rounds.parse_change(text)
            except ValueError:
                self._runner.saved.emit(
                    "Not saved: change must be Has gone up, Remained the same or Has gone down "
                    "(or up, same, down; blank to leave it blank)"
                )
                return False
            what = f"change = {rounds.change_words(choice)}" if choice else "change left blank"
            return self._save(code, rounds.change_fields(choice), what)
        return self._save(code, {field: "" if value is None else str(value)}, "justification")

    def _save(self, code: str, fields: dict[str, Any], what: str) -> bool:
        assert self._assessment_id
        edit = rounds.result_fields_edit(self._store, self._assessment_id, code, fields, f"{code} {what}")
        return True if edit is None else self._runner.run(edit)

    def fill_change(self) -> bool:
        """Set each change not yet entered from the previous round (one undoable step); False when none."""
        if not self._assessment_id:
            return False
        edit = rounds.fill_change_edit(self._store, self._assessment_id)
        if edit is None:
            self._runner.saved.emit("Nothing to fill: every change is set or left blank, or there is no earlier round")
            return False
        return self._runner.run(edit)

    def reload_agreed(self) -> None:
        """Re-read the agreed figures (after an edit, undo or redo)."""
        if not self._assessment_id:
            return
        self._agreed = rounds.agreed_results(self._store, self._assessment_id)
        if self._codes:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._codes) - 1, len(COLUMNS) - 1))

    def discussion_prompts(self, limit: int = 3) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """(most disagreement by spread of 'now', largest delivery gaps): where to start the conversation."""
        if not self.results or not self._framework:
            return [], []
        covered = self._framework.covered_codes
        spreads = [(c, s) for c in covered if (s := self.results.result(c, "now").spread) is not None]
        gaps = [(c, g) for c in covered if (g := self.results.delivery_gap(c)) is not None]
        spreads.sort(key=lambda item: -item[1])
        gaps.sort(key=lambda item: -abs(item[1]))
        return spreads[:limit], gaps[:limit]
