"""The Export page's "Logo" row: the organisation's logo for the document covers, chosen, shown and removed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QPushButton, QWidget

from ics_desktop.exports.cover_logo import LogoError, read_logo_file, stored_logo
from ics_desktop.storage.edits import set_field
from ui.undo import EditRunner

THUMBNAIL = (96, 32)  # pixels: the logo as the row shows it
NOT_THE_NHS_LOGO = (
    "Your organisation's logo (PNG or JPEG, up to 512 KB), top right on the Word covers and the PDF summary. "
    "Never the NHS logo: it is a registered trade mark."
)


class CoverLogoRow(QWidget):
    """Thumbnail, Choose…, Remove and the organisation's name (the logo's alt text); every change undoable."""

    def __init__(
        self,
        runner: EditRunner,
        choose_file: Callable[[QWidget, Path], Path | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._choose_file = choose_file or _ask_for_file
        self._programme_id: str | None = None
        self._shown: tuple[str | None, str | None] | None = None  # (programme, stored text) on screen now
        self.start_folder = Path.home()
        self.thumbnail = QLabel("No logo")
        self.thumbnail.setFixedSize(*THUMBNAIL)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setAccessibleName("Cover logo")
        self.choose_button = QPushButton("Choose &logo…")
        self.choose_button.setToolTip(NOT_THE_NHS_LOGO)
        self.choose_button.clicked.connect(self.choose)
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Covers without a logo")
        self.remove_button.clicked.connect(self.remove)
        self.organisation = QLineEdit()
        self.organisation.setAccessibleName("Whose logo it is")
        self.organisation.setPlaceholderText("Whose logo (read out by screen readers)")
        self.organisation.setToolTip("The organisation the logo stands for: the documents' alt text is 'Logo of …'")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.thumbnail)
        layout.addWidget(self.choose_button)
        layout.addWidget(self.remove_button)
        layout.addWidget(self.organisation, 1)
        self.setToolTip(NOT_THE_NHS_LOGO)
        self.show_logo(None)

    def set_programme(self, programme_id: str | None, logo_text: str | None) -> None:
        self._programme_id = programme_id
        self.show_logo(logo_text)

    def show_logo(self, logo_text: str | None) -> None:
        """Show the stored logo (or "No logo") and enable what makes sense."""
        if self._shown == (self._programme_id, logo_text):
            return  # every save of the programme's other fields calls this: the picture is decoded once
        self._shown = (self._programme_id, logo_text)
        logo = stored_logo(logo_text)
        pixmap = QPixmap()
        if logo is not None and pixmap.loadFromData(logo.data):
            self.thumbnail.setPixmap(
                pixmap.scaled(
                    *THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )
        else:
            self.thumbnail.setPixmap(QPixmap())
            self.thumbnail.setText("No logo")
        self.choose_button.setEnabled(self._programme_id is not None)
        self.remove_button.setEnabled(logo is not None)
        self.organisation.setEnabled(self._programme_id is not None)

    def choose(self) -> None:
        """Ask for a picture and keep it for this programme's covers (one undoable edit)."""
        if self._programme_id is None:
            return
        path = self._choose_file(self, self.start_folder)
        if path is None:
            return
        self.start_folder = path.parent
        try:
            text = read_logo_file(path)
        except LogoError as exc:
            self._runner.saved.emit(f"Not saved: {exc}")
            QMessageBox.warning(self, "Logo not used", str(exc))
            return
        self._set(text, "the cover logo")

    def remove(self) -> None:
        if self._programme_id is not None:
            self._set("", "the removal of the cover logo")

    def _set(self, text: str, description: str) -> None:
        assert self._programme_id is not None
        edit = set_field(self._runner.store, "programmes", self._programme_id, "cover_logo", text, description)
        if self._runner.run(edit):
            self.show_logo(text)


def _ask_for_file(parent: QWidget, folder: Path) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, "Choose the cover logo", str(folder), "Pictures (*.png *.jpg *.jpeg)")
    return Path(name) if name else None
