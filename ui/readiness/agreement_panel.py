"""Recording what the group agreed for the capability on the slide, without leaving presentation mode.

One capability at a time: agreed current, agreed desired (a level, left open "?", or not agreed), the change
since the previous round in the seed's words (or left blank on purpose), focus, and the justification.
Every field is saved through the EditRunner as soon as it is chosen (the justification after a short pause
in typing, or on leaving it), so undo, the storage banner and backups apply as for any other edit.

Keys: a number or ? picks a level in the focused list; Alt+C, Alt+D, Alt+H, Alt+F and Alt+J move to
current, desired, change, focus and justification; Esc hands the keyboard back to the slides.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.framework import Framework
from ics_desktop.limits import LONG_TEXT, limit_for
from ui.undo import EditRunner

NOT_AGREED = "Not agreed yet"
NO_CHANGE_ENTERED = "Not entered"
CHANGE_LEFT_BLANK = "Left blank"
SAVE_PAUSE_MS = 400  # the justification is saved after this pause in typing


class AgreementPanel(QFrame):
    """The agreed figures of one capability of one assessment, editable from the keyboard."""

    leave_requested = Signal()  # Esc: the facilitator is done here and goes back to the slides
    create_areas_requested = Signal()  # "Create areas of focus from focus capabilities…"
    move_requested = Signal(int)  # Page Down (+1) / Page Up (-1) from any field: the next or previous slide

    def __init__(self, runner: EditRunner, assessment_id: str, framework: Framework, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("agreementPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("Agreement")
        self._runner = runner
        self._store = runner.store
        self._assessment_id = assessment_id
        self._framework = framework
        self._code: str | None = None
        self._loading = False
        runner.changed.connect(self._tables_changed)

        self.heading = QLabel("Agreement")
        self.heading.setObjectName("agreementHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.heading.setFont(font)
        self.statement = QLabel("")
        self.statement.setWordWrap(True)
        self.statement.setTextFormat(Qt.TextFormat.PlainText)
        self.statement.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        levels = [(f"{s.level} — {s.label}", s.level) for s in framework.scale]
        self.current = self._combo("Agreed current maturity", [(NOT_AGREED, None), *levels])
        self.desired = self._combo(
            "Agreed desired maturity",
            [(NOT_AGREED, None), *levels, (f"{rounds.OPEN_DESIRED} — left open", rounds.OPEN_DESIRED)],
        )
        self.change = self._combo(
            "Change since the previous round",
            [(NO_CHANGE_ENTERED, None), *((w, k) for k, w in rounds.CHANGE_WORDS.items()), (CHANGE_LEFT_BLANK, "")],
        )
        self.focus = QCheckBox("&Focus capability")
        self.focus.setAccessibleName("Focus capability")
        self.justification = QPlainTextEdit()
        self.justification.setAccessibleName("Justification")
        self.justification.setPlaceholderText("Why the group agreed these figures (saved as you type)")
        self.justification.setTabChangesFocus(True)
        self.justification.setMinimumHeight(90)
        self._limit = limit_for("capability_results", "justification") or LONG_TEXT

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SAVE_PAUSE_MS)
        self._pause.timeout.connect(self.flush)

        self.current.activated.connect(lambda _i: self._save_current())
        self.desired.activated.connect(lambda _i: self._save_desired())
        self.change.activated.connect(lambda _i: self._save_change())
        self.focus.toggled.connect(self._save_focus)
        self.justification.textChanged.connect(self._typed)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for text, widget in (("&Current", self.current), ("&Desired", self.desired), ("C&hange", self.change)):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow("", self.focus)
        justification_label = QLabel("&Justification")
        justification_label.setBuddy(self.justification)
        form.addRow(justification_label)
        form.addRow(self.justification)

        self.create_areas = QPushButton("Create &areas of focus from focus capabilities…")
        self.create_areas.setToolTip("Make areas of focus from the capabilities marked as focus, ticked for you")
        self.create_areas.clicked.connect(self._create_areas)
        self.hint = QLabel(
            "Page Down / Page Up: next or previous slide · Esc: back to the slides · "
            "Alt+C/D/H/F/J: a field · a number picks a level"
        )
        self.hint.setObjectName("agreementHint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.statement)
        layout.addLayout(form, 1)
        layout.addWidget(self.create_areas)
        layout.addWidget(self.hint)
        self._editors: tuple[QWidget, ...] = (self.current, self.desired, self.change, self.focus, self.justification)
        for editor in self._editors:
            editor.installEventFilter(self)  # Page Up/Down move the slides, whichever field has the keyboard
        self.show_capability(None)

    @staticmethod
    def _combo(name: str, items: list[tuple[str, Any]]) -> QComboBox:
        combo = QComboBox()
        combo.setAccessibleName(name)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        for text, data in items:
            combo.addItem(text, data)
        return combo

    # -- what is shown ----------------------------------------------------------------------------

    def capability_code(self) -> str | None:
        return self._code

    def show_capability(self, code: str | None) -> None:
        """Show (and edit) the agreed figures of `code`; None when the slide is not a capability."""
        self.flush()
        self._code = code
        capability = self._framework.capability(code) if code in self._framework.covered_codes else None
        for widget in self._editors:
            widget.setEnabled(capability is not None)
        if capability is None:
            self.heading.setText("Agreement")
            self.statement.setText("Move to a capability's slide to record what the group agreed.")
            self._load({})
            return
        self.heading.setText(f"Agree {capability.code}")
        self.statement.setText(capability.statement)
        self._load(self._store.capability_results(self._assessment_id).get(capability.code) or {})

    def _load(self, row: Mapping[str, Any]) -> None:
        self._loading = True
        try:
            self._select(self.current, row.get("agreed_current"))
            desired = row.get("agreed_desired")
            self._select(self.desired, desired if desired is not None else
                         rounds.OPEN_DESIRED if row.get("desired_open") else None)  # fmt: skip
            change = row.get("change")
            self._select(self.change, change if change else "" if row.get("change_blank") else None)
            self.focus.setChecked(bool(row.get("focus")))
            text = str(row.get("justification") or "")
            if self.justification.toPlainText() != text:
                self.justification.setPlainText(text)
        finally:
            self._loading = False

    @staticmethod
    def _select(combo: QComboBox, data: Any) -> None:
        index = combo.findData(data)
        combo.setCurrentIndex(index if index >= 0 else 0)

    def _tables_changed(self, tables: set[str]) -> None:
        # After undo, redo or an edit elsewhere (the Results table): show what is stored, but never
        # replace a justification being typed here that has not been saved yet.
        if "capability_results" not in tables or self._code is None or self._pause.isActive():
            return
        self._load(self._store.capability_results(self._assessment_id).get(self._code) or {})

    # -- saving -----------------------------------------------------------------------------------

    def _save(self, fields: dict[str, Any], what: str) -> bool:
        if self._loading or self._code is None:
            return False
        edit = rounds.result_fields_edit(self._store, self._assessment_id, self._code, fields, f"{self._code} {what}")
        return True if edit is None else self._runner.run(edit)

    def _save_current(self) -> None:
        level = self.current.currentData()
        self._save({"agreed_current": level}, f"agreed current = {level}" if level else "agreed current cleared")

    def _save_desired(self) -> None:
        data = self.desired.currentData()
        left_open = data == rounds.OPEN_DESIRED
        level = data if isinstance(data, int) else None
        what = f"= {level}" if level else "left open (?)" if left_open else "cleared"
        self._save(rounds.desired_fields(level, left_open=left_open), f"agreed desired {what}")

    def _save_change(self) -> None:
        data = self.change.currentData()
        if data is None:  # back to "not entered": neither a change nor blank on purpose
            self._save({"change": None, "change_blank": 0}, "change not entered")
            return
        choice = data or None
        what = f"change = {rounds.change_words(choice)}" if choice else "change left blank"
        self._save(rounds.change_fields(choice), what)

    def _save_focus(self, on: bool) -> None:
        self._save({"focus": int(on)}, "focus " + ("on" if on else "off"))

    def _typed(self) -> None:
        if self._loading:
            return
        if len(self.justification.toPlainText()) > self._limit:
            self._runner.saved.emit(f"Not saved: a justification holds at most {self._limit:,} characters")
            self._pause.stop()
            return
        self._pause.start()

    def flush(self) -> None:
        """Save a justification still waiting for its pause (on leaving the capability or closing)."""
        if not self._pause.isActive():
            return
        self._pause.stop()
        text = self.justification.toPlainText()
        if len(text) <= self._limit:
            self._save({"justification": text}, "justification")

    def unsaved(self) -> bool:
        return self._pause.isActive()

    def _create_areas(self) -> None:
        self.flush()
        self.create_areas_requested.emit()

    # -- keys ------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.flush()
            self.leave_requested.emit()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.justification and event.type() == QEvent.Type.FocusOut:
            self.flush()  # leaving the box saves at once, as everywhere else in the app
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            step = {Qt.Key.Key_PageDown: 1, Qt.Key.Key_PageUp: -1}.get(Qt.Key(event.key()))
            if step is not None:
                self.flush()
                self.move_requested.emit(step)
                return True
        return super().eventFilter(watched, event)
