"""The terms of reference's own words, edited in the app: each section of the seed's ToR that is text.

A list of the sections (in the document's order, with where each is printed) and the chosen one's title and
words, saved as they are typed (the AutoSaver, through the runner: undoable, backed up). Blank lines separate
paragraphs, "- " starts a bullet, and lines starting "|" make a table (the first row its heading).
"""

from __future__ import annotations

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.planning.tor_text import WHERE, ensure_tor_sections, tor_sections
from ui.autosave import AutoSaver
from ui.undo import EditRunner

HELP = (
    "Blank line: a new paragraph · a line starting “- ”: a bullet · “## ” a sub-heading · lines starting “|”: "
    "a table, cells separated by “|”, the first row its heading. An empty section is left out of the document."
)


class TorTextDialog(QDialog):
    """Edit the programme's terms of reference text, section by section (saved as typed)."""

    def __init__(self, runner: EditRunner, programme_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._programme_id = programme_id
        self.setWindowTitle(f"Terms of reference text — {self._store.programme(programme_id).name}")
        self.setModal(False)
        self.resize(1100, 680)
        # The template's words become the programme's own on first opening, so they can be edited.
        runner.write(
            "terms of reference text prepared", {"tor_sections"}, lambda: ensure_tor_sections(self._store, programme_id)
        )
        self.sections = QListWidget()
        self.sections.setAccessibleName("Sections")
        self.sections.setMaximumWidth(330)
        self.sections.setWordWrap(True)
        self.title = QLineEdit()
        self.title.setAccessibleName("Section title")
        self.body = QPlainTextEdit()
        self.body.setAccessibleName("Section text")
        self.where = QLabel()
        self.where.setObjectName("pageNote")
        help_label = QLabel(HELP)
        help_label.setWordWrap(True)
        help_label.setObjectName("pageNote")
        self.saver = AutoSaver(runner, self)
        self.saver.bind(self.title, "tor_sections", "title", "section title")
        self.saver.bind(self.body, "tor_sections", "body", "section text")
        self._keys: list[str] = []
        self.sections.currentRowChanged.connect(self._show)
        runner.changed.connect(self._tables_changed)

        editor = QVBoxLayout()
        title_label = QLabel("&Title")
        title_label.setBuddy(self.title)
        body_label = QLabel("T&ext")
        body_label.setBuddy(self.body)
        editor.addWidget(self.where)
        editor.addWidget(title_label)
        editor.addWidget(self.title)
        editor.addWidget(body_label)
        editor.addWidget(self.body, 1)
        editor.addWidget(help_label)
        row = QHBoxLayout()
        row.addWidget(self.sections)
        row.addLayout(editor, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(buttons)
        self._fill()

    def _fill(self) -> None:
        sections = tor_sections(self._store, self._programme_id)
        self._keys = list(sections)
        self.sections.clear()
        for key, section in sections.items():
            self.sections.addItem(f"{section.title or '(untitled)'}\n{WHERE[key]}")
        self.sections.setCurrentRow(0)

    def select(self, key: str) -> None:
        self.sections.setCurrentRow(self._keys.index(key))

    def _show(self, row: int) -> None:
        if not 0 <= row < len(self._keys):
            return
        key = self._keys[row]
        section = tor_sections(self._store, self._programme_id)[key]
        self.where.setText(f"Printed in {WHERE[key]} of the terms of reference")
        record = self._store.get("tor_sections", section.record_id) if section.record_id else None
        self.saver.load({"tor_sections": record})

    def _tables_changed(self, tables: set[str]) -> None:
        if "tor_sections" not in tables:
            return
        for row, section in enumerate(tor_sections(self._store, self._programme_id).values()):
            item = self.sections.item(row)
            if item is not None:
                item.setText(f"{section.title or '(untitled)'}\n{WHERE[section.key]}")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.saver.flush()
        super().closeEvent(event)

    def done(self, result: int) -> None:
        self.saver.flush()
        super().done(result)
