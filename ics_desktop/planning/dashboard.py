"""The Overview's dashboard: readiness headline, actions by status, next milestones, next workshop."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ics_desktop.frameworks.scoring import assessment_results
from ics_desktop.planning.actions import next_milestones
from ics_desktop.planning.roadmap import latest_assessment
from ics_desktop.storage.store import Store


@dataclass
class Readiness:
    assessment: str
    date: str | None
    respondents: int
    overall: list[tuple[str, float | None]]  # (question label, overall mean)


@dataclass
class Dashboard:
    readiness: Readiness | None
    actions_total: int
    actions_by_status: dict[str, int]
    actions_overdue: int
    next_milestones: list[tuple[str, str, str]] = field(default_factory=list)  # (title, due, status)
    next_workshop: tuple[str, str | None, str] | None = None  # (title, starts_at, venue)
    last_workshop: tuple[str, str | None, str] | None = None


def dashboard(store: Store, programme_id: str, today: str | None = None) -> Dashboard:
    """Everything the dashboard shows, read in a handful of queries."""
    today = today or date.today().isoformat()
    readiness = None
    assessment_id = latest_assessment(store, programme_id)
    if assessment_id:
        record = store.get("assessments", assessment_id)
        framework = store.framework(record["framework_id"])
        results = assessment_results(store, framework, assessment_id)
        readiness = Readiness(
            record["name"],
            record["date"],
            store.respondent_count(assessment_id),
            [(q.label, results.overall(q.key)) for q in framework.questions],
        )
    total, by_status, overdue = store.action_status_counts(programme_id, today)
    milestones = [(m["title"], m["due_date"], m["status"]) for m in next_milestones(store, programme_id, today)]
    upcoming = store.conn.execute(
        "SELECT title, starts_at, venue FROM workshops WHERE programme_id = ? AND status = 'planned' "
        "AND (starts_at IS NULL OR starts_at >= ?) ORDER BY starts_at IS NULL, starts_at, created, id LIMIT 1",
        (programme_id, today),
    ).fetchone()
    last = store.conn.execute(
        "SELECT title, starts_at, venue FROM workshops WHERE programme_id = ? AND status = 'held' "
        "ORDER BY starts_at DESC, created DESC, id DESC LIMIT 1",
        (programme_id,),
    ).fetchone()
    return Dashboard(
        readiness,
        total,
        by_status,
        overdue,
        milestones,
        tuple(upcoming) if upcoming else None,
        tuple(last) if last else None,
    )
