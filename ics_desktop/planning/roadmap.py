"""The roadmap: per capability, agreed current → desired and what moves it; a timeline by quarter."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ics_desktop.frameworks.assessments import agreed_results, result_of
from ics_desktop.planning.actions import ActionRow, action_rows
from ics_desktop.storage.store import Store


@dataclass
class CapabilityRoadmap:
    code: str
    statement: str
    covered: bool
    current: int | None
    desired: int | None
    focus: bool
    desired_open: bool = False  # desired maturity left open ("?"), not merely not entered
    areas: list[str] = field(default_factory=list)
    workshops: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    milestones: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TimelineItem:
    kind: str  # "milestone" or "action"
    title: str
    due: date
    area: str
    status: str


def quarter_label(day: date) -> str:
    """Calendar quarter, e.g. 'Q1 2019' (Jan–Mar)."""
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def latest_assessment(store: Store, programme_id: str) -> str | None:
    """The most recent assessment that has agreed figures, else the most recent one."""
    found = store.assessments(programme_id)
    with_agreed = [a for a in found if store.capability_results(a.id)]
    chosen = (with_agreed or found)[-1:] if found else []
    return chosen[0].id if chosen else None


def capability_roadmap(
    store: Store, programme_id: str, assessment_id: str | None = None, actions: list[ActionRow] | None = None
) -> list[CapabilityRoadmap]:
    """For each capability: where the group agreed it is and wants to be, and what is planned to move it."""
    framework = store.programme_framework(programme_id)
    assessment_id = assessment_id or latest_assessment(store, programme_id)
    agreed = agreed_results(store, assessment_id) if assessment_id else {}
    areas = store.areas_of_focus(programme_id)
    workshops = store.rows(
        "SELECT * FROM workshops WHERE programme_id = ? ORDER BY starts_at, created, id", (programme_id,)
    )
    milestones = store.milestones(programme_id)
    actions = action_rows(store, programme_id) if actions is None else actions
    out = []
    for cap in framework.capabilities:
        row = result_of(agreed, cap.code)
        entry = CapabilityRoadmap(
            cap.code, cap.statement, cap.covered, row.get("agreed_current"), row.get("agreed_desired"),
            bool(row.get("focus")), bool(row.get("desired_open")),
        )  # fmt: skip
        area_ids = {a["id"] for a in areas if cap.code in a["capabilities"]}
        area_numbers = {a["number"] for a in areas if a["id"] in area_ids}
        entry.areas = [f"{a['number']}. {a['title']}" for a in areas if a["id"] in area_ids]
        entry.workshops = [w["title"] for w in workshops if set(w["areas"]) & area_ids]
        entry.actions = [a.title for a in actions if a.area_id in area_ids or cap.code in a.capabilities]
        entry.milestones = [
            m["title"] for m in milestones if cap.code in m["capabilities"] or set(m["areas"]) & area_numbers
        ]
        out.append(entry)
    return out


def timeline(
    store: Store, programme_id: str, include_done: bool = True, actions: list[ActionRow] | None = None
) -> dict[str, list[TimelineItem]]:
    """Milestones and actions with due dates, grouped by area of focus (or 'No area of focus')."""
    areas = {a["number"]: f"{a['number']}. {a['title']}" for a in store.areas_of_focus(programme_id)}
    by_area: dict[str, list[TimelineItem]] = defaultdict(list)
    for m in store.milestones(programme_id):
        if not m["due_date"]:
            continue
        names = [areas[n] for n in m["areas"] if n in areas] or ["No area of focus"]
        for name in names:
            by_area[name].append(
                TimelineItem("milestone", m["title"], date.fromisoformat(m["due_date"]), name, m["status"])
            )
    for a in action_rows(store, programme_id) if actions is None else actions:
        if not a.due_date or (not include_done and a.status in ("done", "dropped")):
            continue
        name = a.area or "No area of focus"
        by_area[name].append(TimelineItem("action", a.title, date.fromisoformat(a.due_date), name, a.status))
    ordered = sorted(by_area, key=lambda n: (n == "No area of focus", n))
    return {name: sorted(by_area[name], key=lambda i: i.due) for name in ordered}
