"""Cell editors for the actions and milestones tables: choices, owners with completion, dates as typed, long text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, QSize, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QCompleter,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ics_desktop.dates import HELP

_Index = QModelIndex | QPersistentModelIndex
_EDIT = Qt.ItemDataRole.EditRole


class TrackingDelegate(QStyledItemDelegate):
    """A delegate that knows its open editor, so the page can save a half-typed cell (Ctrl+N, flush)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.open_editor: QWidget | None = None
        self.row_padding = 0  # extra height under wrapped text (QSS padding would upset the wrap width)

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + self.row_padding) if self.row_padding else size

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = self.make_editor(parent, option, index)
        self.open_editor = editor
        return editor

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        return super().createEditor(parent, option, index)

    def destroyEditor(self, editor: QWidget, index: _Index) -> None:
        if editor is self.open_editor:
            self.open_editor = None
        super().destroyEditor(editor, index)

    def commit_open_editor(self) -> None:
        """Save what the open editor holds and close it (nothing happens when none is open)."""
        editor = self.open_editor
        if editor is not None:
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _commit_sender(self) -> None:
        editor = self.sender()
        if isinstance(editor, QWidget) and editor is self.open_editor:
            self.commit_open_editor()


class ChoiceDelegate(TrackingDelegate):
    """A combo box of (label, value) choices; picking one saves it at once."""

    def __init__(self, choices: Callable[[], list[tuple[str, Any]]], name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._choices = choices
        self._name = name

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(self._name)
        for label, value in self._choices():
            combo.addItem(label, value)
        combo.activated.connect(self._commit_sender)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(_EDIT))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), _EDIT)


class LineDelegate(TrackingDelegate):
    """A line editor with a hint, and optionally completion from a list of names (free text still allowed)."""

    def __init__(
        self,
        name: str,
        hint: str = "",
        completions: Callable[[], list[str]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._name = name
        self._hint = hint
        self._completions = completions

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAccessibleName(self._name)
        editor.setFrame(False)
        if self._hint:
            editor.setPlaceholderText(self._hint)
            editor.setToolTip(self._hint)
        if self._completions is not None:
            completer = QCompleter(self._completions(), editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            editor.setCompleter(completer)
        return editor


class DueDateDelegate(LineDelegate):
    """Due dates typed as people say them: 31/1, 2w, next fri (the model parses; bad text saves nothing)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__("Due date", "31/1, 2w, next fri…", parent=parent)

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = super().make_editor(parent, option, index)
        editor.setToolTip(f"Type {HELP}; leave blank for no due date.")
        return editor


class DateDelegate(TrackingDelegate):
    """A calendar date (the model gives and takes a QDate), shown as 31 Jan 2026."""

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QDateEdit(parent)
        editor.setAccessibleName("Date")
        editor.setDisplayFormat("d MMM yyyy")
        editor.setCalendarPopup(True)
        return editor


class LongTextDelegate(TrackingDelegate):
    """Wrapped text edited in place; Enter saves, Shift+Enter starts a new line, Escape cancels."""

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name

    def make_editor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QPlainTextEdit(parent)
        editor.setAccessibleName(self._name)
        editor.setTabChangesFocus(True)
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        editor.setPlainText(str(index.data(_EDIT) or ""))
        editor.selectAll()

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QPlainTextEdit)
        model.setData(index, editor.toPlainText(), _EDIT)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(watched, QPlainTextEdit)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.commitData.emit(watched)
            self.closeEditor.emit(watched, QAbstractItemDelegate.EndEditHint.SubmitModelCache)
            return True
        return super().eventFilter(watched, event)
