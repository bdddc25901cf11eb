"""The scoring grid's view: type 1–4, ? or 0/Delete and the cursor moves on, like a spreadsheet."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
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


_Index = QModelIndex | QPersistentModelIndex
MAX_NAME_WIDTH = 240  # pixels for a participant's name down the side


class ScoreGridView(QTableView):
    """Keyboard-first entry: each score is saved as typed; Insert adds an anonymous participant."""

    add_requested = Signal()
    end_reached = Signal()  # a score was typed in the very last cell: the cursor stays there

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Scores grid")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setDefaultSectionSize(58)
        self.verticalHeader().setDefaultSectionSize(28)
        self._at_end = False  # the last cell was just typed: more scores wait until the cursor moves
        # Long names are elided (the whole name is in the tooltip) so the scores stay in view.
        self.verticalHeader().setMaximumWidth(MAX_NAME_WIDTH)
        self.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)

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
            if self._at_end:
                self.end_reached.emit()  # typing on past the end changes nothing
                return
            index = self.currentIndex()
            if index.isValid():
                saved = self.grid_model().setData(index, value)
                if saved and key not in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                    self._advance()
            return
        super().keyPressEvent(event)

    def _advance(self) -> None:
        """Move right; from the last column, to the first column of the next participant.

        From the last cell of the last participant it goes nowhere (never back to a scored cell).
        """
        index = self.currentIndex()
        model = self.grid_model()
        column, row = index.column() + 1, index.row()
        if column >= model.columnCount():
            column, row = 0, row + 1
        if row >= model.rowCount():
            self._at_end = True
            self.end_reached.emit()
            return
        self.setCurrentIndex(model.index(row, column))

    def currentChanged(self, current: _Index, previous: _Index) -> None:
        """Moving the cursor (arrows, a click, a new participant) lets typing go on."""
        self._at_end = False
        super().currentChanged(current, previous)

    def moveCursor(self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier) -> QModelIndex:
        """Tab stops at the last cell and Shift+Tab at the first, rather than wrapping round the grid."""
        current = self.currentIndex()
        model = self.model()
        if model is not None and current.isValid():
            last = current.row() == model.rowCount() - 1 and current.column() == model.columnCount() - 1
            first = current.row() == 0 and current.column() == 0
            if (cursorAction == QAbstractItemView.CursorAction.MoveNext and last) or (
                cursorAction == QAbstractItemView.CursorAction.MovePrevious and first
            ):
                return current
        return super().moveCursor(cursorAction, modifiers)
