"""Questions the Actions & milestones page asks before removing anything."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_delete(parent: QWidget, title: str, what: str) -> bool:
    """Ask before deleting (the deletion can still be undone, and the question says so)."""
    answer = QMessageBox.question(
        parent,
        title,
        f"Delete {what}?\n\nYou can undo this with Edit ▸ Undo (Ctrl+Z).",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def describe_actions(titles: list[str]) -> str:
    """'the action “Draft the MoU” and its progress notes', or '3 actions and their progress notes'."""
    if len(titles) == 1:
        title = " ".join(titles[0].split()) or "untitled"
        shown = title if len(title) <= 60 else f"{title[:59].rstrip()}…"
        return f"the action “{shown}” and its progress notes"
    return f"{len(titles)} actions and their progress notes"
