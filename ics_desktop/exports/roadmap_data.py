"""What a Word document shows, read from the store in one pass: the programme, its readiness round (the room's
figures kept to the minimum group), areas, workshops, actions, milestones and people; and the small text
helpers the chapters share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ics_desktop.frameworks.assessments import agreed_results, result_of
from ics_desktop.frameworks.framework import Framework
from ics_desktop.frameworks.scoring import (
    MINIMUM_GROUP,
    AssessmentResults,
    assessment_results,
    for_the_room,
)
from ics_desktop.planning.actions import ActionRow, action_rows, display_date
from ics_desktop.planning.roadmap import latest_assessment
from ics_desktop.storage.records import AreaRecord, CatalogueRecord, MilestoneRecord, Person, ResultRecord
from ics_desktop.storage.store import Store


@dataclass
class ExportData:
    """Everything both Word documents draw on, read once from the store."""

    programme: dict[str, Any]
    system: dict[str, Any]
    framework: Framework
    assessment: dict[str, Any] | None
    agreed: dict[str, ResultRecord]
    results: AssessmentResults | None
    respondents: int
    illustrative: int
    areas: list[AreaRecord]
    catalogue: dict[int, CatalogueRecord]
    workshops: list[dict[str, Any]]
    items: dict[str, list[dict[str, Any]]]
    actions: list[ActionRow]
    milestones: list[MilestoneRecord]
    participants: list[Person]
    delivery: list[Person]
    today: date
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def system_name(self) -> str:
        return str(self.system["full_name"] or self.system["name"])

    @property
    def short_name(self) -> str:
        return str(self.system["name"] or self.system["full_name"])

    @property
    def today_iso(self) -> str:
        return self.today.isoformat()

    def area_label(self, area: AreaRecord) -> str:
        return f"{area['number']}. {area['title'] or 'Untitled area of focus'}"

    def focus_codes(self) -> list[str]:
        return [c.code for c in self.framework.capabilities if result_of(self.agreed, c.code).get("focus")]


def load_data(
    store: Store,
    programme_id: str,
    assessment_id: str | None = None,
    today: date | None = None,
    minimum_group: int = MINIMUM_GROUP,
) -> ExportData:
    """Read a programme for export (one pass; the builders never touch the store again). A question fewer than
    `minimum_group` people answered shows no figures: a document is read by the room and beyond."""
    programme = store.programme_record(programme_id)
    system = store.system(programme["system_id"])
    assessment_id = assessment_id or latest_assessment(store, programme_id)
    assessment = store.get("assessments", assessment_id) if assessment_id else None
    framework = store.framework(assessment["framework_id"]) if assessment else store.programme_framework(programme_id)
    agreed: dict[str, ResultRecord] = {}
    results = None
    respondents = illustrative = 0
    if assessment_id:
        agreed = agreed_results(store, assessment_id)
        results = for_the_room(assessment_results(store, framework, assessment_id), minimum_group)
        respondents = store.respondent_count(assessment_id)
        illustrative = store.illustrative_respondents(assessment_id)
    workshops = store.rows(
        "SELECT * FROM workshops WHERE programme_id = ? ORDER BY starts_at IS NULL, starts_at, created, id",
        (programme_id,),
    )
    items: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in store.rows(
        "SELECT i.* FROM workshop_items i JOIN workshops w ON w.id = i.workshop_id WHERE w.programme_id = ? "
        "ORDER BY i.position, i.created, i.id",
        (programme_id,),
    ):
        items[item["workshop_id"]].append(item)
    participants = store.people(programme_id, "participant")
    delivery = store.people(programme_id, "delivery")
    return ExportData(
        programme=programme,
        system=system,
        framework=framework,
        assessment=assessment,
        agreed=agreed,
        results=results,
        respondents=respondents,
        illustrative=illustrative,
        areas=store.areas_of_focus(programme_id),
        catalogue={c["number"]: c for c in store.workshop_catalogue(programme_id)},
        workshops=workshops,
        items=dict(items),
        actions=action_rows(store, programme_id),
        milestones=store.milestones(programme_id),
        participants=participants,
        delivery=delivery,
        today=today or date.today(),
        people={p.id: p for p in participants + delivery},
    )


# -- small helpers --------------------------------------------------------------------------------


def _join(names: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _when(starts_at: str | None) -> str:
    """A workshop's date (and time when one was given): '2 Oct 2018, 09:30'."""
    if not starts_at:
        return "Date to be agreed"
    day = display_date(starts_at[:10])
    time = starts_at[11:16] if len(starts_at) > 11 else ""
    return f"{day}, {time}" if time and time != "00:00" else day


def _weeks(start: str | None, end: str | None) -> str:
    try:
        days = (date.fromisoformat(str(end)) - date.fromisoformat(str(start))).days
    except ValueError:
        return ""
    return f" ({round(days / 7)} weeks)" if days > 0 else ""


def _mean(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _level(value: int | None, open_text: str) -> str:
    return open_text if value is None else str(value)
