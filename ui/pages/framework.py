"""Framework: the maturity matrix the programme is scored against, shown readably."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from ics_desktop.store import Store
from ui.models.framework_models import CapabilitiesModel, MatrixModel
from ui.pages.base import Page


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


class FrameworkPage(Page):
    """The programme's own version of its framework: capabilities, scale, questions and the matrix."""

    title = "Framework"

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)

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
        layout.addWidget(self.heading)
        layout.addWidget(self.details)
        layout.addWidget(split, 1)

    def set_programme(self, programme_id: str | None) -> None:
        framework = self._store.programme_framework(programme_id) if programme_id else None
        self.capabilities_model.set_framework(framework)
        self.matrix_model.set_framework(framework)
        self.capabilities.setColumnWidth(2, 260)
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

    def flush(self) -> None:
        """Nothing to save: the framework is read-only here."""
