"""The facilitator's own window while the slides are on a second screen (the projector).

It says what the room sees, drives the slides, and holds the agreement panel, which the room never sees.
Page Down / Page Up (and the buttons) move the slides from anywhere in it; → and ← do too when no field
has the keyboard. Closing it ends the presentation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ui.readiness.agreement_panel import AgreementPanel
    from ui.readiness.presentation import PresentationWindow


class FacilitatorConsole(QWidget):
    """Slide controls and the agreement panel for a presentation shown on another screen."""

    def __init__(self, presentation: PresentationWindow, agreement: AgreementPanel) -> None:
        super().__init__(None)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setWindowTitle("Facilitator — agreement (not shown to the room)")
        self.setAccessibleName("Facilitator console")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._presentation = presentation
        self.agreement = agreement

        self.on_screen = QLabel("")
        self.on_screen.setObjectName("consoleOnScreen")
        self.on_screen.setWordWrap(True)
        self.on_screen.setTextFormat(Qt.TextFormat.PlainText)
        self.on_screen.setAccessibleName("On the projector")
        self.previous_button = QPushButton("← Previous")
        self.reveal_button = QPushButton("Reveal / hide (R)")
        self.next_button = QPushButton("Next →")
        self.end_button = QPushButton("End presentation")
        self.previous_button.clicked.connect(presentation.previous_slide)
        self.next_button.clicked.connect(presentation.next_slide)
        self.reveal_button.clicked.connect(lambda: presentation._set_revealed(not presentation.is_revealed()))
        self.end_button.clicked.connect(presentation.close)
        for button in (self.previous_button, self.reveal_button, self.next_button, self.end_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        controls = QHBoxLayout()
        controls.addWidget(self.previous_button)
        controls.addWidget(self.reveal_button)
        controls.addWidget(self.next_button)
        controls.addStretch(1)
        controls.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.on_screen)
        layout.addLayout(controls)
        layout.addWidget(agreement, 1)

    def follow(self, index: int, count: int, code: str | None) -> None:
        """Say which slide the room is looking at."""
        what = f"capability {code}" if code else "the title slide" if index == 0 else "a chart"
        self.on_screen.setText(f"On the projector: slide {index + 1} of {count}, {what}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_PageDown, Qt.Key.Key_Right):
            self._presentation.next_slide()
        elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_Left):
            self._presentation.previous_slide()
        elif key == Qt.Key.Key_R:
            self.reveal_button.click()
        elif key == Qt.Key.Key_G:
            self._presentation.open_agreement()
        else:
            super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        event.accept()
        self.agreement.flush()
        if self._presentation.isVisible():
            self._presentation.close()
