"""The side panel of the actions table: the selected action's dated progress notes (the weekly touchpoints)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.planning.actions import ActionRow, display_date
from ui.actions.delegates import DateDelegate, LongTextDelegate
from ui.fit import wrap
from ui.models.actions_model import NOTE_DATE, NOTE_TEXT, NotesModel
from ui.undo import EditRunner


class NotesPanel(QWidget):
    """Lists the notes oldest first; a note is added with a date (today by default) and its text."""

    note_added = Signal()

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = NotesModel(runner, self)
        self._action: ActionRow | None = None

        heading = QLabel("Progress notes")
        heading.setObjectName("panelHeading")
        self.action_label = QLabel()
        self.action_label.setWordWrap(True)
        self.action_label.setTextFormat(Qt.TextFormat.PlainText)
        self.action_label.setObjectName("pageNote")
        wrap(self.action_label)

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Progress notes")
        self.view.setWordWrap(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(NOTE_DATE, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(NOTE_TEXT, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(NOTE_DATE, 112)
        self.date_delegate = DateDelegate(self.view)
        self.text_delegate = LongTextDelegate("Progress note", self.view)
        for delegate in (self.date_delegate, self.text_delegate):
            delegate.row_padding = 6
        self.view.setItemDelegateForColumn(NOTE_DATE, self.date_delegate)
        self.view.setItemDelegateForColumn(NOTE_TEXT, self.text_delegate)

        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setAccessibleName("Date of the new note")
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("New progress note")
        self.text.setPlaceholderText("What happened since the last touchpoint? (Ctrl+Enter adds the note)")
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 3 + 16)
        self.text.installEventFilter(self)
        self.add_button = QPushButton("Add note")
        self.add_button.setToolTip("Add the note to the selected action (Ctrl+Enter)")
        self.add_button.clicked.connect(self.add_note)
        self.delete_button = QPushButton("Delete note")
        self.delete_button.clicked.connect(self.delete_note)
        self.text.textChanged.connect(self._update_buttons)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        heading.setStyleSheet("font-weight: 600; color: #003087;")
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        title_row = QHBoxLayout()
        title_row.addWidget(heading)
        title_row.addStretch(1)
        title_row.addWidget(self.delete_button)
        left.addLayout(title_row)
        left.addWidget(self.action_label)
        left.addWidget(self.view, 1)
        add_row = QHBoxLayout()
        add_row.addWidget(QLabel("Date"))
        add_row.addWidget(self.date)
        add_row.addStretch(1)
        add_row.addWidget(self.add_button)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        new_heading = QLabel("New note")
        new_heading.setStyleSheet("font-weight: 600; color: #003087;")
        right.addWidget(new_heading)
        right.addWidget(self.text, 1)
        right.addLayout(add_row)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(left, 3)
        layout.addSpacing(12)
        layout.addLayout(right, 2)
        self.show_action(None)

    def show_action(self, action: ActionRow | None) -> None:
        """Show this action's notes; a note typed for the previous action is added to it first."""
        previous = self._action
        if previous is not None and (action is None or action.id != previous.id):
            self.flush()
        self._action = action
        if action is None:
            self.action_label.setText("Select an action to see and add its progress notes.")
        else:
            due = f", due {display_date(action.due_date)}" if action.due_date else ""
            title = " ".join(action.title.split()) or "(untitled action)"
            self.action_label.setText(f"{title} ({action.owner or 'no owner'}{due})")
            self.action_label.setToolTip(action.title)
        if self.model.action_id != (action.id if action else None):
            self.model.set_action(action.id if action else None)
        self.text.setEnabled(action is not None)
        self.date.setEnabled(action is not None)
        self._update_buttons()

    def add_note(self) -> bool:
        text = self.text.toPlainText()
        if not text.strip() or self._action is None:
            return False
        day = self.date.date()
        when = date(day.year(), day.month(), day.day())
        if self.model.add(text, when):
            self.text.clear()
            self.date.setDate(QDate.currentDate())
            self.note_added.emit()
            return True
        return False

    def delete_note(self) -> None:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows and self.view.currentIndex().isValid():
            rows = [self.view.currentIndex().row()]
        if rows:
            self.model.remove(rows[0])

    def flush(self) -> None:
        """Save an open cell editor and add a note typed but not yet added (nothing typed is lost)."""
        for delegate in (self.date_delegate, self.text_delegate):
            delegate.commit_open_editor()
        if self._action is not None and self.text.toPlainText().strip():
            self.add_note()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self._action is not None and bool(self.text.toPlainText().strip()))
        self.delete_button.setEnabled(self.view.selectionModel().hasSelection())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.text
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.add_note()
            return True
        return super().eventFilter(watched, event)
