"""The dialog an unexpected error shows: what happened in plain words, the log's place, "Copy details"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ics_desktop import crash_log

MESSAGE = (
    "<b>Something went wrong in ICS Desktop.</b><br><br>"
    "What you changed before this was saved as you made it. You can carry on, but if something looks "
    "wrong, close and reopen the app.<br><br>"
    "If you report this, please include the details below (Copy details puts them on the clipboard)."
)


class CrashDialog(QDialog):
    """Shows one report at a time; a later error while it is open adds its report below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("ICS Desktop: something went wrong")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        self.message = QLabel(MESSAGE)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.where)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        layout.addWidget(self.details, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy details")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def show_report(self, report: str, log: Path | None) -> None:
        """Show `report` (appended to one already shown) and where the log is; opened without blocking."""
        shown = self.details.toPlainText() if self.isVisible() else ""
        self.details.setPlainText(f"{shown}\n{report}" if shown else report)
        self.where.setText(
            f"The details were also written to:\n{log}" if log else "The details could not be written to a log file."
        )
        self.open()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


class _Bridge(QObject):
    """Carries a report from whichever thread failed to the GUI thread (a queued signal)."""

    crashed = Signal(str, str)


class GuiCrashHandler:
    """The core crash handler, with the dialog shown on the GUI thread."""

    def __init__(self, data_folder: Path | None = None) -> None:
        app = QApplication.instance()
        assert app is not None, "create the QApplication first"
        self._bridge = _Bridge()
        self._bridge.moveToThread(app.thread())
        self._bridge.crashed.connect(self._show, Qt.ConnectionType.QueuedConnection)
        self.dialog: CrashDialog | None = None
        self.core = crash_log.install(self._report, data_folder)

    def _report(self, report: str, log: Path | None) -> None:
        self._bridge.crashed.emit(report, str(log) if log else "")

    def _show(self, report: str, log: str) -> None:
        if self.dialog is None:
            self.dialog = CrashDialog()  # no parent: it outlives whichever window failed
        self.dialog.show_report(report, Path(log) if log else None)

    def uninstall(self) -> None:
        self.core.uninstall()


def install_crash_handler(data_folder: Path | None = None) -> GuiCrashHandler:
    """Install in the real app's start-up (after the QApplication exists); tests call it and uninstall."""
    return GuiCrashHandler(data_folder)
