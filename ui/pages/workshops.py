"""Workshops: plan each workshop of the programme, then capture what the room produces, live (F6)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QAction, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.planning import workshops as ws
from ui.fit import wrap
from ui.models.workshops_model import WorkshopListModel
from ui.pages.base import Page
from ui.undo import EditRunner
from ui.workshops.capture_view import CaptureView
from ui.workshops.plan_editor import PlanEditor

CAPTURE_KEY = QKeySequence("F6")
PRIMARY_STYLE = (
    "QPushButton#captureButton { background: #005eb8; color: #ffffff; font-weight: 600; font-size: 11pt;"
    " padding: 7px 18px; border: none; border-radius: 4px; }"
    "QPushButton#captureButton:disabled { background: #aeb7bd; }"
    "QPushButton#captureButton:focus { outline: 2px solid #ffb81c; }"
)


def next_working_morning(today: date | None = None) -> str:
    """A new workshop's first guess: the next weekday at 09:30 (as stored)."""
    day = (today or date.today()) + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, 30).strftime("%Y-%m-%dT%H:%M")


class WorkshopsPage(Page):
    """The programme's workshops: a list, the selected one's plan, and live capture."""

    title = "Workshops"

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._programme_id: str | None = None
        self._workshop_id: str | None = None

        self.heading = QLabel("Workshops")
        self.heading.setObjectName("pageHeading")
        wrap(self.heading)
        self.subheading = QLabel()
        self.subheading.setObjectName("pageNote")
        wrap(self.subheading)

        self.model = WorkshopListModel(runner, self)
        self.model.modelReset.connect(self._model_reset)
        self.model.dataChanged.connect(self._refresh_subheading)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Workshops")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 150), (2, 82), (3, 78)):
            self.view.setColumnWidth(column, width)
        selection = self.view.selectionModel()
        assert selection is not None
        selection.selectionChanged.connect(self._selection_changed)

        self.new_button = QPushButton("New workshop")
        self.new_button.setToolTip("Plan a new workshop (Insert in the list)")
        self.new_button.clicked.connect(self.new_workshop)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setToolTip("Delete the selected workshop and what was captured in it (Delete in the list)")
        self.delete_button.clicked.connect(self.delete_workshop)
        self.capture_button = QPushButton("Capture   F6")
        self.capture_button.setObjectName("captureButton")
        self.capture_button.setStyleSheet(PRIMARY_STYLE)
        self.capture_button.setAccessibleName("Live capture")
        self.capture_button.setToolTip("Capture outputs, decisions, risks and actions live, for the projector (F6)")
        self.capture_button.clicked.connect(self.start_capture)
        for text, keys, slot in (
            ("New workshop", "Ins", self.new_workshop),
            ("Delete workshop", "Del", self.delete_workshop),
        ):
            action = QAction(text, self.view)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(slot)
            self.view.addAction(action)

        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.capture_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.view, 1)

        self.plan = PlanEditor(runner)
        self.plan.title_saved.connect(self.model.reload)
        self.planning = QSplitter(Qt.Orientation.Horizontal)
        self.planning.addWidget(left)
        self.planning.addWidget(self.plan)
        self.planning.setStretchFactor(0, 2)
        self.planning.setStretchFactor(1, 3)
        self.planning.setSizes([540, 630])

        self.capture = CaptureView(runner)
        self.capture.back_requested.connect(self.show_plan)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.planning)
        self.stack.addWidget(self.capture)
        self.capture_shortcut = QShortcut(CAPTURE_KEY, self, self.toggle_capture)
        # The whole window while this page shows (a hidden page's shortcut never fires): F6 works
        # straight after choosing Workshops in the navigation list, not only once focus is inside.
        self.capture_shortcut.setContext(Qt.ShortcutContext.WindowShortcut)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.stack, 1)
        self.set_programme(None)

    # -- programme and selection -------------------------------------------------------------------

    def set_programme(self, programme_id: str | None) -> None:
        self.flush()
        self.show_plan()
        self._programme_id = programme_id
        self._workshop_id = None
        self.model.set_programme(programme_id)  # resets: selects the first (or next) workshop
        self.new_button.setEnabled(programme_id is not None)

    def current_workshop_id(self) -> str | None:
        return self._workshop_id

    def select_workshop(self, workshop_id: str | None) -> None:
        row = self.model.row_of(workshop_id)
        if row >= 0:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))
        else:
            self.view.clearSelection()
            self._show_workshop(None)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        self._show_workshop(self.model.workshop_id(rows[0].row()) if rows else None)

    def _show_workshop(self, workshop_id: str | None) -> None:
        has = workshop_id is not None
        self.delete_button.setEnabled(has)
        self.capture_button.setEnabled(has)
        if workshop_id == self._workshop_id:
            return
        if self.capturing():
            self.show_plan()  # never carry on capturing into another workshop than the one on screen
        self.plan.flush()
        self._workshop_id = workshop_id
        self.plan.set_workshop(self._programme_id, workshop_id)
        self.capture.set_workshop(workshop_id)

    def _model_reset(self) -> None:
        """After the list changed shape (a workshop added, deleted, undone): keep the selection or find one."""
        self._refresh_subheading()
        wanted = self._workshop_id if self.model.row_of(self._workshop_id) >= 0 else self._first_choice()
        row = self.model.row_of(wanted)
        if row >= 0:
            self.view.selectRow(row)  # shows it, through selectionChanged
        self._show_workshop(wanted)

    def _first_choice(self) -> str | None:
        """The next workshop to come, else the last one."""
        rows = self.model.rows()
        today = date.today().isoformat()
        upcoming = [r for r in rows if r.starts_at and r.starts_at[:10] >= today]
        return upcoming[0].id if upcoming else (rows[-1].id if rows else None)

    def _refresh_subheading(self, *_args: object) -> None:
        rows = self.model.rows()
        if self._programme_id is None:
            self.subheading.setText("")
            return
        if not rows:
            self.subheading.setText("No workshops yet: plan one with New workshop, then capture it live with F6.")
            return
        held = sum(r.status == "held" for r in rows)
        parts = [f"{len(rows)} workshop{'s' * (len(rows) != 1)}", f"{held} held"]
        today = date.today().isoformat()
        upcoming = [r for r in rows if r.status == "planned" and r.starts_at and r.starts_at[:10] >= today]
        if upcoming:
            parts.append(f"next: {ws.starts_at_text(upcoming[0].starts_at)}")
        self.subheading.setText("  ·  ".join(parts))

    # -- planning ----------------------------------------------------------------------------------

    def new_workshop(self) -> str | None:
        """Plan a new workshop (saved at once) and put the cursor in its title."""
        if self._programme_id is None:
            return None
        self.flush()
        edit = ws.new_workshop(self._programme_id, "New workshop", next_working_morning())
        if not self._runner.run(edit):
            return None
        self.select_workshop(edit.record_id)
        self.plan.title.setFocus()
        self.plan.title.selectAll()
        return edit.record_id

    def delete_workshop(self) -> bool:
        """Delete the selected workshop after asking; its items go with it, its actions stay (undoable)."""
        workshop_id = self._workshop_id
        if workshop_id is None:
            return False
        self.flush()
        record = ws.workshop(self._store, workshop_id)
        items = ws.captured_items(self._store, workshop_id)
        actions = sum(i.is_action for i in items)
        others = len(items) - actions
        title = record["title"] or "Untitled workshop"
        details = []
        if others:
            details.append(f"its {others} captured item{'s' * (others != 1)} will be deleted with it")
        if actions:
            details.append(
                f"its {actions} action{'s' * (actions != 1)} stay{'s' * (actions == 1)} in Actions, "
                "no longer linked to a workshop"
            )
        text = f"Delete the workshop “{title}” ({ws.starts_at_text(record['starts_at'])})?"
        if details:
            said = "; ".join(details)
            text += f"\n\n{said[0].upper()}{said[1:]}."
        text += "\n\nYou can undo this with Ctrl+Z."
        answer = QMessageBox.question(
            self,
            "Delete workshop",
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        return self._runner.run(ws.delete_workshop(self._store, workshop_id))

    # -- capture -----------------------------------------------------------------------------------

    def capturing(self) -> bool:
        return self.stack.currentWidget() is self.capture

    def start_capture(self) -> bool:
        """Switch to live capture for the selected workshop (F6)."""
        if self._workshop_id is None:
            self.saved.emit("Select or create a workshop to capture")
            return False
        self.plan.flush()
        self.heading.hide()
        self.subheading.hide()
        self.stack.setCurrentWidget(self.capture)
        self.capture.focus_input()
        return True

    def show_plan(self) -> None:
        self.heading.show()
        self.subheading.show()
        self.stack.setCurrentWidget(self.planning)

    def toggle_capture(self) -> None:
        if self.capturing():
            self.show_plan()
            self.view.setFocus()
        else:
            self.start_capture()

    # -- page --------------------------------------------------------------------------------------

    def smoke_views(self, grab: Callable[[], QPixmap]) -> Iterator[tuple[str, QPixmap]]:
        """The live capture view, when there is a workshop to show (the one with most captured, if any)."""
        busiest = max(
            ws.list_workshops(self._store, self._programme_id) if self._programme_id else [],
            key=lambda w: len(ws.captured_items(self._store, w.id)),
            default=None,
        )
        if busiest is not None:
            self.select_workshop(busiest.id)
        if self.start_capture():
            yield "capture", grab()
            self.show_plan()

    def unsaved(self) -> list[str]:
        return self.plan.saver.unsaved()

    def flush(self) -> None:
        """Save anything typed in the plan (the capture saves each line on Enter)."""
        self.plan.flush()
