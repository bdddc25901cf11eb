"""Programme bundles in the window: export to a file, import as a new programme, and the merge preview.

A merge or an import writes many records at once through the runner's unrecorded path (not undoable, like
duplicating a programme), so a refused write shows the storage banner; the window should clear its undo history
and reload after `MergeDialog.merged` or an import.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.bundles.format import SUFFIX, TABLES
from ics_desktop.bundles.merge import MINE, THEIRS, MergePlan, MergeResult, apply_merge
from ics_desktop.errors import UserFacingError
from ui.models.conflicts_model import ConflictModel
from ui.undo import EditRunner

FILTER = f"ICS Desktop bundles (*{SUFFIX})"


def _busy() -> None:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)


def _idle() -> None:
    QGuiApplication.restoreOverrideCursor()


def _default_name(name: str) -> str:
    return (re.sub(r"[^\w\- ]+", "", name).strip() or "programme") + SUFFIX


# -- export and import -------------------------------------------------------------------------


def export_bundle(
    window_parent: QWidget | None, runner: EditRunner, programme_id: str, workshop_id: str | None = None
) -> Path | None:
    """Ask where to save, then write the programme's (or one workshop's) bundle; the path, or None.

    Writing a bundle also records in the database what was sent (for the next merge), so it goes
    through the runner like any other write.
    """
    store = runner.store
    programme = store.programme(programme_id)
    title = "Export workshop bundle" if workshop_id else "Export programme bundle"
    start = str(Path.home() / _default_name(programme.name))
    chosen, _filter = QFileDialog.getSaveFileName(window_parent, title, start, FILTER)
    if not chosen:
        return None
    target = Path(chosen)
    if target.suffix.lower() != SUFFIX:
        target = target.with_name(target.name + SUFFIX)
    from ics_desktop.bundles.transfer import export_bundle as write

    _busy()
    written = runner.write(
        f"bundle {target.name}",
        {"sync_versions", "bundle_log"},
        lambda: write(store, programme_id, target, workshop_id=workshop_id),
    )
    _idle()
    if written is None:
        QMessageBox.warning(window_parent, title, str(runner.last_refusal))
        return None
    return target


def _choose_bundle(parent: QWidget | None, title: str) -> Path | None:
    chosen, _filter = QFileDialog.getOpenFileName(parent, title, str(Path.home()), FILTER + ";;All files (*)")
    return Path(chosen) if chosen else None


def import_bundle(parent: QWidget | None, runner: EditRunner) -> str | None:
    """Ask for a bundle and add it as a new programme; its id, or None (cancelled or refused)."""
    store = runner.store
    from ics_desktop.bundles.transfer import import_bundle as add
    from ics_desktop.bundles.transfer import load_bundle, programme_name_here

    path = _choose_bundle(parent, "Import programme bundle")
    if path is None:
        return None
    _busy()
    try:
        bundle = load_bundle(store, path)
    except UserFacingError as exc:
        _idle()
        QMessageBox.warning(parent, "Import programme bundle", str(exc))
        return None
    _idle()
    here = programme_name_here(store, bundle.programme_id)
    if here is not None:
        answer = QMessageBox.question(
            parent,
            "Import programme bundle",
            f"“{here}” is already in this database. Importing adds a separate copy; to bring the "
            "bundle's changes into it, use Merge bundle instead.\n\nImport a separate copy?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
    _busy()
    result = runner.write(f"programme imported from {path.name}", TABLES, lambda: add(store, bundle))
    _idle()
    if result is None:
        QMessageBox.warning(parent, "Import programme bundle", str(runner.last_refusal))
        return None
    return result.programme_id


def merge_bundle(parent: QWidget | None, runner: EditRunner, programme_id: str) -> MergeDialog | None:
    """Ask for a bundle of this programme and open the merge preview (non-blocking); None if refused."""
    store = runner.store
    from ics_desktop.bundles.merge import plan_merge
    from ics_desktop.bundles.transfer import load_bundle

    path = _choose_bundle(parent, "Merge bundle")
    if path is None:
        return None
    _busy()
    try:
        plan = plan_merge(store, programme_id, load_bundle(store, path))
    except UserFacingError as exc:
        _idle()
        QMessageBox.warning(parent, "Merge bundle", str(exc))
        return None
    _idle()
    dialog = MergeDialog(runner, plan, path.name, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# -- the merge preview -------------------------------------------------------------------------


class MergeDialog(QDialog):
    """The merge preview: what will be added and updated, and a choice for each conflict; Merge applies it."""

    merged = Signal(object)  # MergeResult

    def __init__(self, runner: EditRunner, plan: MergePlan, source: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner, self.store, self.plan = runner, runner.store, plan
        store = runner.store
        self._source = source
        self.result_: MergeResult | None = None
        self.setWindowTitle("Merge bundle")
        self.setMinimumSize(560, 240)
        programme = store.programme(plan.programme_id)
        heading = QLabel(f"Merging {source or 'the bundle'} into {programme.name}")
        heading.setTextFormat(Qt.TextFormat.PlainText)
        heading.setWordWrap(True)
        heading.setStyleSheet("font-size: 13pt; font-weight: 600; color: #003087;")
        made = plan.bundle.created[:16].replace("T", " ")
        scope = "one workshop" if plan.bundle.scope == "workshop" else "the whole programme"
        context = QLabel(f"The bundle holds {scope}, exported {made} (UTC).")
        context.setObjectName("pageNote")
        self.counts = QLabel(self._counts_text())
        self.counts.setWordWrap(True)
        self.counts.setAccessibleName("What the merge will change")
        kinds = {p.id: p.kind for p in store.people(plan.programme_id)}
        self.model = ConflictModel(plan.conflicts, kinds, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setAccessibleName("Conflicts")
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        for column, width in enumerate((290, 100, 190, 190, 110)):
            self.view.setColumnWidth(column, width)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self._double_clicked)
        conflicts = len(plan.conflicts)
        self.conflict_note = QLabel(
            f"{conflicts} {'change was' if conflicts == 1 else 'changes were'} made differently on both laptops. "
            "Choose which to keep for each (double-click a value, or select rows and use the buttons)."
            if conflicts
            else "No conflicts: nothing was changed differently on both laptops."
        )
        self.conflict_note.setWordWrap(True)
        self.mine_button = QPushButton("Keep &this laptop's")
        self.theirs_button = QPushButton("Take the &bundle's")
        self.mine_button.setToolTip("Keep this laptop's value for the selected rows (Ctrl+1)")
        self.theirs_button.setToolTip("Take the bundle's value for the selected rows (Ctrl+2)")
        self.mine_button.clicked.connect(self._keep_mine)
        self.theirs_button.clicked.connect(self._take_theirs)
        QShortcut(QKeySequence("Ctrl+1"), self, self._keep_mine)
        QShortcut(QKeySequence("Ctrl+2"), self, self._take_theirs)
        choice_row = QHBoxLayout()
        choice_row.addWidget(self.mine_button)
        choice_row.addWidget(self.theirs_button)
        choice_row.addStretch(1)
        self.error = QLabel()
        self.error.setStyleSheet("color: #d5281b;")
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Apply)
        self.apply_button.setText("&Merge")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(context)
        layout.addWidget(self.counts)
        layout.addWidget(self.conflict_note)
        layout.addWidget(self.view, 1)
        if not conflicts:
            layout.addStretch(1)
        layout.addLayout(choice_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for widget in (self.view, self.mine_button, self.theirs_button):
            widget.setVisible(bool(conflicts))
        if conflicts:
            self.view.selectRow(0)
        self.resize(980, 560) if conflicts else self.resize(640, 280)

    def _counts_text(self) -> str:
        plan = self.plan
        by_kind = plan.counts_by_kind()
        added = [f"{n} {_plural(kind, n)}" for kind, (n, _u) in by_kind.items() if n]
        updated = [f"{n} {_plural(kind, n)}" for kind, (_a, n) in by_kind.items() if n]
        lines = [
            "Added: " + (", ".join(added) if added else "nothing"),
            "Updated: " + (", ".join(updated) if updated else "nothing"),
        ]
        if plan.kept_deleted:
            n = len(plan.kept_deleted)
            lines.append(f"{n} {'record' if n == 1 else 'records'} deleted on this laptop will stay deleted.")
        if plan.unchanged:
            lines.append(f"{plan.unchanged} records are the same on both laptops.")
        return "\n".join(lines)

    def set_choice(self, row: int, choice: str) -> None:
        """Keep this laptop's value ('mine') or take the bundle's ('theirs') for one conflict."""
        self.model.set_choice(row, choice)

    def _selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.view.selectionModel().selectedRows()})

    def _keep_mine(self) -> None:
        for row in self._selected_rows():
            self.model.set_choice(row, MINE)

    def _take_theirs(self) -> None:
        for row in self._selected_rows():
            self.model.set_choice(row, THEIRS)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.column() in (2, 3):
            self.model.set_choice(index.row(), MINE if index.column() == 2 else THEIRS)
        elif index.column() == 4:
            current = self.model.choices[index.row()]
            self.model.set_choice(index.row(), THEIRS if current == MINE else MINE)

    def apply(self) -> MergeResult | None:
        """Write the merge with the chosen sides; on success emit `merged` and close."""
        _busy()
        choices = self.model.choice_map()
        result = self.runner.write(
            f"merge of {self._source or 'the bundle'}", TABLES, lambda: apply_merge(self.store, self.plan, choices)
        )
        _idle()
        if result is None:
            self.error.setText(str(self.runner.last_refusal))
            self.error.show()
            return None
        self.result_ = result
        self.apply_button.setEnabled(False)
        self.merged.emit(result)
        self.accept()
        return result


def _plural(kind: str, n: int) -> str:
    if n == 1:
        return kind
    irregular = {"person": "people", "area of focus": "areas of focus", "agreed result": "agreed results"}
    return irregular.get(kind, kind + "s")
