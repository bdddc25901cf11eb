"""Undo and redo for every edit: core `Edit`s wrapped as QUndoCommands on one stack per window."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QUndoCommand, QUndoStack

from ics_desktop.errors import StoreError, UserFacingError
from ics_desktop.storage.database import DatabaseIOError, DiskFullError, ReadOnlyDatabaseError
from ics_desktop.storage.edits import Edit
from ics_desktop.storage.store import Store

T = TypeVar("T")


class _EditCommand(QUndoCommand):
    def __init__(self, runner: EditRunner, edit: Edit) -> None:
        super().__init__(edit.description)
        self._runner = runner
        self.edit = edit
        # The change is written before Qt is told (by run(), undo() and redo() of the runner), so a
        # refused write reaches the caller and leaves the stack where it was; Qt then only moves on.
        self.written = True

    def redo(self) -> None:
        if not self.written:
            self.edit.apply(self._runner.store)
            self._runner.saved.emit(f"Redone: {self.edit.description}")
        self.written = False
        self._runner.changed.emit(set(self.edit.tables))

    def undo(self) -> None:
        if not self.written:
            self.edit.revert(self._runner.store)
        self.written = False
        self._runner.changed.emit(set(self.edit.tables))
        self._runner.saved.emit(f"Undone: {self.edit.description}")


class EditRunner(QObject):
    """Applies edits through the undo stack; says which tables changed so views can reload."""

    changed = Signal(object)  # the set of table names touched
    saved = Signal(str)
    # Why changes can't be written (a full disk, a read-only or failing file), or "" once one is again.
    storage_problem = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.stack = QUndoStack(self)
        self._problem = ""
        self.last_refusal: UserFacingError | None = None  # why the last `write` was refused

    def _written(self) -> None:
        if self._problem:
            self._problem = ""
            self.storage_problem.emit("")

    def _refused(self, exc: UserFacingError) -> None:
        if isinstance(exc, (DiskFullError, ReadOnlyDatabaseError, DatabaseIOError)):
            self._problem = str(exc)
            self.storage_problem.emit(self._problem)

    def run(self, edit: Edit) -> bool:
        """Apply an edit (saved at once) and make it undoable; a user mistake is reported, not raised."""
        self.last_refusal = None
        try:
            edit.apply(self.store)
        except UserFacingError as exc:
            self.last_refusal = exc
            self.saved.emit(f"Not saved: {exc}")
            self._refused(exc)
            return False
        self._written()
        self.stack.push(_EditCommand(self, edit))
        self.saved.emit(f"Saved {edit.description}")
        return True

    def write(self, description: str, tables: Iterable[str], work: Callable[[], T]) -> T | None:
        """A change that is not undoable (an import, a merge, a new framework version): written at once.

        Reported like an edit: refused writes show the storage banner and the status bar says why; views
        reload the `tables` it touched and the periodic backup sees it. Returns what `work` returned, or
        None when it was refused; the refusal is kept in `last_refusal` for a dialog that wants to show it.
        """
        self.last_refusal = None
        try:
            try:
                result = work()
            except sqlite3.Error as exc:
                if isinstance(exc, UserFacingError):  # already in words (a full disk, a failed backup …)
                    raise
                raise StoreError(f"The database refused the change ({exc}).") from exc  # one the store could not
        except UserFacingError as exc:
            self.last_refusal = exc
            self.saved.emit(f"Not saved: {exc}")
            self._refused(exc)
            return None
        self._written()
        self.changed.emit(set(tables))
        self.saved.emit(f"Saved {description}")
        return result

    def write_change(self, description: str, tables: Iterable[str], work: Callable[[], object]) -> bool:
        """`write` for work that returns nothing: True when it was written."""

        def done() -> bool:
            work()
            return True

        return self.write(description, tables, done) is not None

    def undo(self) -> bool:
        """Undo the last edit; when it can't be written (a full disk …) say so and leave it done."""
        index = self.stack.index()
        return self._step(self.stack.command(index - 1) if index > 0 else None, undo=True)

    def redo(self) -> bool:
        """Redo the next edit; when it can't be written say so and leave it undone."""
        index = self.stack.index()
        return self._step(self.stack.command(index) if index < self.stack.count() else None, undo=False)

    def _step(self, command: QUndoCommand | None, *, undo: bool) -> bool:
        # Written first, outside Qt: a refused write leaves the stack (and what it offers) as it was.
        if not isinstance(command, _EditCommand):
            return False
        try:
            (command.edit.revert if undo else command.edit.apply)(self.store)
        except UserFacingError as exc:
            self.saved.emit(f"Not {'undone' if undo else 'redone'}: {exc}")
            self._refused(exc)
            return False
        self._written()
        command.written = True
        if undo:
            self.stack.undo()  # says "Undone: …"
        else:
            self.stack.redo()
            self.saved.emit(f"Redone: {command.edit.description}")
        return True

    def undo_action(self, parent: QObject, text: str = "&Undo") -> QAction:
        """A menu action for undo that follows the stack (enabled, "Undo <what>")."""
        action = _StackAction(text, parent, self.stack.canUndo(), self.stack.undoText())
        self.stack.canUndoChanged.connect(action.setEnabled)
        self.stack.undoTextChanged.connect(action.describe)
        action.triggered.connect(self.undo)
        return action

    def redo_action(self, parent: QObject, text: str = "&Redo") -> QAction:
        """A menu action for redo that follows the stack (enabled, "Redo <what>")."""
        action = _StackAction(text, parent, self.stack.canRedo(), self.stack.redoText())
        self.stack.canRedoChanged.connect(action.setEnabled)
        self.stack.redoTextChanged.connect(action.describe)
        action.triggered.connect(self.redo)
        return action

    def clear(self) -> None:
        """Forget the history (when another programme is opened)."""
        self.stack.clear()


class _StackAction(QAction):
    """Undo or Redo in a menu, named after what it would undo or redo."""

    def __init__(self, text: str, parent: QObject, enabled: bool, what: str) -> None:
        super().__init__(text, parent)
        self._text = text
        self.setEnabled(enabled)
        self.describe(what)

    def describe(self, what: str) -> None:
        self.setText(f"{self._text} {what}" if what else self._text)
        plain = self._text.replace("&", "")
        self.setToolTip(f"{plain} {what}" if what else plain)
