"""Adapting a programme's framework: a dialog over a working copy, saved as a whole (or as a new version).

The dialog never writes until Save. Every change goes through `ics_desktop.frameworks.framework_edit` on an
immutable working copy (so it can be undone and is validated as it is made); Save validates the
whole and calls `framework_versions.save_programme_framework`, which edits the version in place
while it has not been scored against, and otherwise makes a new version the programme moves to.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from html import escape

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.errors import FrameworkError
from ics_desktop.frameworks import framework_edit as edit
from ics_desktop.frameworks.framework import Framework, framework_from_dict
from ics_desktop.frameworks.framework_versions import (
    FRAMEWORK_TABLES,
    assessments_holding_results,
    framework_is_frozen,
    next_version_label,
    save_programme_framework,
)
from ics_desktop.storage.store import Store
from ui.models.framework_models import DomainsModel, EditableCapabilitiesModel, FrameworkDocument
from ui.undo import EditRunner

NEW_STATEMENT = "New capability (describe it)"
NEW_DOMAIN = "New domain"

_BANNER_FROZEN = "background: #fff4d6; border: 1px solid #e0b84c; border-radius: 4px; padding: 8px; color: #3d2e00;"
_BANNER_OPEN = "background: #eaf2fb; border: 1px solid #9fc2e7; border-radius: 4px; padding: 8px; color: #0b2e55;"
_ERRORS = "color: #b0181f; font-weight: 600;"


def scored_assessment_count(store: Store, programme_id: str, framework_id: str) -> int:
    """How many of the programme's assessments on this framework version hold responses or agreed figures."""
    return assessments_holding_results(store, programme_id, framework_id)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _button(text: str, name: str, slot: Callable[[], object], tip: str = "") -> QPushButton:
    """A push button that never acts as the dialog's default (Enter in a field must not save).

    `slot` must be a bound method: a lambda capturing the dialog would keep it alive from inside its
    own children and crash PySide when the dialog is deleted.
    """
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setAutoDefault(False)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def _line(name: str, text: str = "") -> QLineEdit:
    line = QLineEdit(text)
    line.setAccessibleName(name)
    return line


def _table(model: EditableCapabilitiesModel | DomainsModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setAlternatingRowColors(True)
    view.setWordWrap(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return view


def _shortcut(
    widget: QWidget, keys: QKeySequence | list[QKeySequence], slot: Callable[[], object], context: Qt.ShortcutContext
) -> QAction:
    action = QAction(widget)
    action.setShortcuts(keys if isinstance(keys, list) else [keys])
    action.setShortcutContext(context)
    action.triggered.connect(slot)
    widget.addAction(action)
    return action


class FrameworkEditorDialog(QDialog):
    """Edit a working copy of a programme's framework; `save()` writes it (or a new version)."""

    def __init__(self, runner: EditRunner, programme_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = store = runner.store
        self._programme_id = programme_id
        programme = store.programme(programme_id)
        self.framework_id = programme.framework_id
        self.original: Framework = store.framework(self.framework_id)
        self.frozen = framework_is_frozen(store, self.framework_id)
        self.scored = scored_assessment_count(store, programme_id, self.framework_id) if self.frozen else 0
        self.saved_framework_id: str | None = None
        self.saved_message = ""

        self.document = FrameworkDocument(self.original, self)
        self.document.changed.connect(self._changed)
        self.document.failed.connect(self.show_error)
        self.setWindowTitle(f"Edit framework — {programme.name}")
        self.setAccessibleName("Edit framework")
        self.setSizeGripEnabled(True)
        self.resize(1180, 760)

        self.banner = QLabel()
        self.banner.setObjectName("frameworkBanner")
        self.banner.setWordWrap(True)
        self.banner.setAccessibleName("Version status")

        self.name_edit = _line("Framework name", self.original.name)
        self.version_edit = _line("Framework version", self.original.version)
        self.name_edit.editingFinished.connect(self._name_finished)
        self.version_edit.editingFinished.connect(self._version_finished)
        self.version_edit.textChanged.connect(self._version_typed)
        identity = QHBoxLayout()
        name_label, version_label = QLabel("&Name"), QLabel("&Version")
        name_label.setBuddy(self.name_edit)
        version_label.setBuddy(self.version_edit)
        identity.addWidget(name_label)
        identity.addWidget(self.name_edit, 3)
        identity.addSpacing(12)
        identity.addWidget(version_label)
        identity.addWidget(self.version_edit, 1)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Framework parts")
        self.tabs.addTab(self._capabilities_tab(), "&Capabilities")
        self.tabs.addTab(self._details_tab(), "&Domains, scale and questions")
        self.tabs.addTab(self._matrix_tab(), "&Maturity matrix")

        self.error_label = QLabel()
        self.error_label.setObjectName("frameworkErrors")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(_ERRORS)
        self.error_label.setAccessibleName("Problems")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

        self.undo_button = _button("Undo", "Undo", self.undo, "Undo the last change (Ctrl+Z)")
        self.redo_button = _button("Redo", "Redo", self.redo, "Redo (Ctrl+Shift+Z)")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        for button, name in ((self.save_button, "Save framework"), (self.cancel_button, "Cancel")):
            button.setAccessibleName(name)
            button.setAutoDefault(False)
            button.setDefault(False)
        self.save_button.setToolTip("Save the framework (Ctrl+S)")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.undo_button)
        bottom.addWidget(self.redo_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(identity)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(bottom)

        window = Qt.ShortcutContext.WindowShortcut
        _shortcut(self, QKeySequence(QKeySequence.StandardKey.Save), self.save, window)
        _shortcut(self, QKeySequence(QKeySequence.StandardKey.Undo), self.undo, window)
        redo_keys: dict[str, QKeySequence] = {}
        for keys in (*QKeySequence.keyBindings(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z")):
            redo_keys.setdefault(keys.toString(), keys)
        _shortcut(self, list(redo_keys.values()), self.redo, window)

        self._update_banner()
        self._update_buttons()
        if self.table.model().rowCount():
            self.select_capability(self.cap_model.code_at(0))
        self.table.setFocus()

    # -- building ----------------------------------------------------------------------------

    def _capabilities_tab(self) -> QWidget:
        self.cap_model = EditableCapabilitiesModel(self.document, self)
        self.table = _table(self.cap_model, "Capabilities")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(EditableCapabilitiesModel.DOMAIN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(EditableCapabilitiesModel.CODE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(EditableCapabilitiesModel.STATEMENT, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(EditableCapabilitiesModel.COVERED, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(EditableCapabilitiesModel.DOMAIN, 250)
        self.table.setColumnWidth(EditableCapabilitiesModel.COVERED, 240)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)

        self.add_button = _button(
            "&Add capability", "Add capability", self.add_capability, "Add a capability to the selected domain (Ins)"
        )
        self.remove_button = _button(
            "&Remove", "Remove capability", self.remove_capability, "Remove the selected capability (Delete)"
        )
        self.up_button = _button("Move &up", "Move capability up", self.move_up, "Alt+Up")
        self.down_button = _button("Move do&wn", "Move capability down", self.move_down, "Alt+Down")
        self.renumber_button = _button(
            "Renum&ber domain",
            "Renumber domain",
            self.renumber_domain,
            "Give the selected domain's capabilities the codes N.1, N.2, … in their order",
        )
        side = QVBoxLayout()
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button, self.renumber_button):
            side.addWidget(button)
        side.addStretch(1)

        hint = QLabel(
            "Double-click (or F2) a code or statement to change it. Untick <i>Covered</i> for a capability "
            "not covered on this programme: it stays in the framework and is shown as such."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #425563;")

        page = QWidget()
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(side)
        layout = QVBoxLayout(page)
        layout.addLayout(row, 1)
        layout.addWidget(hint)

        table_only = Qt.ShortcutContext.WidgetShortcut
        _shortcut(self.table, QKeySequence(QKeySequence.StandardKey.Delete), self.remove_capability, table_only)
        _shortcut(
            page, QKeySequence(Qt.Key.Key_Insert), self.add_capability, Qt.ShortcutContext.WidgetWithChildrenShortcut
        )
        _shortcut(self.table, QKeySequence("Alt+Up"), self.move_up, table_only)
        _shortcut(self.table, QKeySequence("Alt+Down"), self.move_down, table_only)
        return page

    def _matrix_tab(self) -> QWidget:
        """Each domain's description at each stage of the matrix, one bullet per line (saved on leaving a box)."""
        page = QWidget()
        layout = QVBoxLayout(page)
        self.matrix_domain = QComboBox()
        self.matrix_domain.setAccessibleName("Domain of the matrix")
        self.matrix_domain.currentIndexChanged.connect(self._show_stage_texts)
        pick = QHBoxLayout()
        domain_label = QLabel("Domai&n")
        domain_label.setBuddy(self.matrix_domain)
        pick.addWidget(domain_label)
        pick.addWidget(self.matrix_domain, 1)
        layout.addLayout(pick)
        self.stage_edits: dict[str, QPlainTextEdit] = {}
        boxes = QHBoxLayout()
        for stage in self.original.stages:
            column = QVBoxLayout()
            title = QLabel(stage.label or stage.title)
            title.setWordWrap(True)
            title.setToolTip(stage.title)
            box = QPlainTextEdit()
            box.setAccessibleName(f"{stage.label or stage.title}: one bullet per line")
            box.setPlaceholderText("What a domain looks like at this stage, one bullet per line")
            box.installEventFilter(self)
            title.setBuddy(box)
            column.addWidget(title)
            column.addWidget(box, 1)
            boxes.addLayout(column, 1)
            self.stage_edits[stage.key] = box
        if not self.stage_edits:
            note = QLabel("This framework has no maturity stages (an outcomes framework scores outcomes without them).")
            note.setWordWrap(True)
            boxes.addWidget(note)
        layout.addLayout(boxes, 1)
        self._fill_matrix_domains()
        return page

    def _fill_matrix_domains(self) -> None:
        current = self.matrix_domain.currentIndex()
        self.matrix_domain.blockSignals(True)
        self.matrix_domain.clear()
        for domain in self.document.framework.domains:
            self.matrix_domain.addItem(f"{domain.number}. {domain.title}")
        self.matrix_domain.setCurrentIndex(min(max(current, 0), self.matrix_domain.count() - 1))
        self.matrix_domain.blockSignals(False)
        self._show_stage_texts()

    def _show_stage_texts(self, *_args: object) -> None:
        index = self.matrix_domain.currentIndex()
        domains = self.document.framework.domains
        for key, box in self.stage_edits.items():
            text = "\n".join(domains[index].stages.get(key, ())) if 0 <= index < len(domains) else ""
            if box.toPlainText() != text:
                box.setPlainText(text)

    def _save_stage_text(self, box: QPlainTextEdit) -> None:
        index = self.matrix_domain.currentIndex()
        key = next(k for k, b in self.stage_edits.items() if b is box)
        domains = self.document.framework.domains
        if not 0 <= index < len(domains):
            return
        shown = "\n".join(domains[index].stages.get(key, ()))
        if box.toPlainText().strip() == shown.strip():
            return
        self.document.apply(
            lambda fw: edit.set_stage_text(fw, index, key, box.toPlainText()), "Change a stage description"
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in self.stage_edits.values():
            assert isinstance(watched, QPlainTextEdit)
            self._save_stage_text(watched)
        return super().eventFilter(watched, event)

    def _details_tab(self) -> QWidget:
        framework = self.original
        self.domains_model = DomainsModel(self.document, self)
        self.domains_view = _table(self.domains_model, "Domains")
        header = self.domains_view.horizontalHeader()
        header.setSectionResizeMode(DomainsModel.NUMBER, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DomainsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DomainsModel.COUNT, QHeaderView.ResizeMode.ResizeToContents)
        self.add_domain_button = _button("Add do&main", "Add domain", self.add_domain, "Add a domain at the end (Ins)")
        self.remove_domain_button = _button(
            "Remove domain", "Remove domain", self.remove_domain, "Remove the selected domain and its capabilities"
        )
        domain_buttons = QHBoxLayout()
        domain_buttons.addWidget(self.add_domain_button)
        domain_buttons.addWidget(self.remove_domain_button)
        domain_buttons.addStretch(1)
        domains_box = QGroupBox("Domains")
        domains_layout = QVBoxLayout(domains_box)
        domains_layout.addWidget(self.domains_view)
        domains_layout.addLayout(domain_buttons)
        _shortcut(
            self.domains_view, QKeySequence(Qt.Key.Key_Insert), self.add_domain, Qt.ShortcutContext.WidgetShortcut
        )

        self.scale_edits: dict[int, QLineEdit] = {}
        scale_box = QGroupBox("Scale")
        scale_form = QFormLayout(scale_box)
        for level in framework.scale:
            line = _line(f"Label of scale level {level.level}", level.label)
            line.editingFinished.connect(self._scale_finished)
            self.scale_edits[level.level] = line
            scale_form.addRow(f"{level.level}", line)

        self.question_edits: dict[str, tuple[QLineEdit, QLineEdit]] = {}
        questions_box = QGroupBox("Questions")
        grid = QGridLayout(questions_box)
        grid.addWidget(QLabel("<b>Label</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Question asked</b>"), 0, 1)
        for row, question in enumerate(framework.questions, start=1):
            label = _line(f"Label of question {question.key}", question.label)
            text = _line(f"Text of question {question.key}", question.text)
            label.editingFinished.connect(self._questions_finished)
            text.editingFinished.connect(self._questions_finished)
            self.question_edits[question.key] = (label, text)
            grid.addWidget(label, row, 0)
            grid.addWidget(text, row, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 3)

        right = QVBoxLayout()
        right.addWidget(scale_box)
        right.addWidget(questions_box)
        right.addStretch(1)
        page = QWidget()
        layout = QHBoxLayout(page)
        layout.addWidget(domains_box, 5)
        layout.addLayout(right, 6)
        return page

    # -- state -------------------------------------------------------------------------------

    @property
    def framework(self) -> Framework:
        """The working copy as it stands (line edits not yet finished are applied by `save`)."""
        return self.document.framework

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _changed(self) -> None:
        self.show_error("")
        self._update_buttons()
        if hasattr(self, "matrix_domain"):
            self._fill_matrix_domains()

    def _new_version_label(self) -> str:
        typed = self.version_edit.text().strip()
        return typed if typed and typed != self.original.version else next_version_label(self.original.version)

    def _update_banner(self) -> None:
        if self.frozen:
            self.banner.setStyleSheet(_BANNER_FROZEN)
            self.banner.setText(
                f"<b>Scored against in {_plural(self.scored, 'assessment')}</b>: saving creates a new version "
                f"<b>{escape(self._new_version_label())}</b>. The scored "
                f"{'assessment keeps' if self.scored == 1 else 'assessments keep'} version "
                f"{escape(self.original.version)} exactly as it was."
            )
        else:
            self.banner.setStyleSheet(_BANNER_OPEN)
            self.banner.setText(
                f"Version <b>{escape(self.original.version)}</b> has not been scored against yet: "
                "saving updates it in place."
            )

    def _current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def _version_typed(self, _text: str) -> None:
        self._update_banner()

    def _current_changed(self, *_indexes: object) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        row, count = self._current_row(), self.cap_model.rowCount()
        has = 0 <= row < count
        self.remove_button.setEnabled(has and count > 1)
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < count - 1)
        self.renumber_button.setEnabled(has)
        self.remove_domain_button.setEnabled(self.domains_model.rowCount() > 1)
        self.undo_button.setEnabled(self.document.can_undo())
        self.redo_button.setEnabled(self.document.can_redo())

    def select_capability(self, code: str, column: int = EditableCapabilitiesModel.CODE) -> QModelIndex:
        """Make a capability the current row; returns the index of `column` in it."""
        row = self.cap_model.row_of(code)
        if row < 0:
            return QModelIndex()
        index = self.cap_model.index(row, column)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self._update_buttons()
        return index

    def _selected_code(self) -> str | None:
        row = self._current_row()
        return self.cap_model.code_at(row) if 0 <= row < self.cap_model.rowCount() else None

    # -- capability actions -------------------------------------------------------------------

    def add_capability(self) -> str | None:
        """Add a capability at the end of the selected capability's domain, with the next code."""
        self._commit_editors()  # Ins pressed while a cell is being typed into keeps what was typed
        self.tabs.setCurrentIndex(0)
        row = self._current_row()
        if row < 0:
            row = self.cap_model.rowCount() - 1
        domain_index = self.cap_model.domain_index_at(row) if row >= 0 else len(self.framework.domains) - 1
        code = edit.suggest_code(self.framework, domain_index)
        if not self.document.apply(
            lambda fw: edit.add_capability(fw, domain_index, code, NEW_STATEMENT), f"Add capability {code}"
        ):
            return None
        index = self.select_capability(code, EditableCapabilitiesModel.STATEMENT)
        if self.isVisible():
            self.table.setFocus()
            self.table.edit(index)
        return code

    def remove_capability(self) -> None:
        code = self._selected_code()
        if code is None:
            return
        row = self._current_row()
        removed = self.document.apply(lambda fw: edit.remove_capability(fw, code), f"Remove capability {code}")
        if removed and self.cap_model.rowCount():
            self.select_capability(self.cap_model.code_at(min(row, self.cap_model.rowCount() - 1)))

    def move_up(self) -> None:
        self.move_capability(-1)

    def move_down(self) -> None:
        self.move_capability(1)

    def move_capability(self, delta: int) -> None:
        code = self._selected_code()
        if code is None:
            return
        if self.document.apply(lambda fw: edit.move_capability(fw, code, delta), f"Move {code}"):
            self.select_capability(code)

    def renumber_domain(self) -> None:
        row = self._current_row()
        if row < 0:
            return
        domain_index = self.cap_model.domain_index_at(row)
        number = self.framework.domains[domain_index].number
        if self.document.apply(lambda fw: edit.renumber_domain(fw, domain_index), f"Renumber domain {number}"):
            self.select_capability(self.cap_model.code_at(row))

    # -- domain actions ----------------------------------------------------------------------

    def add_domain(self) -> None:
        self._commit_editors()
        if self.document.apply(lambda fw: edit.add_domain(fw, NEW_DOMAIN), "Add a domain"):
            index = self.domains_model.index(self.domains_model.rowCount() - 1, DomainsModel.TITLE)
            self.domains_view.setCurrentIndex(index)
            if self.isVisible():
                self.domains_view.setFocus()
                self.domains_view.edit(index)

    def remove_domain(self) -> None:
        index = self.domains_view.currentIndex()
        if not index.isValid():
            return
        row = index.row()
        number = self.framework.domains[row].number
        if self.document.apply(lambda fw: edit.remove_domain(fw, row), f"Remove domain {number}"):
            count = self.domains_model.rowCount()
            self.domains_view.setCurrentIndex(self.domains_model.index(min(row, count - 1), DomainsModel.TITLE))
            if self.cap_model.rowCount():
                self.select_capability(self.cap_model.code_at(0))

    # -- fields ------------------------------------------------------------------------------

    def _name_finished(self) -> None:
        name = self.name_edit.text()
        self.document.apply(lambda fw: edit.set_identity(fw, name=name), "Rename the framework")

    def _version_finished(self) -> None:
        version = self.version_edit.text()
        self.document.apply(lambda fw: edit.set_identity(fw, version=version), "Change the version")

    def _scale_finished(self) -> None:
        for level, line in self.scale_edits.items():
            label = line.text()
            if label != self.framework.scale_label(level):
                self.document.apply(partial(edit.set_scale_label, level=level, label=label), f"Relabel level {level}")

    def _questions_finished(self) -> None:
        for question in self.framework.questions:
            label, text = (line.text() for line in self.question_edits[question.key])
            if (label, text) != (question.label, question.text):
                change = partial(edit.set_question, key=question.key, label=label, text=text)
                self.document.apply(change, f"Change question {question.label}")

    def _load_fields(self) -> None:
        """Show the working copy's name, version, scale and questions (after undo or redo)."""
        framework = self.framework
        self.name_edit.setText(framework.name)
        self.version_edit.setText(framework.version)
        for level, line in self.scale_edits.items():
            line.setText(framework.scale_label(level))
        for question in framework.questions:
            label, text = self.question_edits[question.key]
            label.setText(question.label)
            text.setText(question.text)

    def undo(self) -> None:
        self.document.undo()
        self._load_fields()
        self._update_buttons()

    def redo(self) -> None:
        self.document.redo()
        self._load_fields()
        self._update_buttons()

    # -- saving ------------------------------------------------------------------------------

    def _commit_editors(self) -> None:
        """Take in a cell or stage description still being typed into (Ctrl+S pressed inside it)."""
        for box in self.stage_edits.values():
            if box.hasFocus():
                self._save_stage_text(box)
        for view in (self.table, self.domains_view):
            if view.state() != QAbstractItemView.State.EditingState:
                continue
            editor = view.indexWidget(view.currentIndex())
            if editor is not None:
                view.commitData(editor)
                view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def _collected(self) -> tuple[Framework, list[str]]:
        """The working copy with every field as typed, and every problem found on the way."""
        framework, problems = self.framework, []
        steps: list[Callable[[Framework], Framework]] = [
            partial(edit.set_identity, name=self.name_edit.text()),
            partial(edit.set_identity, version=self.version_edit.text()),
        ]
        for level, line in self.scale_edits.items():
            steps.append(partial(edit.set_scale_label, level=level, label=line.text()))
        for key, (label, text) in self.question_edits.items():
            steps.append(partial(edit.set_question, key=key, label=label.text()))
            steps.append(partial(edit.set_question, key=key, text=text.text()))
        for step in steps:
            try:
                framework = step(framework)
            except FrameworkError as exc:
                problems.append(str(exc))
        return framework, problems

    def save(self) -> bool:
        """Validate and save; on a problem show it here and stay open. True when saved (or unchanged)."""
        self._commit_editors()
        framework, problems = self._collected()
        if problems:
            self.show_error("Not saved:\n" + "\n".join(f"• {p}" for p in problems))
            return False
        try:
            framework = framework_from_dict(framework.to_dict())
        except FrameworkError as exc:
            self.show_error(f"Not saved: {exc}")
            return False
        if framework == self.original:
            self.saved_framework_id = self.framework_id
            self.saved_message = "The framework is unchanged"
            self.accept()
            return True
        saved_id = self._runner.write(
            f"framework {framework.name}",
            FRAMEWORK_TABLES,
            lambda: save_programme_framework(self._store, self._programme_id, framework),
        )
        if saved_id is None:
            self.show_error(f"Not saved: {self._runner.last_refusal}")
            return False
        saved = self._store.framework(saved_id)
        self.saved_framework_id = saved_id
        if saved_id != self.framework_id:
            self.saved_message = (
                f"Saved framework as new version {saved.version} "
                f"(scored assessments keep version {self.original.version})"
            )
        else:
            self.saved_message = f"Saved framework {saved.name} ({saved.version})"
        self.accept()
        return True
