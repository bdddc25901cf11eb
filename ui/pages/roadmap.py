"""Roadmap: per capability, agreed current → desired and what moves it; a timeline by quarter."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from ics_desktop.planning.actions import ActionRow, action_rows
from ics_desktop.planning.roadmap import capability_roadmap, latest_assessment, timeline
from ui.fit import shrink, wrap
from ui.models.roadmap_model import RoadmapModel
from ui.pages.base import Page
from ui.undo import EditRunner
from ui.widgets.chart_canvas import ChartCanvas

if TYPE_CHECKING:
    from matplotlib.figure import Figure

ROADMAP_TABLES = frozenset(
    {"capability_results", "assessments", "areas_of_focus", "workshops", "actions", "milestones", "frameworks",
     "programmes"}
)  # fmt: skip


class RoadmapPage(Page):
    """Read-only view that draws together readiness, areas of focus, workshops, actions and milestones."""

    title = "Roadmap"

    def __init__(self, runner: EditRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._store = runner.store
        self._programme_id: str | None = None
        runner.changed.connect(self._tables_changed)
        self.heading = QLabel("Roadmap")
        self.heading.setObjectName("pageHeading")
        wrap(self.heading)
        self.assessment = QComboBox()
        self.assessment.setAccessibleName("Assessment the agreed maturities come from")
        self.assessment.currentIndexChanged.connect(lambda _i: self.refresh())
        top = QHBoxLayout()
        top.addWidget(QLabel("Agreed maturity from:"))
        top.addWidget(self.assessment)
        top.addStretch(1)
        legend = QLabel("Highlighted rows are focus capabilities. Hover a cell to see every item.")
        legend.setObjectName("pageNote")
        shrink(legend)
        top.addWidget(legend)

        self.model = RoadmapModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("Roadmap by capability")
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.chart = ChartCanvas()
        self.chart.setAccessibleName("Roadmap timeline")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.chart)
        split.setSizes([420, 330])
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(split, 1)

    def set_programme(self, programme_id: str | None) -> None:
        self._programme_id = programme_id
        self.assessment.blockSignals(True)
        self.assessment.clear()
        if programme_id:
            for a in self._store.assessments(programme_id):
                self.assessment.addItem(a.name, a.id)
            latest = latest_assessment(self._store, programme_id)
            self.assessment.setCurrentIndex(max(0, self.assessment.findData(latest)))
        self.assessment.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        if not self._programme_id:
            self.model.set_rows([])
            return
        programme = self._store.programme(self._programme_id)
        self.heading.setText(f"Roadmap — {programme.system_name}")
        actions = action_rows(self._store, self._programme_id)  # read once for the table and the timeline
        self.model.set_rows(capability_roadmap(self._store, self._programme_id, self.assessment.currentData(), actions))
        for column, width in enumerate((52, 230, 110, 210, 140, 190)):
            self.table.setColumnWidth(column, width)
        self.chart.request(lambda: self._timeline(actions))

    def _timeline(self, actions: list[ActionRow]) -> Figure:
        from ics_desktop.charts.timeline import timeline_chart

        assert self._programme_id
        return timeline_chart(timeline(self._store, self._programme_id, actions=actions), height=4.2)

    def _tables_changed(self, tables: set[str]) -> None:
        if self._programme_id and tables & ROADMAP_TABLES:
            if "assessments" in tables:
                self.set_programme(self._programme_id)
            else:
                self.refresh()

    def smoke_views(self, grab: Callable[[], QPixmap]) -> Iterator[tuple[str, QPixmap]]:
        self.chart.flush_pending()
        yield "timeline", grab()

    def flush(self) -> None:
        """Read-only: nothing to save."""
