"""The embedded sample programme: Healthier Together (BNSSG), from the September 2018 terms of reference.

The seed records only the group's figures, so the individual responses added here to demonstrate
scoring are generated (deterministically) and marked illustrative.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from ics_desktop.frameworks.framework import default_framework
from ics_desktop.paths import resource_path
from ics_desktop.storage.store import Store

SAMPLE_FILE = "healthier-together.json"
ILLUSTRATIVE_NOTE = (
    "Individual responses in this assessment are illustrative: the terms of reference record only the "
    "group's figures (overall 1.9) and the agreed current and desired maturity."
)
_RESPONDENTS = 14


def sample_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resource_path("sample", SAMPLE_FILE).read_text(encoding="utf-8"))
    return data


def _illustrative_scores(current: int, desired: int, rng: random.Random) -> dict[str, list[int | None]]:
    def draw(centre: float, sd: float) -> int:
        return max(1, min(4, round(rng.gauss(centre, sd))))

    realistic_centre = current + (desired - current) * 0.5
    scores: dict[str, list[int | None]] = {
        "now": [draw(current + 0.05, 0.55) for _ in range(_RESPONDENTS)],
        "aspire": [draw(desired - 0.1, 0.5) for _ in range(_RESPONDENTS)],
        "realistic": [draw(realistic_centre, 0.6) for _ in range(_RESPONDENTS)],
    }
    # One or two people in a room always say they don't know.
    if rng.random() < 0.35:
        scores["realistic"][rng.randrange(_RESPONDENTS)] = None
    return scores


def add_sample_programme(store: Store, name: str | None = None) -> str:
    """Write the sample programme into `store` in one transaction; returns its id."""
    data = sample_data()
    readiness = data["readiness"]
    framework = default_framework()
    for code, figures in readiness["capabilities"].items():
        if figures.get("covered") is False:
            framework = framework.with_coverage(code, False)
    programme_info = data["programme"]
    system_info = data["system"]
    with store.atomic():
        programme_id = store.create_programme(
            name or programme_info["name"],
            system_info["name"],
            framework,
            start_date=programme_info["start_date"],
            end_date=programme_info["end_date"],
        )
        programme = store.programme(programme_id)
        for field in (
            "full_name",
            "overview",
            "partner_organisations",
            "change_priorities",
            "enablers",
            "priority_areas",
            "governance_notes",
        ):
            store.update_field("systems", programme.system_id, field, system_info[field])
        for field in ("description", "structure", "anticipated_output"):
            store.update_field("programmes", programme_id, field, programme_info[field])
        store.conn.execute("UPDATE programmes SET sample = 1 WHERE id = ?", (programme_id,))

        people_ids: dict[str, str] = {}
        for person in data["people"]:
            fields = {k: v for k, v in person.items() if k != "kind"}
            people_ids[person["name"]] = store.add_person(programme_id, person["kind"], **fields)

        for entry in data["workshop_catalogue"]:
            store.insert("workshop_catalogue", {"programme_id": programme_id, **entry})

        focus_codes: set[str] = set()
        for area in data["areas_of_focus"]:
            focus_codes.update(area["capabilities"])
            store.insert(
                "areas_of_focus",
                {
                    "programme_id": programme_id,
                    "number": area["number"],
                    "title": area["title"],
                    "narrative": area["narrative"],
                    "blend": area["blend"],
                    "preferred_workshops": area["preferred_workshops"],
                    "capabilities": area["capabilities"],
                    "outputs": area["outputs"],
                    "outcomes": area["outcomes"],
                    "topic_leads": [people_ids[n] for n in area["topic_leads"] if n in people_ids],
                },
            )

        for position, row in enumerate(data["ambitions"]):
            store.insert(
                "milestones",
                {
                    "programme_id": programme_id,
                    "ambition": row["ambition"],
                    "ambition_year": row["ambition_year"],
                    "title": row["milestone"],
                    "milestone_year": row["milestone_year"],
                    "due_date": row["due_date"],
                    "areas": row["areas"],
                    "position": position,
                },
            )

        _add_workshops_and_actions(store, programme_id, data, people_ids)

        assessment_id = store.add_assessment(
            programme_id, readiness["assessment"], readiness["date"], ILLUSTRATIVE_NOTE
        )
        for code, figures in readiness["capabilities"].items():
            store.set_capability_result(
                assessment_id,
                code,
                agreed_current=figures.get("current"),
                agreed_desired=figures.get("desired"),
                focus=int(code in focus_codes),
            )
        rng = random.Random(2018)
        respondents = [
            store.add_respondent(assessment_id, f"P{i + 1:02d}", illustrative=True) for i in range(_RESPONDENTS)
        ]
        for code, figures in readiness["capabilities"].items():
            if figures.get("covered") is False or figures.get("current") is None:
                continue
            desired = figures.get("desired") or figures["current"]
            for question, scores in _illustrative_scores(figures["current"], desired, rng).items():
                for respondent_id, score in zip(respondents, scores, strict=True):
                    store.set_response(respondent_id, code, question, score)
    return programme_id


def _add_workshops_and_actions(store: Store, programme_id: str, data: dict[str, Any], people: dict[str, str]) -> None:
    """The illustrative workshops, their captured items, and actions with weekly touchpoint notes."""
    area_ids = {a["number"]: a["id"] for a in store.areas_of_focus(programme_id)}
    note = data["illustrative_note"]
    workshop_ids: list[str] = []
    for workshop in data["workshops"]:
        workshop_id = store.insert(
            "workshops",
            {
                "programme_id": programme_id,
                "title": workshop["title"],
                "starts_at": workshop["starts_at"],
                "venue": workshop["venue"],
                "status": workshop["status"],
                "areas": [area_ids[n] for n in workshop["areas"]],
                "attendees": [people[name] for name in workshop["attendees"]],
                "agenda": workshop["agenda"],
            },
        )
        workshop_ids.append(workshop_id)
        for position, item in enumerate(workshop["items"]):
            store.insert("workshop_items", {"workshop_id": workshop_id, "position": position, **item})
    for action in data["actions"]:
        action_id = store.insert(
            "actions",
            {
                "programme_id": programme_id,
                "title": action["title"],
                "owner": action["owner"],
                "due_date": action["due_date"],
                "status": action["status"],
                "area_id": area_ids[action["area"]],
                "workshop_id": workshop_ids[action["workshop"]] if action["workshop"] is not None else None,
            },
        )
        for entry in [{"date": data["programme"]["start_date"], "text": note}, *action["notes"]]:
            store.insert("action_notes", {"action_id": action_id, **entry})


def create_sample_database(path: Path) -> str:
    """Create (or add to) the database at `path` with the sample programme."""
    store = Store.open(path)
    try:
        return add_sample_programme(store)
    finally:
        store.close()
