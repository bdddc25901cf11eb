"""Small dialogs of the main window."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QWidget


class NewProgrammeDialog(QDialog):
    """Asks for the programme's and the system's names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New programme")
        self.name = QLineEdit("Supporting Aspiring ICS Programme")
        self.name.setAccessibleName("Programme name")
        self.system = QLineEdit()
        self.system.setAccessibleName("System name")
        self.system.setPlaceholderText("e.g. Healthier Together (BNSSG)")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.name.textChanged.connect(self._validate)
        self.system.textChanged.connect(self._validate)
        form = QFormLayout(self)
        form.addRow("&Programme", self.name)
        form.addRow("&System", self.system)
        form.addRow(buttons)
        self._validate()

    def _validate(self) -> None:
        self.ok_button.setEnabled(bool(self.name.text().strip() and self.system.text().strip()))

    def programme_name(self) -> str:
        return self.name.text().strip()

    def system_name(self) -> str:
        return self.system.text().strip()
