"""`live-vote` as a real process: the first line, serving, SIGINT, SIGKILL in the middle of a room voting."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

import pytest

from tests.test_live_vote import PROGRAMME, QUESTIONS, Client, covered_codes, full_ballot, rows

ROOT = Path(__file__).resolve().parent.parent


def start(db: Path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "live-vote", "--db", str(db), "--programme", PROGRAMME,
         "--assessment", "Phones", "--bind", "127.0.0.1", "--port", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )  # fmt: skip
    assert process.stdout is not None
    first = _line(process.stdout)
    assert first.startswith("live-vote url=http://127.0.0.1:") and first.endswith("/"), first
    return process, first.removeprefix("live-vote url=")


def _line(stream: IO[str]) -> str:
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(stream.readline().rstrip("\n")), daemon=True)
    reader.start()
    reader.join(60)
    assert found, "live-vote printed nothing within a minute"
    return found[0]


@pytest.fixture
def db(sample_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "room.sqlite"
    shutil.copyfile(sample_file, path)
    return path


def test_live_vote_serves_until_interrupted_then_says_what_came_in(db: Path) -> None:
    process, url = start(db, "--questions", "now,realistic")
    try:
        client = Client(url)
        ballot = json.loads(client.get("api/ballot")[2])
        assert [q["key"] for q in ballot["questions"]] == ["now", "realistic"]
        codes = covered_codes(db)
        scores = {c: {"now": 2, "realistic": 3} for c in codes}
        assert client.post({"device": "cli-phone-001", "scores": scores}) == (200, {"saved": 2 * len(codes)})
        assert client.post({"device": "cli-phone-002", "scores": {codes[0]: {"now": "?"}}}) == (200, {"saved": 1})
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.strip().splitlines()[-1] == f"live-vote closed devices=2 responses={2 * len(codes) + 1}"
    summary = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "summary", "--db", str(db)], capture_output=True, text=True, check=True
    )
    (programme,) = json.loads(summary.stdout)["programmes"]
    (phones,) = [a for a in programme["assessments"] if a["name"] == "Phones"]
    assert phones["respondents"] == 2


def test_sigkill_while_twenty_phones_vote_keeps_every_acknowledged_answer(db: Path) -> None:
    process, url = start(db)
    client = Client(url)
    codes = covered_codes(db)
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def phone(n: int) -> None:
        device = f"killed-phone-{n:03d}"
        for level in (1, 2, 3, 4) * 10:
            if stop.is_set():
                return
            try:
                status, _reply = client.post(full_ballot(codes, device, level))
            except (OSError, http.client.HTTPException):
                return  # the laptop is gone (refused, reset, or cut off mid-answer)
            if status == 200:
                with lock:
                    acknowledged.append(f"{device}:{level}")

    phones = [threading.Thread(target=phone, args=(n,)) for n in range(20)]
    for t in phones:
        t.start()
    while len(acknowledged) < 30:
        threading.Event().wait(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    stop.set()
    for t in phones:
        t.join(30)
    # Every acknowledged ballot's answers are in the file: each phone's stored level is the last it was told.
    last: dict[str, int] = {}
    for entry in acknowledged:
        device, level = entry.rsplit(":", 1)
        last[device] = int(level)
    stored = {
        device: (count, low, high)
        for device, count, low, high in rows(
            db,
            "SELECT r.device, COUNT(*), MIN(x.score), MAX(x.score) FROM respondents r "
            "JOIN responses x ON x.respondent_id = r.id WHERE r.kind = 'device' GROUP BY r.id",
        )
    }
    for device, level in last.items():
        # Stored as a hash of the phone's id; a later ballot may have been committed but not yet acknowledged.
        count, low, high = stored[hashlib.sha256(f"ics-desktop-live:{device}".encode()).hexdigest()]
        assert count == len(codes) * len(QUESTIONS) and low == high and low in (level, level % 4 + 1)
    check = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check", "--db", str(db)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
