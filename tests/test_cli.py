"""The headless commands as a user runs them: real processes, real files, one-line errors."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ics_desktop import cli
from ics_desktop.storage import migrations

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env, timeout=120
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _assert_clean_failure(result: subprocess.CompletedProcess[str], needle: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert needle in lines[0]


def test_sample_then_summary_and_check(tmp_path: Path) -> None:
    db = tmp_path / "x.sqlite"
    created = run("sample", "--db", str(db))
    assert created.returncode == 0, created.stderr
    checked = run("check", "--db", str(db))
    assert checked.returncode == 0 and checked.stdout.startswith("ok:")
    result = run("summary", "--db", str(db))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    [programme] = data["programmes"]
    assert programme["name"] == "Supporting Aspiring ICS Programme"
    assert programme["system"] == "Healthier Together (BNSSG)"
    assert programme["participants"] == 14
    framework = programme["framework"]
    assert framework["name"] == "ICS baseline capabilities" and framework["version"] == "2018"
    codes = [c["code"] for c in framework["capabilities"]]
    assert codes[0] == "1.1" and codes[-1] == "5.1" and len(codes) == 14
    assert [c["covered"] for c in framework["capabilities"] if c["code"] == "5.1"] == [False]
    assert framework["capabilities"][0]["domain"] == "Effective leadership and relationships, capacity & capability"
    [assessment] = programme["assessments"]
    assert assessment["respondents"] == 14
    caps = assessment["capabilities"]
    assert (caps["2.2"]["agreed_current"], caps["2.2"]["agreed_desired"]) == (1, 3)
    assert (caps["1.4"]["agreed_current"], caps["1.4"]["agreed_desired"]) == (2, 3)
    assert caps["5.1"]["agreed_current"] is None and caps["5.1"]["now"]["mean"] is None
    assert caps["1.1"]["focus"] is True and caps["4.3"]["focus"] is False
    now = caps["1.1"]["now"]
    assert set(now["counts"]) == {"1", "2", "3", "4"} and sum(now["counts"].values()) == now["n"]
    covered_means = [caps[c]["now"]["mean"] for c in codes if c != "5.1"]
    assert assessment["overall"]["now"] == pytest.approx(sum(covered_means) / len(covered_means))
    assert round(assessment["overall"]["now"], 1) == 1.9
    assert [a["number"] for a in programme["areas_of_focus"]] == [1, 2, 3, 4, 5, 6]
    assert programme["areas_of_focus"][5] == {
        "number": 6, "title": "Population health management", "capabilities": ["4.1", "4.2"], "workshops": [12],
    }  # fmt: skip
    assert programme["milestones"] == 6
    assert programme["workshops"] == 8  # illustrative workshops and actions show the workflow
    actions = programme["actions"]
    assert actions["total"] == 8 and actions["by_status"] == {"done": 1, "in progress": 2, "open": 5}
    assert actions["overdue"] == 7  # every open one: the sample is from 2018

    named = run("summary", "--db", str(db), "--programme", "healthier together (bnssg)")
    assert json.loads(named.stdout) == data


def test_summary_does_not_modify_the_file(sample_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(sample_file, db)
    before = _digest(db)
    assert run("summary", "--db", str(db)).returncode == 0
    assert run("check", "--db", str(db)).returncode == 0
    assert _digest(db) == before


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (lambda b: b[: len(b) // 2], "damaged"),
        (lambda b: os.urandom(50_000), "not an ICS Desktop database"),
        (lambda b: b"", "empty"),
    ],
)
def test_check_refuses_bad_files_untouched(sample_file: Path, tmp_path: Path, content, needle: str) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "bad.sqlite"
    db.write_bytes(content(sample_file.read_bytes()))
    before = _digest(db)
    _assert_clean_failure(run("check", "--db", str(db)), needle)
    _assert_clean_failure(run("summary", "--db", str(db)), "")
    assert _digest(db) == before


def test_newer_version_refused_by_every_command(sample_file: Path, tmp_path: Path) -> None:
    db = tmp_path / "newer.sqlite"
    shutil.copyfile(sample_file, db)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 5}")
    conn.close()
    before = _digest(db)
    for args in (("check",), ("summary",), ("sample",)):
        _assert_clean_failure(run(*args, "--db", str(db)), "newer version of ICS Desktop")
    smoke = run("--smoke-test", "--db", str(db))
    assert smoke.returncode != 0 and "newer version" in smoke.stderr and "Traceback" not in smoke.stderr
    assert _digest(db) == before


def test_user_mistakes_get_one_line(tmp_path: Path) -> None:
    _assert_clean_failure(run("summary", "--db", str(tmp_path / "missing.sqlite")), "does not exist")
    _assert_clean_failure(run("check", "--db", str(tmp_path / "missing.sqlite")), "does not exist")
    _assert_clean_failure(run("summary"), "needs --db")
    _assert_clean_failure(run("frobnicate"), "invalid choice")
    _assert_clean_failure(run("sample", "--db", str(tmp_path / "no" / "dir.sqlite")), "does not exist")
    db = tmp_path / "x.sqlite"
    assert run("sample", "--db", str(db)).returncode == 0
    _assert_clean_failure(run("sample", "--db", str(db)), "already has a programme called")
    _assert_clean_failure(run("summary", "--db", str(db), "--programme", "Nope"), "No programme called 'Nope'")
    _assert_clean_failure(run("check", "--db", str(tmp_path)), "folder")


def test_control_characters_in_names_never_reach_the_terminal_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.sqlite"
    assert cli.main(["sample", "--db", str(db)]) == 0
    capsys.readouterr()
    hostile = "Evil\x1b[2J\x1b]0;pwned\x07 \u202egnp.exe"
    code = cli.main(["export", "--db", str(db), "--programme", hostile, "--csv", str(tmp_path)])
    err = capsys.readouterr().err
    assert code != 0 and "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "Evil\\x1b[2J\\x1b]0;pwned\\x07 \\u202egnp.exe" in err


def test_programme_names_shared_by_two_systems_are_told_apart(sample_file: Path, tmp_path: Path) -> None:
    """`--programme NAME` names the ambiguity in one line; 'NAME (System)' picks one."""
    from ics_desktop.frameworks.framework import default_framework
    from ics_desktop.storage.store import Store

    db = tmp_path / "two.sqlite"
    shutil.copy(sample_file, db)
    store = Store.open(db)
    try:
        store.create_programme("Supporting Aspiring ICS Programme", "Somerset", default_framework())
    finally:
        store.close()
    ambiguous = run("summary", "--db", str(db), "--programme", "supporting aspiring ics programme")
    _assert_clean_failure(
        ambiguous,
        "2 programmes called 'supporting aspiring ics programme': use "
        "'Supporting Aspiring ICS Programme (Healthier Together (BNSSG))' or "
        "'Supporting Aspiring ICS Programme (Somerset)'.",
    )
    for asked, system in (
        ("Supporting Aspiring ICS Programme (Somerset)", "Somerset"),
        ("supporting aspiring ics programme (healthier together (bnssg))", "Healthier Together (BNSSG)"),
    ):
        result = run("summary", "--db", str(db), "--programme", asked)
        assert result.returncode == 0, result.stderr
        [programme] = json.loads(result.stdout)["programmes"]
        assert programme["system"] == system


def test_a_missing_database_with_backups_points_at_restore(tmp_path: Path) -> None:
    from ics_desktop.storage.backups import take_backup
    from ics_desktop.storage.store import Store

    db = tmp_path / "prog.sqlite"
    assert run("sample", "--db", str(db)).returncode == 0
    store = Store.open(db)
    take_backup(store.conn, db, "close")
    store.close()
    db.unlink()  # deleted by a sync program while the window was closed
    for command in (("summary",), ("export", "--programme", "x", "--pdf", str(tmp_path / "x.pdf"))):
        result = run(*command, "--db", str(db))
        _assert_clean_failure(result, f"'restore --db \"{db}\" --latest' puts the latest back")
    assert not db.exists(), "no empty database was made in its place"
    result = run("restore", "--db", str(db), "--latest")
    assert result.returncode == 0, result.stderr
    assert json.loads(run("summary", "--db", str(db)).stdout)["programmes"]
