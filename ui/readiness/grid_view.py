"""The scoring grid's view: type 1–4, ? or 0/Delete and the cursor moves on, like a spreadsheet."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.models.grid_model import DONT_KNOW, ResponseGridModel

_SCORE_KEYS = {
    Qt.Key.Key_1: "1",
    Qt.Key.Key_2: "2",
    Qt.Key.Key_3: "3",
    Qt.Key.Key_4: "4",
    Qt.Key.Key_Question: DONT_KNOW,
    Qt.Key.Key_0: "",
    Qt.Key.Key_Delete: "",
    Qt.Key.Key_Backspace: "",
}


class ScoreGridView(QTableView):
    """Keyboard-first entry: each score is saved as typed; Insert adds an anonymous participant."""

    add_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Scores grid")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setDefaultSectionSize(58)
        self.verticalHeader().setDefaultSectionSize(28)

    def grid_model(self) -> ResponseGridModel:
        model = self.model()
        assert isinstance(model, ResponseGridModel)
        return model

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        text = event.text()
        if key == Qt.Key.Key_Insert:
            self.add_requested.emit()
            return
        if key in _SCORE_KEYS or text == DONT_KNOW:
            value = DONT_KNOW if text == DONT_KNOW else _SCORE_KEYS[key]
            index = self.currentIndex()
            if index.isValid():
                saved = self.grid_model().setData(index, value)
                if saved and key not in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                    self._advance()
            return
        super().keyPressEvent(event)

    def _advance(self) -> None:
        """Move right; from the last column, to the first column of the next participant."""
        index = self.currentIndex()
        model = self.grid_model()
        column, row = index.column() + 1, index.row()
        if column >= model.columnCount():
            column, row = 0, min(row + 1, model.rowCount() - 1)
        self.setCurrentIndex(model.index(row, column))
