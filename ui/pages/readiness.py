"""Readiness: scoring rounds (assessments), four ways to enter scores, results, charts, presentation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSettings, QSortFilterProxyModel, QStringListModel, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QCompleter,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.dates import day_text
from ics_desktop.errors import UserFacingError
from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.scoring import MINIMUM_GROUP
from ics_desktop.frameworks.scoring_people import unscored_participants
from ics_desktop.limits import NAME
from ui.fit import shrink, wrap
from ui.models import results_model as rm
from ui.models.grid_model import ResponseGridModel
from ui.models.results_model import ResultsModel
from ui.models.tally_model import TallyModel
from ui.pages.base import Page
from ui.readiness.grid_view import ScoreGridView
from ui.readiness.screens import has_remembered_screen, presentation_screens
from ui.undo import EditRunner
from ui.widgets.chart_canvas import ChartCanvas

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from ui.readiness.live_vote import LiveRoundWindow, RoundChoice
    from ui.readiness.presentation import PresentationWindow

RESULTS_TAB, GRID_TAB, TALLY_TAB, CHARTS_TAB = range(4)  # in the order the tabs are added
SUGGESTED_NAMES = ["Expression of interest", "Scoping readiness exercise", "End of programme", "Follow-up"]


def _question_picker(with_all: bool) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName("Question")
    if with_all:
        combo.addItem("All three questions", None)
    return combo


class ReadinessPage(Page):
    """Everything about the programme readiness exercise, one assessment at a time."""

    title = "Readiness"

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        runner.changed.connect(self._tables_changed)
        self._programme_id: str | None = None
        self._assessment_id: str | None = None
        self._windows: list[QWidget] = []

        self.heading = QLabel("Readiness")
        self.heading.setObjectName("pageHeading")
        wrap(self.heading)
        self.assessment = QComboBox()
        self.assessment.setAccessibleName("Assessment")
        # Long round names are elided (the list shows them whole): the row fits a 1366-pixel laptop.
        self.assessment.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.assessment.setMinimumContentsLength(22)
        self.assessment.currentIndexChanged.connect(self._assessment_changed)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMM yyyy")
        self.date.setAccessibleName("Assessment date")
        self.date.dateChanged.connect(self._save_date)
        self.new_button = QPushButton("New…")
        self.rename_button = QPushButton("Rename…")
        self.delete_button = QPushButton("Delete…")
        self.import_button = QPushButton("Import CSV…")
        self.private_button = QPushButton("Private entry")
        self.live_button = QPushButton("Live voting…")
        self.live_button.setToolTip("Participants score from their own phones through this laptop (no internet)")
        self.present_button = QPushButton("Present")
        self.present_button.setToolTip(
            "Full-screen presentation for the projector (F5); G records the group's agreement. With a second "
            "screen the slides go there and the agreement stays on this one (Ctrl+F5 chooses the screen)"
        )
        self.private_button.setToolTip("Pass the laptop: one person at a time, anonymous, full screen")
        for button, slot in (
            (self.new_button, self.new_assessment),
            (self.rename_button, self.rename_assessment),
            (self.delete_button, self.delete_assessment),
            (self.import_button, self.import_csv),
            (self.private_button, self.open_private_entry),
            (self.live_button, self.open_live_vote),
            (self.present_button, lambda: self.open_presentation()),
        ):
            button.clicked.connect(slot)
        QShortcut(QKeySequence("F5"), self, self.open_presentation)
        QShortcut(QKeySequence("Ctrl+F5"), self, lambda: self.open_presentation(choose_screen=True))

        top = QHBoxLayout()
        top.addWidget(QLabel("Assessment:"))
        top.addWidget(self.assessment)
        top.addWidget(self.date)
        for button in (self.new_button, self.rename_button, self.delete_button):
            top.addWidget(button)
        top.addStretch(1)
        for button in (self.import_button, self.live_button, self.private_button, self.present_button):
            top.addWidget(button)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setObjectName("pageNote")
        wrap(self.notes)

        self.tabs = QTabWidget()
        # Added in the order of RESULTS_TAB, GRID_TAB, TALLY_TAB, CHARTS_TAB.
        self.tabs.addTab(self._build_results_tab(), "Results")
        self.tabs.addTab(self._build_grid_tab(), "Grid")
        self.tabs.addTab(self._build_tally_tab(), "Tally")
        self.tabs.addTab(self._build_charts_tab(), "Charts")
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.notes)
        layout.addWidget(self.tabs, 1)

    # -- tabs --------------------------------------------------------------------------------

    def _build_results_tab(self) -> QWidget:
        self.results_model = ResultsModel(self._runner, self)
        self.results_proxy = QSortFilterProxyModel(self)
        self.results_proxy.setSourceModel(self.results_model)
        self.results_proxy.setSortRole(rm.SORT_ROLE)
        self.results_view = QTableView()
        self.results_view.setModel(self.results_proxy)
        self.results_view.setAccessibleName("Results")
        self.results_view.setSortingEnabled(True)
        self.results_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.results_view.setAlternatingRowColors(True)
        self.results_view.setWordWrap(True)
        self.results_view.verticalHeader().setVisible(False)
        self.results_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.results_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(rm.JUSTIFICATION, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        for column, width in rm.COLUMN_WIDTHS.items():
            self.results_view.setColumnWidth(column, width)
        self.results_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        self.overall = QLabel()
        self.overall.setObjectName("overallScores")
        self.overall.setTextFormat(Qt.TextFormat.RichText)
        self.prompts = QLabel()
        self.prompts.setWordWrap(True)
        self.prompts.setTextFormat(Qt.TextFormat.RichText)
        self.prompts.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.fill_change_button = QPushButton("Fill change from previous round")
        self.fill_change_button.setToolTip(
            "Set each change not yet entered from the previous assessment's agreed current "
            "(changes typed or left blank are kept; Ctrl+Z undoes it)"
        )
        self.fill_change_button.clicked.connect(self.results_model.fill_change)
        self.focus_areas_button = QPushButton("Create areas of focus…")
        self.focus_areas_button.setToolTip(
            "Create areas of focus from the capabilities marked as focus (ticked for you; Ctrl+Z undoes it)"
        )
        self.focus_areas_button.clicked.connect(self.create_areas_from_focus)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.fill_change_button)
        side_layout.addWidget(self.focus_areas_button)
        side_layout.addWidget(self.overall)
        side_layout.addWidget(self.prompts, 1)
        side.setMinimumWidth(240)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.results_view)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setSizes([1000, 260])
        return split

    def _build_grid_tab(self) -> QWidget:
        self.grid_model = ResponseGridModel(self._runner, self)
        self.grid_view = ScoreGridView()
        self.grid_view.setModel(self.grid_model)
        self.grid_view.add_requested.connect(lambda: self.add_participant(""))
        self.grid_view.end_reached.connect(self._grid_end_reached)
        self.grid_question = _question_picker(with_all=True)
        self.grid_question.currentIndexChanged.connect(
            lambda _i: self.grid_model.set_question(self.grid_question.currentData())
        )
        self._picked, self._add_pending = "", False
        self.new_participant = QLineEdit()
        self.new_participant.setPlaceholderText("Name (the programme's participants are offered), or blank for a code")
        self.new_participant.setAccessibleName("New participant")
        self.new_participant.setMaxLength(NAME)
        self.new_participant.returnPressed.connect(self._add_typed_soon)
        # The programme's participants not yet scoring this round, offered as the name is typed (any part of it).
        self.participant_names = QStringListModel(self)
        completer = QCompleter(self.participant_names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._participant_picked)
        self.new_participant.setCompleter(completer)
        add = QPushButton("Add participant")
        add.clicked.connect(lambda: self.add_participant(self.new_participant.text()))
        self.add_all_button = QPushButton("Add all participants")
        self.add_all_button.setToolTip(
            "Every participant of the programme not yet scoring this assessment (Ctrl+Z undoes)"
        )
        self.add_all_button.clicked.connect(self.add_all_participants)
        hint = QLabel(
            "Type 1–4, ? for don't know, 0 or Delete to blank; arrows and Tab move; Insert adds a participant."
        )
        hint.setObjectName("pageNote")
        wrap(hint)
        row = QHBoxLayout()
        row.addWidget(QLabel("Question:"))
        row.addWidget(self.grid_question)
        row.addSpacing(16)
        row.addWidget(self.new_participant, 1)
        row.addWidget(add)
        row.addWidget(self.add_all_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(hint)
        layout.addWidget(self.grid_view, 1)
        return tab

    def _build_tally_tab(self) -> QWidget:
        self.tally_model = TallyModel(self._runner, self)
        self.tally_view = QTableView()
        self.tally_view.setModel(self.tally_model)
        self.tally_view.setAccessibleName("Tally")
        self.tally_view.setAlternatingRowColors(True)
        self.tally_view.setTabKeyNavigation(True)
        self.tally_view.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tally_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.tally_question = _question_picker(with_all=True)
        self.tally_question.currentIndexChanged.connect(self._reload_tally)
        row = QHBoxLayout()
        row.addWidget(QLabel("Question:"))
        row.addWidget(self.tally_question)
        row.addSpacing(16)
        hint = QLabel("Count the dots or hands at each level and type the number (for a round counted by hand).")
        hint.setObjectName("pageNote")
        shrink(hint)
        row.addWidget(hint, 1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(row)
        layout.addWidget(self.tally_view, 1)
        return tab

    def _build_charts_tab(self) -> QWidget:
        from ics_desktop.charts import CHARTS

        self.chart_list = QListWidget()
        self.chart_list.setAccessibleName("Charts")
        self.chart_list.setMaximumWidth(300)
        self.chart_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.chart_list.setWordWrap(True)
        for key, title in CHARTS.items():
            self.chart_list.addItem(title)
            self.chart_list.item(self.chart_list.count() - 1).setData(Qt.ItemDataRole.UserRole, key)
        self.chart_list.currentRowChanged.connect(lambda _row: self.refresh_chart())
        self.chart_question = _question_picker(with_all=False)
        self.chart_question.currentIndexChanged.connect(lambda _i: self.refresh_chart())
        self.chart = ChartCanvas()
        self.chart.setAccessibleName("Chart")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.chart_list, 1)
        left_layout.addWidget(QLabel("Question for single-question charts:"))
        left_layout.addWidget(self.chart_question)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.chart)
        split.setStretchFactor(1, 1)
        split.setSizes([290, 1000])
        self.chart_list.setCurrentRow(0)
        return split

    # -- programme and assessment ---------------------------------------------------------------

    def set_programme(self, programme_id: str | None, select: str | None = None) -> None:
        self._programme_id = programme_id
        self.assessment.blockSignals(True)
        self.assessment.clear()
        for a in self._store.assessments(programme_id) if programme_id else []:
            shown = f"{a.name} ({day_text(a.date)})" if a.date else a.name
            self.assessment.addItem(shown, a.id)
        index = self.assessment.findData(select) if select else self.assessment.count() - 1
        self.assessment.setCurrentIndex(max(index, 0) if self.assessment.count() else -1)
        self.assessment.blockSignals(False)
        has_programme = programme_id is not None
        self.new_button.setEnabled(has_programme)
        self.live_button.setEnabled(has_programme)
        self.show_assessment(self.assessment.currentData())

    def _assessment_changed(self, _index: int) -> None:
        self.show_assessment(self.assessment.currentData())

    def show_assessment(self, assessment_id: str | None) -> None:
        self._assessment_id = assessment_id
        has = assessment_id is not None
        for widget in (self.rename_button, self.delete_button, self.import_button, self.private_button,
                       self.present_button, self.date, self.tabs):  # fmt: skip
            widget.setEnabled(has)
        self.date.blockSignals(True)
        if has:
            record = self._store.get("assessments", assessment_id or "")
            value = QDate.fromString(record["date"] or "", "yyyy-MM-dd")
            self.date.setDate(value if value.isValid() else QDate.currentDate())
            self.notes.setText(record["notes"] or "")
        else:
            self.notes.setText(
                "No assessment yet: create one with New… to start scoring." if self._programme_id else ""
            )
        self.date.blockSignals(False)
        self._reload_questions()
        self.results_model.set_assessment(assessment_id)
        earlier = rounds.previous_assessment(self._store, assessment_id) if assessment_id else None
        self.fill_change_button.setEnabled(earlier is not None)  # the first round has nothing to compare with
        self.grid_model.set_assessment(assessment_id, self.grid_question.currentData())
        self._refresh_participant_names()
        self._reload_tally()
        self._refresh_summary()
        self.refresh_chart()

    def _reload_questions(self) -> None:
        framework = self.results_model.framework if self._assessment_id else None
        if self._assessment_id:
            record = self._store.get("assessments", self._assessment_id)
            framework = self._store.framework(record["framework_id"])
        for combo, with_all in ((self.grid_question, True), (self.tally_question, True), (self.chart_question, False)):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            if with_all:
                combo.addItem("All three questions", None)
            for q in framework.questions if framework else ():
                combo.addItem(q.label, q.key)
            found = combo.findData(current)
            combo.setCurrentIndex(found if found >= 0 else 0)
            combo.blockSignals(False)

    def _reload_tally(self) -> None:
        self.tally_model.set_assessment(self._assessment_id, self.tally_question.currentData())

    def _tab_changed(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.tally_view.parentWidget():
            self._reload_tally()
        self.refresh_chart()

    def _save_date(self) -> None:
        if not self._assessment_id:
            return
        day = self.date.date().toString("yyyy-MM-dd")
        if not self._runner.run(rounds.set_assessment_date(self._store, self._assessment_id, day)):
            self._show_stored_date()  # refused (a full disk …): show what the file holds

    def _show_stored_date(self) -> None:
        record = self._store.get("assessments", self._assessment_id or "")
        value = QDate.fromString(record["date"] or "", "yyyy-MM-dd")
        self.date.blockSignals(True)
        self.date.setDate(value if value.isValid() else QDate.currentDate())
        self.date.blockSignals(False)

    def new_assessment(self) -> None:
        if not self._programme_id:
            return
        taken = {a.name for a in self._store.assessments(self._programme_id)}
        suggestions = [n for n in SUGGESTED_NAMES if n not in taken] or ["Follow-up"]
        name, ok = QInputDialog.getItem(self, "New assessment", "Name of the scoring round:", suggestions, 0, True)
        if not ok:
            return
        try:
            edit = rounds.new_assessment(self._store, self._programme_id, name, date.today().isoformat())
        except UserFacingError as exc:
            QMessageBox.warning(self, "New assessment", str(exc))
            return
        if self._runner.run(edit):
            self.set_programme(self._programme_id, select=edit.record_id)

    def rename_assessment(self) -> None:
        if not self._assessment_id or not self._programme_id:
            return
        record = self._store.get("assessments", self._assessment_id)
        name, ok = QInputDialog.getText(self, "Rename assessment", "New name:", text=record["name"])
        if not ok or not name.strip() or name.strip() == record["name"]:
            return
        try:
            edit = rounds.rename_assessment(self._store, self._assessment_id, name)
        except UserFacingError as exc:
            QMessageBox.warning(self, "Rename assessment", str(exc))
            return
        self._runner.run(edit)  # the page follows through `changed`

    def delete_assessment(self) -> None:
        if not self._assessment_id or not self._programme_id:
            return
        record = self._store.get("assessments", self._assessment_id)
        responses = len(self._store.responses(self._assessment_id))
        answer = QMessageBox.question(
            self,
            "Delete assessment",
            f"Delete '{record['name']}' with its {responses} responses and agreed results?\n\n"
            "Undo (Ctrl+Z) brings it back.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._runner.run(rounds.remove_assessment(self._store, self._assessment_id)):
            self.set_programme(self._programme_id)

    # -- entry ---------------------------------------------------------------------------------

    def _grid_end_reached(self) -> None:
        self.saved.emit(
            "That was the last score of the last participant: nothing after it is changed. "
            "Insert (or Add participant) adds another; arrows move back."
        )

    def add_participant(self, label: str) -> None:
        try:
            row = self.grid_model.add_respondent(label)
        except UserFacingError as exc:
            self.saved.emit(f"Not added: {exc}")
            return
        if row >= 0:
            # Cleared after the completer has finished with the text it just put there.
            QTimer.singleShot(0, self.new_participant.clear)
            self.grid_view.setFocus()
            self.grid_view.setCurrentIndex(self.grid_model.index(row, 0))

    def _participant_picked(self, name: str) -> None:
        self._picked = name
        self._add_typed_soon()

    def _add_typed_soon(self) -> None:
        # Enter in the completer's list sends the typed text (returnPressed) and then the name picked
        # (activated): add once, after both, and prefer the name picked. Without the list: at once.
        popup = self.new_participant.completer().popup()
        if not self._picked and not self._add_pending and not (popup is not None and popup.isVisible()):
            self.add_participant(self.new_participant.text())
            return
        if not self._add_pending:
            self._add_pending = True
            QTimer.singleShot(0, self._add_typed)

    def _add_typed(self) -> None:
        self._add_pending = False
        name, self._picked = self._picked or self.new_participant.text(), ""
        self.add_participant(name)

    def add_all_participants(self) -> int:
        try:
            added = self.grid_model.add_all_participants()
        except UserFacingError as exc:
            self.saved.emit(f"Not added: {exc}")
            return 0
        if added:
            self.grid_view.setFocus()
            self.grid_view.setCurrentIndex(self.grid_model.index(0, 0))
        return added

    def _refresh_participant_names(self) -> None:
        """What the name box offers and what 'Add all' adds: participants not yet scoring this round."""
        people = unscored_participants(self._store, self._assessment_id) if self._assessment_id else []
        self.participant_names.setStringList([p.name.strip() for p in people])
        self.add_all_button.setText(f"Add all participants ({len(people)})" if people else "Add all participants")
        self.add_all_button.setEnabled(bool(people))

    def import_csv(self) -> None:
        if not self._assessment_id:
            return
        from ics_desktop.frameworks.csv_import import CsvImportError, import_responses, parse_responses_bytes

        filename, _ = QFileDialog.getOpenFileName(
            self, "Import responses", "", "CSV files (*.csv *.txt);;All files (*)"
        )
        if not filename:
            return
        record = self._store.get("assessments", self._assessment_id)
        framework = self._store.framework(record["framework_id"])
        try:
            parsed = parse_responses_bytes(Path(filename).read_bytes(), framework)
        except CsvImportError as exc:
            QMessageBox.warning(self, "Import responses", str(exc))
            return
        except OSError as exc:
            QMessageBox.warning(self, "Import responses", f"Cannot read {filename}: {exc.strerror or exc}")
            return
        assessment_id = self._assessment_id
        report = self._runner.write(
            f"responses imported from {Path(filename).name}",
            {"respondents", "responses"},
            lambda: import_responses(self._store, assessment_id, parsed),
        )
        if report is None:
            QMessageBox.warning(self, "Import responses", f"Nothing was imported.\n\n{self._runner.last_refusal}")
            return
        self.grid_model.set_assessment(self._assessment_id, self.grid_question.currentData())
        self.saved.emit(
            f"Imported {report.responses} responses ({report.participants_added} new participants, "
            f"{report.participants_updated} updated) from {Path(filename).name}"
        )

    def open_private_entry(self) -> None:
        if not self._assessment_id:
            return
        from ui.readiness.private_entry import PrivateEntryWindow

        window = PrivateEntryWindow(self._runner, self._assessment_id)
        window.saved.connect(self.saved)
        window.closed.connect(self._after_private_entry)
        self._windows.append(window)
        window.start()
        self.saved.emit(f"Private entry: the facilitator's stop code is {window.leave_code} (Esc, then the code)")

    def _forget_closed_windows(self) -> None:
        """Let Qt delete full-screen windows that have closed, here on the GUI thread and at once.

        Otherwise a closed window (slides, charts and all) waits for Python's rare full garbage
        collection, which can also run on an export's worker thread: no place to delete widgets.
        """
        closed = [w for w in self._windows if not w.isVisible()]
        self._windows = [w for w in self._windows if w.isVisible()]
        for window in closed:
            window.deleteLater()

    def _after_private_entry(self) -> None:
        self._forget_closed_windows()
        self.grid_model.set_assessment(self._assessment_id, self.grid_question.currentData())
        self._responses_changed()

    # -- live voting ----------------------------------------------------------------------------

    def open_live_vote(self) -> LiveRoundWindow | None:
        """Ask how to run a live round, then start it (the join slide goes full screen)."""
        if not self._programme_id:
            return None
        from ui.readiness.live_vote import LiveVoteDialog

        framework = self._store.programme_framework(self._programme_id)
        dialog = LiveVoteDialog(self._store, self._programme_id, framework, self._assessment_id, self)
        if dialog.exec() != LiveVoteDialog.DialogCode.Accepted:
            return None
        return self.start_live_vote(dialog.choice())

    def start_live_vote(self, choice: RoundChoice) -> LiveRoundWindow | None:
        """Start a round as chosen; its answers reload this page as they arrive. None if it cannot start."""
        from ui.readiness.live_vote import LiveRoundWindow, start_round

        if not self._programme_id:
            return None
        assessment_id = choice.assessment_id
        if assessment_id is None:
            try:
                edit = rounds.new_assessment(self._store, self._programme_id, choice.new_name, date.today().isoformat())
            except UserFacingError as exc:
                QMessageBox.warning(self, "Live voting", str(exc))
                return None
            if not self._runner.run(edit):
                return None
            assessment_id = edit.record_id
        self.set_programme(self._programme_id, select=assessment_id)
        try:
            live, capabilities = start_round(self._store, choice, assessment_id)
        except UserFacingError as exc:
            QMessageBox.warning(self, "Live voting", f"The round could not start.\n\n{exc}")
            return None
        window = LiveRoundWindow(live, choice, capabilities)
        live.on_change = window.on_change
        window.answers_arrived.connect(self._live_answers_arrived)
        window.present_requested.connect(self.open_presentation)
        window.finished.connect(self._forget_closed_windows)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(window.stop_round)
        self._windows.append(window)
        window.resize(900, 640)
        window.show()
        window.show_join_slide()
        self.saved.emit(f"Live voting is open at {live.join_url}")
        return window

    def _live_answers_arrived(self) -> None:
        # Written by the round's own connection: views reload as after any edit (and backups follow).
        self._runner.changed.emit({"respondents", "responses"})

    def current_assessment_id(self) -> str | None:
        return self._assessment_id

    def open_presentation(self, choose_screen: bool = False) -> PresentationWindow | None:
        """F5: present on the remembered screen (asked when there are two screens and none is remembered);
        Ctrl+F5 asks again."""
        if not self._assessment_id:
            return None
        remembered = str(QSettings().value("presentation/screen", "") or "")
        ask = len(QGuiApplication.screens()) > 1 and (choose_screen or not has_remembered_screen(remembered))
        if ask and not self.choose_presentation_screen():
            return None
        from ui.readiness.presentation import PresentationWindow

        # Fewer answers than this to a question are not shown to the room (a setting; 3 unless changed).
        settings = QSettings()
        minimum = settings.value("presentation/minimum_group", MINIMUM_GROUP, int)
        slides_screen, console_screen = presentation_screens(str(settings.value("presentation/screen", "") or ""))
        window = PresentationWindow(
            self._store,
            self._assessment_id,
            minimum_group=max(1, minimum if isinstance(minimum, int) else 3),
            runner=self._runner,
            console_screen=console_screen,
        )
        if slides_screen is not None:
            window.setScreen(slides_screen)
            window.move(slides_screen.geometry().topLeft())
        window.closed.connect(self._forget_closed_windows)
        self._windows.append(window)
        window.start()
        return window

    def choose_presentation_screen(self) -> bool:
        """With more than one screen: which one shows the slides (remembered; the other keeps the agreement)."""
        screens = QGuiApplication.screens()
        names = [f"{s.name()} ({s.size().width()}×{s.size().height()})" for s in screens]
        remembered = str(QSettings().value("presentation/screen", "") or "")
        current = next((i for i, s in enumerate(screens) if s.name() == remembered), min(1, len(screens) - 1))
        choice, ok = QInputDialog.getItem(
            self, "Presentation screen", "Show the slides on (the agreement stays on the other):", names, current, False
        )
        if ok:
            QSettings().setValue("presentation/screen", screens[names.index(choice)].name())
        return ok

    def create_areas_from_focus(self) -> None:
        if not self._assessment_id:
            return
        from ui.readiness.focus_areas_dialog import FocusAreasDialog

        dialog = FocusAreasDialog(self._runner, self._assessment_id, self)
        if dialog.exec() and dialog.created:
            self.saved.emit(f"{dialog.created} new area(s) of focus: see the Areas page to reword and plan them")

    # -- results ------------------------------------------------------------------------------

    def _tables_changed(self, tables: set[str]) -> None:
        """Follow any edit, undo or redo: reload what it touched."""
        if not self._assessment_id:
            return
        if "assessments" in tables:
            # Stay on the round shown; one that has just appeared (new, or back by undo) is shown instead.
            shown = {self.assessment.itemData(i) for i in range(self.assessment.count())}
            here = [a.id for a in self._store.assessments(self._programme_id)] if self._programme_id else []
            appeared = [a for a in here if a not in shown]
            select = appeared[0] if len(appeared) == 1 else self._assessment_id if self._assessment_id in here else None
            self.set_programme(self._programme_id, select=select)
            return
        if tables & {"responses", "respondents", "people"}:
            self._refresh_participant_names()
        if tables & {"responses", "respondents"}:
            self.grid_model.reload_scores()
            self.tally_model.reload_counts()
            self._responses_changed()
        if "capability_results" in tables:
            self.results_model.reload_agreed()
            self._refresh_summary()
            self.refresh_chart()

    def _responses_changed(self) -> None:
        self.results_model.refresh_scores()
        self._refresh_summary()
        self.refresh_chart()

    def _refresh_summary(self) -> None:
        results, framework = self.results_model.results, self.results_model.framework
        if not results or not framework:
            self.overall.setText("")
            self.prompts.setText("")
            return
        respondents = self._store.respondent_count(self._assessment_id or "")
        parts = []
        for q in framework.questions:
            value = results.overall(q.key)
            shown = "—" if value is None else f"{value:.1f}"
            parts.append(f"<tr><td>{escape(q.label)}</td><td align='right'><b>{shown}</b></td></tr>")
        heading = f"<p style='font-size:12pt'><b>Overall</b> ({respondents} respondents)</p>"
        self.overall.setText(f"{heading}<table cellspacing='4'>{''.join(parts)}</table>")
        spreads, gaps = self.results_model.discussion_prompts()
        lines = ["<p><b>Start the conversation here</b></p><p>Most disagreement (spread of <i>now</i>):</p><ul>"]
        lines += [f"<li><b>{escape(c)}</b> spread {s:.1f}</li>" for c, s in spreads] or ["<li>—</li>"]
        lines += ["</ul><p>Largest delivery gaps (realistic − now):</p><ul>"]
        lines += [f"<li><b>{escape(c)}</b> {g:+.1f}</li>" for c, g in gaps] or ["<li>—</li>"]
        lines.append("</ul><p style='color:#425563'>Sort any column by clicking its header.</p>")
        self.prompts.setText("".join(lines))

    def refresh_chart(self) -> None:
        """Redraw the chosen chart soon (coalesced, so typing scores never stalls)."""
        if self.tabs.currentIndex() != CHARTS_TAB or not self._assessment_id:
            return
        item = self.chart_list.currentItem()
        if item is None:
            return
        key = str(item.data(Qt.ItemDataRole.UserRole))
        self.chart.request(lambda: self._build_chart(key))

    def _build_chart(self, key: str) -> Figure:
        from ics_desktop.charts import build_chart
        from ics_desktop.frameworks.scoring import assessment_results

        assert self._assessment_id
        results = self.results_model.results
        assert results is not None
        previous = None
        previous_id = rounds.previous_assessment(self._store, self._assessment_id)
        if previous_id:
            record = self._store.get("assessments", previous_id)
            previous = assessment_results(self._store, self._store.framework(record["framework_id"]), previous_id)
        return build_chart(
            key,
            results.framework,
            results,
            question=self.chart_question.currentData() or "now",
            previous=previous,
            agreed=self.results_model.agreed(),
        )

    # -- smoke test ---------------------------------------------------------------------------

    def smoke_views(self, grab: Callable[[], QPixmap]) -> Iterator[tuple[str, QPixmap]]:
        """Each tab and each chart, for the smoke test's screenshots."""
        for index, name in ((RESULTS_TAB, "results"), (GRID_TAB, "grid"), (TALLY_TAB, "tally")):
            self.tabs.setCurrentIndex(index)
            yield name, grab()
        self.tabs.setCurrentIndex(CHARTS_TAB)
        for row in range(self.chart_list.count()):
            self.chart_list.setCurrentRow(row)
            self.refresh_chart()
            self.chart.flush_pending()
            yield f"chart-{self.chart_list.item(row).data(Qt.ItemDataRole.UserRole)}", grab()
        self.tabs.setCurrentIndex(RESULTS_TAB)

    def flush(self) -> None:
        """Every score and agreed figure is saved as it is typed."""
