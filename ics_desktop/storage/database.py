"""Opening a database safely: preflight checks, connection settings, migrations, integrity check.

A file is inspected read-only before anything writes to it, so a corrupt file or one from a newer
version of the app is refused untouched. While a file is open, SQLite's low-level failures (a full
disk, a read-only file, an I/O error) are turned into `StoreError`s with plain-words messages, so
the window reports them like any other refused change instead of showing a traceback.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ics_desktop.errors import NewerVersionError, StoreError
from ics_desktop.storage.backups import list_backups, take_backup
from ics_desktop.storage.migrations import APPLICATION_ID, apply_migration, available_migrations

SQLITE_HEADER = b"SQLite format 3\x00"
EXPECTED_TABLES = frozenset(
    {
        "frameworks",
        "systems",
        "programmes",
        "people",
        "assessments",
        "respondents",
        "responses",
        "capability_results",
        "workshop_catalogue",
        "areas_of_focus",
        "workshops",
        "workshop_items",
        "actions",
        "action_notes",
        "milestones",
    }
)


@dataclass(frozen=True)
class FileState:
    """What the preflight found: the schema version (0 for a new, empty file)."""

    exists: bool
    user_version: int


# SQLite's primary result codes (the low byte of an extended code) that say the file, not the data, failed.
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CORRUPT = 5, 6, 8, 10, 11
SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 13, 14, 26


class DiskFullError(StoreError, sqlite3.OperationalError):
    """The disk (or the file's size limit) is full: the change was rolled back, nothing half-saved."""


class ReadOnlyDatabaseError(StoreError, sqlite3.OperationalError):
    """The database file or its folder cannot be written: it can be read, never edited."""


class DatabaseIOError(StoreError, sqlite3.OperationalError):
    """The file could not be read or written (an I/O error, damage found mid-session, another program's lock)."""


# These subclass sqlite3.OperationalError too, so code that rolls back on `sqlite3.Error` still does,
# and UserFacingError, so the edit runner shows the message instead of raising.
DISK_FULL_MESSAGE = (
    "The disk is full: the last change was not saved. Free some space on the disk (delete or move some "
    "files), then make the change again; everything saved before it is safe."
)


def explain(exc: sqlite3.Error) -> StoreError | None:
    """A plain-words StoreError for a failure of the file itself; None for a data error (a constraint …).

    The result keeps SQLite's `sqlite_errorcode` and `sqlite_errorname`, so code may still test them.
    """
    if isinstance(exc, StoreError):
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    error = _explained(exc, primary)
    if error is not None:
        error.sqlite_errorcode = code  # type: ignore[attr-defined]
        error.sqlite_errorname = getattr(exc, "sqlite_errorname", None)  # type: ignore[attr-defined]
    return error


def _explained(exc: sqlite3.Error, primary: int | None) -> StoreError | None:
    if primary == SQLITE_FULL:
        return DiskFullError(DISK_FULL_MESSAGE)
    if primary == SQLITE_READONLY:
        return ReadOnlyDatabaseError(
            "The database is read-only: the last change was not saved. ICS Desktop can show a read-only "
            "file but cannot save changes to it; make the file and its folder writable, or copy it to a "
            "folder you can write to and open the copy."
        )
    if primary == SQLITE_IOERR:
        return DatabaseIOError(
            f"The database file could not be read or written ({exc}): the last change may not have been saved. "
            "If the file is on a USB stick or a network drive, check that it is still connected, then "
            "close ICS Desktop and open it again."
        )
    if primary in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseIOError(
            f"The database file is damaged ({exc}): the last change was not saved. Close ICS Desktop and "
            "open it again: it will offer to restore one of the automatic backups."
        )
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseIOError(
            "The database is busy (another copy of ICS Desktop or another program is using it): the last "
            "change was not saved. Close the other program and make the change again."
        )
    return None


class SafeConnection(sqlite3.Connection):
    """A connection whose file-level failures surface as StoreErrors with a clear message."""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        try:
            return super().execute(sql, parameters)
        except sqlite3.Error as exc:
            raise (explain(exc) or exc) from None

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> sqlite3.Cursor:
        try:
            return super().executemany(sql, parameters)
        except sqlite3.Error as exc:
            raise (explain(exc) or exc) from None

    def executescript(self, sql_script: str, /) -> sqlite3.Cursor:
        try:
            return super().executescript(sql_script)
        except sqlite3.Error as exc:
            raise (explain(exc) or exc) from None

    def commit(self) -> None:
        try:
            super().commit()
        except sqlite3.Error as exc:
            raise (explain(exc) or exc) from None


def _ro_connect(path: Path, *, factory: type[sqlite3.Connection] = sqlite3.Connection) -> sqlite3.Connection:
    """A read-only connection; in a read-only folder, a WAL-mode file is read as it stands.

    SQLite needs to create a WAL file's shared-memory companion (`-shm`) even to read it; in a folder
    that cannot be written it fails with "attempt to write a readonly database", which would read
    as damage. With no `-wal` file beside it, the main file holds every committed change, so
    opening it as immutable is exact.
    """
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, isolation_level=None, factory=factory)
    try:
        conn.execute("PRAGMA schema_version").fetchone()  # opens the file: errors surface here
        return conn
    except sqlite3.Error as exc:
        conn.close()
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
        if code not in (SQLITE_READONLY, SQLITE_CANTOPEN) or os.access(path.parent, os.W_OK):
            raise
        if Path(f"{path}-wal").exists():
            raise StoreError(
                f"{path} cannot be read: its folder is read-only and changes are still waiting in "
                f"{path.name}-wal. Copy both files to a folder you can write to and open the copy there."
            ) from None
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, isolation_level=None, factory=factory)


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection that also reads changes waiting in the file's `-wal` (see `_ro_connect`)."""
    return _ro_connect(path)


def writable_problem(path: Path) -> str | None:
    """Why ICS Desktop could not save changes to `path` (file or folder read-only), or None."""
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return (
            f"{path} is read-only, so ICS Desktop cannot save changes to it (a read-only database "
            "can't take edits). Make the file writable, or copy it to a folder you can write to and "
            "open the copy. The file was not changed."
        )
    if folder.is_dir() and not os.access(folder, os.W_OK):
        return (
            f"The folder {folder} is read-only, so ICS Desktop cannot save changes to {path.name} there "
            "(it writes a journal and automatic backups beside the file, and a read-only database "
            "can't take edits). Copy the file to a folder you can write to and open the copy. "
            "The file was not changed."
        )
    return None


def preflight(path: Path, *, full_check: bool = False) -> FileState:
    """Inspect a database file without modifying it; raise StoreError with a clear message if unusable.

    Reading a WAL-mode file makes SQLite create its `-shm` (and an empty `-wal`) beside it: for a file that
    is refused, those it made are removed again, so it is left exactly as it was found. (Not for a file
    that is accepted: another program may be using them by then.)
    """
    companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    there = {c for c in companions if c.exists()}
    try:
        return _preflight(path, full_check=full_check)
    except StoreError:
        remove_new_companions(companions, there)
        raise


def remove_new_companions(companions: list[Path], there: set[Path]) -> None:
    """Remove the `-wal` (when empty) and `-shm` that were not there before a refused open."""
    for companion in companions:
        if companion not in there:
            with contextlib.suppress(OSError):
                if companion.name.endswith("-shm") or companion.stat().st_size == 0:
                    companion.unlink()


def _preflight(path: Path, *, full_check: bool = False) -> FileState:
    if not path.exists():
        return FileState(False, 0)
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file.")
    if not path.is_file():  # a pipe or a device: reading it could block or never end
        raise StoreError(f"{path} is not a regular file, so it cannot be an ICS Desktop database.")
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise StoreError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    if not header:
        if list_backups(path):  # an emptied file (a failed copy or sync), not a new one: never build on it
            raise StoreError(
                f"{path} is empty (0 bytes), but it has automatic backups: it was probably damaged by a "
                "failed copy or sync. Restore it from a backup."
            )
        return FileState(True, 0)
    if not header.startswith(SQLITE_HEADER):
        raise StoreError(f"{path} is not an ICS Desktop database (it is not an SQLite file).")
    if len(header) < 100:
        raise StoreError(f"{path} is damaged: the file is truncated.")
    try:
        conn = _ro_connect(path)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            latest = len(available_migrations())
            if version > latest:
                raise NewerVersionError(
                    f"{path} was saved by a newer version of ICS Desktop (schema {version}; this "
                    f"version knows up to {latest}). Update ICS Desktop to open it; the file was not changed."
                )
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if version == 0 and tables:
                raise StoreError(f"{path} is an SQLite file, but not an ICS Desktop database.")
            if version > 0 and app_id != APPLICATION_ID:
                raise StoreError(f"{path} is an SQLite file, but not an ICS Desktop database.")
            missing = sorted(EXPECTED_TABLES - tables) if version == latest else []
            if missing:
                raise StoreError(
                    f"{path} is damaged: {len(missing)} of its tables are missing ({', '.join(missing[:4])}"
                    f"{', …' if len(missing) > 4 else ''}). Restore it from a backup."
                )
            if version > 0:
                _refuse_foreign_schema(path, conn, version)
            # Changes waiting in a -wal file are replayed on open: when one is there (from a crash, or copied
            # in from elsewhere) every page is checked, not just the structure.
            wal = Path(f"{path}-wal")
            waiting = wal.exists() and wal.stat().st_size > 0
            pragma = "integrity_check" if full_check or waiting else "quick_check"
            problems = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _unreadable(path, exc) from None
    if problems != ["ok"]:
        # integrity_check rows may span lines ("*** in database main ***\nPage 3: …"): one line each
        tidy = [" ".join(str(p).replace("*** in database main ***", "").split()) for p in problems[:3]]
        detail = "; ".join(t for t in tidy if t)
        raise StoreError(f"{path} is damaged ({detail}). Restore it from a backup.")
    return FileState(True, version)


NOT_AS_WRITTEN = "is not an ICS Desktop database as written by this version"


def _refuse_foreign_schema(path: Path, conn: sqlite3.Connection, version: int) -> None:
    """Refuse a file whose schema is not exactly what this version's migrations write (a trigger, say)."""
    from ics_desktop.storage.schema import schema_differences

    differences = schema_differences(conn, version)
    if differences:
        shown = "; ".join(differences[:3]) + ("; …" if len(differences) > 3 else "")
        raise ForeignSchemaError(
            f"{path} {NOT_AS_WRITTEN}: it has {shown}. It was not opened, so nothing in it can run; "
            "restore an automatic backup, or ask whoever sent the file for the original."
        )


class ForeignSchemaError(StoreError):
    """A file whose tables, indexes, views or triggers differ from what this version writes."""


FULL_BELOW_BYTES = 1024 * 1024  # less free space than this beside the file: the disk is, for SQLite, full


def _nearly_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < FULL_BELOW_BYTES
    except OSError:
        return False


def _unreadable(path: Path, exc: sqlite3.Error) -> StoreError:
    """Why a file could not be read, in words that never call a full disk or a permission 'damage'."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == SQLITE_FULL:
        return DiskFullError(
            f"{path} cannot be opened because the disk is full (SQLite needs a little space beside the file "
            "even to read it). Free some space on the disk, then open it again; the file was not changed."
        )
    if primary in (SQLITE_READONLY, SQLITE_CANTOPEN) or (primary is None and "permission" in str(exc).lower()):
        return ReadOnlyDatabaseError(
            f"{path} cannot be opened: ICS Desktop is not allowed to read it or to write beside it ({exc}). "
            "Check the permissions of the file and its folder; the file was not changed."
        )
    if primary in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseIOError(
            f"{path} is busy (another program holds it locked). Close the other program and try again."
        )
    if primary == SQLITE_IOERR and _nearly_full(path):
        # A full disk often reaches SQLite as an I/O error (it cannot grow the shared-memory file).
        return DiskFullError(
            f"{path} cannot be opened because the disk is full ({exc}). Free some space on the disk, then "
            "open it again; the file was not changed."
        )
    if primary == SQLITE_IOERR and _nearly_full(path):
        # A full disk often reaches SQLite as an I/O error (it cannot grow the shared-memory file).
        return DiskFullError(
            f"{path} cannot be opened because the disk is full ({exc}). Free some space on the disk, then "
            "open it again; the file was not changed."
        )
    if primary == SQLITE_IOERR:
        return DatabaseIOError(
            f"{path} could not be read ({exc}). If it is on a USB stick or a network drive, check that it "
            "is still connected, then try again."
        )
    return StoreError(f"{path} is damaged and cannot be opened ({exc}).")


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with the app's settings: WAL, synchronous=FULL, foreign keys on, autocommit.

    Writing needs the file and its folder to be writable; when they are not, ReadOnlyDatabaseError
    says so before SQLite is asked to write anything.
    """
    if not read_only:
        problem = writable_problem(path)
        if problem:
            raise ReadOnlyDatabaseError(problem)
    conn: sqlite3.Connection | None = None
    try:
        if read_only:
            conn = _ro_connect(path, factory=SafeConnection)
        else:
            conn = sqlite3.connect(path, isolation_level=None, factory=SafeConnection)
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
    except (sqlite3.Error, StoreError) as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, StoreError):
            raise
        raise StoreError(f"Cannot open {path}: {exc}.") from None
    return conn


def migrate(conn: sqlite3.Connection, path: Path, current: int) -> int:
    """Bring the schema up to date, backing the file up first when it already holds data."""
    pending = [m for m in available_migrations() if m.number > current]
    if pending and current > 0:
        take_backup(conn, path, f"before-migration-{current}")
    for migration in pending:
        apply_migration(conn, migration)
    return pending[-1].number if pending else current


def check_file(path: Path) -> list[str]:
    """Full integrity and schema check; returns problems (empty when healthy). Never modifies the file."""
    if not path.exists():
        return [f"{path} does not exist."]
    state = preflight(path, full_check=True)
    if state.user_version == 0:
        return [f"{path} is empty: it holds no ICS Desktop data."]
    problems: list[str] = []
    conn = _ro_connect(path)
    try:
        conn.execute("PRAGMA foreign_keys=ON")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = sorted(EXPECTED_TABLES - tables)
        if missing:
            problems.append(f"missing tables: {', '.join(missing)}")
        fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"{len(fk)} record(s) refer to records that do not exist (first in table {fk[0][0]})")
        if state.user_version < len(available_migrations()):
            problems.append(
                f"schema version {state.user_version} is older than this app's; it will be upgraded on open"
            )
    except sqlite3.DatabaseError as exc:
        problems.append(f"cannot read the file: {exc}")
    finally:
        conn.close()
    return problems
