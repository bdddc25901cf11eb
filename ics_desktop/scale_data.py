"""Data at scale for benchmarks and performance tests: thousands of plausible actions and milestones, fast.

Everything is deterministic (a seeded generator) and written with one `executemany` per table inside
one transaction, so 10,000 actions take well under a second.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

from ics_desktop.frameworks.framework import Framework, default_framework
from ics_desktop.frameworks.framework_versions import save_programme_framework
from ics_desktop.planning.actions import ACTION_STATUSES, MILESTONE_STATUSES
from ics_desktop.storage.store import Store, new_id, now_iso

_VERBS = (
    "Draft", "Agree", "Circulate", "Review", "Publish", "Schedule", "Confirm", "Share", "Map", "Test",
    "Sign off", "Update", "Present", "Collate", "Prepare",
)  # fmt: skip
_OBJECTS = (
    "the memorandum of understanding", "the single system plan", "risk-share principles for urgent care",
    "the communications strategy", "terms of reference for the partnership board", "the population health dataset",
    "the primary care network roadmap", "the clinical cabinet development programme", "the system control total",
    "the governance framework", "the shared vision narrative", "the 3-year financial roadmap",
    "the peer review approach", "the locality model", "the workforce plan", "the digital strategy",
)  # fmt: skip
_TAILS = (
    "", "", "", " with the finance directors", " for the executive group", " ahead of the next workshop",
    " with local authority partners", " for board approval", " with clinical leads", " across all partners",
)  # fmt: skip
_OWNERS = (
    "Julia Ross", "Robert Woolley", "Amanda Deeks", "Ruth Taylor", "James Rimmer", "Laura Nicholas",
    "Sarah Truelove", "Rebecca Dunn", "Martin Jones", "Bill Oldfield", "Sara Blackmore", "Peter Brindle",
    "Catherine Evans", "Christopher French", "Neeraj Sharma", "",
)  # fmt: skip
_STATUS_WEIGHTS = (40, 20, 5, 30, 5)  # open, in progress, blocked, done, dropped
_NOTES = (
    "Discussed on the weekly call; on track.", "Waiting for comments from partners.", "First draft shared.",
    "Raised at the executive group.", "Slipped: new date agreed.", "Finance leads met; next steps agreed.",
)  # fmt: skip


def generate_actions(
    store: Store,
    programme_id: str,
    count: int = 10_000,
    *,
    seed: int = 2018,
    start: date | None = None,
    notes_per_action: float = 0.5,
) -> int:
    """Add `count` actions (and about `notes_per_action` progress notes each) to a programme; returns the count.

    Owners are the programme's participants when it has any; areas and workshops are the programme's own.
    Due dates spread over a year around `start` (today by default), so some are overdue; some have none.
    """
    rng = random.Random(seed)
    start = start or date.today()
    owners = [p.name for p in store.people(programme_id) if p.name] or list(_OWNERS)
    owners.append("")
    areas: list[tuple[str | None, list[str]]] = [
        (a["id"], a["capabilities"]) for a in store.areas_of_focus(programme_id)
    ]
    areas = areas or [(None, [])]
    workshops: list[str | None] = [
        w for (w,) in store.conn.execute("SELECT id FROM workshops WHERE programme_id = ?", (programme_id,))
    ] or [None]
    stamp = now_iso()
    actions: list[tuple[object, ...]] = []
    notes: list[tuple[object, ...]] = []
    for number in range(count):
        action_id = new_id()
        area_id, caps = rng.choice(areas) if rng.random() < 0.85 else (None, [])
        due = None if rng.random() < 0.08 else (start + timedelta(days=rng.randint(-180, 200))).isoformat()
        status = rng.choices(ACTION_STATUSES, _STATUS_WEIGHTS)[0]
        title = f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)}{rng.choice(_TAILS)} ({number + 1})"
        chosen_caps = sorted(rng.sample(caps, k=min(len(caps), rng.randint(0, 2))))
        actions.append(
            (
                action_id, programme_id, title, rng.choice(owners), due, status, area_id, rng.choice(workshops),
                json.dumps(chosen_caps), stamp, stamp,
            )
        )  # fmt: skip
        note_count = int(notes_per_action * 2 * rng.random() + 0.5)
        for n in range(note_count):
            day = (start - timedelta(days=7 * (note_count - n))).isoformat()
            notes.append((new_id(), action_id, day, rng.choice(_NOTES), stamp, stamp))
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO actions (id, programme_id, title, owner, due_date, status, area_id, workshop_id, "
            "capabilities, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            actions,
        )
        store.conn.executemany(
            "INSERT INTO action_notes (id, action_id, date, text, created, modified) VALUES (?, ?, ?, ?, ?, ?)", notes
        )
    return count


def generate_milestones(store: Store, programme_id: str, count: int = 300, *, seed: int = 2019) -> int:
    """Add `count` milestones (ambition → milestone, due over two financial years) to a programme."""
    rng = random.Random(seed)
    numbers = [a["number"] for a in store.areas_of_focus(programme_id)]
    codes = [c.code for c in store.programme_framework(programme_id).capabilities]
    first = store.conn.execute(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM milestones WHERE programme_id = ?", (programme_id,)
    ).fetchone()[0]
    stamp = now_iso()
    rows = []
    for n in range(count):
        year = 2019 + n % 2
        due = date(year + 1, 3, 31) - timedelta(days=rng.randint(0, 300))
        rows.append(
            (
                new_id(), programme_id, f"Ambition {n + 1}: {rng.choice(_OBJECTS)} in place",
                f"{year + 1}/{(year + 2) % 100:02d}",
                f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)}", f"{year}/{(year + 1) % 100:02d}", due.isoformat(),
                rng.choice(MILESTONE_STATUSES), json.dumps(sorted(rng.sample(numbers, k=min(len(numbers), 2)))),
                json.dumps(sorted(rng.sample(codes, k=min(len(codes), 2)))), first + n, stamp, stamp,
            )
        )  # fmt: skip
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO milestones (id, programme_id, ambition, ambition_year, title, milestone_year, due_date, "
            "status, areas, capabilities, position, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    return count


def scale_framework(capabilities: int = 25) -> Framework:
    """The ICS baseline matrix widened to `capabilities` (extra capabilities added round the domains)."""
    from ics_desktop.frameworks.framework_edit import add_capability, suggest_code

    framework = default_framework()
    domain = 0
    while len(framework.capabilities) < capabilities:
        code = suggest_code(framework, domain)
        framework = add_capability(framework, domain, code, f"Additional capability {code} for the scale data set.")
        domain = (domain + 1) % len(framework.domains)
    return framework


def generate_responses(store: Store, assessment_id: str, participants: int = 200, *, seed: int = 2018) -> int:
    """`participants` respondents each scoring every capability on every question (one executemany)."""
    rng = random.Random(seed)
    record = store.get("assessments", assessment_id)
    framework = store.framework(record["framework_id"])
    stamp = now_iso()
    respondents = [(new_id(), f"P{i + 1:03d}") for i in range(participants)]
    response_rows = []
    for respondent_id, _label in respondents:
        for cap in framework.capabilities:
            centre = rng.uniform(1.5, 3.0)
            for q, offset in zip(framework.question_keys(), (0.0, 1.2, 0.6), strict=False):
                score: int | None = max(1, min(4, round(rng.gauss(centre + offset, 0.7))))
                if rng.random() < 0.02:
                    score = None
                response_rows.append((new_id(), respondent_id, cap.code, q, score, stamp, stamp))
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO respondents (id, assessment_id, label, kind, illustrative, created, modified) "
            "VALUES (?, ?, ?, 'anonymous', 1, ?, ?)",
            [(rid, assessment_id, label, stamp, stamp) for rid, label in respondents],
        )
        store.conn.executemany(
            "INSERT INTO responses (id, respondent_id, capability_code, question, score, created, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            response_rows,
        )
        for cap in framework.capabilities:
            store.set_capability_result(
                assessment_id, cap.code, agreed_current=rng.randint(1, 3), agreed_desired=rng.randint(3, 4),
                focus=int(rng.random() < 0.4), justification="Agreed in the room after discussion.",
            )  # fmt: skip
    return len(response_rows)


def generate_workshops(store: Store, programme_id: str, count: int = 60, *, seed: int = 2020) -> int:
    """`count` workshops across the areas of focus, each with a few captured items."""
    rng = random.Random(seed)
    areas = [a["id"] for a in store.areas_of_focus(programme_id)]
    stamp = now_iso()
    start = date(2018, 9, 17)
    workshops, items = [], []
    for i in range(count):
        workshop_id = new_id()
        when = start + timedelta(days=7 * i)
        workshops.append((
            workshop_id, programme_id, f"Workshop {i + 1}: {rng.choice(_OBJECTS)}", f"{when.isoformat()}T09:30",
            rng.choice(("held", "planned")), json.dumps(rng.sample(areas, min(2, len(areas)))), stamp, stamp,
        ))  # fmt: skip
        for position in range(rng.randint(2, 8)):
            kind = rng.choice(("output", "decision", "risk", "note"))
            items.append((new_id(), workshop_id, kind, f"{rng.choice(_VERBS)} {rng.choice(_OBJECTS)}", position,
                          stamp, stamp))  # fmt: skip
    with store.atomic():
        store.conn.executemany(
            "INSERT INTO workshops (id, programme_id, title, starts_at, status, areas, created, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            workshops,
        )
        store.conn.executemany(
            "INSERT INTO workshop_items (id, workshop_id, kind, text, position, created, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            items,
        )
    return len(workshops)


def create_scale_database(path: Path, *, participants: int = 200, capabilities: int = 25, workshops: int = 60,
                          actions: int = 10_000, milestones: int = 300) -> str:  # fmt: skip
    """The benchmark's data set: the sample programme's people and areas at docs/design.md's scale."""
    from ics_desktop.sample import add_sample_programme

    store = Store.open(path)
    try:
        programme_id = add_sample_programme(store, name="Scale programme")
        with store.atomic():
            store.conn.execute("DELETE FROM workshops WHERE programme_id = ?", (programme_id,))
            store.conn.execute("DELETE FROM actions WHERE programme_id = ?", (programme_id,))
            store.conn.execute("DELETE FROM milestones WHERE programme_id = ?", (programme_id,))
            store.conn.execute("DELETE FROM assessments WHERE programme_id = ?", (programme_id,))
        save_programme_framework(store, programme_id, scale_framework(capabilities))
        assessment_id = store.add_assessment(programme_id, "Scale readiness exercise", "2018-09-10")
        generate_responses(store, assessment_id, participants)
        generate_workshops(store, programme_id, workshops)
        generate_actions(store, programme_id, actions)
        generate_milestones(store, programme_id, milestones)
        return programme_id
    finally:
        store.close()
