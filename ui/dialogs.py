"""Small dialogs of the main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from ics_desktop.bundles.format import TABLES as PROGRAMME_TABLES
from ics_desktop.frameworks.framework import shipped_frameworks
from ics_desktop.storage.records import Programme
from ui.undo import EditRunner

DEFAULT_PROGRAMME_NAME = "Supporting Aspiring ICS Programme"


class NewProgrammeDialog(QDialog):
    """Asks for the programme's and the system's names and creates the programme on OK.

    The name offered is one no programme uses yet. A name the system already has is reported in the
    dialog, which stays open with everything typed, so nothing is lost.
    """

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = store = runner.store
        self.programme_id: str | None = None
        self.setWindowTitle("New programme")
        self.setMinimumWidth(480)
        self.name = QLineEdit(store.free_programme_name(DEFAULT_PROGRAMME_NAME))
        self.name.setAccessibleName("Programme name")
        self.system = QLineEdit()
        self.system.setAccessibleName("System name")
        self.system.setPlaceholderText("e.g. Healthier Together (BNSSG)")
        self.message = QLabel()
        self.message.setObjectName("dialogProblem")
        self.message.setAccessibleName("Problem")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("color: #d5281b;")  # NHS red, as the Export page's failures
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name.textChanged.connect(self._validate)
        self.system.textChanged.connect(self._validate)
        form = QFormLayout(self)
        # The framework the programme scores against: the ICS baseline capabilities, or another shipped one
        # (the outcomes framework); Framework → Import JSON takes any other.
        self.framework = QComboBox()
        self.framework.setAccessibleName("Framework")
        self._frameworks = shipped_frameworks()
        for framework in self._frameworks:
            self.framework.addItem(f"{framework.name} ({framework.version})")
        form.addRow("&Programme", self.name)
        form.addRow("&System", self.system)
        form.addRow("&Framework", self.framework)
        form.addRow(self.message)
        form.addRow(buttons)
        self._validate()

    def _validate(self) -> None:
        name, system = self.programme_name(), self.system_name()
        taken = self._store.programme_name_taken(name, system) if name and system else None
        self._show_problem(f"{taken.system_name} already has a programme called '{taken.name}'." if taken else "")
        self.ok_button.setEnabled(bool(name and system and taken is None))

    def _show_problem(self, text: str) -> None:
        if text == self.message.text() and self.message.isVisible() == bool(text):
            return
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self.adjustSize()  # room for the message (or none), the fields as typed

    def accept(self) -> None:
        """Create the programme; on a refusal say why and stay open with what was typed."""
        if not (self.programme_name() and self.system_name()):
            return
        name, system = self.programme_name(), self.system_name()
        self.programme_id = self._runner.write(
            f"new programme {name}",
            PROGRAMME_TABLES,
            lambda: self._store.create_programme(name, system, self._frameworks[self.framework.currentIndex()]),
        )
        if self.programme_id is None:
            self._show_problem(str(self._runner.last_refusal))
            return
        super().accept()

    def programme_name(self) -> str:
        return self.name.text().strip()

    def system_name(self) -> str:
        return self.system.text().strip()


class DeleteProgrammeDialog(QDialog):
    """Confirms deleting a programme: its name must be typed; the Delete button waits until it is."""

    def __init__(self, programme: Programme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.programme = programme
        self.setWindowTitle("Delete programme")
        explain = QLabel(
            f"Delete '{programme.name}' ({programme.system_name}) and everything recorded in it: people, "
            "assessments and scores, areas of focus, workshops, actions and milestones?\n\n"
            "A backup of the whole database is taken first (restore it from the backups list if you need it "
            "back); the deletion itself cannot be undone with Ctrl+Z.\n\n"
            "Type the programme's name to confirm:"
        )
        explain.setWordWrap(True)
        explain.setTextFormat(Qt.TextFormat.PlainText)
        self.typed = QLineEdit()
        self.typed.setAccessibleName("Programme name to confirm deletion")
        self.typed.setPlaceholderText(programme.name)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.delete_button = buttons.addButton("Delete programme", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setEnabled(False)
        self.delete_button.clicked.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setDefault(True)
        self.typed.textChanged.connect(self._validate)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addWidget(self.typed)
        layout.addWidget(buttons)

    def confirmed(self) -> bool:
        return self.typed.text().strip() == self.programme.name.strip()

    def _validate(self) -> None:
        self.delete_button.setEnabled(self.confirmed())

    def accept(self) -> None:
        if self.confirmed():  # Enter in the field does nothing until the name is right
            super().accept()
