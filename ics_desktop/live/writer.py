"""The one thread that writes a live round's answers to the database.

HTTP threads never touch SQLite: they hand a checked ballot to `BallotWriter.submit` and wait. The writer
takes every ballot waiting in its queue and writes them in one transaction (sixty phones answering at the
same moment cost one flush to disk, not sixty), then wakes each waiting thread: a phone is told its answers
are saved only once they are committed. A phone's answers are the respondent it created the first time
(found again by a hash of its own random id), so sending a ballot again replaces them: never a second
respondent, never a duplicate answer.
"""

from __future__ import annotations

import hashlib
import queue
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ics_desktop.errors import UserFacingError
from ics_desktop.live.ballot import Ballot, BallotError
from ics_desktop.storage.store import Store, new_id, now_iso

# Letters and digits nobody misreads on a projector (no 0/O, 1/I/L, 5/S).
CODE_LETTERS = "ABCDEFGHJKMNPQRTUVWXYZ2346789"
ANONYMOUS_PREFIX = "Phone "


def device_hash(device: str) -> str:
    """What is stored of a phone's id: enough to recognise it again, nothing to identify it by."""
    return hashlib.sha256(f"ics-desktop-live:{device}".encode()).hexdigest()


def short_code(length: int = 4) -> str:
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(length))


@dataclass(frozen=True)
class RoundStatus:
    """What the facilitator's live view shows: never a score, never a name."""

    devices: int = 0  # phones that sent at least one answer
    complete: int = 0  # phones that answered every question of every capability
    partial: int = 0
    answers_by_capability: dict[str, int] = field(default_factory=dict)  # phones that answered it
    responses: int = 0
    problem: str = ""  # why the last answers could not be saved ("" when they were)


class WriteRefused(Exception):
    """The database refused the answers (a full disk …); the message is for the phone."""


@dataclass
class _Job:
    ballot: Ballot
    done: threading.Event = field(default_factory=threading.Event)
    saved: int = 0
    error: Exception | None = None


_STOP = object()


class BallotWriter:
    """Writes ballots for one assessment; `submit` returns once they are committed."""

    def __init__(
        self,
        db_path: Path,
        assessment_id: str,
        questions: tuple[str, ...],
        covered: tuple[str, ...],
        on_committed: Callable[[RoundStatus], None] | None = None,
    ) -> None:
        self._db_path = db_path
        self._assessment_id = assessment_id
        self._questions = questions
        self._covered = covered
        self._on_committed = on_committed
        self._queue: queue.Queue[object] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="live-vote-writer", daemon=True)
        self._status = RoundStatus()
        self._status_lock = threading.Lock()
        self._ready = threading.Event()
        self._open_error: Exception | None = None

    # -- the HTTP side --------------------------------------------------------------------------

    def start(self) -> None:
        """Open the writer's own connection (raises StoreError if the file cannot be written)."""
        self._thread.start()
        self._ready.wait()
        if self._open_error is not None:
            raise self._open_error

    def submit(self, ballot: Ballot, timeout: float = 30.0) -> int:
        """Write a phone's answers and wait for the commit; returns how many answers it holds now."""
        job = _Job(ballot)
        self._queue.put(job)
        if not job.done.wait(timeout):
            raise WriteRefused("The laptop is busy; your answers were not saved yet. Try again in a moment.")
        if job.error is not None:
            raise job.error
        return job.saved

    def status(self) -> RoundStatus:
        with self._status_lock:
            return self._status

    def stop(self) -> None:
        """Finish what is queued, then close the connection."""
        if self._thread.is_alive():
            self._queue.put(_STOP)
            self._thread.join()

    # -- the writer thread ----------------------------------------------------------------------

    def _run(self) -> None:
        try:
            store = Store.open(self._db_path)
        except Exception as exc:  # reported to start(); the round does not open
            self._open_error = exc
            self._ready.set()
            return
        try:
            self._refresh_status(store, "")
            self._ready.set()
            stopping = False
            while not stopping:
                batch = [self._queue.get()]
                while True:  # everything else already waiting goes into the same transaction
                    try:
                        batch.append(self._queue.get_nowait())
                    except queue.Empty:
                        break
                jobs = [j for j in batch if isinstance(j, _Job)]
                stopping = any(j is _STOP for j in batch)
                if jobs:
                    self._write(store, jobs)
        finally:
            store.close()

    def _write(self, store: Store, jobs: list[_Job]) -> None:
        problem = ""
        try:
            with store.atomic():
                for job in jobs:
                    store.conn.execute("SAVEPOINT ballot")
                    try:
                        job.saved = self._write_one(store, job.ballot)
                        store.conn.execute("RELEASE ballot")
                    except BallotError as exc:  # this phone's mistake (a name taken): the others go on
                        store.conn.execute("ROLLBACK TO ballot")
                        store.conn.execute("RELEASE ballot")
                        job.error = exc
        except (UserFacingError, OSError) as exc:
            problem = f"The laptop could not save the answers ({exc})."
            for job in jobs:
                job.error = WriteRefused(f"{problem} Try again in a moment.")
        self._refresh_status(store, problem)
        for job in jobs:
            job.done.set()
        if self._on_committed is not None:
            self._on_committed(self.status())

    def _write_one(self, store: Store, ballot: Ballot) -> int:
        respondent = self._respondent(store, ballot)
        if respondent is None:
            return 0
        marks = ",".join("?" * len(self._questions))
        store.conn.execute(
            f"DELETE FROM responses WHERE respondent_id = ? AND question IN ({marks})",
            (respondent, *self._questions),
        )
        stamp = now_iso()
        store.conn.executemany(
            "INSERT INTO responses (id, respondent_id, capability_code, question, score, created, modified) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(new_id(), respondent, code, q, score, stamp, stamp) for (code, q), score in ballot.scores.items()],
        )
        return len(ballot.scores)

    def _respondent(self, store: Store, ballot: Ballot) -> str | None:
        """This phone's respondent: found by its hash, or made now (not for an empty ballot: nothing to show)."""
        device = device_hash(ballot.device)
        row = store.conn.execute(
            "SELECT id FROM respondents WHERE assessment_id = ? AND device = ?", (self._assessment_id, device)
        ).fetchone()
        if row is not None:
            return str(row[0])
        if not ballot.scores:
            return None
        stamp = now_iso()
        if ballot.name is not None:
            taken = store.conn.execute(
                "SELECT id, device, kind FROM respondents WHERE assessment_id = ? AND label = ?",
                (self._assessment_id, ballot.name),
            ).fetchone()
            if taken is not None:
                if taken[1] is not None or taken[2] not in ("named", "device"):
                    raise BallotError(f"{ballot.name} is already answering on another phone.")
                # Scores typed for this person earlier (the grid) continue on their phone.
                store.conn.execute(
                    "UPDATE respondents SET device = ?, modified = ? WHERE id = ?", (device, stamp, taken[0])
                )
                return str(taken[0])
            label = ballot.name
        else:
            label = ANONYMOUS_PREFIX + short_code()
            while store.conn.execute(
                "SELECT 1 FROM respondents WHERE assessment_id = ? AND label = ?", (self._assessment_id, label)
            ).fetchone():
                label = ANONYMOUS_PREFIX + short_code()
        respondent = new_id()
        store.conn.execute(
            "INSERT INTO respondents (id, assessment_id, label, person_id, illustrative, created, modified, kind, "
            "device) VALUES (?, ?, ?, (SELECT p.id FROM people p JOIN assessments a ON a.programme_id = p.programme_id "
            "WHERE a.id = ? AND p.kind = 'participant' AND p.name = ? LIMIT 1), 0, ?, ?, 'device', ?)",
            (respondent, self._assessment_id, label, self._assessment_id, ballot.name or "", stamp, stamp, device),
        )
        return respondent

    def _refresh_status(self, store: Store, problem: str) -> None:
        marks = ",".join("?" * len(self._questions))
        rows = store.conn.execute(
            f"SELECT x.respondent_id, x.capability_code, COUNT(*) FROM responses x JOIN respondents r "
            f"ON r.id = x.respondent_id WHERE r.assessment_id = ? AND r.device IS NOT NULL AND x.question IN ({marks}) "
            "GROUP BY x.respondent_id, x.capability_code",
            (self._assessment_id, *self._questions),
        ).fetchall()
        per_device: dict[str, int] = {}
        by_capability = dict.fromkeys(self._covered, 0)
        responses = 0
        for respondent, code, count in rows:
            per_device[respondent] = per_device.get(respondent, 0) + count
            if code in by_capability:
                by_capability[code] += 1
            responses += count
        cells = len(self._covered) * len(self._questions)
        complete = sum(1 for n in per_device.values() if n >= cells)
        status = RoundStatus(len(per_device), complete, len(per_device) - complete, by_capability, responses, problem)
        with self._status_lock:
            self._status = status
