"""Live voting over real HTTP: the wire contract, its errors, security, and what reaches the database.

A real round (`LiveRound`) serves a real copy of the sample on 127.0.0.1; requests go through http.client and
raw sockets; expected values are read from the file with sqlite3, never from the code under test.
"""

from __future__ import annotations

import http.client
import json
import shutil
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from ics_desktop.live import server as live_server
from ics_desktop.live.live_round import LiveRound, RoundSettings
from ics_desktop.storage.store import Store

PROGRAMME = "Supporting Aspiring ICS Programme"
QUESTIONS = ("now", "aspire", "realistic")


@pytest.fixture
def db(sample_file: Path, tmp_path: Path) -> Path:
    path = tmp_path / "room.sqlite"
    shutil.copyfile(sample_file, path)
    return path


def new_assessment(db: Path, name: str = "Live round") -> str:
    from ics_desktop.frameworks.assessments import create_assessment

    store = Store.open(db)
    try:
        programme = store.programme_by_name(PROGRAMME)
        assert programme is not None
        return create_assessment(store, programme.id, name, "2018-11-20")
    finally:
        store.close()


def covered_codes(db: Path) -> list[str]:
    """The sample's covered capabilities, read from the framework JSON stored in the file."""
    conn = sqlite3.connect(db)
    try:
        (definition,) = conn.execute(
            "SELECT f.definition FROM frameworks f JOIN programmes p ON p.framework_id = f.id"
        ).fetchone()
    finally:
        conn.close()
    data = json.loads(definition)
    return [c["code"] for d in data["domains"] for c in d["capabilities"] if c.get("covered", True)]


def rows(db: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


class Client:
    """Requests to a round as a phone makes them."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.host, self.port, self.base = parts.hostname or "", parts.port or 80, parts.path

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def get(self, path: str = "") -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", self.base + path)

    def post(self, value: Any, raw: bytes | None = None) -> tuple[int, Any]:
        body = raw if raw is not None else json.dumps(value).encode()
        status, _headers, data = self.request(
            "POST", self.base + "api/ballot", body, {"Content-Type": "application/json"}
        )
        return status, json.loads(data) if data else None


@pytest.fixture
def live(db: Path) -> Iterator[tuple[LiveRound, Client, str]]:
    assessment = new_assessment(db)
    round_ = LiveRound(db, RoundSettings(assessment, QUESTIONS), bind="127.0.0.1", port=0)
    round_.start()
    try:
        yield round_, Client(round_.url), assessment
    finally:
        round_.stop()


def full_ballot(codes: list[str], device: str, level: int = 3) -> dict[str, Any]:
    return {"device": device, "scores": {c: {q: level for q in QUESTIONS} for c in codes}}


def device_answers(db: Path, assessment: str) -> list[tuple[str, str, str, int | None]]:
    return rows(
        db,
        "SELECT r.kind, x.capability_code, x.question, x.score FROM responses x JOIN respondents r "
        "ON r.id = x.respondent_id WHERE r.assessment_id = ? ORDER BY x.capability_code, x.question",
        assessment,
    )


# -- the contract ---------------------------------------------------------------------------------


def test_the_ballot_page_and_its_description(live: tuple[LiveRound, Client, str], db: Path) -> None:
    round_, client, _assessment = live
    assert round_.url.startswith("http://127.0.0.1:") and round_.url.endswith("/")
    assert len(urlsplit(round_.url).path.strip("/")) >= 22  # 128 bits, base64url
    status, headers, page = client.get()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"ballot.js" in page and b"http" not in page.replace(b'content="width', b"")  # no external asset
    for asset in ("ballot.js", "ballot.css"):
        status, _headers, body = client.get(asset)
        assert status == 200 and body and b"https://" not in body and b"http://" not in body
    status, headers, body = client.get("api/ballot")
    ballot = json.loads(body)
    assert status == 200 and headers["content-type"].startswith("application/json")
    assert [q["key"] for q in ballot["questions"]] == list(QUESTIONS)
    assert ballot["scale"] == [
        {"level": 1, "label": "More progress required"},
        {"level": 2, "label": "Fair progress"},
        {"level": 3, "label": "Making good progress"},
        {"level": 4, "label": "Mature"},
    ]
    assert [c["code"] for c in ballot["capabilities"]] == covered_codes(db)
    first = ballot["capabilities"][0]
    assert first["statement"].startswith("The system has strong leadership")
    assert first["levels"] == {"1": "More progress required", "2": "Fair progress", "3": "Making good progress",
                               "4": "Mature"}  # fmt: skip
    assert ballot["open"] is True and ballot["named"] is False
    assert "no-store" in headers["cache-control"] and "default-src 'none'" in headers["content-security-policy"]


def test_a_ballot_is_saved_as_ordinary_responses_and_resubmitting_replaces_it(
    live: tuple[LiveRound, Client, str], db: Path
) -> None:
    _round, client, assessment = live
    codes = covered_codes(db)
    partial = {"device": "phone-one-1234", "scores": {codes[0]: {"now": 2, "aspire": "?"}, codes[1]: {"now": 4}}}
    assert client.post(partial) == (200, {"saved": 3})
    assert device_answers(db, assessment) == [
        ("device", codes[0], "aspire", None),
        ("device", codes[0], "now", 2),
        ("device", codes[1], "now", 4),
    ]
    # The phone changes its mind and sends everything again: replaced, one respondent, no duplicates.
    assert client.post(full_ballot(codes, "phone-one-1234", 1)) == (200, {"saved": 3 * len(codes)})
    answers = device_answers(db, assessment)
    assert len(answers) == 3 * len(codes) and {a[3] for a in answers} == {1}
    assert rows(db, "SELECT COUNT(*), MIN(kind) FROM respondents WHERE assessment_id = ?", assessment) == [
        (1, "device")
    ]
    # The same answers sent by the same phone at once from many threads still make one respondent.
    results: list[tuple[int, Any]] = []
    threads = [
        threading.Thread(target=lambda: results.append(client.post(full_ballot(codes, "phone-two-5678", 2))))
        for _ in range(8)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {r[0] for r in results} <= {200, 429} and (200, {"saved": 3 * len(codes)}) in results
    assert rows(db, "SELECT COUNT(*) FROM respondents WHERE assessment_id = ?", assessment) == [(2,)]
    assert len(device_answers(db, assessment)) == 2 * 3 * len(codes)


BAD = [
    ("not JSON", None, b"{scores", "not valid JSON"),
    ("not an object", [1, 2], None, "must be a JSON object"),
    ("short device id", {"device": "abc", "scores": {}}, None, "device id"),
    ("device id with a slash", {"device": "abc/defgh", "scores": {}}, None, "device id"),
    ("unknown capability", {"device": "phone-12345", "scores": {"9.9": {"now": 2}}}, None, "no capability '9.9'"),
    ("unknown question", {"device": "phone-12345", "scores": {"1.1": {"later": 2}}}, None, "no question 'later'"),
    ("score off the scale", {"device": "phone-12345", "scores": {"1.1": {"now": 5}}}, None, "1–4 or '?'"),
    ("score zero", {"device": "phone-12345", "scores": {"1.1": {"now": 0}}}, None, "1–4 or '?'"),
    ("score as text", {"device": "phone-12345", "scores": {"1.1": {"now": "3"}}}, None, "1–4 or '?'"),
    ("score as true", {"device": "phone-12345", "scores": {"1.1": {"now": True}}}, None, "1–4 or '?'"),
    ("scores not an object", {"device": "phone-12345", "scores": [1]}, None, "'scores' must be an object"),
    ("an extra field", {"device": "phone-12345", "scores": {}, "admin": 1}, None, "Unknown field 'admin'"),
    ("a name in an anonymous round", {"device": "phone-12345", "scores": {}, "name": "Julia Ross"}, None, "anonymous"),
    ("deep nesting", None, b"[" * 30_000 + b"]" * 30_000, "not valid JSON"),
]


@pytest.mark.parametrize(("value", "raw", "message"), [pytest.param(v, r, m, id=i) for i, v, r, m in BAD])
def test_a_bad_ballot_gets_400_with_one_line_and_saves_nothing(
    live: tuple[LiveRound, Client, str], db: Path, value: Any, raw: bytes | None, message: str
) -> None:
    _round, client, assessment = live
    status, reply = client.post(value, raw)
    assert status == 400 and set(reply) == {"error"} and message in reply["error"] and "\n" not in reply["error"]
    assert device_answers(db, assessment) == []


def test_wrong_round_oversized_body_and_closed_round(live: tuple[LiveRound, Client, str], db: Path) -> None:
    round_, client, assessment = live
    for path in ("/", "/api/ballot", f"/{round_.token[:-1]}/", f"/{round_.token}x/api/ballot", "/../etc/passwd"):
        status, _headers, body = client.request("GET", path)
        assert (status, body) == (404, b"Not found\n")
    status, _headers, body = client.request("POST", "/wrong/api/ballot", b"{}")
    assert (status, body) == (404, b"Not found\n")
    big = json.dumps({"device": "phone-12345", "scores": {}, "pad": "x" * 70_000}).encode()
    status, reply = client.post(None, big)
    assert status == 413 and "64 KB" in reply["error"]
    codes = covered_codes(db)
    assert client.post(full_ballot(codes, "early-phone-1"))[0] == 200
    round_.close_voting()
    status, reply = client.post(full_ballot(codes, "late-phone-12"))
    assert status == 409 and reply == {"error": "Voting has closed."}
    assert json.loads(client.get("api/ballot")[2])["open"] is False
    assert rows(db, "SELECT COUNT(*) FROM respondents WHERE assessment_id = ?", assessment) == [(1,)]
    round_.stop()
    with pytest.raises(OSError):
        client.get("api/ballot")  # no longer listening


def test_the_join_code_leads_to_the_round_and_guesses_learn_nothing(live: tuple[LiveRound, Client, str]) -> None:
    round_, client, _assessment = live
    assert len(round_.join_code) == 6 and round_.join_url.endswith("/" + round_.join_code)
    status, headers, _body = client.request("GET", "/" + round_.join_code.lower())
    assert status == 303 and headers["location"] == f"/{round_.token}/"
    status, headers, body = client.request("GET", "/AAAAAA")
    assert (status, body) == (404, b"Not found\n") and "location" not in headers


def test_a_slow_client_is_dropped_and_never_holds_up_the_others(
    live: tuple[LiveRound, Client, str], monkeypatch: pytest.MonkeyPatch, db: Path
) -> None:
    _round, client, _assessment = live
    monkeypatch.setattr(live_server._Handler, "timeout", 1.0)
    slow = socket.create_connection((client.host, client.port))
    slow.sendall(b"POST " + client.base.encode() + b"api/ballot HTTP/1.1\r\nContent-Length: 500\r\n\r\n{")
    started = time.perf_counter()
    assert client.post(full_ballot(covered_codes(db), "quick-phone-1"))[0] == 200
    assert time.perf_counter() - started < 1.0
    slow.settimeout(5)
    assert slow.recv(100) == b""  # the server gave up on it and closed the connection
    slow.close()


def test_a_phone_sending_too_fast_is_slowed_down(live: tuple[LiveRound, Client, str], db: Path) -> None:
    _round, client, _assessment = live
    ballot = {"device": "eager-phone-1", "scores": {covered_codes(db)[0]: {"now": 2}}}
    statuses = [client.post(ballot)[0] for _ in range(60)]
    assert statuses[0] == 200 and 429 in statuses


def test_nothing_identifying_is_stored_or_printed(
    live: tuple[LiveRound, Client, str], db: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    _round, client, _assessment = live
    status, _headers, _body = client.request(
        "POST",
        client.base + "api/ballot",
        json.dumps(full_ballot(covered_codes(db), "private-phone-1")).encode(),
        {"User-Agent": "Mozilla/5.0 (iPhone; Alice's phone)"},
    )
    assert status == 200
    client.get("nope")
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    dump = "\n".join(sqlite3.connect(db).iterdump())
    assert "127.0.0.1" not in dump and "Alice" not in dump and "private-phone-1" not in dump


def test_a_named_round_offers_the_programmes_participants(db: Path) -> None:
    assessment = new_assessment(db, "Named round")
    round_ = LiveRound(db, RoundSettings(assessment, ("now",), named=True), bind="127.0.0.1", port=0)
    round_.start()
    try:
        client = Client(round_.url)
        names = json.loads(client.get("api/participants")[2])["participants"]
        expected = sorted(
            (r[0] for r in rows(db, "SELECT name FROM people WHERE kind = 'participant' AND name <> ''")),
            key=str.casefold,
        )
        assert names == expected and "Julia Ross" in names
        code = covered_codes(db)[0]
        assert client.post({"device": "named-phone-1", "scores": {code: {"now": 3}}})[0] == 400
        status, reply = client.post({"device": "named-phone-1", "scores": {code: {"now": 3}}, "name": "Nobody"})
        assert status == 400 and "Choose your name" in reply["error"]
        ok = {"device": "named-phone-1", "scores": {code: {"now": 3}}, "name": "Julia Ross"}
        assert client.post(ok) == (200, {"saved": 1})
        taken = {"device": "other-phone-2", "scores": {code: {"now": 1}}, "name": "Julia Ross"}
        status, reply = client.post(taken)
        assert status == 400 and "already answering on another phone" in reply["error"]
        assert rows(
            db,
            "SELECT r.label, p.name FROM respondents r JOIN people p ON p.id = r.person_id WHERE r.assessment_id = ?",
            assessment,
        ) == [("Julia Ross", "Julia Ross")]
    finally:
        round_.stop()
