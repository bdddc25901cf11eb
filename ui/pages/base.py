"""What every page of the main window offers."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from PySide6.QtCore import Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QWidget


class Page(QWidget):
    """A page shows one programme at a time and saves whatever is typed into it."""

    title = ""
    saved = Signal(str)  # what was saved (or why not), for the status bar

    def set_programme(self, programme_id: str | None) -> None:
        """Show this programme (None when there is none)."""
        raise NotImplementedError

    def smoke_views(self, grab: Callable[[], QPixmap]) -> Iterator[tuple[str, QPixmap]]:
        """Extra views worth a screenshot in the smoke test (tabs, charts): (name, image)."""
        return iter(())

    def unsaved(self) -> list[str]:
        """Fields whose typed text could not be saved at the last flush (a full disk)."""
        return []

    def flush(self) -> None:
        """Save anything typed but not yet saved."""
