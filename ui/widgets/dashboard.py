"""The Overview's dashboard: four cards summarising where the programme stands."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ics_desktop.dates import day_text
from ics_desktop.planning.dashboard import Dashboard


def _when(value: str | None) -> str:
    if not value:
        return "date to be set"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return escape(value)
    day = day_text(parsed.date().isoformat())
    return f"{day} {parsed.strftime('%H:%M')}" if "T" in value or " " in value else day


class _Card(QFrame):
    def __init__(self, title: str) -> None:
        super().__init__()
        self.setObjectName("dashboardCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        heading = QLabel(title.upper())
        heading.setObjectName("cardHeading")
        self.body = QLabel()
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setWordWrap(True)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setAccessibleName(title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(heading)
        layout.addWidget(self.body, 1)


class DashboardStrip(QWidget):
    """Readiness headline · actions · next milestones · next workshop."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.readiness_card = _Card("Readiness")
        self.actions_card = _Card("Actions")
        self.milestones_card = _Card("Next milestones")
        self.workshop_card = _Card("Workshops")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for card in (self.readiness_card, self.actions_card, self.milestones_card, self.workshop_card):
            layout.addWidget(card, 1)
        self.setMaximumHeight(150)

    def show_dashboard(self, data: Dashboard | None, today: str | None = None) -> None:
        today = today or date.today().isoformat()
        if data is None:
            for card in (self.readiness_card, self.actions_card, self.milestones_card, self.workshop_card):
                card.body.setText("")
            return
        if data.readiness:
            r = data.readiness
            figures = " · ".join(
                f"{escape(label)} <b style='font-size:15pt;color:#003087'>{'—' if v is None else f'{v:.1f}'}</b>"
                for label, v in r.overall
            )
            when = f", {_when(r.date)}" if r.date else ""
            self.readiness_card.body.setText(
                f"{figures}<br><span style='color:#425563'>{escape(r.assessment)}{when} · "
                f"{r.respondents} respondents</span>"
            )
        else:
            self.readiness_card.body.setText("<span style='color:#425563'>No assessment yet</span>")
        open_count = sum(c for s, c in data.actions_by_status.items() if s not in ("done", "dropped"))
        done = data.actions_by_status.get("done", 0)
        overdue = (
            f"<b style='color:#da291c'>{data.actions_overdue} overdue</b>" if data.actions_overdue else "none overdue"
        )
        self.actions_card.body.setText(
            f"<b style='font-size:15pt;color:#003087'>{open_count}</b> open · {done} done · {overdue}"
            f"<br><span style='color:#425563'>{data.actions_total} actions in all</span>"
        )
        if data.next_milestones:
            lines = []
            for title, due, _status in data.next_milestones[:2]:
                late = due is not None and due < today
                colour = "#da291c" if late else "#212b32"
                short = title if len(title) <= 70 else title[:68] + "…"
                lines.append(f"<span style='color:{colour}'><b>{_when(due)}</b></span> {escape(short)}")
            self.milestones_card.body.setText("<br>".join(lines))
        else:
            self.milestones_card.body.setText("<span style='color:#425563'>No open milestones</span>")
        parts = []
        if data.next_workshop:
            name, starts, venue = data.next_workshop
            where = f" · {escape(venue)}" if venue else ""
            parts.append(f"Next: <b>{escape(name)}</b><br>{_when(starts)}{where}")
        else:
            parts.append("<span style='color:#425563'>No workshop planned</span>")
        if data.last_workshop:
            parts.append(f"<span style='color:#425563'>Last held: {escape(data.last_workshop[0])}</span>")
        self.workshop_card.body.setText("<br>".join(parts))
