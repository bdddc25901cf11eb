"""'Create areas of focus from focus capabilities': the agreed focus capabilities, pre-ticked, become areas."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ics_desktop.errors import UserFacingError
from ics_desktop.limits import NAME
from ics_desktop.planning import focus_areas
from ui.undo import EditRunner


class FocusAreasDialog(QDialog):
    """Tick capabilities (the focus ones are ticked already), choose one area per domain or one for all."""

    def __init__(self, runner: EditRunner, assessment_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Create areas of focus from focus capabilities")
        self._runner = runner
        store = runner.store
        assessment = store.get("assessments", assessment_id)
        self._programme_id = str(assessment["programme_id"])
        self._framework = store.framework(assessment["framework_id"])
        focus = set(focus_areas.focus_capabilities(store, assessment_id, self._framework))
        self.created = 0

        intro = QLabel(
            f"{len(focus)} capabilities are marked as focus in '{assessment['name']}' and are ticked below. "
            "Each new area of focus addresses the capabilities ticked; reword the titles on the Areas page."
            if focus
            else "No capability is marked as focus yet: tick the ones the new area of focus should address."
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.capabilities = QListWidget()
        self.capabilities.setAccessibleName("Capabilities")
        self.capabilities.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.capabilities.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # elide, never widen
        for capability in self._framework.capabilities:
            if not capability.covered:
                continue
            item = QListWidgetItem(f"{capability.code}  {capability.statement}")
            item.setData(Qt.ItemDataRole.UserRole, capability.code)
            item.setToolTip(capability.statement)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if capability.code in focus else Qt.CheckState.Unchecked)
            self.capabilities.addItem(item)
        self.per_domain = QRadioButton("One area of focus for each domain (titled after the domain)")
        self.one_area = QRadioButton("One area of focus for every capability ticked, called:")
        self.per_domain.setChecked(True)
        self.title = QLineEdit()
        self.title.setAccessibleName("Title of the new area")
        self.title.setMaxLength(NAME)
        self.title.setPlaceholderText("e.g. Sharpening and communicating our vision")
        self.title.setEnabled(False)
        self.one_area.toggled.connect(self.title.setEnabled)
        self.problem = QLabel("")
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.problem.setAccessibleName("Problem")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.addButton("Create", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.create_areas)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.capabilities, 1)
        layout.addWidget(self.per_domain)
        layout.addWidget(self.one_area)
        layout.addWidget(self.title)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(640, 520)

    def ticked(self) -> list[str]:
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for i in range(self.capabilities.count())
            if (item := self.capabilities.item(i)).checkState() == Qt.CheckState.Checked
        ]

    def create_areas(self) -> bool:
        """Make the areas (one undoable step); the dialog stays open with the reason when it cannot."""
        proposed = focus_areas.propose(
            self._framework, self.ticked(), per_domain=self.per_domain.isChecked(), title=self.title.text()
        )
        try:
            edit = focus_areas.create_areas_edit(self._runner.store, self._programme_id, proposed)
        except UserFacingError as exc:
            self.problem.setText(str(exc))
            return False
        if not self._runner.run(edit):
            self.problem.setText(f"Nothing was created: {self._runner.last_refusal}")
            return False
        self.created = len(proposed)
        self.accept()
        return True
