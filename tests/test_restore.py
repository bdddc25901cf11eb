"""Automatic backups (rotation, periodic, self-contained) and the guided restore: core, commands, GUI."""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot

from ics_desktop import cli, paths
from ics_desktop.errors import StoreError
from ics_desktop.storage import backups, restore
from ics_desktop.storage.backups import KEEP_BACKUPS, KEEP_DAILY, MAX_BACKUPS, BackupError, list_backups, take_backup
from ics_desktop.storage.database import check_file
from ics_desktop.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = "Supporting Aspiring ICS Programme"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _people(path: Path) -> list[str]:
    store = Store.open(path, read_only=True)
    try:
        return sorted(p.name for p in store.people(store.programmes()[0].id, "participant"))
    finally:
        store.close()


def _healthy(path: Path) -> bool:
    try:
        return check_file(path) == []
    except StoreError:
        return False


@pytest.fixture
def history(sample_file: Path, tmp_path: Path) -> Path:
    """A database opened three times (a backup each time), with a participant added after each open."""
    path = tmp_path / "programme.sqlite"
    shutil.copyfile(sample_file, path)
    for n in range(1, 4):
        store = Store.open(path, backup_on_open=True)
        store.add_person(store.programmes()[0].id, "participant", name=f"Added {n}")
        store.close()
    return path


def _damage(path: Path) -> bytes:
    damaged = path.read_bytes()[: path.stat().st_size // 2]
    path.write_bytes(damaged)
    return damaged


# -- backups -----------------------------------------------------------------------------------------


def test_backups_are_listed_newest_first_with_their_contents(history: Path) -> None:
    summaries = restore.backup_summaries(history)
    assert [s.backup.reason for s in summaries] == ["open", "open", "open"]
    assert summaries[0].backup.taken > summaries[1].backup.taken > summaries[2].backup.taken
    newest = summaries[0]
    assert newest.usable and newest.programmes == (f"{PROGRAMME} (Sample)",)  # marked as in the programme list
    counts = dict(newest.counts)
    assert counts["participant"] == 14 + 2  # taken when the third open began: two additions in
    assert dict(summaries[2].counts)["participant"] == 14
    assert counts["score"] > 0 and counts["milestone"] == 6
    text = newest.contents_text()
    assert text.startswith(f"{PROGRAMME} (Sample) — 16 participants · 1 assessment · ")
    assert "6 milestones" in text and "areas of focus" in text


def test_a_backup_is_a_self_contained_owner_only_file(history: Path, tmp_path: Path) -> None:
    newest = list_backups(history)[0].path
    assert newest.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: no -wal needed to read it
    assert newest.stat().st_mode & 0o777 == 0o600
    assert newest.parent.stat().st_mode & 0o777 == 0o700
    assert not list(newest.parent.glob("*.partial"))
    copy = tmp_path / "elsewhere.sqlite"
    shutil.copyfile(newest, copy)  # a plain copy of a backup is complete
    assert check_file(copy) == []


def test_damaged_and_foreign_backups_are_listed_but_not_usable(history: Path) -> None:
    [newest, middle, _oldest] = list_backups(history)
    newest.path.write_bytes(newest.path.read_bytes()[:5000])
    middle.path.write_bytes(b"not a database at all")
    summaries = restore.backup_summaries(history)
    assert [s.usable for s in summaries] == [False, False, True]
    assert "damaged" in (summaries[0].problem or "")
    assert summaries[0].contents_text() == summaries[0].problem
    assert restore.latest_usable(history) == summaries[2]


def _fake_backup(db_path: Path, source: Path, taken: datetime, reason: str) -> Path:
    folder = paths.backups_dir_for(db_path)
    folder.mkdir(exist_ok=True)
    target = folder / f"{db_path.name}-{taken.strftime('%Y%m%dT%H%M%S%fZ')}-{reason}.sqlite"
    shutil.copyfile(source, target)
    return target


def test_rotation_keeps_recent_daily_and_upgrade_backups_within_a_bound(history: Path) -> None:
    source = list_backups(history)[0].path
    for b in list_backups(history):
        if b.path != source:
            b.path.unlink()
    keep_source = source.with_name("source.bin")
    source.rename(keep_source)
    now = datetime.now(UTC).replace(hour=12)
    upgrade = _fake_backup(history, keep_source, now - timedelta(days=40), "before-migration-1")
    _fake_backup(history, keep_source, now - timedelta(days=36), "before-delete")  # an older one goes
    deleted = _fake_backup(history, keep_source, now - timedelta(days=35), "before-delete")
    for day in range(30):  # a month of use: six backups a day
        for hour in range(6):
            _fake_backup(history, keep_source, now - timedelta(days=day, hours=hour), "periodic")
    removed = backups.prune(history)
    kept = list_backups(history)
    assert len(kept) == KEEP_BACKUPS + KEEP_DAILY + 2 == MAX_BACKUPS
    assert len(removed) == 30 * 6 + 3 - MAX_BACKUPS
    assert kept[0].taken == now  # the newest of all
    assert kept[-2].path == deleted  # the last programme deleted can always be brought back
    days = {b.taken.astimezone().date() for b in kept[KEEP_BACKUPS:-2]}
    assert len(days) == KEEP_DAILY  # one for each of the seven days before the recent ones
    assert kept[-1].path == upgrade  # the copy from before the schema upgrade is never rotated out
    assert kept[-1].reason_text() == "before upgrading from schema 1"


def test_many_backups_in_one_session_stay_within_the_bound(history: Path) -> None:
    store = Store.open(history)
    try:
        for _ in range(MAX_BACKUPS + 5):
            store.backup("periodic")
    finally:
        store.close()
    kept = list_backups(history)
    assert len(kept) == KEEP_BACKUPS  # all from today: the daily tier adds nothing
    assert {b.reason for b in kept} == {"periodic"}


def test_a_backup_that_cannot_be_written_is_a_clear_error(history: Path) -> None:
    folder = paths.backups_dir_for(history)
    shutil.rmtree(folder)
    folder.write_text("a file where the backups folder should be")
    store = Store.open(history)
    try:
        with pytest.raises(BackupError, match=r"automatic backup could not be written.*Your data is unharmed"):
            store.backup("periodic")
    finally:
        store.close()
    assert _healthy(history)


def test_a_failed_backup_leaves_no_partial_file(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(history)

    class Exploding:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def backup(self, _dest: sqlite3.Connection) -> None:
            raise sqlite3.OperationalError("database or disk is full")

    try:
        with pytest.raises(BackupError, match="disk is full"):
            take_backup(Exploding(store.conn), history, "periodic")  # type: ignore[arg-type]
    finally:
        store.close()
    assert not list(paths.backups_dir_for(history).glob("*.partial"))


# -- restoring -----------------------------------------------------------------------------------------


def test_restore_replaces_a_damaged_file_and_keeps_it_aside(history: Path) -> None:
    Path(f"{history}-wal").write_bytes(b"stale journal from the damaged file")
    damaged = _damage(history)
    newest = list_backups(history)[0]
    result = restore.restore(history, newest.path)
    assert result.was_damaged and result.set_aside is not None
    assert result.set_aside.name.startswith("programme.sqlite.damaged-")
    assert result.set_aside.read_bytes() == damaged  # never deleted, never changed
    assert Path(f"{result.set_aside}-wal").read_bytes() == b"stale journal from the damaged file"
    assert not Path(f"{history}-wal").exists()  # a stale WAL must not be replayed into the restored file
    assert _healthy(history)
    people = _people(history)
    assert "Added 1" in people and "Added 2" in people and "Added 3" not in people
    assert not list(history.parent.glob(".*restoring"))
    reopened = Store.open(history, backup_on_open=True)
    reopened.close()


def test_restore_over_a_healthy_file_keeps_it_as_before_restore(history: Path) -> None:
    before = _digest(history)
    oldest = list_backups(history)[-1]
    result = restore.restore(history, oldest.path)
    assert not result.was_damaged and result.set_aside is not None
    assert ".before-restore-" in result.set_aside.name and _digest(result.set_aside) == before
    assert "Added 1" not in _people(history)


def test_restore_refuses_a_bad_backup_and_changes_nothing(history: Path, tmp_path: Path) -> None:
    tmp_path = tmp_path / "elsewhere"
    tmp_path.mkdir()
    before = sorted(p.name for p in history.parent.iterdir())
    digest = _digest(history)
    bad = tmp_path / "bad-backup.sqlite"
    bad.write_bytes(list_backups(history)[0].path.read_bytes()[:9000])
    with pytest.raises(StoreError, match="damaged"):
        restore.restore(history, bad)
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    with pytest.raises(StoreError, match="holds no ICS Desktop data"):
        restore.restore(history, empty)
    with pytest.raises(StoreError, match="not a backup file"):
        restore.restore(history, tmp_path / "missing.sqlite")
    assert sorted(p.name for p in history.parent.iterdir()) == before
    assert _digest(history) == digest


def test_a_restore_that_fails_midway_puts_everything_back(history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = _damage(history)
    real_replace = Path.replace

    def failing_replace(self: Path, target: str | Path) -> Path:
        if Path(target) == history:
            raise PermissionError(13, "Permission denied")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(StoreError, match=r"could not be restored .*Permission denied.*nothing was changed"):
        restore.restore(history, list_backups(history)[0].path)
    assert history.read_bytes() == damaged
    assert not list(history.parent.glob("programme.sqlite.damaged-*"))
    assert not list(history.parent.glob(".*restoring"))


# -- the commands ------------------------------------------------------------------------------------------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """A command run in-process as main.py runs it: (exit code, stdout, stderr)."""
    out = io.StringIO()
    code = cli.run_command(cli.build_parser().parse_args(args), out)
    return code, out.getvalue(), capsys.readouterr().err


def test_backups_command_lists_dates_sizes_and_contents(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["backups", "--db", str(history)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == f"backups of {history}, newest first (in {history.parent / 'backups'}):"
    assert lines[1].startswith("1. ") and "when the file was opened" in lines[1] and "KB" in lines[1]
    assert lines[2].strip().startswith(f"{PROGRAMME} (Sample) — 16 participants")
    assert lines[3].strip().startswith("file: programme.sqlite-") and len(lines) == 1 + 3 * 3
    code, out, _ = _cli(["restore", "--db", str(history), "--list"], capsys)
    assert code == 0 and out.splitlines() == lines
    code, out, _ = _cli(["backups", "--db", str(history.parent / "other.sqlite")], capsys)
    assert code == 0 and out.startswith("no backups of")


def test_restore_command(history: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _cli(["restore", "--db", str(history)], capsys)  # which one? the list, and a question
    assert code == 2 and "newest first" in out and err.strip().startswith("error: say which backup")
    damaged = _damage(history)
    code, out, err = _cli(["restore", "--db", str(history), "--latest"], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"restored {history} from programme.sqlite-") and "when the file was opened" in lines[0]
    assert lines[1].startswith("the damaged file was kept as ") and lines[2] == f"ok: {history} is healthy"
    assert Path(lines[1].split(" kept as ", 1)[1]).read_bytes() == damaged
    code, out, err = _cli(["restore", "--db", str(history), "--backup", "3"], capsys)
    assert code == 0, err
    assert "Added 1" not in _people(history)
    code, _out, err = _cli(["restore", "--db", str(history), "--backup", "7"], capsys)
    assert code == 1 and err == "error: there is no backup number 7 (there are 3; see --list)\n"
    code, _out, err = _cli(["restore", "--db", str(history), "--backup", "nope.sqlite"], capsys)
    assert code == 1 and err.startswith("error: nope.sqlite does not exist")
    code, _out, err = _cli(["restore", "--db", str(history.parent / "fresh.sqlite"), "--latest"], capsys)
    assert code == 1 and err.startswith("error: no backup of") and len(err.splitlines()) == 1


def test_restore_command_as_a_process(history: Path) -> None:
    _damage(history)
    broken = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "check", "--db", str(history)], capture_output=True, text=True
    )
    assert broken.returncode == 1 and "damaged" in broken.stderr
    name = list_backups(history)[1].path.name
    restored = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "restore", "--db", str(history), "--backup", name],
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stderr
    assert "Traceback" not in restored.stderr
    people = _people(history)
    assert _healthy(history) and "Added 1" in people and "Added 2" not in people


# -- the guided restore in the GUI ---------------------------------------------------------------------------


def _dialog(qtbot: QtBot, path: Path, problem: str = "The file is damaged.") -> object:
    from ui.restore_dialog import RestoreDialog

    dialog = RestoreDialog(path, problem)
    qtbot.addWidget(dialog)
    return dialog


def test_restore_dialog_lists_backups_and_restores_the_chosen_one(qtbot: QtBot, history: Path) -> None:
    from ui.restore_dialog import RestoreDialog

    list_backups(history)[1].path.write_bytes(b"garbage")  # one damaged backup among good ones
    damaged = _damage(history)
    dialog = _dialog(qtbot, history, "programme.sqlite is damaged (database disk image is malformed).")
    assert isinstance(dialog, RestoreDialog)
    model = dialog.backups_view.model()
    assert model.rowCount() == 3
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "Taken", "When", "Size", "Contents",
    ]  # fmt: skip
    assert model.index(0, 1).data() == "On opening"
    assert model.index(0, 3).data().startswith(f"{PROGRAMME} (Sample)\n16 participants · 1 assessment")
    assert model.index(1, 3).data().startswith("Cannot be restored: ")
    assert not (model.flags(model.index(1, 0)) & Qt.ItemFlag.ItemIsSelectable)
    assert "malformed" in dialog.problem.text()
    assert dialog.selected_summary() is not None and dialog.restore_button.isEnabled()

    dialog.backups_view.selectRow(2)  # the oldest: before any participant was added
    assert dialog.restore_selected()
    assert dialog.result_info is not None and dialog.result_info.set_aside is not None
    assert dialog.result_info.set_aside.read_bytes() == damaged
    assert _healthy(history) and "Added 1" not in _people(history)


def test_restore_button_confirms_first(qtbot: QtBot, history: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.restore_dialog import RestoreDialog

    _damage(history)
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = _dialog(qtbot, history)
    assert isinstance(dialog, RestoreDialog)
    dialog.open()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert "Anything saved after" in asked[0] and not _healthy(history)  # "No": nothing happened
    with qtbot.waitSignal(dialog.finished):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert _healthy(history)


def test_open_after_failure_offers_the_restore_and_reopens(
    qtbot: QtBot, history: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.restore_dialog import RestoreDialog, open_after_failure

    _damage(history)
    with pytest.raises(StoreError) as failure:
        Store.open(history)

    def drive(self: RestoreDialog) -> int:  # what the user does in the dialog: pick the newest, restore
        assert self.restore_selected()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(RestoreDialog, "exec", drive)
    store = open_after_failure(history, failure.value, lambda: Store.open(history, backup_on_open=True))
    assert store is not None
    try:
        assert [p.name for p in store.programmes()] == [PROGRAMME]
    finally:
        store.close()

    _damage(history)
    with pytest.raises(StoreError) as again:
        Store.open(history)
    monkeypatch.setattr(RestoreDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))  # Quit
    assert open_after_failure(history, again.value, lambda: Store.open(history)) is None
    assert not _healthy(history)  # quitting changes nothing


def test_open_after_failure_explains_what_a_restore_cannot_fix(
    qtbot: QtBot, history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ics_desktop.storage import migrations
    from ui.restore_dialog import RestoreDialog, open_after_failure

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *_a: shown.append(text))
    monkeypatch.setattr(RestoreDialog, "exec", lambda self: pytest.fail("no restore should be offered"))
    conn = sqlite3.connect(history)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    conn.close()
    with pytest.raises(StoreError) as newer:
        Store.open(history)
    assert open_after_failure(history, newer.value, lambda: Store.open(history)) is None
    assert "newer version" in shown[-1]

    lonely = tmp_path / "lonely" / "db.sqlite"
    lonely.parent.mkdir()
    lonely.write_bytes(b"garbage" * 100)
    with pytest.raises(StoreError) as foreign:
        Store.open(lonely)
    assert open_after_failure(lonely, foreign.value, lambda: Store.open(lonely)) is None
    assert "No automatic backups of it were found" in shown[-1]


# -- periodic backups while editing ---------------------------------------------------------------------------


def test_periodic_backup_only_after_edits_and_on_close(qtbot: QtBot, history: Path) -> None:
    from ics_desktop.storage import edits
    from ui.periodic_backup import PeriodicBackup
    from ui.undo import EditRunner

    store = Store.open(history)
    try:
        runner = EditRunner(store)
        periodic = PeriodicBackup(runner, minutes=0.002)  # every 120 ms
        before = len(list_backups(history))
        qtbot.wait(300)
        assert len(list_backups(history)) == before  # nothing changed: no backup
        programme = store.programmes()[0]
        with qtbot.waitSignal(periodic.taken, timeout=3000) as taken:
            runner.run(edits.set_field(store, "programmes", programme.id, "description", "Edited", "description"))
        newest = list_backups(history)[0]
        assert taken.args == [newest.path] and newest.reason == "periodic"
        assert periodic.pending is False
        runner.stack.undo()  # an undo is a change too
        assert periodic.finish() is not None
        assert list_backups(history)[0].reason == "close"
        assert periodic.finish() is None  # nothing since
        assert not periodic.timer.isActive()
    finally:
        store.close()
    copy = Store.open(list_backups(history)[0].path, read_only=True)
    try:
        assert copy.programme(programme.id).name == PROGRAMME
    finally:
        copy.close()


def test_periodic_backup_failure_is_reported_and_retried(qtbot: QtBot, history: Path) -> None:
    from ics_desktop.storage import edits
    from ui.periodic_backup import PeriodicBackup
    from ui.undo import EditRunner

    folder = paths.backups_dir_for(history)
    shutil.rmtree(folder)
    folder.write_text("in the way")
    store = Store.open(history)
    try:
        runner = EditRunner(store)
        periodic = PeriodicBackup(runner, minutes=60)
        failures: list[str] = []
        periodic.failed.connect(failures.append)
        programme = store.programmes()[0]
        runner.run(edits.set_field(store, "programmes", programme.id, "description", "Edited", "description"))
        assert periodic.backup_if_changed() is None
        assert failures and failures[0].startswith("Backup not taken: The automatic backup could not be written")
        assert periodic.pending  # tried again next time
        folder.unlink()
        assert periodic.backup_if_changed() is not None and not periodic.pending
    finally:
        store.close()


def _names(store_path: Path) -> set[str]:
    store = Store.open(store_path, read_only=True)
    try:
        return {p.name for p in store.people(store.programmes()[0].id)}
    finally:
        store.close()


def test_two_databases_with_one_stem_never_share_backups(sample_file: Path, tmp_path: Path) -> None:
    sqlite_file, db_file = tmp_path / "prog.sqlite", tmp_path / "prog.db"
    for path, name in ((sqlite_file, "Only in prog.sqlite"), (db_file, "Only in prog.db")):
        shutil.copyfile(sample_file, path)
        store = Store.open(path)
        store.add_person(store.programmes()[0].id, "participant", name=name)
        store.close()
        Store.open(path, backup_on_open=True).close()
    mine, theirs = list_backups(sqlite_file), list_backups(db_file)
    assert len(mine) == len(theirs) == 1 and mine[0].path != theirs[0].path
    # Many opens of one never prune the other's only backup.
    for _ in range(KEEP_BACKUPS + 2):
        Store.open(db_file, backup_on_open=True).close()
    assert list_backups(sqlite_file) == mine
    restore.restore(sqlite_file, mine[0].path)
    assert "Only in prog.sqlite" in _names(sqlite_file) and "Only in prog.db" not in _names(sqlite_file)


def test_brackets_in_a_database_name_are_just_characters(sample_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "BNSSG [2025].sqlite"
    shutil.copyfile(sample_file, path)
    for _ in range(KEEP_BACKUPS + 3):
        Store.open(path, backup_on_open=True).close()
    found = list_backups(path)
    assert len(found) == KEEP_BACKUPS  # found, and rotation prunes them
    assert all(b.path.name.startswith("BNSSG [2025].sqlite-") for b in found)
    # The emptied-file guard sees them too.
    path.write_bytes(b"")
    with pytest.raises(StoreError, match="automatic backups"):
        Store.open(path)


def test_backups_named_by_an_earlier_version_are_still_found(sample_file: Path, tmp_path: Path) -> None:
    path = tmp_path / "programme.sqlite"
    shutil.copyfile(sample_file, path)
    older = _fake_backup(path, sample_file, datetime(2026, 1, 5, 9, 0, tzinfo=UTC), "open")
    legacy = older.with_name(older.name.replace("programme.sqlite-", "programme-"))
    older.rename(legacy)
    assert [b.path for b in list_backups(path)] == [legacy]
    # Not when another database beside it has the same stem: they could be either's.
    (tmp_path / "programme.db").write_bytes(b"")
    assert list_backups(path) == []


def test_a_stale_partial_backup_is_cleared_and_only_its_own(sample_file: Path, tmp_path: Path) -> None:
    import os
    import time

    path = tmp_path / "prog.sqlite"
    shutil.copyfile(sample_file, path)
    folder = paths.backups_dir_for(path)
    folder.mkdir()
    old = time.time() - 2 * 3600
    mine = folder / "prog.sqlite-20260101T000000000000Z-open.partial"
    fresh = folder / "prog.sqlite-20260101T000001000000Z-open.partial"
    theirs = folder / "prog.db-20260101T000000000000Z-open.partial"
    for partial in (mine, fresh, theirs):
        partial.write_bytes(b"half a backup")
    for partial in (mine, theirs):
        os.utime(partial, (old, old))
    backups.prune(path)
    assert not mine.exists() and fresh.exists() and theirs.exists()


# -- crashes, missing files, blocked backups -------------------------------------------------------------

# A restore in a real process that dies (os._exit: no clean-up of any kind) after the N-th rename.
_CRASHING_RESTORE = """
import os, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from ics_desktop.storage import restore

calls = 0
real_rename, real_replace = Path.rename, Path.replace

def dying(real):
    def step(self, target):
        global calls
        calls += 1
        if calls > {after}:
            os._exit(9)
        return real(self, target)
    return step

Path.rename, Path.replace = dying(real_rename), dying(real_replace)
restore.restore(Path({db!r}), Path({backup!r}))
os._exit(0)
"""


@pytest.mark.parametrize("after", [0, 1, 2, 3])
def test_a_restore_killed_between_its_renames_is_finished_or_undone_on_next_open(history: Path, after: int) -> None:
    Path(f"{history}-wal").write_bytes(b"")  # a companion to move aside too
    backup = list_backups(history)[-1].path  # the oldest: taken before anyone was added
    before = _people(history)
    restored = sorted(_base(before))
    assert restored != before
    root = str(Path(__file__).resolve().parent.parent)
    script = _CRASHING_RESTORE.format(root=root, after=after, db=str(history), backup=str(backup))
    subprocess.run([sys.executable, "-c", script], check=False, timeout=60)
    # Whatever step it died at, the next open finds a database: the restored one or the original.
    store = Store.open(history)
    store.close()
    people = _people(history)
    assert people in (before, restored)
    assert not (history.parent / f".{history.name}.restore-journal").exists()
    assert not (history.parent / f".{history.name}.restoring").exists()
    # Nothing was lost: the earlier file is still beside it when the restore went through.
    if people != before:
        assert list(history.parent.glob("programme.sqlite.before-restore-*"))


def _base(people: list[str]) -> list[str]:
    return [p for p in people if not p.startswith("Added ")]


def test_a_database_deleted_while_open_is_restored_not_replaced_by_an_empty_one(
    history: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history.unlink()  # a sync program removed it
    with pytest.raises(StoreError, match=r"not there any more .* restore the latest one"):
        Store.open(history)
    assert not history.exists()
    assert cli.main(["sample", "--db", str(history)]) != 0
    assert "restore the latest one" in capsys.readouterr().err
    assert not history.exists()
    code = cli.main(["restore", "--db", str(history), "--latest"])
    assert code == 0 and "Added 2" in _people(history)  # the newest backup, taken when it was last opened


def test_a_blocked_backup_folder_does_not_stop_the_app_opening(history: Path, qtbot: QtBot) -> None:
    folder = paths.backups_dir_for(history)
    shutil.rmtree(folder)
    folder.write_text("a file where the backups folder should be")
    store = Store.open(history, backup_on_open=True)
    try:
        assert "could not be written" in store.backup_problem
        from ui.main_window import MainWindow

        window = MainWindow(store)
        qtbot.addWidget(window)
        window.show()
        assert window.backup_banner.isVisible() and "not being taken" in window.backup_banner.text()
        store.add_person(store.programmes()[0].id, "participant", name="Still saved")
    finally:
        store.close()
    assert "Still saved" in _people(history)


def test_restoring_a_live_file_reads_the_changes_in_its_wal(history: Path, tmp_path: Path) -> None:
    live = tmp_path / "elsewhere" / "live.sqlite"
    live.parent.mkdir()
    shutil.copyfile(list_backups(history)[-1].path, live)
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE people SET name = 'Only in the WAL' WHERE name = 'Julia Ross'")
    conn.commit()
    copy = tmp_path / "copied.sqlite"
    shutil.copyfile(live, copy)
    shutil.copyfile(f"{live}-wal", f"{copy}-wal")  # the file as a user would copy it, with its -wal
    conn.close()
    restore.restore(history, copy)
    assert "Only in the WAL" in _people(history)


def test_a_backup_is_private_from_its_first_byte(history: Path) -> None:
    store = Store.open(history)
    modes: list[int] = []

    class Watching:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def backup(self, dest: sqlite3.Connection) -> None:
            (partial,) = paths.backups_dir_for(history).glob("*.partial")
            modes.append(partial.stat().st_mode & 0o777)
            self.conn.backup(dest)

    try:
        made = take_backup(Watching(store.conn), history, "periodic")  # type: ignore[arg-type]
    finally:
        store.close()
    assert modes == [0o600] and made.stat().st_mode & 0o777 == 0o600
