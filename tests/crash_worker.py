"""A process that edits a database as fast as it can, printing "ack <n>" after each committed edit.

Run as `python tests/crash_worker.py DB START`; tests/test_crash_safety.py kills it (SIGKILL) at
random moments and checks that every acknowledged edit survived. Edit `n` is fully determined by
`n`, so the test knows what each acknowledgement promises:

* n % 4 == 0: insert participant "Person n" (id from `person_id(n)`)
* n % 4 == 1: set that person's (n - 1) role to "Role n"
* n % 4 == 2: set one score (cell and value from `response_for`)
* n % 4 == 3: a Batch: an action and its three progress notes, all or nothing
"""

from __future__ import annotations

import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from ics_desktop.storage import edits  # noqa: E402 - after the path is set for a script run
from ics_desktop.storage.store import Store  # noqa: E402

PROGRAMME = "Crash test"
ASSESSMENT = "Worker scores"
RESPONDENTS = 10
MAX_EDITS = 50_000
MAX_SECONDS = 60.0  # a worker nobody kills stops by itself
NOTES_PER_ACTION = 3
_NS = uuid.UUID("6f1c1a52-5a4e-4f8e-9d59-2b7d3c0e8a11")
QUESTIONS = ("now", "aspire", "realistic")


def person_id(n: int) -> str:
    return str(uuid.uuid5(_NS, f"person-{n}"))


def action_id(n: int) -> str:
    return str(uuid.uuid5(_NS, f"action-{n}"))


def note_id(n: int, i: int) -> str:
    return str(uuid.uuid5(_NS, f"note-{n}-{i}"))


@dataclass(frozen=True)
class Context:
    programme_id: str
    respondent_ids: tuple[str, ...]
    codes: tuple[str, ...]


def context(store: Store) -> Context:
    programme = store.programme_by_name(PROGRAMME)
    assert programme is not None
    [assessment] = [a for a in store.assessments(programme.id) if a.name == ASSESSMENT]
    rows = store.conn.execute(
        "SELECT id FROM respondents WHERE assessment_id = ? ORDER BY label", (assessment.id,)
    ).fetchall()
    codes = tuple(c.code for c in store.programme_framework(programme.id).capabilities)
    return Context(programme.id, tuple(r[0] for r in rows), codes)


def response_for(n: int, ctx: Context) -> tuple[str, str, str, int | None]:
    """(respondent id, capability code, question, score) written by edit n (n % 4 == 2)."""
    step = n // 4
    cells = len(ctx.respondent_ids) * len(ctx.codes) * len(QUESTIONS)
    cell, visit = step % cells, step // cells
    respondent = ctx.respondent_ids[cell % len(ctx.respondent_ids)]
    rest = cell // len(ctx.respondent_ids)
    code, question = ctx.codes[rest % len(ctx.codes)], QUESTIONS[rest // len(ctx.codes)]
    score = None if (visit + n) % 5 == 0 else (visit + n) % 4 + 1  # now and then "don't know"
    return respondent, code, question, score


def edit_for(n: int, store: Store, ctx: Context) -> edits.Edit:
    kind = n % 4
    if kind == 0:
        values = {"id": person_id(n), "programme_id": ctx.programme_id, "kind": "participant"}
        return edits.InsertRecord(f"add person {n}", "people", {**values, "name": f"Person {n}", "position": n})
    if kind == 1:
        return edits.set_field(store, "people", person_id(n - 1), "role", f"Role {n}", f"role {n}")
    if kind == 2:
        respondent, code, question, score = response_for(n, ctx)
        return edits.set_response(store, respondent, code, question, score, f"score {n}")
    parts: list[edits.Edit] = [
        edits.InsertRecord(
            f"action {n}", "actions", {"id": action_id(n), "programme_id": ctx.programme_id, "title": f"Action {n}"}
        )
    ]
    for i in range(NOTES_PER_ACTION):
        values = {"id": note_id(n, i), "action_id": action_id(n), "date": "2026-01-31", "text": f"Note {n}.{i}"}
        parts.append(edits.InsertRecord(f"note {n}.{i}", "action_notes", values))
    return edits.Batch(f"action {n} with notes", parts)


def main(argv: list[str]) -> int:
    db, start = Path(argv[1]), int(argv[2])
    store = Store.open(db, backup_on_open=True)
    ctx = context(store)
    print("ready", flush=True)
    deadline = time.monotonic() + MAX_SECONDS
    for n in range(start, start + MAX_EDITS):
        edit_for(n, store, ctx).apply(store)  # committed when apply returns
        sys.stdout.write(f"ack {n}\n")
        sys.stdout.flush()
        if time.monotonic() > deadline:
            break
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
