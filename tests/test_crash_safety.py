"""Crash safety, proved: the app's process is killed (SIGKILL) at random moments while it edits and
while it imports a CSV file; after every kill `check` passes, every acknowledged edit is there, and
an import is there entirely or not at all.

The fast variants (5 kills each) run in every `pytest`; the slow ones (25 kills each) are marked
`slow` and run in CI with the rest of the suite. Seeds are fixed, so a failure can be replayed.
A SIGKILL ends the process but not the operating system, so this proves SQLite's transactions
against the app dying mid-write; power loss is covered by `synchronous=FULL`, not by this test.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage.store import Store
from tests import crash_worker as worker

ROOT = Path(__file__).resolve().parent.parent
WORKER = Path(worker.__file__)
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

IMPORT_PARTICIPANTS = 200
QUESTIONS = worker.QUESTIONS
_MISSING = object()


def _env() -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONUNBUFFERED="1")


def _check(db: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check", "--db", str(db)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


@dataclass
class Run:
    """One process, killed after `delay` seconds (from start, or from its 'ready' line)."""

    lines: list[str] = field(default_factory=list)
    killed: bool = False  # False when it finished before the kill landed
    armed_at: float = 0.0

    def acks(self) -> list[int]:
        return [int(line.split()[1]) for line in self.lines if line.startswith("ack ")]


def _run_and_kill(
    args: list[str], delay: float, *, after_ready: bool = False, armed: Callable[[], bool] | None = None
) -> Run:
    """Start a process and SIGKILL it `delay` seconds after it starts, says 'ready', or `armed()` holds."""
    run = Run()
    with subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=_env()) as proc:
        ready = threading.Event()

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                run.lines.append(line.strip())
                if line.startswith("ready"):
                    ready.set()
            ready.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        if after_ready:
            assert ready.wait(60), "the worker never became ready"
        while armed is not None and not armed() and proc.poll() is None:
            time.sleep(0.002)
        run.armed_at = time.perf_counter()
        try:
            proc.wait(delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            run.killed = True
            proc.wait(60)
        reader.join(60)
        assert proc.stderr is not None
        errors = proc.stderr.read()
    if not run.killed:
        assert proc.returncode == 0, errors
    return run


# -- a stream of edits ---------------------------------------------------------------------------


def _prepare_edit_db(path: Path) -> None:
    store = Store.open(path)
    programme_id = store.create_programme(worker.PROGRAMME, "Crash system", default_framework())
    assessment_id = store.add_assessment(programme_id, worker.ASSESSMENT, "2026-01-01")
    for i in range(worker.RESPONDENTS):
        store.add_respondent(assessment_id, f"W{i + 1:02d}")
    store.close()


@dataclass
class Ledger:
    """What the kills so far promise: acknowledged edits, and each run's one edit in flight."""

    acked: list[int] = field(default_factory=list)  # in the order they happened
    in_flight: list[int] = field(default_factory=list)  # maybe committed, never acknowledged

    def verify(self, db: Path) -> int:
        """Check the promises against the file; returns how many acknowledged edits were verified."""
        store = Store.open(db, read_only=True)
        try:
            ctx = worker.context(store)
            people = {r["id"]: r for r in store.rows("SELECT id, name, role FROM people WHERE programme_id = ?",
                                                    (ctx.programme_id,))}  # fmt: skip
            notes = dict(
                store.conn.execute("SELECT action_id, COUNT(*) FROM action_notes GROUP BY action_id").fetchall()
            )
            actions = {r[0] for r in store.conn.execute("SELECT id FROM actions")}
            scores = {
                (r[0], r[1], r[2]): r[3]
                for r in store.conn.execute("SELECT respondent_id, capability_code, question, score FROM responses")
            }
        finally:
            store.close()
        acked, maybe = set(self.acked), set(self.in_flight)
        verified = 0
        # Cell values: the last acknowledged write wins, unless an unacknowledged write came after it.
        allowed: dict[tuple[str, str, str], list[object]] = {}
        for n, ok in sorted([(n, True) for n in self.acked] + [(n, False) for n in self.in_flight]):
            if n % 4 != 2:
                continue
            respondent, code, question, score = worker.response_for(n, ctx)
            cell = (respondent, code, question)
            allowed[cell] = [score] if ok else [*allowed.get(cell, [_MISSING]), score]
        for n in self.acked:
            kind = n % 4
            if kind == 0:
                assert people[worker.person_id(n)]["name"] == f"Person {n}", f"acknowledged insert {n} lost"
            elif kind == 1:
                assert people[worker.person_id(n - 1)]["role"] == f"Role {n}", f"acknowledged edit {n} lost"
            elif kind == 3:
                assert worker.action_id(n) in actions, f"acknowledged batch {n} lost"
            verified += 1
        for cell, values in allowed.items():
            assert scores.get(cell, _MISSING) in values, f"score {cell} is {scores.get(cell)}, expected {values}"
        # Nothing half-done and nothing that was never asked for.
        for action in actions:
            assert notes.get(action, 0) == worker.NOTES_PER_ACTION, "a batch was partly saved"
        expected_actions = {worker.action_id(n) for n in acked | maybe if n % 4 == 3}
        assert actions <= expected_actions and {worker.action_id(n) for n in acked if n % 4 == 3} <= actions
        expected_people = {worker.person_id(n) for n in acked | maybe if n % 4 == 0}
        assert set(people) <= expected_people
        return verified


def _kill_edit_stream(tmp_path: Path, kills: int, seed: int) -> tuple[int, int]:
    db = tmp_path / "edits.sqlite"
    _prepare_edit_db(db)
    rng = random.Random(seed)
    ledger = Ledger()
    landed = verified = 0
    for run_index in range(kills):
        start = (run_index + 1) * 100_000  # each run writes its own block of edits
        early = rng.random() < 0.2  # sometimes while it is still opening the file (and taking a backup)
        delay = rng.uniform(0.0, 0.6) if early else rng.uniform(0.0, 0.3)
        run = _run_and_kill([sys.executable, str(WORKER), str(db), str(start)], delay, after_ready=not early)
        assert run.killed, "the worker finished before it was killed"
        landed += 1
        acks = run.acks()
        assert acks == list(range(start, start + len(acks)))
        ledger.acked.extend(acks)
        ledger.in_flight.append(start + len(acks))
        _check(db)
        verified = ledger.verify(db)
    return landed, verified


@pytest.mark.parametrize(
    ("kills", "seed"), [pytest.param(5, 20261, id="fast"), pytest.param(25, 20262, id="slow", marks=pytest.mark.slow)]
)
def test_killed_during_a_stream_of_edits_loses_nothing_acknowledged(tmp_path: Path, kills: int, seed: int) -> None:
    landed, verified = _kill_edit_stream(tmp_path, kills, seed)
    assert landed == kills
    # Some runs die before their first acknowledgement (a kill at any moment is the point); across the runs,
    # edits were acknowledged and every one of them verified. How many depends on the machine's load, so
    # the count is not a threshold (it failed CI at random when it was one per kill).
    assert verified >= 1
    print(f"\nkill test (edits): {landed} kills survived, {verified} acknowledged edits verified")


# -- a CSV import ----------------------------------------------------------------------------------


def _big_csv(path: Path, codes: list[str]) -> int:
    rows = ["participant,capability,question,score"]
    rng = random.Random(7)
    for p in range(IMPORT_PARTICIPANTS):
        for code in codes:
            for question in QUESTIONS:
                rows.append(f"P{p + 1:03d},{code},{question},{rng.randint(1, 4)}")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows) - 1


def _import_args(db: Path, csv: Path, name: str) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), "import-responses", "--db", str(db), "--programme",
            worker.PROGRAMME, "--assessment", name, "--csv", str(csv)]  # fmt: skip


def _import_state(db: Path, name: str, expected_rows: int) -> str:
    """'complete' or 'absent'; anything in between fails the test."""
    store = Store.open(db, read_only=True)
    try:
        programme = store.programme_by_name(worker.PROGRAMME)
        assert programme is not None
        found = [a for a in store.assessments(programme.id) if a.name == name]
        if not found:
            return "absent"
        [assessment] = found
        respondents = store.conn.execute(
            "SELECT COUNT(*) FROM respondents WHERE assessment_id = ?", (assessment.id,)
        ).fetchone()[0]
        responses = len(store.responses(assessment.id))
    finally:
        store.close()
    assert (respondents, responses) == (IMPORT_PARTICIPANTS, expected_rows), f"{name} was half imported"
    return "complete"


def _kill_imports(tmp_path: Path, kills: int, seed: int) -> dict[str, int]:
    db = tmp_path / "import.sqlite"
    _prepare_edit_db(db)
    csv = tmp_path / "big.csv"
    codes = [c.code for c in default_framework().capabilities]
    rows = _big_csv(csv, codes)
    assert rows == IMPORT_PARTICIPANTS * len(codes) * len(QUESTIONS)

    # One uninterrupted import: what complete looks like, and how long its transaction writes for
    # (from the first page written to the WAL until the process ends).
    wal = Path(f"{db}-wal")

    def writing() -> bool:
        return wal.exists() and wal.stat().st_size > 32  # more than the WAL header: pages are going in

    whole = _run_and_kill(_import_args(db, csv, "Baseline"), 120, armed=writing)
    assert not whole.killed
    write_seconds = time.perf_counter() - whole.armed_at
    assert _import_state(db, "Baseline", rows) == "complete"

    rng = random.Random(seed)
    outcomes = {"kills": 0, "complete": 0, "absent": 0, "finished before the kill": 0}
    attempt = 0
    while outcomes["kills"] < kills:
        attempt += 1
        assert attempt < kills * 3, "the import kept finishing before the kill"
        name = f"Import {attempt}"
        args, mode = _import_args(db, csv, name), rng.random()
        if mode < 0.2:  # while it starts and reads the file
            run = _run_and_kill(args, rng.uniform(0.0, 1.0))
        elif mode < 0.4:  # after the commit, while the WAL is copied back into the file (it grows)
            size = db.stat().st_size
            run = _run_and_kill(args, rng.uniform(0.0, 0.03), armed=lambda size=size: db.stat().st_size > size)
        else:  # while its one transaction is being written
            run = _run_and_kill(args, rng.uniform(0.0, 1.3) * write_seconds, armed=writing)
        _check(db)
        state = _import_state(db, name, rows)
        if run.killed:
            outcomes["kills"] += 1
            outcomes[state] += 1
        else:
            outcomes["finished before the kill"] += 1
            assert state == "complete"
    return outcomes


@pytest.mark.parametrize(
    ("kills", "seed"), [pytest.param(5, 31, id="fast"), pytest.param(25, 32, id="slow", marks=pytest.mark.slow)]
)
def test_killed_during_a_csv_import_leaves_all_or_nothing(tmp_path: Path, kills: int, seed: int) -> None:
    outcomes = _kill_imports(tmp_path, kills, seed)
    assert outcomes["kills"] == kills
    print(f"\nkill test (CSV import of {IMPORT_PARTICIPANTS * 14 * 3} rows): {outcomes}")
