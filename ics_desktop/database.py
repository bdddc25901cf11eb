"""Opening a database safely: preflight checks, connection settings, migrations, integrity check.

A file is inspected read-only before anything writes to it, so a corrupt file or one from a newer
version of the app is refused untouched.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .backups import take_backup
from .errors import NewerVersionError, StoreError
from .migrations import APPLICATION_ID, apply_migration, available_migrations

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


def _ro_connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


def preflight(path: Path, *, full_check: bool = False) -> FileState:
    """Inspect a database file without modifying it; raise StoreError with a clear message if unusable."""
    if not path.exists():
        return FileState(False, 0)
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file.")
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except OSError as exc:
        raise StoreError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    if not header:
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
            pragma = "integrity_check" if full_check else "quick_check"
            problems = [r[0] for r in conn.execute(f"PRAGMA {pragma}")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path} is damaged and cannot be opened ({exc}).") from None
    if problems != ["ok"]:
        detail = "; ".join(problems[:3])
        raise StoreError(f"{path} is damaged ({detail}). Restore it from a backup.")
    return FileState(True, version)


def connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    """A connection with the app's settings: WAL, synchronous=FULL, foreign keys on, autocommit."""
    try:
        if read_only:
            conn = _ro_connect(path)
        else:
            conn = sqlite3.connect(path, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA busy_timeout=5000")
    except sqlite3.Error as exc:
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
