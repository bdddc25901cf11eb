"""The plan of one workshop: title, date and time, venue, status, areas of focus, attendees and agenda.

Text is saved as it is typed (after a short pause, on leaving the field, and on flush); check boxes,
the status and the date are saved at once. Every change is an undoable edit.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTime, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.errors import NotFoundError
from ics_desktop.planning import workshops as ws
from ics_desktop.storage.records import WorkshopRecord
from ui.autosave import SAVE_DELAY_MS, AutoSaver, lines_to_list
from ui.fit import wrap
from ui.models.workshops_model import STATUS_LABELS, CheckListModel
from ui.undo import EditRunner

STORED_FORMAT = "yyyy-MM-ddTHH:mm"
AUTOSAVED = ("title", "venue", "agenda")  # the text fields the AutoSaver owns


def _text_box(lines: int, name: str, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 14)
    return box


def _check_list(name: str, model: CheckListModel, rows: int) -> QListView:
    view = QListView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setMinimumHeight(view.fontMetrics().lineSpacing() * rows + 16)
    return view


class PlanEditor(QWidget):
    """Edits one workshop's plan; `set_workshop` chooses which (None disables everything)."""

    title_saved = Signal()

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._workshop_id: str | None = None
        self._programme_id: str | None = None
        self._loading = False
        runner.changed.connect(self._tables_changed)
        self.saver = AutoSaver(runner, self, after_save=self._after_save)

        self.title = QLineEdit()
        self.title.setAccessibleName("Workshop title")
        self.title.setPlaceholderText("e.g. System governance and leadership")
        self.when = QDateTimeEdit()
        self.when.setAccessibleName("Workshop date and time")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("ddd d MMM yyyy   HH:mm")
        self.when.setMinimumWidth(220)
        self.when.dateTimeChanged.connect(self._when_edited)
        self.when.editingFinished.connect(self._save_when)
        self._when_timer = QTimer(self)
        self._when_timer.setSingleShot(True)
        self._when_timer.setInterval(SAVE_DELAY_MS)
        self._when_timer.timeout.connect(self._save_when)
        self._when_dirty = False
        self.venue = QLineEdit()
        self.venue.setAccessibleName("Venue")
        self.venue.setPlaceholderText("e.g. Engine Shed, Bristol")
        self.status = QComboBox()
        self.status.setAccessibleName("Workshop status")
        for key in ws.STATUSES:
            self.status.addItem(STATUS_LABELS[key], key)
        self.status.activated.connect(self._save_status)

        self.areas_model = CheckListModel(self)
        self.areas_model.toggled.connect(self._area_toggled)
        self.areas = _check_list("Areas of focus", self.areas_model, 7)
        self.areas.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.areas.setMaximumHeight(self.areas.minimumHeight())
        self.people_model = CheckListModel(self)
        self.people_model.toggled.connect(self._person_toggled)
        self.people = _check_list("Attendees", self.people_model, 8)
        self.guests = _text_box(3, "Guests, one per line", "Guests, one per line")
        self.guests.textChanged.connect(self._guests_edited)
        self._guests_timer = QTimer(self)
        self._guests_timer.setSingleShot(True)
        self._guests_timer.setInterval(SAVE_DELAY_MS)
        self._guests_timer.timeout.connect(self._save_guests)
        self._guests_dirty = False
        self.agenda = _text_box(6, "Agenda topics, one per line", "One topic per line")
        self.agenda.setMinimumHeight(self.agenda.height())
        self.agenda.setMaximumHeight(16777215)  # grows with the page; at least six lines

        bound: tuple[QLineEdit | QPlainTextEdit, ...] = (self.title, self.venue, self.agenda)
        for widget, field_name in zip(bound, AUTOSAVED, strict=True):
            self.saver.bind(widget, "workshops", field_name, ws.PLAN_FIELDS[field_name], as_list=field_name == "agenda")

        details = QGroupBox("Workshop")
        form = QFormLayout(details)
        form.addRow("&Title", self.title)
        when_label = QLabel("&When")
        when_label.setBuddy(self.when)
        status_label = QLabel("&Status")
        status_label.setBuddy(self.status)
        when_row = QHBoxLayout()
        when_row.addWidget(self.when)
        when_row.addSpacing(16)
        when_row.addWidget(status_label)
        when_row.addWidget(self.status)
        when_row.addStretch(1)
        form.addRow(when_label, when_row)
        form.addRow("&Venue", self.venue)

        areas_box = QGroupBox("Areas of focus")
        areas_layout = QVBoxLayout(areas_box)
        areas_layout.addWidget(self.areas)
        self.areas_note = QLabel()
        self.areas_note.setObjectName("pageNote")
        wrap(self.areas_note)
        self.areas_note.setWordWrap(True)
        areas_layout.addWidget(self.areas_note)
        agenda_box = QGroupBox("Agenda")
        agenda_layout = QVBoxLayout(agenda_box)
        agenda_layout.addWidget(self.agenda)
        people_box = QGroupBox("Attendees")
        people_layout = QVBoxLayout(people_box)
        people_layout.addWidget(self.people, 1)
        guests_label = QLabel("&Guests (one per line):")
        guests_label.setBuddy(self.guests)
        people_layout.addWidget(guests_label)
        people_layout.addWidget(self.guests)
        left = QVBoxLayout()
        left.addWidget(areas_box)
        left.addWidget(agenda_box, 1)
        lists = QHBoxLayout()
        lists.addLayout(left, 1)
        lists.addWidget(people_box, 1)

        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.addWidget(details)
        layout.addLayout(lists, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.set_workshop(None, None)

    # -- loading ------------------------------------------------------------------------------

    @property
    def workshop_id(self) -> str | None:
        return self._workshop_id

    def set_workshop(self, programme_id: str | None, workshop_id: str | None) -> None:
        self.flush()  # before load() flushes: a deleted workshop's typing is dropped here, not raised there
        self._programme_id = programme_id
        self._workshop_id = workshop_id
        record = ws.workshop(self._store, workshop_id) if workshop_id else None
        self.saver.load({"workshops": record})
        self._show(record, guests_too=True)

    def _show(self, record: WorkshopRecord | None, *, guests_too: bool) -> None:
        """Show the fields the AutoSaver does not own."""
        self._loading = True
        try:
            has = record is not None
            for widget in (self.when, self.status, self.areas, self.people, self.guests):
                widget.setEnabled(has)
            if self._when_dirty:
                pass  # the user is changing the date; keep what they see
            elif record and record["starts_at"]:
                moment = QDateTime.fromString(record["starts_at"][:16], STORED_FORMAT)
                self.when.setDateTime(moment if moment.isValid() else QDateTime.currentDateTime())
            else:
                self.when.setDateTime(QDateTime(QDate.currentDate(), QTime(9, 30)))
            self.status.setCurrentIndex(max(0, self.status.findData(record["status"] if record else "planned")))
            areas = self._store.areas_of_focus(self._programme_id) if self._programme_id else []
            self.areas_model.set_items(
                [(a["id"], ws.area_label(a), a["narrative"]) for a in areas], set(record["areas"]) if record else set()
            )
            self.areas_note.setText(
                "" if areas or record is None else "This programme has no areas of focus yet (see Areas of focus)."
            )
            self.areas_note.setVisible(bool(self.areas_note.text()))
            people = self._store.people(self._programme_id) if self._programme_id else []  # participants first
            person_ids, guests = ws.split_attendees(list(record["attendees"])) if record else ([], [])
            self.people_model.set_items(
                [
                    (
                        p.id,
                        (p.name or "Unnamed") + (" (delivery team)" if p.kind == "delivery" else ""),
                        " — ".join(x for x in (p.role, p.organisation) if x),
                    )
                    for p in people
                ],
                set(person_ids),
            )
            if guests_too and not self._guests_dirty:
                shown = "\n".join(guests)
                if shown != self.guests.toPlainText():
                    self.guests.setPlainText(shown)
        finally:
            self._loading = False

    def _tables_changed(self, tables: set[str]) -> None:
        if self._workshop_id is None or not tables & {"workshops", "people", "areas_of_focus"}:
            return
        if not ws.workshop_exists(self._store, self._workshop_id):
            return  # the page moves to another workshop
        self._show(ws.workshop(self._store, self._workshop_id), guests_too=True)

    # -- saving -------------------------------------------------------------------------------

    def _run_field(self, field_name: str, value: Any) -> None:
        if self._workshop_id is None or not ws.workshop_exists(self._store, self._workshop_id):
            return
        current: Mapping[str, Any] = ws.workshop(self._store, self._workshop_id)
        if current[field_name] == value:
            return
        self._runner.run(ws.set_plan_field(self._store, self._workshop_id, field_name, value))

    def _when_edited(self) -> None:
        if not self._loading and self._workshop_id:
            self._when_dirty = True
            self._when_timer.start()

    def _save_when(self) -> None:
        self._when_timer.stop()
        if not self._when_dirty:
            return
        self._when_dirty = False
        self._run_field("starts_at", self.when.dateTime().toString(STORED_FORMAT))

    def _save_status(self, _index: int) -> None:
        self._run_field("status", self.status.currentData())

    def _area_toggled(self, area_id: str, checked: bool) -> None:
        if self._workshop_id is None:
            return
        current = list(ws.workshop(self._store, self._workshop_id)["areas"])
        if checked and area_id not in current:
            # Keep the programme's order of areas, whatever order they were ticked in.
            order = self.areas_model.keys()
            current = sorted([*current, area_id], key=lambda a: order.index(a) if a in order else len(order))
        elif not checked:
            current = [a for a in current if a != area_id]
        self._run_field("areas", current)

    def _attendees(self, person_ids: list[str]) -> list[str]:
        """The attendee list to store: ticked people (and any no longer listed), then the guests typed."""
        stored = ws.workshop(self._store, self._workshop_id or "")["attendees"]
        known = set(self.people_model.keys())
        kept = [a for a in ws.split_attendees(list(stored))[0] if a not in known]
        return ws.join_attendees(person_ids + kept, lines_to_list(self.guests.toPlainText()))

    def _person_toggled(self, person_id: str, checked: bool) -> None:
        if self._workshop_id is None:
            return
        ticked = [p for p in self.people_model.checked_keys() if p != person_id]
        if checked:
            ticked.append(person_id)
        order = self.people_model.keys()
        ticked.sort(key=order.index)
        self._guests_timer.stop()
        self._guests_dirty = False  # the guests typed so far are saved with this change
        self._run_field("attendees", self._attendees(ticked))

    def _guests_edited(self) -> None:
        if not self._loading and self._workshop_id:
            self._guests_dirty = True
            self._guests_timer.start()

    def _save_guests(self) -> None:
        self._guests_timer.stop()
        if not self._guests_dirty or self._workshop_id is None:
            return
        self._guests_dirty = False
        if not ws.workshop_exists(self._store, self._workshop_id):
            return  # its creation was undone while guests were being typed
        self._run_field("attendees", self._attendees(self.people_model.checked_keys()))

    def _after_save(self, _table: str, field_name: str) -> None:
        if field_name == "title":
            self.title_saved.emit()

    def flush(self) -> None:
        """Save anything typed but not yet saved."""
        if self._workshop_id is not None and not ws.workshop_exists(self._store, self._workshop_id):
            # Its creation was undone while it was being typed into: nothing left to save it to.
            for _attempt in range(len(AUTOSAVED) + 1):
                try:
                    self.saver.flush()
                    break
                except NotFoundError:
                    continue  # each binding clears its pending text before it fails
        else:
            self.saver.flush()
        self._save_when()
        self._save_guests()
