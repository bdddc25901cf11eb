"""Live capture: the facilitator types what the room produces, one line at a time, for the projector.

Enter records the line at once (an output, decision, risk, note or action). The kind comes from a
prefix (``o:`` ``d:`` ``r:`` ``a:`` ``n:``) or from the current mode (Ctrl+1 … Ctrl+5). Actions take
``@owner`` (completed from the programme's people), ``due 2w`` / ``by next fri`` and ``#area``. A line
with a problem stays in the box, with the reason in red underneath: nothing typed is ever lost.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    QStringListModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QKeyEvent, QKeySequence, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.dates import day_text, weekday_name
from ics_desktop.planning import workshops as ws
from ics_desktop.planning.capture import KINDS, CapturedLine, parse_capture_line
from ui.fit import wrap
from ui.models import workshops_model as m
from ui.undo import EditRunner

_Index = QModelIndex | QPersistentModelIndex
_OWNER_FRAGMENT = re.compile(r"(?:^|\s)@([^\s@]*)$")
_MODE_KEYS = {Qt.Key.Key_1: 0, Qt.Key.Key_2: 1, Qt.Key.Key_3: 2, Qt.Key.Key_4: 3, Qt.Key.Key_5: 4}
_REDO_KEYS = (QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y"))
READY_HINT = (
    "Enter records the line  ·  o: d: r: a: n: set the kind of one line  ·  actions take @name, due 2w, #area  ·  "
    "Ctrl+Z undoes the last entry"
)

STYLE = """
QWidget#captureView { background: #ffffff; }
QLabel#captureTitle { font-size: 20pt; font-weight: 600; color: #003087; }
QLabel#captureMeta { font-size: 12pt; color: #425563; }
QLabel#captureCounts { font-size: 12pt; color: #212b32; }
QTableView#captureList { font-size: 14pt; border: 1px solid #d8dde0; }
QTableView#captureList QHeaderView::section { font-size: 11pt; }
QLineEdit#captureInput { font-size: 17pt; padding: 8px 12px; border: 2px solid #005eb8; border-radius: 6px; }
QLabel#captureHint { font-size: 11pt; color: #425563; }
QLabel#captureHint[problem="true"] { color: #d5281b; font-weight: 600; }
QPushButton#kindButton { font-size: 11pt; padding: 6px 16px; border: 1px solid #aeb7bd; background: #ffffff;
                         color: #212b32; }
""" + "".join(
    f'QPushButton#kindButton[kind="{kind}"]:checked {{ background: {colour}; border-color: {colour}; '
    "color: #ffffff; }\n"
    for kind, colour in m.KIND_COLOURS.items()
)


def mode_for(event: QKeyEvent) -> int | None:
    """Ctrl+1 … Ctrl+5 → the index of the capture mode."""
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if modifiers != Qt.KeyboardModifier.ControlModifier:
        return None
    return _MODE_KEYS.get(Qt.Key(event.key()))


class ModeKeys(QObject):
    """Takes Ctrl+1 … Ctrl+5 for the capture modes while the capture view has the focus.

    The main window binds the same keys to its pages; accepting the ShortcutOverride keeps them here.
    """

    mode = Signal(int)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            index = mode_for(event)
            if index is not None:
                event.accept()
                if event.type() == QEvent.Type.KeyPress:
                    self.mode.emit(index)
                return True
        return super().eventFilter(watched, event)


class CaptureInput(QLineEdit):
    """The line typed into; completes ``@name`` from the programme's people without taking Enter."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.names = QStringListModel(self)
        self.names_completer = QCompleter(self.names, self)
        self.names_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.names_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.names_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.names_completer.setWidget(self)
        self.names_completer.activated.connect(self.insert_completion)
        popup = self.names_completer.popup()
        assert popup is not None
        self.popup: QAbstractItemView = popup
        self.popup.setStyleSheet("font-size: 15pt;")  # readable on the projector, like the box
        self.textEdited.connect(self._update_completion)

    def set_names(self, names: list[str]) -> None:
        self.names.setStringList(names)

    def popup_visible(self) -> bool:
        return self.popup.isVisible()

    def _fragment(self) -> re.Match[str] | None:
        return _OWNER_FRAGMENT.search(self.text()[: self.cursorPosition()])

    def _update_completion(self, _text: str = "") -> None:
        found = self._fragment()
        if found is None or not self.names.stringList():
            self.popup.hide()
            return
        self.names_completer.setCompletionPrefix(found.group(1))
        if self.names_completer.completionCount() == 0:
            self.popup.hide()
            return
        popup = self.popup
        rect = self.cursorRect()
        rect.setWidth(max(320, popup.sizeHintForColumn(0) + popup.verticalScrollBar().sizeHint().width() + 24))
        self.names_completer.complete(rect)
        popup.setCurrentIndex(self.names_completer.completionModel().index(0, 0))

    def insert_completion(self, name: str) -> None:
        """Replace the ``@fragment`` before the cursor with the chosen ``@Full Name``."""
        found = self._fragment()
        if found is None:
            return
        cursor = self.cursorPosition()
        start = cursor - len(found.group(1))
        text = self.text()
        after = text[cursor:]
        spacer = "" if after.startswith(" ") else " "
        self.setText(text[:start] + name + spacer + after)  # setText: one undo step is not needed here
        self.setCursorPosition(start + len(name) + len(spacer))
        self.popup.hide()

    def _accept_completion(self) -> None:
        index = self.popup.currentIndex()
        if not index.isValid():
            index = self.names_completer.completionModel().index(0, 0)
        if index.isValid():
            self.insert_completion(str(index.data()))
        self.popup.hide()

    def event(self, event: QEvent) -> bool:
        # While names are offered, Enter and Tab take the highlighted one (Tab would otherwise move focus).
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and self.popup_visible()
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab)
        ):
            self._accept_completion()
            event.accept()
            return True
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # With nothing of its own to undo, Ctrl+Z belongs to the window: it undoes the last entry.
            combo = QKeySequence(event.keyCombination())
            if event.matches(QKeySequence.StandardKey.Undo) and not self.isUndoAvailable():
                event.ignore()
                return False
            redo = event.matches(QKeySequence.StandardKey.Redo) or combo in _REDO_KEYS
            if redo and not self.isRedoAvailable():
                event.ignore()
                return False
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and self.popup_visible():
            self.popup.hide()
            return
        super().keyPressEvent(event)


# -- delegates --------------------------------------------------------------------------------------


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box editor over the choices the model offers for a cell (kind, area of focus)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName(str(index.model().headerData(index.column(), Qt.Orientation.Horizontal)))
        for label, value in index.data(m.CHOICES_ROLE) or []:
            combo.addItem(label, value)
        combo.activated.connect(self._chosen)
        return combo

    def _chosen(self, _index: int) -> None:
        editor = self.sender()
        if isinstance(editor, QWidget):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class AreaDelegate(ChoiceDelegate):
    """The area of focus on one line, elided: its full name is in the tooltip."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: _Index) -> None:
        super().initStyleOption(option, index)
        option.features &= ~QStyleOptionViewItem.ViewItemFeature.WrapText
        option.textElideMode = Qt.TextElideMode.ElideRight


class KindDelegate(ChoiceDelegate):
    """Paints the kind as a coloured badge; edits it with a combo box."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        plain = QStyleOptionViewItem(option)
        self.initStyleOption(plain, index)
        plain.text = ""
        style = plain.widget.style() if plain.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, plain, painter, plain.widget)
        kind = str(index.data(m.KIND_ROLE) or "")
        label = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        font = QFont(option.font)
        font.setPointSizeF(max(8.0, option.font.pointSizeF() * 0.78))
        font.setBold(True)
        painter.save()
        painter.setFont(font)
        fm = painter.fontMetrics()
        height = fm.height() + 8
        width = fm.horizontalAdvance(label) + 20
        top = option.rect.top() + 6
        badge = QRect(option.rect.left() + 8, top, min(width, option.rect.width() - 12), height)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(m.KIND_COLOURS.get(kind, "#425563")))
        painter.drawRoundedRect(badge, height / 2, height / 2)
        painter.setPen(QColor("#ffffff"))
        painter.drawText(badge, int(Qt.AlignmentFlag.AlignCenter), label)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        hint = super().sizeHint(option, index)
        return QSize(hint.width() + 24, hint.height() + 8)


class OwnerDelegate(QStyledItemDelegate):
    """A text editor completing the owner from the programme's people."""

    def __init__(self, model: m.CaptureModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAccessibleName("Owner")
        completer = QCompleter(self._model.people, editor)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        editor.setCompleter(completer)
        return editor


# -- the view ---------------------------------------------------------------------------------------


class KindBar(QWidget):
    """The capture mode as a segmented row of toggle buttons (Ctrl+1 … Ctrl+5)."""

    changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        for number, kind in enumerate(KINDS, start=1):
            keys = QKeySequence(f"Ctrl+{number}").toString(QKeySequence.SequenceFormat.NativeText)
            button = QPushButton(f"{m.KIND_LABELS[kind]}   {keys}")
            button.setObjectName("kindButton")
            button.setProperty("kind", kind)
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the typing stays in the box
            button.setAccessibleName(f"Capture mode: {m.KIND_LABELS[kind]}")
            button.setToolTip(f"Lines without a prefix are recorded as {kind}s ({keys})")
            self.group.addButton(button, number - 1)
            self.buttons[kind] = button
            row.addWidget(button)
        row.addStretch(1)
        self.group.idClicked.connect(self._clicked)
        self.buttons[KINDS[0]].setChecked(True)

    def _clicked(self, index: int) -> None:
        self.changed.emit(KINDS[index])

    def kind(self) -> str:
        return KINDS[max(0, self.group.checkedId())]

    def set_kind(self, kind: str) -> None:
        self.buttons[kind].setChecked(True)


class CaptureView(QWidget):
    """The running list of one workshop, the mode buttons and the line being typed."""

    back_requested = Signal()

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("captureView")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(STYLE)
        self._runner = runner
        self._store = runner.store
        runner.changed.connect(self._tables_changed)

        self.title = QLabel()
        self.title.setObjectName("captureTitle")
        wrap(self.title)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.meta = QLabel()
        self.meta.setObjectName("captureMeta")
        wrap(self.meta)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        self.counts = QLabel()
        self.counts.setObjectName("captureCounts")
        self.back_button = QPushButton("Back to plan   F6")
        self.back_button.setAccessibleName("Back to the workshop plan")
        self.back_button.clicked.connect(self.back_requested)
        heading = QVBoxLayout()
        heading.setSpacing(2)
        heading.addWidget(self.title)
        heading.addWidget(self.meta)
        top = QHBoxLayout()
        top.addLayout(heading, 1)
        top.addWidget(self.counts, 0, Qt.AlignmentFlag.AlignBottom)
        top.addSpacing(16)
        self.held_button = QPushButton("Mark held")
        self.held_button.setAccessibleName("Mark this workshop held")
        self.held_button.setToolTip("The workshop took place: its status becomes Held (Ctrl+Z undoes)")
        self.held_button.clicked.connect(self.mark_held)
        buttons = QVBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.held_button)
        top.addLayout(buttons)

        self.model = m.CaptureModel(runner, self)
        self.model.problem.connect(self.show_problem)
        self.table = QTableView()
        self.table.setObjectName("captureList")
        self.table.setAccessibleName("Captured so far")
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setShowGrid(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(m.TEXT, QHeaderView.ResizeMode.Stretch)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column, width in ((m.TIME, 72), (m.KIND, 124), (m.OWNER, 190), (m.DUE, 124), (m.AREA, 210)):
            self.table.setColumnWidth(column, width)
        self._kind_delegate = KindDelegate(self.table)
        self._area_delegate = AreaDelegate(self.table)
        self._owner_delegate = OwnerDelegate(self.model, self.table)
        self.table.setItemDelegateForColumn(m.KIND, self._kind_delegate)
        self.table.setItemDelegateForColumn(m.AREA, self._area_delegate)
        self.table.setItemDelegateForColumn(m.OWNER, self._owner_delegate)
        self.delete_action = QAction("Remove entry", self.table)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(self.delete_action)
        back_to_typing = QAction("Back to typing", self.table)
        back_to_typing.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        back_to_typing.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        back_to_typing.triggered.connect(self.focus_input)
        self.table.addAction(back_to_typing)
        self.model.rowsInserted.connect(self._rows_inserted)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset, self.model.dataChanged):
            signal.connect(self._refresh_counts)

        self.kinds = KindBar()
        self.kinds.changed.connect(self._mode_changed)
        self.input = CaptureInput()
        self.input.setObjectName("captureInput")
        self.input.setAccessibleName("Capture a line")
        self.input.returnPressed.connect(self.record)
        self.input.textChanged.connect(self._preview)
        self.hint = QLabel(READY_HINT)
        self.hint.setObjectName("captureHint")
        self.hint.setTextFormat(Qt.TextFormat.PlainText)
        self.hint.setWordWrap(True)
        self.hint.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.mode_keys = ModeKeys(self)
        self.mode_keys.mode.connect(lambda index: self.set_mode(KINDS[index]))
        for widget in (self.input, self.table, self.back_button):
            widget.installEventFilter(self.mode_keys)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.kinds)
        layout.addWidget(self.input)
        layout.addWidget(self.hint)
        self._mode_changed(self.kinds.kind())
        self.set_workshop(None)

    # -- state --------------------------------------------------------------------------------

    @property
    def workshop_id(self) -> str | None:
        return self.model.workshop_id

    def set_workshop(self, workshop_id: str | None) -> None:
        self.model.set_workshop(workshop_id)
        self.input.set_names(self.model.people)
        self.input.setEnabled(workshop_id is not None)
        self._refresh_header()
        self._refresh_counts()
        self._preview()
        self.table.scrollToBottom()

    def mode(self) -> str:
        return self.kinds.kind()

    def set_mode(self, kind: str) -> None:
        self.kinds.set_kind(kind)
        self._mode_changed(kind)

    def _mode_changed(self, kind: str) -> None:
        label = m.KIND_LABELS[kind].lower()
        example = " — @name due 2w #area" if kind == "action" else ""
        self.input.setPlaceholderText(f"Type {'an' if label[0] in 'aeiou' else 'a'} {label}{example} and press Enter")
        self.input.setFocus()
        self._preview()

    def _refresh_header(self) -> None:
        workshop_id = self.workshop_id
        if workshop_id is None:
            self.title.setText("No workshop selected")
            self.meta.setText("Choose or create a workshop on the plan, then press F6 to capture.")
            return
        record = ws.workshop(self._store, workshop_id)
        self.title.setText(record["title"] or "Untitled workshop")
        parts = [ws.starts_at_text(record["starts_at"])]
        if record["venue"]:
            parts.append(record["venue"])
        parts.append(m.STATUS_LABELS.get(record["status"], record["status"]))
        self.meta.setText("  ·  ".join(parts))
        self._offer_held()

    def _offer_held(self) -> None:
        """Mark held is offered once something is captured for a workshop not yet held."""
        workshop_id = self.workshop_id
        held = workshop_id is None or ws.workshop(self._store, workshop_id)["status"] == "held"
        self.held_button.setVisible(not held and self.model.rowCount() > 0)

    def mark_held(self) -> bool:
        """Set the workshop's status to held (an undoable edit)."""
        if self.workshop_id is None:
            return False
        return self._runner.run(ws.mark_held(self._store, self.workshop_id))

    def _refresh_counts(self, *_args: object) -> None:
        counts = ws.kind_counts(self.model.items())
        parts = []
        for kind in KINDS:
            if counts[kind]:
                label = m.KIND_LABELS[kind].lower()
                parts.append(f"{counts[kind]} {label}{'s' * (counts[kind] != 1)}")
        self.counts.setText("  ·  ".join(parts) or "Nothing captured yet")
        self._offer_held()

    def _tables_changed(self, tables: set[str]) -> None:
        if "workshops" in tables:
            self._refresh_header()
        if tables & {"people"}:
            self.input.set_names(self.model.people)
        if tables & {"areas_of_focus", "people"}:
            self._preview()

    def _rows_inserted(self, _parent: QModelIndex, _first: int, last: int) -> None:
        self.table.scrollTo(self.model.index(last, 0))
        self.table.scrollToBottom()

    # -- capture ------------------------------------------------------------------------------

    def _day(self) -> date:
        """The day relative due dates count from: the workshop's own date (today when it has none)."""
        return ws.workshop_day(self._store, self.workshop_id) if self.workshop_id else date.today()

    def _parse(self) -> tuple[CapturedLine, list[str]]:
        day = self._day()
        line = parse_capture_line(self.input.text(), self.mode(), self.model.people, day)
        return line, ws.line_problems(line, self.model.areas, day)

    def _preview(self, *_args: object) -> None:
        """Say what Enter would record (or why it cannot), as the line is typed."""
        if not self.input.text().strip():
            self._hint(READY_HINT if self.workshop_id else "", problem=False)
            return
        line, problems = self._parse()
        if problems:
            self._hint(" ".join(problems), problem=True)
            return
        parts = [f"Enter records {'an' if line.kind[0] in 'aeiou' else 'a'} {line.kind}"]
        if line.kind == "action":
            parts.append(f"owner {line.owner}" if line.owner else "no owner")
            if line.due:
                note = f": {line.due_note}" if line.due_note else ""
                parts.append(f"due {weekday_name(line.due)} {day_text(line.due)}{note}")
            else:
                parts.append("no due date")
            area = next((a for a in self.model.areas if a["number"] == line.area_number), None)
            parts.append(f"area {ws.area_label(area)}" if area else "no area of focus")
        self._hint("  ·  ".join(parts), problem=False)

    def _hint(self, text: str, *, problem: bool) -> None:
        self.hint.setText(text)
        if self.hint.property("problem") != problem:
            self.hint.setProperty("problem", problem)
            self.hint.style().unpolish(self.hint)
            self.hint.style().polish(self.hint)

    def show_problem(self, text: str) -> None:
        self._hint(text, problem=True)

    def record(self) -> bool:
        """Save the typed line (Enter); a line with a problem stays in the box."""
        if self.workshop_id is None or not self.input.text().strip():
            return False
        line, problems = self._parse()
        if problems:
            self.show_problem(" ".join(problems))
            return False
        try:
            edit = ws.capture_edit(self._store, self.workshop_id, line, self.model.areas, self._day())
        except ws.CaptureError as exc:
            self.show_problem(str(exc))
            return False
        if not self._runner.run(edit):
            self.show_problem("Not saved: the line is still in the box.")
            return False
        self.input.setText("")  # also clears the box's own undo, so Ctrl+Z now undoes the entry
        return True

    def delete_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return
        row, column = index.row(), index.column()
        if self.model.remove(row) and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(min(row, self.model.rowCount() - 1), column))

    def focus_input(self) -> None:
        self.input.setFocus(Qt.FocusReason.OtherFocusReason)
