"""The About dialog: version, what the app is, where the data lives, and the bundled licences."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from ics_desktop import __version__
from ics_desktop.paths import resource_path


def licences_markdown() -> str:
    try:
        return resource_path("licences", "THIRD-PARTY.md").read_text(encoding="utf-8")
    except OSError:
        return "The licence notes are missing from this installation."


class AboutDialog(QDialog):
    def __init__(self, database: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About ICS Desktop")
        self.resize(640, 560)
        intro = QLabel(
            f"<h2>ICS Desktop {__version__}</h2>"
            "<p>Readiness scoring, areas of focus, actions and roadmaps for Supporting Aspiring Integrated "
            "Care Systems programmes. Works entirely offline; every edit is saved as it is made.</p>"
            f"<p><b>Database:</b> {database}</p>"
        )
        intro.setWordWrap(True)
        self.licences = QTextBrowser()
        self.licences.setAccessibleName("Licences")
        self.licences.setMarkdown(licences_markdown())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.licences, 1)
        layout.addWidget(buttons)
