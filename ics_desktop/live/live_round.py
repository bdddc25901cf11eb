"""A live round: the token and join code, the server and the writer, and what the facilitator sees.

A round is open from `start()` until `close_voting()` (phones are then told "Voting has closed": 409), and
the server listens until `stop()`; both happen when the app quits. Everything a phone sends becomes ordinary
responses of the assessment (see `writer`), so results, charts, presentation, exports and undo are unchanged.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ics_desktop.errors import StoreError
from ics_desktop.live.ballot import Ballot, check_ballot, describe
from ics_desktop.live.server import LiveServer, RoundEndpoints
from ics_desktop.live.writer import CODE_LETTERS, BallotWriter, RoundStatus
from ics_desktop.storage.store import Store

JOIN_CODE_LENGTH = 6


@dataclass(frozen=True)
class RoundSettings:
    assessment_id: str
    questions: tuple[str, ...]  # question keys, in the framework's order
    named: bool = False  # participants pick their name from the programme's list


class LiveRound:
    """One round of live voting on one assessment, served at `url`."""

    def __init__(
        self,
        db_path: Path,
        settings: RoundSettings,
        *,
        bind: str = "127.0.0.1",
        port: int = 0,
        host: str | None = None,
        on_change: Callable[[RoundStatus], None] | None = None,
    ) -> None:
        self.db_path = Path(db_path)
        self.settings = settings
        self._bind, self._port = bind, port
        self.host = host or bind  # the address phones are given (the bound one unless said)
        self.token = secrets.token_urlsafe(16)  # 128 bits
        self.join_code = "".join(secrets.choice(CODE_LETTERS) for _ in range(JOIN_CODE_LENGTH))
        self.on_change = on_change  # called from the writer thread after each commit (and on closing)
        self._open = False
        self._lock = threading.Lock()
        self._devices_seen: set[str] = set()
        self._server: LiveServer | None = None
        self._thread: threading.Thread | None = None
        self._writer: BallotWriter | None = None
        self._ballot_bytes = b""

    # -- starting and stopping ------------------------------------------------------------------

    def start(self) -> None:
        """Check the assessment, open the writer and start listening; raises UserFacingError if it cannot."""
        store = Store.open(self.db_path, read_only=True)
        try:
            record = store.rows("SELECT framework_id, programme_id FROM assessments WHERE id = ?",
                                (self.settings.assessment_id,))  # fmt: skip
            if not record:
                raise StoreError("That assessment is not in this database.")
            framework = store.framework(record[0]["framework_id"])
            names = [p.name for p in store.people(record[0]["programme_id"], "participant") if p.name.strip()]
        finally:
            store.close()
        questions = tuple(q.key for q in framework.questions if q.key in self.settings.questions)
        if not questions:
            raise StoreError("Choose at least one question for the round.")
        if not framework.covered_codes:
            raise StoreError("No capability is covered on this programme, so there is nothing to vote on.")
        if self.settings.named and not names:
            raise StoreError("The programme has no participants to choose from: add them, or run an anonymous round.")
        self.framework, self.questions = framework, questions
        self._names = frozenset(names) if self.settings.named else None
        self._participants = json.dumps({"participants": sorted(names, key=str.casefold)}).encode()
        self._open = True
        self._refresh_ballot()
        self._writer = BallotWriter(
            self.db_path, self.settings.assessment_id, questions, tuple(framework.covered_codes), self._changed
        )
        self._writer.start()
        endpoints = RoundEndpoints(
            self.token,
            self.join_code,
            lambda: self._ballot_bytes,
            lambda: self._open,
            self._check,
            self._writer.submit,
            self._joined,
            (lambda: self._participants) if self.settings.named else None,
        )
        try:
            self._server = LiveServer((self._bind, self._port), endpoints)
        except OSError as exc:
            self._writer.stop()
            raise StoreError(f"Cannot listen on {self._bind}:{self._port} ({exc.strerror or exc}).") from None
        self._thread = threading.Thread(target=self._server.serve_forever, name="live-vote-server", daemon=True)
        self._thread.start()

    def close_voting(self) -> None:
        """From now on every phone is told "Voting has closed"; answers already in are kept."""
        with self._lock:
            self._open = False
            self._refresh_ballot()
        self._changed(self.status())

    def stop(self) -> None:
        """Stop listening and close the writer (after what is queued is written)."""
        self._open = False
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._writer is not None:
            self._writer.stop()

    # -- what it serves --------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def port(self) -> int:
        return self._server.server_address[1] if self._server is not None else self._port

    @property
    def url(self) -> str:
        """The round's address for phones: http://192.168.137.1:8765/<token>/"""
        return f"http://{self.host}:{self.port}/{self.token}/"

    @property
    def join_url(self) -> str:
        """A short address to type by hand: http://192.168.137.1:8765/K7PXQ2"""
        return f"http://{self.host}:{self.port}/{self.join_code}"

    def status(self) -> RoundStatus:
        status = self._writer.status() if self._writer is not None else RoundStatus()
        with self._lock:
            seen = len(self._devices_seen)
        return RoundStatus(
            max(status.devices, seen),
            status.complete,
            status.partial,
            status.answers_by_capability,
            status.responses,
            status.problem,
        )

    def _refresh_ballot(self) -> None:
        self._ballot_bytes = json.dumps(
            describe(self.framework, self.questions, named=self.settings.named, is_open=self._open),
            ensure_ascii=False,
        ).encode("utf-8")

    def _check(self, payload: Any) -> Ballot:
        return check_ballot(payload, self.framework, self.questions, self._names)

    def _joined(self, device: str) -> None:
        with self._lock:
            if len(self._devices_seen) < 10_000:
                self._devices_seen.add(device)

    def _changed(self, _status: RoundStatus) -> None:
        if self.on_change is not None:
            self.on_change(self.status())
