"""Framework: the maturity matrix the programme is scored against, shown readably, and adapted.

The page shows the programme's own version (scale, questions, capabilities, matrix). From here a
facilitator edits it (`FrameworkEditorDialog`), imports a framework file, or exports it as JSON.
A version scored against is never changed: saving or importing makes a new version.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.errors import FrameworkError
from ics_desktop.frameworks.framework import Framework, load_framework_file
from ics_desktop.frameworks.framework_versions import (
    FRAMEWORK_TABLES,
    assessments_on_older_versions,
    framework_is_frozen,
    framework_versions,
    save_programme_framework,
)
from ui.fit import wrap
from ui.framework_editor import FrameworkEditorDialog, scored_assessment_count
from ui.models.framework_models import CapabilitiesModel, MatrixModel
from ui.pages.base import Page
from ui.undo import EditRunner

JSON_FILTER = "Framework JSON (*.json);;All files (*)"


def _table(model: CapabilitiesModel | MatrixModel, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    return view


def write_text_atomically(target: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file beside it, flushed to disk, then renamed over it."""
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _file_stem(framework: Framework) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", f"{framework.key or framework.name}-{framework.version}").strip("-")
    return stem.lower() or "framework"


class FrameworkPage(Page):
    """The programme's own version of its framework: capabilities, scale, questions and the matrix."""

    title = "Framework"
    saved = Signal(str)

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._store = runner.store
        self._programme_id: str | None = None
        self._last_folder = Path.home()
        self.editor: FrameworkEditorDialog | None = None

        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        wrap(self.heading)
        self.version_line = QLabel()
        self.version_line.setWordWrap(True)
        self.version_line.setTextFormat(Qt.TextFormat.RichText)
        self.version_line.setAccessibleName("Framework version")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)

        self.edit_button = QPushButton("&Edit framework…")
        self.edit_button.setAccessibleName("Edit framework")
        self.edit_button.setToolTip(
            "Adapt the capabilities, domains, scale and questions of this programme's framework"
        )
        self.edit_button.clicked.connect(self.edit_framework)
        self.import_button = QPushButton("&Import JSON…")
        self.import_button.setAccessibleName("Import framework from JSON")
        self.import_button.setToolTip("Use a framework from a JSON file for this programme")
        self.import_button.clicked.connect(self.import_json)
        self.export_button = QPushButton("E&xport JSON…")
        self.export_button.setAccessibleName("Export framework to JSON")
        self.export_button.setToolTip("Save this programme's framework as a JSON file")
        self.export_button.clicked.connect(self.export_json)

        self.map_button = QPushButton("&Move results to this version…")
        self.map_button.setAccessibleName("Move results to this version")
        self.map_button.setToolTip(
            "Assessments scored against an earlier version keep it until you map their capabilities to this one"
        )
        self.map_button.clicked.connect(self.map_results)
        self.map_button.hide()

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        for button in (self.map_button, self.edit_button, self.import_button, self.export_button):
            top.addWidget(button)

        self.capabilities_model = CapabilitiesModel(self)
        self.matrix_model = MatrixModel(self)
        self.capabilities = _table(self.capabilities_model, "Capabilities")
        self.matrix = _table(self.matrix_model, "Maturity matrix")
        caps_header = self.capabilities.horizontalHeader()
        caps_header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        caps_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        caps_header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        caps_header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        matrix_panel = QWidget()
        matrix_layout = QVBoxLayout(matrix_panel)
        matrix_layout.setContentsMargins(0, 0, 0, 0)
        matrix_layout.addWidget(QLabel("<b>ICS maturity matrix</b>"))
        matrix_layout.addWidget(self.matrix)
        caps_panel = QWidget()
        caps_layout = QVBoxLayout(caps_panel)
        caps_layout.setContentsMargins(0, 0, 0, 0)
        caps_layout.addWidget(QLabel("<b>Baseline capabilities</b>"))
        caps_layout.addWidget(self.capabilities)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(caps_panel)
        split.addWidget(matrix_panel)
        split.setSizes([500, 400])

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.version_line)
        layout.addWidget(self.details)
        layout.addWidget(split, 1)
        self._update_buttons()

    # -- showing -----------------------------------------------------------------------------

    def set_programme(self, programme_id: str | None) -> None:
        self._programme_id = programme_id
        self._update_buttons()
        if programme_id is None:
            self._show(None, "")
            return
        framework_id = self._store.programme(programme_id).framework_id
        self._show(self._store.framework(framework_id), self._version_text(programme_id, framework_id))

    def _show(self, framework: Framework | None, version_text: str) -> None:
        self.capabilities_model.set_framework(framework)
        self.matrix_model.set_framework(framework)
        self.capabilities.setColumnWidth(2, 260)
        self.version_line.setText(version_text)
        if framework is None:
            self.heading.setText("Framework")
            self.details.setText("")
            return
        self.heading.setText(f"{framework.name} ({framework.version})")
        scale = " · ".join(f"<b>{s.level}</b> {escape(s.label)}" for s in framework.scale)
        questions = "<br>".join(f"<b>{escape(q.label)}</b>: {escape(q.text)}" for q in framework.questions)
        not_covered = [c.code for c in framework.capabilities if not c.covered]
        covered_note = (
            f"<br><i>Not covered on this programme: {escape(', '.join(not_covered))}</i>" if not_covered else ""
        )
        self.details.setText(f"Scale: {scale}<br>{questions}{covered_note}")

    def _version_text(self, programme_id: str, framework_id: str) -> str:
        framework = self._store.framework(framework_id)
        version = f"Version <b>{escape(framework.version)}</b>"
        if framework_is_frozen(self._store, framework_id):
            n = scored_assessment_count(self._store, programme_id, framework_id)
            state = (
                f"<span style='color:#8a5a00'>frozen</span>: results (responses or agreed figures) recorded "
                f"against it in {n} assessment{'' if n == 1 else 's'}, so edits are saved as a new version"
            )
        else:
            state = "no responses or agreed figures recorded against it yet: edits change this version"
        earlier = [escape(v) for fid, v in framework_versions(self._store, programme_id) if fid != framework_id]
        kept = f" · earlier versions kept for their assessments: {', '.join(earlier)}" if earlier else ""
        behind = assessments_on_older_versions(self._store, programme_id)
        waiting = (
            f"<br><span style='color:#8a5a00'>{len(behind)} assessment{'' if len(behind) == 1 else 's'} "
            f"({escape(', '.join(name for _i, name, _f in behind))}) keep{'s' if len(behind) == 1 else ''} the "
            "version {their} results were recorded against: <b>Move results to this version…</b> maps them, "
            "after a preview</span>".replace("{their}", "its" if len(behind) == 1 else "their")
            if behind
            else ""
        )
        return f"{version} · {state}{kept}{waiting}"

    def _update_buttons(self) -> None:
        for button in (self.edit_button, self.import_button, self.export_button):
            button.setEnabled(self._programme_id is not None)
        behind = assessments_on_older_versions(self._store, self._programme_id) if self._programme_id else []
        self.map_button.setVisible(bool(behind))

    def map_results(self) -> bool:
        """Map the results of an assessment left on an earlier version onto this one (a previewed choice)."""
        if self._programme_id is None:
            return False
        behind = assessments_on_older_versions(self._store, self._programme_id)
        if not behind:
            return False
        from ui.framework_mapping_dialog import FrameworkMappingDialog

        assessment_id = behind[0][0]
        if len(behind) > 1:
            names = [name for _id, name, _fw in behind]
            name, ok = QInputDialog.getItem(self, "Move results", "Which assessment's results?", names, 0, False)
            if not ok:
                return False
            assessment_id = behind[names.index(name)][0]
        dialog = FrameworkMappingDialog(self._runner, assessment_id, self)
        moved = bool(dialog.exec()) and dialog.moved
        self._refresh("Results moved to this version (Ctrl+Z undoes it)" if moved else "")
        return moved

    def _refresh(self, message: str) -> None:
        self.set_programme(self._programme_id)
        if message:
            self.saved.emit(message)

    def flush(self) -> None:
        """Nothing to save: the page is read-only, and the editor saves as a whole."""

    # -- editing -----------------------------------------------------------------------------

    def edit_framework(self) -> FrameworkEditorDialog | None:
        """Open the editor (window-modal, without blocking); the page refreshes when it saves."""
        if self._programme_id is None:
            return None
        dialog = FrameworkEditorDialog(self._runner, self._programme_id, self)
        # Deleted once closed. Connections are bound methods, never lambdas holding the dialog: a Python
        # reference released while Qt deletes the dialog would crash PySide.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._editor_accepted)
        dialog.finished.connect(self._editor_finished)
        self.editor = dialog
        dialog.open()
        return dialog

    def _editor_accepted(self) -> None:
        self._refresh(self.editor.saved_message if self.editor is not None else "")

    def _editor_finished(self, _result: int) -> None:
        self.editor = None

    # -- import and export --------------------------------------------------------------------

    def import_json(self) -> bool:
        """Use a framework file for this programme (a new version when the current one is scored)."""
        if self._programme_id is None:
            return False
        path, _filter = QFileDialog.getOpenFileName(self, "Import framework", str(self._last_folder), JSON_FILTER)
        if not path:
            return False
        source = Path(path)
        self._last_folder = source.parent
        try:
            framework = load_framework_file(source)
        except FrameworkError as exc:
            QMessageBox.warning(self, "Import framework", f"{source.name} cannot be used as a framework.\n\n{exc}")
            return False
        programme = self._store.programme(self._programme_id)
        current = self._store.framework(programme.framework_id)
        if framework == current:
            QMessageBox.information(self, "Import framework", f"{programme.name} already uses exactly this framework.")
            return False
        if framework_is_frozen(self._store, programme.framework_id):
            consequence = (
                f"Version {current.version} has been scored against: it is kept, unchanged, for those assessments, "
                "and the programme moves to the imported framework as a new version."
            )
        else:
            consequence = f"It replaces version {current.version}, which has not been scored against yet."
        question = (
            f"Use “{framework.name}” ({framework.version}), with {len(framework.domains)} domains and "
            f"{len(framework.capabilities)} capabilities, for {programme.name}?\n\n{consequence}"
        )
        answer = QMessageBox.question(
            self,
            "Import framework",
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        programme_id = self._programme_id
        saved_id = self._runner.write(
            f"framework imported from {source.name}",
            FRAMEWORK_TABLES,
            lambda: save_programme_framework(self._store, programme_id, framework),
        )
        if saved_id is None:
            QMessageBox.warning(
                self, "Import framework", f"The framework was not imported.\n\n{self._runner.last_refusal}"
            )
            return False
        saved = self._store.framework(saved_id)
        self._refresh(f"Imported framework {saved.name} ({saved.version}) from {source.name}")
        return True

    def export_json(self) -> Path | None:
        """Save the programme's framework as a JSON file (written whole, or not at all)."""
        if self._programme_id is None:
            return None
        framework = self._store.programme_framework(self._programme_id)
        suggested = self._last_folder / f"{_file_stem(framework)}.json"
        path, _filter = QFileDialog.getSaveFileName(self, "Export framework", str(suggested), JSON_FILTER)
        if not path:
            return None
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix(".json")
        self._last_folder = target.parent
        try:
            write_text_atomically(target, framework.to_json() + "\n")
        except OSError as exc:
            QMessageBox.warning(self, "Export framework", f"The framework was not exported to {target}.\n\n{exc}")
            return None
        self.saved.emit(f"Exported framework {framework.name} ({framework.version}) to {target.name}")
        return target
