"""The `summary` command's JSON: one object per programme (the fields are a published contract)."""

from __future__ import annotations

from datetime import date
from typing import Any

from ics_desktop.frameworks.assessments import agreed_results, result_of
from ics_desktop.frameworks.scoring import assessment_results
from ics_desktop.storage.records import Programme
from ics_desktop.storage.store import Store


def programme_summary(store: Store, programme: Programme, today: str | None = None) -> dict[str, Any]:
    """Everything `summary` reports about one programme."""
    framework = store.framework(programme.framework_id)
    assessments = []
    for assessment in store.assessments(programme.id):
        fw = store.framework(assessment.framework_id)
        results = assessment_results(store, fw, assessment.id)
        agreed = agreed_results(store, assessment.id)
        capabilities: dict[str, Any] = {}
        for cap in fw.capabilities:
            entry: dict[str, Any] = {}
            for q in fw.questions:
                r = results.result(cap.code, q.key)
                entry[q.key] = {
                    "mean": r.mean,
                    "n": r.n,
                    "counts": {str(level): count for level, count in r.counts.items()},
                    "dont_know": r.dont_know,
                    "spread": r.spread,
                }
            row = result_of(agreed, cap.code)
            entry.update(
                agreed_current=row.get("agreed_current"),
                agreed_desired=row.get("agreed_desired"),
                desired_open=bool(row.get("desired_open", 0)),
                change=row.get("change"),
                focus=bool(row.get("focus", 0)),
                justification=row.get("justification", ""),
            )
            capabilities[cap.code] = entry
        assessments.append(
            {
                "name": assessment.name,
                "date": assessment.date,
                "respondents": store.respondent_count(assessment.id),
                "illustrative_respondents": store.illustrative_respondents(assessment.id),
                "overall": {q.key: results.overall(q.key) for q in fw.questions},
                "capabilities": capabilities,
            }
        )
    total, by_status, overdue = store.action_status_counts(programme.id, today or date.today().isoformat())
    return {
        "name": programme.name,
        "system": programme.system_name,
        "framework": {
            "name": framework.name,
            "version": framework.version,
            "capabilities": [
                {
                    "code": c.code,
                    "domain": framework.domain_of(c.code).title,
                    "statement": c.statement,
                    "covered": c.covered,
                }
                for c in framework.capabilities
            ],
        },
        "participants": len(store.people(programme.id, "participant")),
        "assessments": assessments,
        "areas_of_focus": [
            {
                "number": a["number"],
                "title": a["title"],
                "capabilities": a["capabilities"],
                "workshops": a["preferred_workshops"],
            }
            for a in store.areas_of_focus(programme.id)
        ],
        "workshops": store.count("workshops", programme.id),
        "actions": {"total": total, "by_status": by_status, "overdue": overdue},
        "milestones": store.count("milestones", programme.id),
    }


def summary(store: Store, programme_name: str | None = None) -> dict[str, Any]:
    """`{"programmes": [...]}` for every programme, or just the named one."""
    if programme_name is not None:
        found = store.programme_by_name(programme_name)
        assert found is not None
        programmes = [found]
    else:
        programmes = store.programmes()
    return {"programmes": [programme_summary(store, p) for p in programmes]}
