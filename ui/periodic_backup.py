"""Backups while editing: every few minutes when something changed since the last one, and on close.

A backup goes through the store's own connection (SQLite's backup API), so it is consistent even
mid-session; the rotation in `ics_desktop.storage.backups` keeps the number of files bounded.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from ics_desktop.errors import UserFacingError
from ui.undo import EditRunner

DEFAULT_MINUTES = 10.0


class PeriodicBackup(QObject):
    """Takes a backup every `minutes` while edits (or undo/redo) have happened since the last one."""

    taken = Signal(object)  # the backup's Path
    failed = Signal(str)  # a plain-words reason, for the status bar

    def __init__(self, runner: EditRunner, minutes: float = DEFAULT_MINUTES, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.pending = False  # edits since the last backup
        self.last: Path | None = None
        runner.changed.connect(self._changed)
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, round(minutes * 60_000)))
        self.timer.timeout.connect(self._tick)
        store = runner.store
        if store.path is not None and not store.read_only:
            self.timer.start()

    def _changed(self, _tables: object) -> None:
        self.pending = True

    def _tick(self) -> None:
        self.backup_if_changed("periodic")

    def backup_if_changed(self, reason: str = "periodic") -> Path | None:
        """Take a backup now if anything changed since the last one; a failure is reported, not raised."""
        store = self.runner.store
        if not self.pending or store.path is None or store.read_only:
            return None
        try:
            path = store.backup(reason)
        except UserFacingError as exc:  # e.g. a full disk: keep `pending`, so the next tick tries again
            self.failed.emit(f"Backup not taken: {exc}")
            return None
        self.pending = False
        self.last = path
        self.taken.emit(path)
        return path

    def finish(self) -> Path | None:
        """On closing the window: stop the timer and take a last backup if anything changed."""
        self.timer.stop()
        return self.backup_if_changed("close")
