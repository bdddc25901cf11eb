"""Hostile and broken files: every one gets a clear message from the commands and from the GUI's
open path — never a traceback — and none is changed by being looked at.

The matrix runs the commands in-process (`cli.main`, the same code a process runs) and the GUI's
`ui.app.run` with its message box captured; a few cases also run as real processes. Read-only
files are tested for real: with chmod as an ordinary user, and as root (where chmod stops nothing)
by running the commands as the unprivileged user `nobody`.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ics_desktop import cli
from ics_desktop.errors import StoreError, UserFacingError
from ics_desktop.frameworks.csv_import import import_csv_bytes
from ics_desktop.storage import database, migrations
from ics_desktop.storage.database import DISK_FULL_MESSAGE, DiskFullError, ReadOnlyDatabaseError
from ics_desktop.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "not a file"


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder with its hash: a refused file gets no companion (`-wal`, `-shm`) either."""
    return {p.name: _digest(p) for p in sorted(folder.iterdir()) if p.is_file()}


# -- the hostile files ----------------------------------------------------------------------------


def _foreign_sqlite(path: Path, _sample: bytes) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()


def _newer_version(path: Path, sample: bytes) -> None:
    path.write_bytes(sample)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    conn.close()


def _other_application_id(path: Path, sample: bytes) -> None:
    path.write_bytes(sample)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 12345")
    conn.close()


def _missing_table(path: Path, sample: bytes) -> None:
    path.write_bytes(sample)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DROP TABLE milestones")
    conn.commit()
    conn.close()


def _with_sql(*statements: str) -> Callable[[Path, bytes], None]:
    """The sample with something added by another program (a trigger, a view …)."""

    def write(path: Path, sample: bytes) -> None:
        path.write_bytes(sample)
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA foreign_keys = OFF")
        for statement in statements:
            conn.execute(statement)
        conn.commit()
        conn.close()

    return write


# One innocent edit of an action would delete every score and rename every action.
HOSTILE_TRIGGER = (
    "CREATE TRIGGER wipe AFTER UPDATE ON actions BEGIN "
    "DELETE FROM responses; UPDATE actions SET title = 'pwned' WHERE title <> 'pwned'; END"
)


def _foreign_wal(path: Path, sample: bytes) -> None:
    """The sample with another database's uncommitted-to-file changes (`-wal`) copied in beside it."""
    from ics_desktop.sample import create_sample_database

    other = path.with_name("other.sqlite")
    create_sample_database(other)  # the same programme made again: other ids, other pages
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE actions SET title = 'other ' || title")
    conn.commit()
    conn.execute("DELETE FROM responses")
    conn.commit()
    path.write_bytes(sample)
    shutil.copyfile(f"{other}-wal", f"{path}-wal")
    conn.close()  # closing checkpoints `other`; the copy beside `path` is left as it was
    other.unlink()


def _bytes(make: Callable[[bytes], bytes]) -> Callable[[Path, bytes], None]:
    def write(path: Path, sample: bytes) -> None:
        path.write_bytes(make(sample))

    return write


def _folder(path: Path, _sample: bytes) -> None:
    path.mkdir()


def _fifo(path: Path, _sample: bytes) -> None:
    os.mkfifo(path)


def _garbage_pages(sample: bytes) -> bytes:
    rng = random.Random(5)
    return sample[:100] + rng.randbytes(len(sample) - 100)


@dataclass(frozen=True)
class Hostile:
    name: str
    make: Callable[[Path, bytes], None]
    needle: str  # in every message about it
    readable: bool = False  # `check` passes (only a file the app must not *write* to)


HOSTILE = [
    Hostile("truncated to half", _bytes(lambda b: b[: len(b) // 2]), "damaged"),
    Hostile("truncated inside the header", _bytes(lambda b: b[:60]), "truncated"),
    Hostile("only its first page", _bytes(lambda b: b[:4096]), "damaged"),
    Hostile("random bytes", _bytes(lambda b: random.Random(1).randbytes(64 * 1024)), "not an SQLite file"),
    Hostile("all zero bytes", _bytes(lambda b: bytes(100 * 1024)), "not an SQLite file"),
    Hostile("a CSV file", _bytes(lambda b: b"participant,capability\nP01,1.1\n" * 50), "not an SQLite file"),
    Hostile("a valid header on random pages", _bytes(_garbage_pages), "damaged"),
    Hostile("a zeroed page in the middle", _bytes(lambda b: b[:8192] + bytes(4096) + b[12288:]), "damaged"),
    Hostile("a newer version", _newer_version, "newer version of ICS Desktop"),
    Hostile("a foreign SQLite database", _foreign_sqlite, "not an ICS Desktop database"),
    Hostile("another application's id", _other_application_id, "not an ICS Desktop database"),
    Hostile("a table dropped", _missing_table, "tables are missing"),
    Hostile("a hostile trigger", _with_sql(HOSTILE_TRIGGER), "not an ICS Desktop database as written by this version"),
    Hostile("an extra view", _with_sql("CREATE VIEW everyone AS SELECT * FROM people"), "as written by this version"),
    Hostile("an extra index", _with_sql("CREATE INDEX sneaky ON responses(score)"), "as written by this version"),
    Hostile("an extra table", _with_sql("CREATE TABLE notes (x)"), "as written by this version"),
    Hostile(
        "a table defined differently",
        _with_sql("ALTER TABLE actions ADD COLUMN extra TEXT DEFAULT 'x'"),
        "a different definition of table 'actions'",
    ),
    Hostile("another database's -wal beside it", _foreign_wal, "damaged"),
    Hostile("a folder", _folder, "folder"),
    Hostile("a named pipe", _fifo, "not a regular file"),
]


@pytest.fixture(scope="module")
def sample_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("hostile-sample") / "sample.sqlite"
    from ics_desktop.sample import create_sample_database

    create_sample_database(path)
    return path.read_bytes()


def _run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line_error(code: int, err: str, needle: str) -> None:
    assert code != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), err
    assert needle in lines[0], err


@pytest.fixture
def gui_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the GUI would show in a message box (captured instead of shown)."""
    shown: list[str] = []

    def critical(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    import ui.app

    monkeypatch.setattr(QMessageBox, "critical", critical)
    monkeypatch.setattr(ui.app, "_style", lambda _app: None)  # keep the test session's look as it is
    return shown


def _gui_open(path: Path, shown: list[str]) -> int:
    from ui.app import run

    return run(path)


@pytest.mark.parametrize("hostile", HOSTILE, ids=[h.name for h in HOSTILE])
def test_hostile_file_gets_a_clear_message_everywhere_and_is_not_changed(
    hostile: Hostile,
    sample_bytes: bytes,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    qtbot: QtBot,
    gui_messages: list[str],
) -> None:
    path = tmp_path / "hostile.sqlite"
    hostile.make(path, sample_bytes)
    before = _snapshot(tmp_path)

    for command in ("check", "summary", "sample"):
        code, _out, err = _run_cli([command, "--db", str(path)], capsys)
        _one_line_error(code, err, hostile.needle)

    assert _gui_open(path, gui_messages) == 1
    assert len(gui_messages) == 1 and "cannot be opened" in gui_messages[0] and hostile.needle in gui_messages[0]

    assert _snapshot(tmp_path) == before, "looking at a hostile file changed it"
    assert not (tmp_path / "backups").exists()


def test_zero_length_file_is_new_unless_it_has_backups(
    sample_bytes: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.sqlite"
    empty.write_bytes(b"")
    code, _out, err = _run_cli(["check", "--db", str(empty)], capsys)
    _one_line_error(code, err, "empty")
    assert empty.read_bytes() == b""
    # A zero-length file whose automatic backups exist was emptied by accident: never build on it.
    Store.open(empty).close()  # a new, empty database: that is what an empty file with no history is
    (tmp_path / "work.sqlite").write_bytes(sample_bytes)
    Store.open(tmp_path / "work.sqlite", backup_on_open=True).close()
    (tmp_path / "work.sqlite").write_bytes(b"")
    with pytest.raises(StoreError, match=r"empty .*automatic backups"):
        Store.open(tmp_path / "work.sqlite")
    assert (tmp_path / "work.sqlite").read_bytes() == b""


def test_garbage_wal_beside_a_good_file_is_ignored(
    sample_bytes: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "good.sqlite"
    path.write_bytes(sample_bytes)
    Path(f"{path}-wal").write_bytes(random.Random(3).randbytes(40_000))
    code, _out, err = _run_cli(["check", "--db", str(path)], capsys)
    assert code == 0, err
    store = Store.open(path)
    try:
        assert [p.name for p in store.programmes()] == ["Supporting Aspiring ICS Programme"]
    finally:
        store.close()


def test_hostile_files_as_real_processes(sample_bytes: bytes, tmp_path: Path) -> None:
    """The end-to-end check that no traceback escapes: a process, its exit code and its stderr."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    for hostile in (HOSTILE[3], HOSTILE[6]):
        path = tmp_path / f"{hostile.name.replace(' ', '-')}.sqlite"
        hostile.make(path, sample_bytes)
        before = _digest(path)
        for args in (["check", "--db", str(path)], ["--smoke-test", "--db", str(path)]):
            result = subprocess.run(
                [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, env=env, timeout=120
            )
            assert result.returncode == 1
            assert "Traceback" not in result.stderr
            assert hostile.needle in result.stderr
        assert _digest(path) == before


# -- read-only files and folders -------------------------------------------------------------------


def test_read_only_file_is_refused_for_editing_with_a_clear_message(
    sample_bytes: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    qtbot: QtBot,
    gui_messages: list[str],
) -> None:
    """In-process, the permission is simulated (tests may run as root, where chmod stops nothing)."""
    path = tmp_path / "readonly.sqlite"
    path.write_bytes(sample_bytes)
    before = _digest(path)
    real_access = os.access
    monkeypatch.setattr(
        database.os, "access", lambda p, mode: False if mode == os.W_OK and Path(p) == path else real_access(p, mode)
    )
    with pytest.raises(ReadOnlyDatabaseError, match="read-only database can't take edits"):
        Store.open(path)
    code, _out, err = _run_cli(["sample", "--db", str(path)], capsys)
    _one_line_error(code, err, "is read-only")
    for command in ("check", "summary"):  # reading a read-only file is fine
        code, _out, err = _run_cli([command, "--db", str(path)], capsys)
        assert code == 0, err
    assert _gui_open(path, gui_messages) == 1
    assert "read-only database can't take edits" in gui_messages[0]
    assert _digest(path) == before


def test_read_only_folder_is_refused_for_editing_with_a_clear_message(
    sample_bytes: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = folder / "db.sqlite"
    path.write_bytes(sample_bytes)
    before = _snapshot(folder)
    real_access = os.access
    monkeypatch.setattr(
        database.os, "access", lambda p, mode: False if mode == os.W_OK and Path(p) == folder else real_access(p, mode)
    )
    with pytest.raises(ReadOnlyDatabaseError, match=r"The folder .*locked is read-only"):
        Store.open(path)
    with pytest.raises(ReadOnlyDatabaseError, match="is read-only"):
        Store.open(folder / "new.sqlite")
    assert _snapshot(folder) == before  # nothing written, no new database, no backups folder


@pytest.fixture
def unprivileged(tmp_path: Path) -> Iterator[tuple[Path, Callable[..., subprocess.CompletedProcess[str]]]]:
    """A folder, and a runner of the app's commands for which chmod really makes files read-only.

    An ordinary user is bound by chmod already. Root is not (it may write anything), so as root the
    commands run without the capabilities that let root ignore file permissions (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH), through util-linux's `setpriv`.
    """
    if not hasattr(os, "geteuid"):
        pytest.skip("POSIX file permissions")
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: chmod cannot make a file read-only for root")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    folder = tmp_path / "permissions"
    folder.mkdir()

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        command = [*prefix, sys.executable, str(ROOT / "main.py"), *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    try:
        yield folder, run
    finally:
        for p in [folder, *folder.rglob("*")]:
            if p.is_dir():
                p.chmod(0o755)  # so pytest can clean up


def test_read_only_file_and_folder_for_real(
    sample_bytes: bytes, unprivileged: tuple[Path, Callable[..., subprocess.CompletedProcess[str]]]
) -> None:
    base, run = unprivileged
    # 1. A read-only file in a folder the user can write to.
    open_folder = base / "open"
    open_folder.mkdir()
    ro_file = open_folder / "file.sqlite"
    ro_file.write_bytes(sample_bytes)
    ro_file.chmod(0o444)
    # 2. A writable file in a folder the user cannot write to.
    locked = base / "locked"
    locked.mkdir()
    in_locked = locked / "db.sqlite"
    in_locked.write_bytes(sample_bytes)
    locked.chmod(0o555)
    before = {p: _digest(p) for p in (ro_file, in_locked)}

    for path, needle in ((ro_file, "is read-only"), (in_locked, "is read-only")):
        checked = run("check", "--db", str(path))
        assert checked.returncode == 0, checked.stderr  # reading works, even in a read-only folder
        summary = run("summary", "--db", str(path))
        assert summary.returncode == 0 and '"Supporting Aspiring ICS Programme"' in summary.stdout, summary.stderr
        for args in (["sample", "--db", str(path)], ["--smoke-test", "--db", str(path)]):
            refused = run(*args)
            assert refused.returncode == 1, refused.stdout
            assert "Traceback" not in refused.stderr
            assert needle in refused.stderr and "can't take edits" in refused.stderr
    assert {p: _digest(p) for p in before} == before


# -- a full disk ------------------------------------------------------------------------------------


def _fill_disk(store: Store) -> None:
    """Simulate a full disk: the file may not grow by a single page from now on."""
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")


BIG = "A long workshop note that needs new pages. " * 2300  # about 99 KB: new pages, within the limit


def test_full_disk_refuses_an_edit_clearly_and_keeps_everything_saved_before(
    sample_bytes: bytes, tmp_path: Path
) -> None:
    path = tmp_path / "full.sqlite"
    path.write_bytes(sample_bytes)
    store = Store.open(path)
    system_id = store.programmes()[0].system_id
    store.update_field("systems", system_id, "overview", "Saved before the disk filled")
    store.close()
    before = _digest(path)

    store = Store.open(path)
    _fill_disk(store)
    with pytest.raises(DiskFullError) as raised:
        store.update_field("systems", system_id, "overview", BIG)
    assert str(raised.value) == DISK_FULL_MESSAGE and isinstance(raised.value, UserFacingError)
    assert str(raised.value).startswith("The disk is full: the last change was not saved")
    with pytest.raises(DiskFullError), store.atomic():  # a multi-row action: all or nothing, and still clear
        store.add_person(store.programmes()[0].id, "participant", name="Half")
        store.update_field("systems", system_id, "overview", BIG)
    programme_id = store.programmes()[0].id
    csv = "participant,capability,question,score\n" + "".join(
        f"Q{p:03d},{c},now,2\n" for p in range(150) for c in ("1.1", "1.2", "2.1", "2.2")
    )
    with pytest.raises(StoreError, match=r"disk is full.*nothing was saved"):
        import_csv_bytes(store, programme_id, "Too big", csv.encode(), today="2026-01-01")
    assert store.system(system_id)["overview"] == "Saved before the disk filled"
    store.close()
    assert _digest(path) == before, "a refused change altered the file"
    assert database.check_file(path) == []

    again = Store.open(path)  # space freed (a new connection has no page limit): editing works again
    try:
        again.update_field("systems", system_id, "overview", BIG)
        assert again.system(system_id)["overview"] == BIG
        assert [p.name for p in again.people(programme_id) if p.name == "Half"] == []
    finally:
        again.close()


def test_full_disk_in_the_window_shows_a_message_and_keeps_the_typed_text(
    qtbot: QtBot, sample_bytes: bytes, tmp_path: Path
) -> None:
    from ui.autosave import AutoSaver
    from ui.undo import EditRunner

    path = tmp_path / "full.sqlite"
    path.write_bytes(sample_bytes)
    store = Store.open(path)
    system = store.system(store.programmes()[0].system_id)
    runner = EditRunner(store)
    messages: list[str] = []
    runner.saved.connect(messages.append)
    saver = AutoSaver(runner)
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    saver.bind(editor, "systems", "overview", "system overview")
    saver.load({"systems": system})

    _fill_disk(store)
    editor.setPlainText(BIG)  # as if typed
    saver.flush()  # what the pause, leaving the field or closing the window does
    assert messages and messages[-1].startswith("Not saved: The disk is full: the last change was not saved")
    assert editor.toPlainText() == BIG, "the typed text was lost"
    assert runner.stack.count() == 0  # nothing to undo: nothing happened
    store.close()
    fresh = Store.open(path, read_only=True)
    try:
        assert fresh.system(system["id"])["overview"] == system["overview"]
    finally:
        fresh.close()


def test_full_disk_then_space_freed_saves_the_kept_text(qtbot: QtBot, sample_bytes: bytes, tmp_path: Path) -> None:
    """A refused field stays pending: the next flush, once there is space, saves it."""
    from ui.autosave import AutoSaver
    from ui.undo import EditRunner

    path = tmp_path / "full.sqlite"
    path.write_bytes(sample_bytes)
    store = Store.open(path)
    system = store.system(store.programmes()[0].system_id)
    runner = EditRunner(store)
    saver = AutoSaver(runner)
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    saver.bind(editor, "systems", "overview", "system overview")
    saver.load({"systems": system})
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    _fill_disk(store)
    editor.setPlainText(BIG)
    saver.flush()
    store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")  # space freed
    saver.flush()  # leaving the field or closing the window tries again
    assert store.system(system["id"])["overview"] == BIG
    store.close()


def test_full_disk_text_survives_moving_to_another_record(qtbot: QtBot, sample_bytes: bytes, tmp_path: Path) -> None:
    """Choosing another area of focus after a refused save keeps the typed text, and saves it later."""
    from ui.autosave import AutoSaver
    from ui.undo import EditRunner

    path = tmp_path / "full.sqlite"
    path.write_bytes(sample_bytes)
    store = Store.open(path)
    first, second = store.conn.execute("SELECT id FROM areas_of_focus ORDER BY number LIMIT 2").fetchall()
    area = {row[0]: store.get("areas_of_focus", row[0]) for row in (first, second)}
    saver = AutoSaver(EditRunner(store))
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    saver.bind(editor, "areas_of_focus", "narrative", "area of focus narrative")
    saver.load({"areas_of_focus": area[first[0]]})
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    _fill_disk(store)
    editor.setPlainText(BIG)

    saver.load({"areas_of_focus": area[second[0]]})  # the user picks the next area: the save is refused
    assert editor.toPlainText() == area[second[0]]["narrative"]
    assert saver.unsaved() == ["area of focus narrative"]
    saver.load({"areas_of_focus": area[first[0]]})  # and comes back: the typed text is there again
    assert editor.toPlainText() == BIG
    saver.load({"areas_of_focus": area[second[0]]})
    assert store.get("areas_of_focus", first[0])["narrative"] == area[first[0]]["narrative"]

    store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")  # space freed
    saver.flush()  # the next pause, leaving a field or closing tries again
    assert saver.unsaved() == []
    assert store.get("areas_of_focus", first[0])["narrative"] == BIG
    assert editor.toPlainText() == area[second[0]]["narrative"]
    store.close()


def test_full_disk_keeps_the_programme_open_and_asks_before_closing(
    qtbot: QtBot, sample_bytes: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.main_window import MainWindow

    path = tmp_path / "full.sqlite"
    path.write_bytes(sample_bytes)
    store = Store.open(path)
    sample_id = store.programmes()[0].id
    other_id = store.duplicate_programme(sample_id, "Another programme")
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    window.picker.setCurrentIndex(window.picker.findData(sample_id))
    assert window.programme_id == sample_id
    warnings: list[str] = []
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard]

    def warning(_parent: object, _title: str, text: str, *_args: object) -> QMessageBox.StandardButton:
        warnings.append(text)
        return answers.pop(0) if "close" in text else QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    _fill_disk(store)
    window.overview.system_overview.setPlainText(BIG)  # as if typed

    window.overview.flush()  # what the pause after typing does: refused, and the window says so until fixed
    assert window.storage_banner.isVisible() and "The disk is full" in window.storage_banner.text()
    window.picker.setCurrentIndex(window.picker.findData(other_id))  # refused: the text would be lost
    assert window.programme_id == sample_id and window.picker.currentData() == sample_id
    assert window.overview.system_overview.toPlainText() == BIG
    assert "system overview" in warnings[-1] and "stays open" in warnings[-1]

    window.close()  # asked, and the answer "Cancel" keeps the window open with the text
    assert window.isVisible() and "close and lose it" in warnings[-1]
    assert window.overview.system_overview.toPlainText() == BIG

    store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")  # space freed: switching saves and moves on
    window.picker.setCurrentIndex(window.picker.findData(other_id))
    assert window.programme_id == other_id
    assert store.system(store.programme(sample_id).system_id)["overview"] == BIG
    assert not window.storage_banner.isVisible()
    count = len(warnings)
    window.close()
    assert not window.isVisible() and len(warnings) == count  # nothing left unsaved: no question

    window.show()
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    _fill_disk(store)
    window.overview.system_overview.setPlainText(BIG + " again")
    window.close()  # asked again, and "Discard" closes: the user chose to lose it
    assert not window.isVisible() and "close and lose it" in warnings[-1] and answers == []
    store.close()


def test_full_disk_undo_and_redo_are_refused_clearly_and_the_history_stays(
    qtbot: QtBot, sample_bytes: bytes, tmp_path: Path
) -> None:
    from ics_desktop.storage import edits
    from ui.main_window import MainWindow

    path = tmp_path / "full.sqlite"
    path.write_bytes(sample_bytes)
    store = Store.open(path)
    window = MainWindow(store)
    qtbot.addWidget(window)
    runner = window.runner
    messages: list[str] = []
    runner.saved.connect(messages.append)
    system_id = store.programmes()[0].system_id
    store.update_field("systems", system_id, "overview", BIG)
    assert runner.run(edits.set_field(store, "systems", system_id, "overview", "Short", "system overview"))
    store.conn.execute("VACUUM")  # the space BIG took is given back: undoing it needs new pages
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    _fill_disk(store)

    window.undo_action.trigger()  # Ctrl+Z
    assert messages[-1].startswith("Not undone: The disk is full")
    assert runner.stack.index() == 1 and runner.stack.canUndo()  # still there to undo later
    assert store.system(system_id)["overview"] == "Short"
    assert window.undo_action.isEnabled() and "system overview" in window.undo_action.text()

    store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")  # space freed: undo works
    window.undo_action.trigger()
    assert runner.stack.index() == 0 and store.system(system_id)["overview"] == BIG
    assert messages[-1] == "Undone: system overview"

    store.conn.execute("VACUUM")
    store.update_field("systems", system_id, "governance_notes", "")
    assert runner.run(edits.set_field(store, "systems", system_id, "governance_notes", BIG, "governance notes"))
    assert runner.undo() and runner.redo()  # with space, both work
    assert runner.undo() and store.system(system_id)["governance_notes"] == ""
    store.conn.execute("VACUUM")
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    _fill_disk(store)
    window.redo_action.trigger()  # Ctrl+Shift+Z: writing BIG again needs pages the disk hasn't got
    assert messages[-1].startswith("Not redone: The disk is full")
    assert runner.stack.canRedo() and store.system(system_id)["governance_notes"] == ""
    store.conn.execute(f"PRAGMA max_page_count = {pages * 100}")
    window.redo_action.trigger()
    assert store.system(system_id)["governance_notes"] == BIG and not runner.stack.canRedo()
    store.close()


def test_a_backup_carrying_a_trigger_is_never_restored(
    sample_bytes: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    work = tmp_path / "work.sqlite"
    work.write_bytes(sample_bytes)
    hostile = tmp_path / "hostile.sqlite"
    _with_sql(HOSTILE_TRIGGER)(hostile, sample_bytes)
    before = _digest(work)
    code, out, err = _run_cli(["restore", "--db", str(work), "--backup", str(hostile)], capsys)
    _one_line_error(code, err, "not an ICS Desktop database as written by this version")
    assert _digest(work) == before and "restored" not in out.lower()
    # The healthy database takes an edit of an action without losing a single score.
    store = Store.open(work)
    try:
        scores = len(store.rows("SELECT id FROM responses"))
        action = store.rows("SELECT id FROM actions LIMIT 1")[0]["id"]
        store.update_field("actions", action, "owner", "Someone")
        assert len(store.rows("SELECT id FROM responses")) == scores > 0
    finally:
        store.close()
