"""Which screen shows the slides and which keeps the facilitator's console, when there are two or more."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication, QScreen


def presentation_screens(remembered: str) -> tuple[QScreen | None, QScreen | None]:
    """(slides, console): with one screen (None, None), everything on it; with more, the remembered screen
    (else the first that is not the primary: usually the projector) shows the slides and the primary, or
    another screen, keeps the console."""
    screens = QGuiApplication.screens()
    if len(screens) < 2:
        return None, None
    primary = QGuiApplication.primaryScreen()
    slides = next((s for s in screens if s.name() == remembered), None)
    if slides is None:
        slides = next((s for s in screens if s is not primary), screens[1])
    console = primary if primary is not slides else next(s for s in screens if s is not slides)
    return slides, console


def has_remembered_screen(remembered: str) -> bool:
    """Whether the screen chosen for the slides last time is connected now."""
    return any(s.name() == remembered for s in QGuiApplication.screens())
