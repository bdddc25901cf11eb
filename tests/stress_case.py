"""The documents' stress case (issue 15): the sample with 200-character names, a 3,000-character justification,
40 participants, 300 actions, milestones over four years, right-to-left text and a board paper's longest words."""

from __future__ import annotations

from ics_desktop.scale_data import generate_actions, generate_milestones
from ics_desktop.storage.store import Store
from tests.long_names import lengthen, long_text

RTL = "خطة النظام الموحدة — תוכנית מערכת אחת"


def make_stress_case(store: Store) -> str:
    """Turn the sample in `store` into the stress case; returns the programme id."""
    lengthen(store)
    (programme,) = store.programmes()
    (assessment,) = store.assessments(programme.id)
    store.set_capability_result(assessment.id, "3.2", justification=long_text(f"{RTL} ", 3000))
    store.set_capability_result(assessment.id, "1.1", justification=long_text("Why 1.1: ", 3000))
    have = len(store.people(programme.id, "participant"))
    for n in range(have, 40):
        store.add_person(programme.id, "participant", name=long_text(f"Participant {n} {RTL} "), role="Director")
    generate_actions(store, programme.id, 300 - len(store.rows("SELECT id FROM actions")))
    generate_milestones(store, programme.id, 48)
    store.conn.execute(
        "UPDATE milestones SET due_date = date('2019-01-15', '+' || (rowid * 30) || ' days') WHERE due_date IS NOT NULL"
    )
    # The board paper's own words at the longest the summary prints them: they leave page 1 little room.
    for name, value in (
        ("board_purpose", long_text("To inform the board of the system's readiness. ", 400)),
        ("board_messages", "\n".join(long_text(f"Key message {n}: {RTL} ", 200) for n in range(1, 6))),
        ("board_author", long_text("Author ", 200)),
        ("board_contact", long_text("contact@example.nhs.uk ", 200)),
        ("board_version", long_text("v", 60)),
    ):
        store.update_field("programmes", programme.id, name, value)
    return programme.id
