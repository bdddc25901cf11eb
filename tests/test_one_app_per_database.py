"""One ICS Desktop per database: a real window holds the file; writers refuse, readers read, a second
launch brings the first forward, and a killed window leaves no stale lock."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from ics_desktop.storage.instance_lock import DatabaseLock, in_use
from ui.single_instance import ShowRequests, ask_first_window_to_show

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = "Supporting Aspiring ICS Programme"


def command(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, timeout=120, env=env
    )


def environment(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    return env


def responses(db: Path) -> int:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def window_on(sample_file: Path, tmp_path: Path) -> Iterator[tuple[Path, subprocess.Popen[str]]]:
    db = tmp_path / "room.sqlite"
    shutil.copyfile(sample_file, db)
    app = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db)],
        env=environment(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not in_use(db):
        assert app.poll() is None, app.communicate()
        assert time.monotonic() < deadline, "the window never took its database"
        time.sleep(0.1)
    yield db, app
    if app.poll() is None:
        app.kill()
    app.communicate(timeout=30)


def test_writers_refuse_readers_read_and_a_second_launch_brings_the_first_forward(
    window_on: tuple[Path, subprocess.Popen[str]], tmp_path: Path
) -> None:
    db, app = window_on
    before = responses(db)
    csv = tmp_path / "room.csv"
    csv.write_text("participant,capability,question,score\nAnn,1.1,now,2\n", encoding="utf-8")
    bundle = tmp_path / "copy.icsbundle"
    assert command("bundle", "export", "--db", str(db), "--programme", PROGRAMME, "--out", str(bundle)).returncode == 0
    for args in (
        ["import-responses", "--db", str(db), "--programme", PROGRAMME, "--assessment", "Extra", "--csv", str(csv)],
        ["restore", "--db", str(db), "--latest"],
        ["bundle", "merge", "--db", str(db), "--programme", PROGRAMME, "--in", str(bundle)],
        ["bundle", "import", "--db", str(db), "--in", str(bundle)],
    ):
        refused = command(*args)
        lines = refused.stderr.strip().splitlines()
        assert refused.returncode == 1 and len(lines) == 1, refused.stderr
        assert "ICS Desktop has room.sqlite open" in lines[0] and "close it first" in lines[0]
    assert responses(db) == before
    assert command("summary", "--db", str(db)).returncode == 0
    assert command("check", "--db", str(db)).returncode == 0
    # Double-clicking the app again: the second launch ends at once, the first stays.
    started = time.monotonic()
    second = command("--db", str(db), env=environment(tmp_path))
    assert second.returncode == 0 and "already has" in second.stderr and "brought forward" in second.stderr
    assert time.monotonic() - started < 30 and app.poll() is None


def test_a_killed_window_leaves_no_stale_lock(window_on: tuple[Path, subprocess.Popen[str]], tmp_path: Path) -> None:
    db, app = window_on
    os.kill(app.pid, signal.SIGKILL)
    app.wait(30)
    assert not in_use(db)
    csv = tmp_path / "room.csv"
    csv.write_text("participant,capability,question,score\nAnn,1.1,now,2\n", encoding="utf-8")
    done = command("import-responses", "--db", str(db), "--programme", PROGRAMME, "--assessment", "Extra",
                   "--csv", str(csv))  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_two_writers_exclude_each_other_and_a_lock_is_released(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    first, second = DatabaseLock(db), DatabaseLock(db)
    assert first.acquire() and in_use(db)
    assert not second.acquire()
    first.release()
    assert not in_use(db) and second.acquire()
    second.release()


def test_a_later_launch_asks_the_window_to_come_forward(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    listener = ShowRequests(db)
    assert listener.listening
    with qtbot.waitSignal(listener.show_requested, timeout=5000):
        assert ask_first_window_to_show(db)
    assert not ask_first_window_to_show(tmp_path / "nobody-has-this.sqlite", timeout_ms=200)
    listener.deleteLater()
