"""Map an assessment's results onto the programme's current framework version, after a preview.

One row per capability of the version the results were recorded against: its words, what it carries, and
where it goes (a capability of the new version, or dropped). Nothing moves until "Move results" is pressed;
the move is one step Ctrl+Z undoes.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.errors import UserFacingError
from ics_desktop.frameworks import framework_mapping as fm
from ui.undo import EditRunner

DROP = "Drop (not carried over)"


class FrameworkMappingDialog(QDialog):
    """Choose, for each old capability, the new capability its results move to."""

    def __init__(self, runner: EditRunner, assessment_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        store = runner.store
        self._assessment_id = assessment_id
        assessment = store.get("assessments", assessment_id)
        self._old = store.framework(assessment["framework_id"])
        self._new_id = store.programme(assessment["programme_id"]).framework_id
        self._new = store.framework(self._new_id)
        self.setWindowTitle(f"Move the results of '{assessment['name']}' to version {self._new.version}")
        self.moved = False

        intro = QLabel(
            f"'{assessment['name']}' was scored against version {self._old.version}. Choose where each "
            f"capability's results go in version {self._new.version}; a reworded capability is marked so you "
            "can check it still means the same. Nothing moves until you press Move results (Ctrl+Z undoes it)."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        proposed = fm.proposed_mapping(self._old, self._new)
        lines = {line.old_code: line for line in fm.preview(store, assessment_id, self._new, proposed)}
        grid = QGridLayout()
        for column, title in enumerate(("Capability", "Recorded", "Moves to")):
            head = QLabel(f"<b>{title}</b>")
            grid.addWidget(head, 0, column)
        self.choices: dict[str, QComboBox] = {}
        for row, capability in enumerate(self._old.capabilities, start=1):
            line = lines[capability.code]
            words = QLabel(f"{capability.code}  {capability.statement}")
            words.setWordWrap(True)
            words.setTextFormat(Qt.TextFormat.PlainText)
            recorded = QLabel(line.carries())
            recorded.setTextFormat(Qt.TextFormat.PlainText)
            choice = QComboBox()
            choice.setAccessibleName(f"{capability.code} moves to")
            choice.addItem(DROP, None)
            for new in self._new.capabilities:
                choice.addItem(f"{new.code}  {new.statement[:60]}", new.code)
            choice.setCurrentIndex(max(0, choice.findData(proposed[capability.code])))
            choice.currentIndexChanged.connect(self._update_preview)
            self.choices[capability.code] = choice
            grid.addWidget(words, row, 0)
            grid.addWidget(recorded, row, 1)
            grid.addWidget(choice, row, 2)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)
        rows = QWidget()
        rows.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(rows)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setAccessibleName("What will move")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b0181f; font-weight: 600;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.move_button = buttons.addButton("Move results", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.move_results)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.preview)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(980, 640)
        self._update_preview()

    def mapping(self) -> dict[str, str | None]:
        return {code: combo.currentData() for code, combo in self.choices.items()}

    def choose(self, old_code: str, new_code: str | None) -> None:
        combo = self.choices[old_code]
        combo.setCurrentIndex(combo.findData(new_code))

    def _update_preview(self) -> None:
        lines = fm.preview(self._runner.store, self._assessment_id, self._new, self.mapping())
        recorded = [line for line in lines if line.responses or line.agreed]
        dropped = [line.old_code for line in recorded if line.new_code is None]
        reworded = [line.old_code for line in recorded if line.reworded]
        moved = [line for line in recorded if line.new_code is not None]
        parts = [f"{len(moved)} capabilities' results move"]
        if reworded:
            parts.append(f"reworded, check the meaning: {', '.join(reworded)}")
        if dropped:
            parts.append(f"dropped (results not carried over): {', '.join(dropped)}")
        self.preview.setText("; ".join(parts) + ".")
        self.problem.setText("")

    def move_results(self) -> bool:
        """Apply the mapping (one undoable step); the dialog stays open with the reason when it cannot."""
        try:
            edit = fm.move_to_framework(self._runner.store, self._assessment_id, self._new_id, self.mapping())
        except UserFacingError as exc:
            self.problem.setText(str(exc))
            return False
        if not self._runner.run(edit):
            self.problem.setText(f"Nothing moved: {self._runner.last_refusal}")
            return False
        self.moved = True
        self.accept()
        return True
