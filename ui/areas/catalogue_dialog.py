"""The workshop catalogue editor: numbered workshops an area's preferred blend is picked from."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.models.areas_model import CatalogueModel
from ui.undo import EditRunner


class CatalogueDialog(QDialog):
    """A non-modal window over the catalogue; every edit is saved at once and undoable (Ctrl+Z here too)."""

    def __init__(self, runner: EditRunner, programme_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Workshop catalogue")
        self.setModal(False)
        self.resize(760, 460)
        self.model = CatalogueModel(runner, self)
        self.model.set_programme(programme_id)
        self.model.refused.connect(self.show_refusal)
        self.model.modelReset.connect(self._update_buttons)
        self.model.dataChanged.connect(self._clear_refusal)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Workshop catalogue")
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(0, 56)
        self.view.setColumnWidth(1, 240)

        self.add_button = QPushButton("&Add workshop")
        self.add_button.setToolTip("Add a workshop numbered after the highest (Insert)")
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setToolTip("Remove the selected workshop (Delete); refused while an area prefers it")
        self.add_button.clicked.connect(self.add_entry)
        self.remove_button.clicked.connect(self.remove_entry)
        hint = QLabel("Double-click or start typing to edit. Numbers are unique; areas follow a renumbered workshop.")
        hint.setObjectName("pageNote")
        hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("refusal")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("color: #a4000f;")
        self.message.setAccessibleName("Why the last change was not made")
        self.message.hide()

        for key, slot in (
            (QKeySequence.StandardKey.Delete, self.remove_entry),
            (QKeySequence("Insert"), self.add_entry),
        ):
            action = QAction(self.view)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)
        # The main window's Undo/Redo shortcuts do not reach a separate window: offer them here too.
        undo = runner.undo_action(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = runner.redo_action(self, "Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([undo, redo])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        # Return belongs to the table (finishing an edit), never to a button: no default button here.
        for button in (self.add_button, self.remove_button, buttons.button(QDialogButtonBox.StandardButton.Close)):
            button.setAutoDefault(False)
            button.setDefault(False)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        row.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(self.model.rowCount() > 0)

    def _clear_refusal(self) -> None:
        self.message.hide()

    def show_refusal(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def add_entry(self) -> None:
        self._clear_refusal()
        row = self.model.add_entry()
        if row >= 0:
            index = self.model.index(row, 1)
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def remove_entry(self) -> None:
        index = self.view.currentIndex()
        if not index.isValid():
            return
        self._clear_refusal()
        self.model.remove_entry(index.row())
