"""What every page of the main window offers."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class Page(QWidget):
    """A page shows one programme at a time and saves whatever is typed into it."""

    title = ""

    def set_programme(self, programme_id: str | None) -> None:
        """Show this programme (None when there is none)."""
        raise NotImplementedError

    def flush(self) -> None:
        """Save anything typed but not yet saved."""
