"""Undo and redo for every edit: core `Edit`s wrapped as QUndoCommands on one stack per window."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from ics_desktop.edits import Edit
from ics_desktop.errors import UserFacingError
from ics_desktop.store import Store


class _EditCommand(QUndoCommand):
    def __init__(self, runner: EditRunner, edit: Edit) -> None:
        super().__init__(edit.description)
        self._runner = runner
        self._edit = edit
        self._applied = True  # run() applied it already, outside Qt, so errors reach the caller

    def redo(self) -> None:
        if self._applied:
            self._applied = False
        else:
            self._edit.apply(self._runner.store)
            self._runner.saved.emit(f"Redone: {self._edit.description}")
        self._runner.changed.emit(set(self._edit.tables))

    def undo(self) -> None:
        self._edit.revert(self._runner.store)
        self._runner.changed.emit(set(self._edit.tables))
        self._runner.saved.emit(f"Undone: {self._edit.description}")


class EditRunner(QObject):
    """Applies edits through the undo stack; says which tables changed so views can reload."""

    changed = Signal(object)  # the set of table names touched
    saved = Signal(str)

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.stack = QUndoStack(self)

    def run(self, edit: Edit) -> bool:
        """Apply an edit (saved at once) and make it undoable; a user mistake is reported, not raised."""
        try:
            edit.apply(self.store)
        except UserFacingError as exc:
            self.saved.emit(f"Not saved: {exc}")
            return False
        self.stack.push(_EditCommand(self, edit))
        self.saved.emit(f"Saved {edit.description}")
        return True

    def clear(self) -> None:
        """Forget the history (when another programme is opened)."""
        self.stack.clear()
