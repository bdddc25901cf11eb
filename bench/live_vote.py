"""Live voting under load: N phones submit a full ballot at the same moment (DESIGN.md's budgets).

The round runs as the `live-vote` command in its own process (as the app serves it beside the window); each
simulated phone is a thread with its own loopback address (127.0.x.y), so the per-address rate limit treats
them as the separate phones they stand for. Every phone fetches the ballot, waits at a barrier, then posts
13 capabilities × 3 questions; the acknowledgement time is from sending to the server's answer. Afterwards
the file must hold every answer of every phone: "lost" counts phones without a 200 or without their answers.

    python bench/live_vote.py [PHONES ...]      (default: 60 200)
"""

from __future__ import annotations

import http.client
import json
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

P95_BUDGET_MS = 300.0
PROGRAMME = "Supporting Aspiring ICS Programme"


def _post(host: str, port: int, source: str, path: str, body: bytes) -> tuple[int, float]:
    conn = http.client.HTTPConnection(host, port, timeout=60, source_address=(source, 0))
    try:
        started = time.perf_counter()
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        response.read()
        return response.status, (time.perf_counter() - started) * 1000
    finally:
        conn.close()


def _get(host: str, port: int, source: str, path: str) -> Any:
    conn = http.client.HTTPConnection(host, port, timeout=60, source_address=(source, 0))
    try:
        conn.request("GET", path)
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def run(phones: int, folder: Path) -> dict[str, Any]:
    from ics_desktop.sample import create_sample_database

    db = folder / f"live-{phones}.sqlite"
    create_sample_database(db)
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "live-vote", "--db", str(db), "--programme", PROGRAMME,
         "--assessment", f"Load {phones}", "--bind", "127.0.0.1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    assert process.stdout is not None
    url = process.stdout.readline().strip().removeprefix("live-vote url=")
    parts = urlsplit(url)
    host, port, base = parts.hostname or "127.0.0.1", parts.port or 80, parts.path
    ballot = _get(host, port, "127.0.0.1", base + "api/ballot")
    codes = [c["code"] for c in ballot["capabilities"]]
    questions = [q["key"] for q in ballot["questions"]]
    barrier = threading.Barrier(phones)
    outcomes: list[tuple[int, float]] = []
    lock = threading.Lock()

    def phone(n: int) -> None:
        source = f"127.0.{1 + n // 250}.{1 + n % 250}"
        try:
            _get(host, port, source, base + "api/ballot")
            scores = {c: {q: (n + i) % 4 + 1 for q in questions} for i, c in enumerate(codes)}
            body = json.dumps({"device": f"bench-phone-{n:04d}", "scores": scores}).encode()
            barrier.wait(60)
            outcome = _post(host, port, source, base + "api/ballot", body)
        except Exception:  # a refused or dropped connection is a lost ballot
            outcome = (0, 0.0)
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(phones)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    conn = sqlite3.connect(db)
    try:
        stored = conn.execute(
            "SELECT COUNT(*) FROM responses x JOIN respondents r ON r.id = x.respondent_id WHERE r.kind = 'device'"
        ).fetchone()[0]
        complete = conn.execute(
            "SELECT COUNT(*) FROM (SELECT r.id FROM respondents r JOIN responses x ON x.respondent_id = r.id "
            "WHERE r.kind = 'device' GROUP BY r.id HAVING COUNT(*) = ?)",
            (len(codes) * len(questions),),
        ).fetchone()[0]
    finally:
        conn.close()
    acknowledged = [ms for status, ms in outcomes if status == 200]
    times = sorted(acknowledged)
    p95 = times[max(0, round(0.95 * len(times)) - 1)] if times else float("inf")
    return {
        "phones": phones,
        "answers_each": len(codes) * len(questions),
        "acknowledged": len(acknowledged),
        "errors": phones - len(acknowledged),
        "lost": phones - complete,
        "stored_answers": stored,
        "ack_p50_ms": round(statistics.median(times), 1) if times else None,
        "ack_p95_ms": round(p95, 1),
        "ack_max_ms": round(times[-1], 1) if times else None,
        "wall_s": round(wall, 2),
    }


def measure(phone_counts: tuple[int, ...] = (60, 200)) -> dict[str, Any]:
    folder = Path(tempfile.mkdtemp(prefix="ics-live-bench-"))
    try:
        return {f"live_vote_{n}": run(n, folder) for n in phone_counts}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def met(results: dict[str, Any]) -> bool:
    """60 phones: 0 lost, 0 errors, p95 within budget; 200 phones: 0 lost."""
    sixty, many = results.get("live_vote_60"), results.get("live_vote_200")
    ok = True
    if sixty is not None:
        ok &= sixty["lost"] == 0 and sixty["errors"] == 0 and sixty["ack_p95_ms"] <= P95_BUDGET_MS
    if many is not None:
        ok &= many["lost"] == 0
    return bool(ok)


if __name__ == "__main__":
    counts = tuple(int(a) for a in sys.argv[1:]) or (60, 200)
    figures = measure(counts)
    print(json.dumps(figures, indent=2))
    sys.exit(0 if met(figures) else 1)
