"""The guided restore: shown when the database cannot be opened and automatic backups of it exist.

It says what is wrong in plain words, lists the backups (newest first, with what each holds) and
restores the chosen one through `ics_desktop.storage.restore`, which keeps the damaged file beside it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.errors import NewerVersionError, StoreError, UserFacingError
from ics_desktop.paths import backups_dir_for
from ics_desktop.storage.backups import BackupError, list_backups
from ics_desktop.storage.database import DatabaseIOError, DiskFullError, ReadOnlyDatabaseError
from ics_desktop.storage.restore import BackupSummary, RestoreResult, backup_summaries, format_taken, restore
from ics_desktop.storage.store import Store
from ui.models.backups_model import BackupsModel

# Failures a restore cannot fix: the file is fine but cannot be written, or is from a newer app.
NOT_RESTORABLE = (NewerVersionError, ReadOnlyDatabaseError, DiskFullError, BackupError, DatabaseIOError)


class RestoreDialog(QDialog):
    """Explains why the database cannot be opened and offers to restore one of its backups.

    Accepted after a successful restore (`result` says what happened); rejected by Quit.
    """

    def __init__(self, db_path: Path, problem_message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.result_info: RestoreResult | None = None
        self.setWindowTitle("ICS Desktop — restore from a backup")
        self.resize(1120, 580)

        heading = QLabel("Your database could not be opened")
        heading.setObjectName("pageHeading")
        intro = QLabel(
            f"<p>ICS Desktop checks <b>{html.escape(str(self.db_path))}</b> before opening it, and found a problem:</p>"
        )
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem = QLabel(html.escape(problem_message))
        self.problem.setObjectName("restoreProblem")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.setStyleSheet(
            "QLabel#restoreProblem { background: #fdf2f5; border-left: 4px solid #8a1538; padding: 8px; }"
        )
        shown_name = html.escape(self.db_path.name).replace("-", "\u2011")  # non-breaking hyphens: one piece
        advice = QLabel(
            "<p>Nothing has been changed, and nothing will be thrown away: restoring keeps the current file "
            f"beside the restored one, named <i>{shown_name}.damaged\u2011</i>(date and time). Choose a "
            "backup below (newest first); work done after it was taken is not in it.</p>"
        )
        advice.setWordWrap(True)

        self.model = BackupsModel(backup_summaries(self.db_path), self)
        self.backups_view = QTableView()
        self.backups_view.setAccessibleName("Backups")
        self.backups_view.setModel(self.model)
        self.backups_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backups_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.backups_view.setAlternatingRowColors(True)
        self.backups_view.setStyleSheet("QTableView::item { padding: 4px 6px; }")
        self.backups_view.verticalHeader().setVisible(False)
        self.backups_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.backups_view.horizontalHeader()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.backups_view.doubleClicked.connect(self._restore_clicked)

        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #8a1538;")
        self.error.hide()

        buttons = QDialogButtonBox()
        self.restore_button = QPushButton("&Restore selected backup…")
        self.restore_button.setAccessibleName("Restore selected backup")
        self.restore_button.setDefault(True)
        self.quit_button = QPushButton("&Quit")
        self.quit_button.setAccessibleName("Quit")
        buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self._restore_clicked)
        self.quit_button.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.problem)
        layout.addWidget(advice)
        layout.addWidget(self.backups_view, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self.backups_view.selectionModel().selectionChanged.connect(self._selection_changed)
        usable = [row for row, s in enumerate(self.model.summaries) if s.usable]
        if usable:
            self.backups_view.selectRow(usable[0])
        else:
            self.error.setText("None of the backups can be restored: every one of them is damaged or unreadable.")
            self.error.show()
        self._selection_changed()

    def selected_summary(self) -> BackupSummary | None:
        rows = self.backups_view.selectionModel().selectedRows()
        return self.model.summaries[rows[0].row()] if rows else None

    def _selection_changed(self, *_args: object) -> None:
        summary = self.selected_summary()
        self.restore_button.setEnabled(summary is not None and summary.usable)

    def restore_selected(self) -> bool:
        """Restore the selected backup (no confirmation); on failure the reason is shown in the dialog."""
        summary = self.selected_summary()
        if summary is None or not summary.usable:
            return False
        try:
            self.result_info = restore(self.db_path, summary.backup.path)
        except UserFacingError as exc:
            self.error.setText(f"The backup was not restored: {exc}")
            self.error.show()
            return False
        return True

    def _restore_clicked(self, *_args: object) -> None:
        summary = self.selected_summary()
        if summary is None or not summary.usable:
            return
        when = format_taken(summary.backup.taken)
        answer = QMessageBox.question(
            self,
            "Restore backup",
            f"Restore the backup taken {when}?\n\nIt holds: {summary.contents_text()}.\n\n"
            f"Anything saved after {when} is not in it. The current file is kept as "
            f"{self.db_path.name}.damaged-… in {self.db_path.parent}.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes and self.restore_selected():
            self.accept()


def restorable(error: UserFacingError, db_path: Path) -> bool:
    """Whether restoring a backup could help: a damaged or unreadable file (not a newer or read-only one)."""
    return (
        isinstance(error, StoreError)
        and not isinstance(error, NOT_RESTORABLE)
        and not db_path.is_dir()
        and bool(list_backups(db_path))
    )


def open_after_failure(
    db_path: Path, error: UserFacingError, reopen: Callable[[], Store], parent: QWidget | None = None
) -> Store | None:
    """After opening `db_path` failed with `error`: offer the guided restore when it could help, else
    explain. Returns the store reopened after a restore, or None when the app should quit."""
    if not restorable(error, db_path):
        extra = ""
        if isinstance(error, StoreError) and not isinstance(error, NOT_RESTORABLE):
            extra = f"\n\nNo automatic backups of it were found in {backups_dir_for(db_path)}."
        QMessageBox.critical(parent, "ICS Desktop", f"The database cannot be opened.\n\n{error}{extra}")
        return None
    dialog = RestoreDialog(db_path, str(error), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    try:
        return reopen()
    except UserFacingError as again:
        QMessageBox.critical(parent, "ICS Desktop", f"The restored database cannot be opened either.\n\n{again}")
        return None
