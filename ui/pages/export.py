"""Export: choose a document (Word roadmap or terms of reference, PDF board summary, Excel, CSV), its
options and where it goes; it is written on a worker thread with progress and cancel.

The worker opens its own read-only connection and reads what is committed. Every edit is committed as
it is made and typed text within the autosave's 300 ms pause; to be sure nothing typed a moment ago is
missed, the page asks the window's pages to flush before it starts.
"""

from __future__ import annotations

import gc
import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, QStandardPaths, Qt, QThreadPool, QUrl
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.exports import registry
from ics_desktop.exports.registry import DocumentKind, ExportOptions
from ics_desktop.exports.tables import CSV_NAMES
from ics_desktop.frameworks.scoring import MINIMUM_GROUP
from ics_desktop.planning.actions import display_date
from ics_desktop.planning.roadmap import latest_assessment
from ui import settings as place
from ui.autosave import AutoSaver
from ui.export.cover_logo_row import NOT_THE_NHS_LOGO, CoverLogoRow
from ui.export.worker import ExportJob, ExportSignals, ExportTask
from ui.fit import shrink, wrap
from ui.pages.base import Page
from ui.undo import EditRunner

COVERED_DOCUMENTS = frozenset({"roadmap", "tor", "summary"})  # the documents with a cover (and so a logo)
RELOAD_TABLES = frozenset({"assessments", "capability_results", "systems", "programmes"})
ERROR_STYLE = "color: #d5281b;"  # NHS red: a failure must not look like a success
SUCCESS_STYLE = "color: #007f3b;"  # NHS green


def documents_folder() -> Path:
    """The user's Documents folder (their home when there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


class ExportPage(Page):
    """Choose what to export and where; export runs in the background, never blocking the window."""

    title = "Export"

    def __init__(self, runner: EditRunner, parent: QWidget | None = None, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self._settings = settings if settings is not None else QSettings()  # remembers the export folder
        self._runner = runner
        self._store = runner.store
        self._programme_id: str | None = None
        self._task: ExportTask | None = None
        self._written: list[Path] = []
        self._has_assessments = False
        self._picked: tuple[str | None] | None = None  # the assessment the user chose, if they chose one
        self._auto_target = ""  # the target the page last suggested (replaced freely when it changes)
        self._confirmed_target = ""  # chosen through the save dialog, which already asked about replacing
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        runner.changed.connect(self._tables_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

        self.heading = QLabel("Export")
        self.heading.setObjectName("pageHeading")
        wrap(self.heading)
        self.subheading = QLabel()
        self.subheading.setObjectName("pageNote")
        wrap(self.subheading)
        self.subheading.setWordWrap(True)

        choices = QHBoxLayout()
        choices.addWidget(self._build_document_box(), 5)
        choices.addWidget(self._build_options_box(), 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addWidget(self.heading)
        layout.addWidget(self.subheading)
        layout.addSpacing(6)
        layout.addLayout(choices)
        layout.addSpacing(6)
        layout.addLayout(self._build_target_row())
        layout.addLayout(self._build_export_row())
        layout.addSpacing(4)
        result_row = self._build_result_row()
        layout.addWidget(self.message)
        layout.addLayout(result_row)
        layout.addStretch(1)

        first = next((k for k in registry.KINDS if k.available()), registry.KINDS[0])
        self.kind_buttons[first.key].setChecked(True)
        self._show_idle()
        self._clear_result()

    # -- building the page ----------------------------------------------------------------------------

    def _build_document_box(self) -> QGroupBox:
        """The document to write: one radio button per kind, with what it holds."""
        self.kinds = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        document_box = QGroupBox("Document")
        document_layout = QVBoxLayout(document_box)
        document_layout.setSpacing(2)
        for index, kind in enumerate(registry.KINDS):
            button = QRadioButton(kind.label)
            button.setAccessibleName(kind.label)
            button.setAccessibleDescription(kind.description)
            description = QLabel(kind.description)
            description.setObjectName("pageNote")
            wrap(description)
            description.setWordWrap(True)
            description.setContentsMargins(22, 0, 0, 8)
            if not kind.available():
                button.setEnabled(False)
                description.setText(f"{kind.description} (Not available in this version.)")
            self.kinds.addButton(button, index)
            self.kind_buttons[kind.key] = button
            document_layout.addWidget(button)
            document_layout.addWidget(description)
        document_layout.addStretch(1)
        self.kinds.idToggled.connect(self._kind_toggled)
        return document_box

    def _build_options_box(self) -> QGroupBox:
        """The chosen document's options: assessment, as at, version, logo, ToR text, board summary, sections."""
        options_box = QGroupBox("Options")
        self.assessment = QComboBox()
        self.assessment.setAccessibleName("Assessment")
        self.assessment.setMinimumWidth(320)
        self.assessment.activated.connect(self._assessment_picked)
        self.assessment_note = QLabel()
        self.assessment_note.setObjectName("pageNote")
        wrap(self.assessment_note)
        self.assessment_note.setWordWrap(True)
        self.version = QLineEdit(registry.DEFAULT_VERSION)
        self.version.setAccessibleName("Version")
        self.version.setPlaceholderText("e.g. Draft, Final, v2 for the board")
        self.version.setMaximumWidth(320)
        self.version_label = QLabel("&Version:")
        self.version_label.setBuddy(self.version)
        assessment_label = QLabel("&Assessment:")
        assessment_label.setBuddy(self.assessment)
        # The day the document speaks for: overdue, days late and status colours are judged on it.
        self.as_at = QDateEdit(QDate.currentDate())
        self.as_at.setAccessibleName("As at")
        self.as_at.setCalendarPopup(True)
        self.as_at.setDisplayFormat("d MMM yyyy")
        self.as_at.setMaximumWidth(200)
        self.as_at.setToolTip(
            "The document is produced as at this day: overdue actions, days late and status colours are judged "
            "on it, and it is printed on the document (today unless you choose another)"
        )
        as_at_label = QLabel("As a&t:")
        as_at_label.setBuddy(self.as_at)
        form = QFormLayout()
        form.addRow(assessment_label, self.assessment)
        form.addRow("", self.assessment_note)
        form.addRow(as_at_label, self.as_at)
        form.addRow(self.version_label, self.version)
        self.logo_row = CoverLogoRow(self._runner, parent=self)
        self.logo_label = QLabel("Logo:")
        self.logo_label.setToolTip(NOT_THE_NHS_LOGO)
        form.addRow(self.logo_label, self.logo_row)
        self.tor_text_button = QPushButton("Edit the terms of reference &text…")
        self.tor_text_button.setToolTip(
            "The terms of reference's own words: introduction, the programme, delivery and its phases, the "
            "readiness cover note and the design group (pre-filled; saved as you type)"
        )
        self.tor_text_button.clicked.connect(self.edit_tor_text)
        form.addRow("", self.tor_text_button)

        options_layout = QVBoxLayout(options_box)
        options_layout.addLayout(form)
        options_layout.addWidget(self._build_board_box())
        options_layout.addWidget(self._build_sections_box())
        self.no_options = QLabel()
        self.no_options.setObjectName("pageNote")
        wrap(self.no_options)
        self.no_options.setWordWrap(True)
        options_layout.addWidget(self.no_options)
        options_layout.addStretch(1)
        return options_box

    def _build_sections_box(self) -> QGroupBox:
        """The roadmap's sections, each ticked in or out, with All and None."""
        self.sections_box = QGroupBox("Sections of the roadmap")
        self.sections_box.setFlat(True)
        self.section_boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout(self.sections_box)
        half = (len(registry.ROADMAP_SECTIONS) + 1) // 2
        for index, (key, label) in enumerate(registry.ROADMAP_SECTIONS):
            box = QCheckBox(label)
            box.setChecked(True)
            box.setAccessibleName(f"Section: {label}")
            box.toggled.connect(self._update_buttons)
            self.section_boxes[key] = box
            grid.addWidget(box, index % half, index // half)
        self.all_sections = QPushButton("All")
        self.no_sections = QPushButton("None")
        self.all_sections.setAccessibleName("Include every section")
        self.no_sections.setAccessibleName("Include no section")
        self.all_sections.clicked.connect(self.check_all_sections)
        self.no_sections.clicked.connect(self.uncheck_all_sections)
        pick = QHBoxLayout()
        pick.addWidget(self.all_sections)
        pick.addWidget(self.no_sections)
        pick.addStretch(1)
        grid.addLayout(pick, half, 0, 1, 2)
        return self.sections_box

    def _build_target_row(self) -> QHBoxLayout:
        """Where the file goes: the path and Browse…."""
        self.target = QLineEdit()
        self.target.setAccessibleName("Save to")
        self.target.textEdited.connect(self._target_edited)
        self.target.textChanged.connect(self._update_buttons)
        self.browse_button = QPushButton("&Browse…")
        self.browse_button.setAccessibleName("Choose where to save")
        self.browse_button.clicked.connect(self.browse)
        target_label = QLabel("&Save to:")
        target_label.setBuddy(self.target)
        where = QHBoxLayout()
        where.addWidget(target_label)
        where.addWidget(self.target, 1)
        where.addWidget(self.browse_button)
        return where

    def _build_export_row(self) -> QHBoxLayout:
        """Export and Cancel, the progress bar and what the export is doing (Ctrl+Return, Esc)."""
        self.export_button = QPushButton("&Export")
        self.export_button.setDefault(True)
        self.export_button.setAccessibleName("Export")
        self.export_button.setToolTip("Write the document (Ctrl+Return)")
        self.export_button.setMinimumWidth(120)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the export")
        self.cancel_button.setToolTip("Stop the export; no file is written (Esc)")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel_export)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName("Export progress")
        self.progress.setTextVisible(True)
        self.step = QLabel()
        self.step.setObjectName("pageNote")
        shrink(self.step)
        self.step.setAccessibleName("What the export is doing")
        for push in (self.export_button, self.cancel_button):
            push.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.progress.setFixedWidth(320)
        go = QHBoxLayout()
        go.addWidget(self.export_button)
        go.addWidget(self.cancel_button)
        go.addSpacing(12)
        go.addWidget(self.progress)
        go.addWidget(self.step)
        go.addStretch(1)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.start_export)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Cancel), self, self.cancel_export)
        return go

    def _build_result_row(self) -> QHBoxLayout:
        """What happened, with Open and Show in folder once a file is written."""
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # paths and messages shown as they are
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.setAccessibleName("Export result")
        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open the exported document")
        self.open_button.clicked.connect(self.open_result)
        self.show_button = QPushButton("Show in &folder")
        self.show_button.setAccessibleName("Show the exported document in its folder")
        self.show_button.clicked.connect(self.show_in_folder)
        after = QHBoxLayout()
        after.addWidget(self.open_button)
        after.addWidget(self.show_button)
        after.addStretch(1)
        return after

    # -- programme -----------------------------------------------------------------------------------

    def set_programme(self, programme_id: str | None) -> None:
        self._programme_id = programme_id
        record = self._store.get("programmes", programme_id) if programme_id else None
        self.board_saver.load({"programmes": record})
        self.logo_row.set_programme(programme_id, record["cover_logo"] if record else None)
        self._reload_assessments(keep=False)
        self._refresh_heading()
        self._suggest_target(force=True)
        self._clear_result()
        self._update_buttons()

    def flush(self) -> None:
        """The board summary's words are programme data, saved as typed; the other options are not saved."""
        self.board_saver.flush()

    def unsaved(self) -> list[str]:
        return self.board_saver.unsaved()

    def _build_board_box(self) -> QGroupBox:
        """The board paper's own words for the PDF summary (saved with the programme as they are typed)."""
        box = self.board_box = QGroupBox("Board summary")
        self.board_purpose = QPlainTextEdit()
        self.board_purpose.setAccessibleName("Purpose of the paper")
        self.board_purpose.setPlaceholderText("Why the board receives this paper, in a sentence or two")
        self.board_purpose.setMaximumHeight(40)
        self.board_messages = QPlainTextEdit()
        self.board_messages.setAccessibleName("Key messages, one per line")
        self.board_messages.setPlaceholderText("Three to five key messages for the board, one per line")
        self.board_messages.setMaximumHeight(58)
        self.board_author, self.board_contact, self.board_version = QLineEdit(), QLineEdit(), QLineEdit()
        self.board_author.setAccessibleName("Author")
        self.board_contact.setAccessibleName("Contact")
        self.board_version.setAccessibleName("Version of the paper")
        self.board_contact.setPlaceholderText("e.g. name@nhs.net, 0117 000 0000")
        self.board_version.setPlaceholderText("e.g. 1.0, for the board of 12 March")
        self.board_saver = AutoSaver(self._runner, self)
        for widget, field, label in (
            (self.board_purpose, "board_purpose", "purpose of the board paper"),
            (self.board_messages, "board_messages", "key messages"),
            (self.board_author, "board_author", "author of the board paper"),
            (self.board_contact, "board_contact", "contact for the board paper"),
            (self.board_version, "board_version", "version of the board paper"),
            (self.logo_row.organisation, "cover_logo_name", "organisation of the cover logo"),
        ):
            self.board_saver.bind(widget, "programmes", field, label)
        form = QFormLayout(box)
        form.addRow("Purpose", self.board_purpose)
        form.addRow("Key messages", self.board_messages)
        people = QHBoxLayout()
        people.addWidget(self.board_author, 1)
        people.addWidget(QLabel("Contact"))
        people.addWidget(self.board_contact, 1)
        form.addRow("Author", people)
        form.addRow("Version", self.board_version)
        box.setVisible(False)
        return box

    def _tables_changed(self, tables: set[str]) -> None:
        if self._programme_id is None or not tables & RELOAD_TABLES:
            return
        if tables & {"assessments", "capability_results"}:
            self._reload_assessments(keep=True)
        if tables & {"systems", "programmes"}:
            self.logo_row.show_logo(self._store.get("programmes", self._programme_id)["cover_logo"])  # undo, redo
            self._refresh_heading()
            self._suggest_target(force=False)

    def _refresh_heading(self) -> None:
        if self._programme_id is None:
            self.subheading.setText("No programme is open.")
            return
        programme = self._store.programme(self._programme_id)
        self.subheading.setText(
            f"Documents and data for {programme.name} — {programme.system_name}. "
            "Everything saved so far is included; the document is written in the background."
        )

    # -- the document kind ------------------------------------------------------------------------------

    def current_kind(self) -> DocumentKind:
        index = self.kinds.checkedId()
        return registry.KINDS[index if index >= 0 else 0]

    def select_kind(self, key: str) -> None:
        self.kind_buttons[key].setChecked(True)

    def _kind_toggled(self, _index: int, checked: bool) -> None:
        if not checked:
            return
        kind = self.current_kind()
        self.version.setVisible(kind.version)
        self.version_label.setVisible(kind.version)
        self.tor_text_button.setVisible(kind.key == "tor")
        self.board_box.setVisible(kind.key == "summary")
        covers = kind.key in COVERED_DOCUMENTS
        self.logo_row.setVisible(covers)
        self.logo_label.setVisible(covers)
        self.sections_box.setVisible(kind.sections)
        if kind.all_assessments:
            self.no_options.setText("Choose one assessment, or all of them, for the responses and results.")
        elif not kind.sections:
            self.no_options.setText("The document reports the chosen assessment's agreed figures.")
        self.no_options.setVisible(not kind.sections)
        self._reload_assessments(keep=True)
        self._suggest_target(force=True)
        self._clear_result()
        self._update_buttons()

    # -- assessments ---------------------------------------------------------------------------------

    def _assessment_picked(self, _index: int) -> None:
        self._picked = (self.assessment.currentData(),)

    def _reload_assessments(self, *, keep: bool) -> None:
        """Fill the assessment list; keep the user's choice when there is one, else take the default
        (every assessment for data, the latest with agreed figures for documents)."""
        kind = self.current_kind()
        if not keep:
            self._picked = None
        previous = self._picked[0] if self._picked else None
        self.assessment.blockSignals(True)
        self.assessment.clear()
        found = self._store.assessments(self._programme_id) if self._programme_id else []
        if kind.all_assessments and found:
            self.assessment.addItem("All assessments", None)
        for a in found:
            when = display_date(a.date)
            self.assessment.addItem(f"{a.name} — {when}" if when else a.name, a.id)
        if not found:
            self.assessment.addItem("No assessments yet", None)
        self._has_assessments = bool(found)
        index = self.assessment.findData(previous) if self._picked else -1
        if index < 0 and found and not kind.all_assessments and self._programme_id:
            index = self.assessment.findData(latest_assessment(self._store, self._programme_id))
        self.assessment.setCurrentIndex(max(0, index))
        self.assessment.setEnabled(bool(found) and not self.running)
        self.assessment.blockSignals(False)
        if kind.all_assessments:
            self.assessment_note.setText("")
        else:
            self.assessment_note.setText("Default: the latest assessment with agreed figures.")
        self.assessment_note.setVisible(not kind.all_assessments)

    # -- the target -------------------------------------------------------------------------------------

    def _default_name(self) -> str:
        system = self._store.programme(self._programme_id).system_name if self._programme_id else "Programme"
        return self.current_kind().default_name(system)

    def _suggest_target(self, *, force: bool) -> None:
        """Put the default file name in the current folder (Documents at first).

        `force` replaces whatever is there (a new document kind or programme); otherwise only a target
        the page suggested itself is updated (the system was renamed), never one the user typed.
        """
        current = self.target.text().strip()
        if not force and current != self._auto_target:
            return
        folder = Path(current).expanduser().parent if current else self.start_folder()
        suggestion = str(folder / self._default_name())
        self._auto_target = suggestion
        self.target.setText(suggestion)

    def start_folder(self) -> Path:
        """Where exports go at first: the folder of the last export (while it exists), else Documents."""
        return place.export_folder(self._settings) or documents_folder()

    def _target_edited(self, _text: str) -> None:
        self._confirmed_target = ""

    def target_path(self) -> Path | None:
        """The path typed or chosen, with the document's suffix added when it was left off."""
        text = self.target.text().strip()
        if not text:
            return None
        path = Path(os.path.expandvars(text)).expanduser()
        kind = self.current_kind()
        if kind.suffix and path.suffix.lower() != kind.suffix:
            path = path.with_name(path.name + kind.suffix)
        return path

    def browse(self) -> None:
        kind = self.current_kind()
        current = self.target_path() or self.start_folder() / self._default_name()
        if kind.folder:
            start = current if current.is_dir() else current.parent
            chosen = QFileDialog.getExistingDirectory(self, "Export CSV files to a folder", str(start))
        else:
            file_filter = f"{kind.label} (*{kind.suffix})"
            chosen, _filter = QFileDialog.getSaveFileName(self, f"Export the {kind.label}", str(current), file_filter)
        if not chosen:
            return
        self.target.setText(chosen)
        self._confirmed_target = chosen  # the save dialog asked before replacing a file

    # -- running -------------------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._task is not None

    @staticmethod
    def _minimum_group() -> int:
        """The room's minimum group (a setting; 3 unless changed), which also holds for what leaves the room."""
        value = QSettings().value("presentation/minimum_group", MINIMUM_GROUP, int)
        return max(1, value) if isinstance(value, int) else MINIMUM_GROUP

    def edit_tor_text(self) -> None:
        """The terms of reference's own words, in a window beside the page (saved as typed)."""
        if not self._programme_id:
            return
        from ui.tor_dialog import TorTextDialog

        self.tor_dialog = TorTextDialog(self._runner, self._programme_id, self)
        self.tor_dialog.show()

    def options(self) -> ExportOptions:
        kind = self.current_kind()
        sections = None
        if kind.sections:
            chosen = tuple(key for key, box in self.section_boxes.items() if box.isChecked())
            sections = None if len(chosen) == len(self.section_boxes) else chosen
        version = self.version.text().strip() or registry.DEFAULT_VERSION
        day = self.as_at.date()
        return ExportOptions(
            assessment_id=self.assessment.currentData(),
            sections=sections,
            version=version,
            as_at=date(day.year(), day.month(), day.day()),
            # The room's minimum group (a setting; 3 unless changed) also holds for what leaves the room.
            minimum_group=self._minimum_group(),
        )

    def start_export(self) -> None:
        if self.running or self._programme_id is None or not self.export_button.isEnabled():
            return
        kind = self.current_kind()
        target = self.target_path()
        if target is None:
            self._show_error("Choose where to save the document.")
            return
        if self._store.path is None:
            self._show_error("This database is only in memory; there is no file to export from.")
            return
        if not self._may_replace(kind, target):
            return
        self._flush_window()
        # What earlier screens left for Python's occasional full collection (replaced charts, closed
        # windows) is freed now, on this thread, before the export needs memory: about 0.1 s at scale,
        # and 30 MB off the peak of a working session.
        gc.collect()
        job = ExportJob(
            kind.key, Path(self._store.path), self._programme_id, target, self.options(),
            create_folder=kind.folder,  # a new folder for the CSV files is made when its parent exists
        )  # fmt: skip
        task = ExportTask(job, ExportSignals(self))
        task.signals.progress.connect(self._on_progress)
        task.signals.succeeded.connect(self._on_succeeded)
        task.signals.failed.connect(self._on_failed)
        task.signals.cancelled.connect(self._on_cancelled)
        self._task = task
        self._clear_result()
        self._show_running(f"Starting the {kind.label}…")
        self._pool.start(task.run)

    def _may_replace(self, kind: DocumentKind, target: Path) -> bool:
        """Ask before replacing files the user did not already agree to replace in the save dialog."""
        if kind.folder:
            existing = [name for name in CSV_NAMES if (target / f"{name}.csv").exists()]
            if not existing:
                return True
            question = f"{target} already holds {', '.join(f'{n}.csv' for n in existing)}. Replace them?"
        else:
            if not target.is_file() or str(target) == self._confirmed_target:
                return True
            question = f"{target.name} already exists in {target.parent}. Replace it?"
        answer = QMessageBox.question(
            self, "Replace?", question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        )
        return answer == QMessageBox.StandardButton.Yes

    def _flush_window(self) -> None:
        """Save anything typed a moment ago on the window's other pages, so the document includes it."""
        for page in getattr(self.window(), "pages", []):
            if page is not self and isinstance(page, Page):
                page.flush()

    def cancel_export(self) -> None:
        if self._task is None:
            return
        self._task.cancel()
        self.cancel_button.setEnabled(False)
        self.step.setText("Cancelling…")

    def shutdown(self, timeout_ms: int = 15_000) -> None:
        """Stop a running export and wait for its thread (when the window closes)."""
        if self._task is not None:
            self._task.cancel()
        self._pool.waitForDone(timeout_ms)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)

    def _finish(self) -> None:
        if self._task is not None:
            self._task.signals.deleteLater()  # its last report is in; deleted here, in the GUI thread
        self._task = None
        self._show_idle()

    def _on_progress(self, percent: int, what: str) -> None:
        if self._task is None or self._task.cancelling:
            return
        self.progress.setValue(percent)
        self.step.setText(what)

    def _on_succeeded(self, paths: list[Path]) -> None:
        kind = registry.kind(self._task.job.kind) if self._task is not None else self.current_kind()
        self._finish()
        self._written = [Path(p) for p in paths]
        if not self._written:
            self._show_error("Nothing was written.")
            return
        where = (
            f"Saved {len(self._written)} CSV files in {self._written[0].parent}"
            if kind.folder
            else f"Saved the {kind.label} to {self._written[0]}"
        )
        # The folder holding the document (for CSV files, the folder their folder is in) is next time's start.
        place.set_export_folder(
            self._settings, self._written[0].parent.parent if kind.folder else self._written[0].parent
        )
        self.message.setStyleSheet(SUCCESS_STYLE)
        self.message.setText(f"✓ {where}")
        self.open_button.setVisible(True)
        self.show_button.setVisible(True)
        self.saved.emit(where)

    def _on_failed(self, message: str) -> None:
        self._finish()
        self._show_error(message)
        self.saved.emit(f"Export failed: {message}")

    def _on_cancelled(self) -> None:
        self._finish()
        self.message.setStyleSheet("")
        self.message.setText("The export was cancelled; no file was written.")
        self.saved.emit("Export cancelled")

    # -- after -------------------------------------------------------------------------------------------

    def result_paths(self) -> list[Path]:
        return list(self._written)

    def open_result(self) -> None:
        """Open the document in its application (a CSV folder in the file manager)."""
        if not self._written:
            return
        kind_folder = len(self._written) > 1
        target = self._written[0].parent if kind_folder else self._written[0]
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def show_in_folder(self) -> None:
        """Open the folder holding the document (the folder above a CSV folder)."""
        if not self._written:
            return
        folder = self._written[0].parent
        if len(self._written) > 1:
            folder = folder.parent
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # -- states ------------------------------------------------------------------------------------------

    def _show_running(self, what: str) -> None:
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.step.setText(what)
        self.step.setVisible(True)
        self.cancel_button.setEnabled(True)
        self._set_choices_enabled(False)
        self._update_buttons()

    def _show_idle(self) -> None:
        self.progress.setVisible(False)
        self.step.setVisible(False)
        self.cancel_button.setEnabled(False)
        self._set_choices_enabled(True)
        self._update_buttons()

    def _set_choices_enabled(self, enabled: bool) -> None:
        for kind in registry.KINDS:
            self.kind_buttons[kind.key].setEnabled(enabled and kind.available())
        for widget in (self.version, self.as_at, self.sections_box, self.target, self.browse_button):
            widget.setEnabled(enabled)
        self.assessment.setEnabled(enabled and self._has_assessments)

    def _clear_result(self) -> None:
        self._written = []
        self.message.setText("")
        self.message.setStyleSheet("")
        self.open_button.setVisible(False)
        self.show_button.setVisible(False)

    def _show_error(self, message: str) -> None:
        self._written = []
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(message)
        self.open_button.setVisible(False)
        self.show_button.setVisible(False)

    def _update_buttons(self) -> None:
        kind = self.current_kind()
        ready = (
            self._programme_id is not None
            and not self.running
            and kind.available()
            and bool(self.target.text().strip())
            and (not kind.sections or any(box.isChecked() for box in self.section_boxes.values()))
        )
        self.export_button.setEnabled(ready)
        if kind.sections and not any(box.isChecked() for box in self.section_boxes.values()):
            self.export_button.setToolTip("Choose at least one section")
        else:
            self.export_button.setToolTip("Write the document (Ctrl+Return)")

    def check_all_sections(self) -> None:
        for box in self.section_boxes.values():
            box.setChecked(True)

    def uncheck_all_sections(self) -> None:
        for box in self.section_boxes.values():
            box.setChecked(False)
