"""People once: the programme's participants offered as respondents of a named scoring round.

A participant already scoring the round (linked by person, or by the same name typed earlier) is not
offered again; "add all" adds every other participant in one undoable step.
"""

from __future__ import annotations

from collections.abc import Sequence

from ics_desktop.storage.edits import Batch, Edit, insert_record
from ics_desktop.storage.records import Person
from ics_desktop.storage.store import Store


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def unscored_participants(store: Store, assessment_id: str) -> list[Person]:
    """The programme's named participants not yet scoring this round, in the programme's order."""
    assessment = store.get("assessments", assessment_id)
    rows = store.conn.execute(
        "SELECT label, person_id FROM respondents WHERE assessment_id = ?", (assessment_id,)
    ).fetchall()
    linked = {r[1] for r in rows if r[1]}
    labels = {_key(r[0]) for r in rows}
    return [
        p
        for p in store.people(assessment["programme_id"], "participant")
        if p.name.strip() and p.id not in linked and _key(p.name) not in labels
    ]


def participant_named(people: Sequence[Person], typed: str) -> Person | None:
    """The participant whose name is `typed` (any case, spaces tidied), if any."""
    wanted = _key(typed)
    return next((p for p in people if _key(p.name) == wanted), None) if wanted else None


def add_participants_edit(store: Store, assessment_id: str, people: Sequence[Person]) -> Edit | None:
    """One undoable step adding these participants as named respondents; None when there is nobody to add.

    Raises StoreError (a UserFacingError) when the round was scored as a tally.
    """
    if not people:
        return None
    store.check_not_tallied(assessment_id)
    steps: list[Edit] = [
        insert_record(
            "respondents",
            {"assessment_id": assessment_id, "label": p.name.strip(), "kind": "named", "illustrative": 0,
             "person_id": p.id},
            f"added participant {p.name.strip()}",
        )
        for p in people
    ]  # fmt: skip
    return steps[0] if len(steps) == 1 else Batch(f"added {len(steps)} participants", steps)
