"""Overview: the system, the programme, its participants and delivery team; every edit saved at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.planning.dashboard import dashboard
from ics_desktop.storage import edits
from ui.autosave import AutoSaver
from ui.fit import wrap
from ui.models.people_model import PeopleModel
from ui.pages.base import Page
from ui.undo import EditRunner
from ui.widgets.dashboard import DashboardStrip

DASHBOARD_TABLES = frozenset(
    {"actions", "milestones", "workshops", "responses", "respondents", "capability_results", "assessments"}
)


def _text_box(lines: int, name: str) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _line(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    return edit


class PeopleTable(QWidget):
    """A titled, editable table of people with Add and Remove buttons."""

    def __init__(self, title: str, add_label: str, model: PeopleModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.view = QTableView()
        self.view.setModel(model)
        self.view.setAccessibleName(title)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.add_button = QPushButton(add_label)
        self.remove_button = QPushButton("Remove")
        self.add_button.clicked.connect(self.add)
        self.remove_button.clicked.connect(self.remove)
        heading = QLabel(f"<b>{title}</b>")
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.add_button)
        top.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.view)
        model.modelReset.connect(self.fit_columns)

    def fit_columns(self) -> None:
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.view.setColumnWidth(column, min(self.view.columnWidth(column), 320))

    def add(self) -> None:
        row = self.model.add_person()
        if row >= 0:
            index = self.model.index(row, 0)
            self.view.setCurrentIndex(index)
            self.view.edit(index)

    def remove(self) -> None:
        index = self.view.currentIndex()
        if index.isValid():
            self.model.remove_person(index.row())


class OverviewPage(Page):
    """The programme at a glance, and where its system, team and participants are edited."""

    title = "Overview"
    programme_renamed = Signal()

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._programme_id: str | None = None
        self.saver = AutoSaver(runner, self, after_save=self._after_save)
        runner.changed.connect(self._tables_changed)

        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        wrap(self.heading)
        self.subheading = QLabel()
        self.subheading.setWordWrap(True)

        self.programme_name = _line("Programme name")
        self.start_date = QDateEdit()
        self.end_date = QDateEdit()
        for edit, name in ((self.start_date, "Start date"), (self.end_date, "End date")):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
            edit.setAccessibleName(name)
            edit.dateChanged.connect(self._save_dates)
        self.description = _text_box(5, "Programme description")
        self.system_name = _line("System name")
        self.full_name = _line("System full name")
        self.system_overview = _text_box(7, "System overview")
        self.partners = _text_box(6, "Partner organisations, one per line")
        self.priority_areas = _text_box(6, "Priority areas, one per line")
        self.governance = _text_box(3, "Governance notes")

        bind = self.saver.bind
        bind(self.programme_name, "programmes", "name", "programme name")
        bind(self.description, "programmes", "description", "programme description")
        bind(self.system_name, "systems", "name", "system name")
        bind(self.full_name, "systems", "full_name", "system full name")
        bind(self.system_overview, "systems", "overview", "system overview")
        bind(self.partners, "systems", "partner_organisations", "partner organisations", as_list=True)
        bind(self.priority_areas, "systems", "priority_areas", "priority areas", as_list=True)
        bind(self.governance, "systems", "governance_notes", "governance notes")

        programme_box = QGroupBox("Programme")
        form = QFormLayout(programme_box)
        form.addRow("&Name", self.programme_name)
        dates = QHBoxLayout()
        dates.addWidget(self.start_date)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.end_date)
        dates.addStretch(1)
        form.addRow("Dates", dates)
        form.addRow("Description", self.description)

        system_box = QGroupBox("System")
        form = QFormLayout(system_box)
        form.addRow("&System", self.system_name)
        form.addRow("Full name", self.full_name)
        form.addRow("Overview", self.system_overview)
        form.addRow("Partner\norganisations", self.partners)
        form.addRow("Priority areas", self.priority_areas)
        form.addRow("Governance", self.governance)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(programme_box)
        left_layout.addWidget(system_box)
        left_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(left)

        self.participants_model = PeopleModel(runner, "participant", self)
        self.delivery_model = PeopleModel(runner, "delivery", self)
        for model in (self.participants_model, self.delivery_model):
            model.modelReset.connect(self._refresh_heading)
            model.rowsInserted.connect(self._refresh_heading)
            model.rowsRemoved.connect(self._refresh_heading)
        self.participants = PeopleTable("Participants", "Add participant", self.participants_model)
        self.delivery = PeopleTable("Delivery team", "Add team member", self.delivery_model)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.participants)
        right.addWidget(self.delivery)
        right.setSizes([600, 300])

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([520, 780])

        self.dashboard = DashboardStrip()
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addWidget(self.dashboard)
        layout.addWidget(split, 1)

    def set_programme(self, programme_id: str | None) -> None:
        self.saver.flush()
        self._programme_id = programme_id
        programme = self._store.programme_record(programme_id) if programme_id else None
        system = self._store.system(programme["system_id"]) if programme else None
        self.saver.load({"programmes": programme, "systems": system})
        self._show_dates(programme)
        self.participants_model.set_programme(programme_id)
        self.delivery_model.set_programme(programme_id)
        self._refresh_heading()
        self.refresh_dashboard()

    def _show_dates(self, programme: dict[str, Any] | None) -> None:
        for widget, key in ((self.start_date, "start_date"), (self.end_date, "end_date")):
            widget.blockSignals(True)
            value = QDate.fromString(programme[key], "yyyy-MM-dd") if programme and programme[key] else QDate()
            widget.setDate(value if value.isValid() else QDate.currentDate())
            widget.setEnabled(programme is not None)
            widget.blockSignals(False)

    def _refresh_heading(self) -> None:
        if self._programme_id is None:
            self.heading.setText("No programme open")
            self.subheading.setText("Create a programme with File ▸ New programme.")
            return
        programme = self._store.programme(self._programme_id)
        participants = self.participants_model.rowCount()
        team = self.delivery_model.rowCount()
        self.heading.setText(programme.name)
        self.subheading.setText(f"{programme.system_name} · {participants} participants · {team} in the delivery team")

    def _save_dates(self) -> None:
        if self._programme_id is None:
            return
        changes: list[edits.Edit] = []
        for widget, key in ((self.start_date, "start_date"), (self.end_date, "end_date")):
            value = widget.date().toString("yyyy-MM-dd")
            changes.append(edits.set_field(self._store, "programmes", self._programme_id, key, value, key))
        self._runner.run(edits.Batch("programme dates", changes))

    def refresh_dashboard(self) -> None:
        self.dashboard.show_dashboard(dashboard(self._store, self._programme_id) if self._programme_id else None)

    def _tables_changed(self, tables: set[str]) -> None:
        if tables & DASHBOARD_TABLES:
            self.refresh_dashboard()
        if self._programme_id and "programmes" in tables:
            self._show_dates(self._store.programme_record(self._programme_id))
            self._refresh_heading()
            self.programme_renamed.emit()
        if "systems" in tables:
            self._refresh_heading()

    def _after_save(self, table: str, field: str) -> None:
        if field == "name":
            self._refresh_heading()
            self.programme_renamed.emit()

    def unsaved(self) -> list[str]:
        return self.saver.unsaved()

    def flush(self) -> None:
        self.saver.flush()
