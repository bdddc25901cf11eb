"""Automatic, rotating backups taken through SQLite's online backup API (never a file copy).

Backups live in a `backups` folder beside the database, named `<file name>-<UTC time>-<reason>.sqlite`
(the database's full name, so `prog.sqlite` and `prog.db` in one folder never share backups; names are
compared as strings, never as glob patterns, so `BNSSG [2025].sqlite` works like any other name).
Each is a complete, self-contained SQLite file (rollback journal, no `-wal` companion) that ICS
Desktop can open or restore. Rotation keeps a bounded set: the newest `KEEP_BACKUPS`, plus the
newest of each of the `KEEP_DAILY` most recent earlier days (so an afternoon of periodic backups
never pushes out yesterday's good copy), plus the newest one taken before a schema upgrade and the
newest one taken before a programme was deleted.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ics_desktop.errors import StoreError, UserFacingError
from ics_desktop.paths import backups_dir_for

KEEP_BACKUPS = 10
KEEP_DAILY = 7
MAX_BACKUPS = KEEP_BACKUPS + KEEP_DAILY + 2  # the bound on files kept per database
_STAMP = "%Y%m%dT%H%M%S%fZ"
_STALE_PARTIAL_SECONDS = 3600  # a `.partial` this old was left by a crash mid-backup

REASONS = {
    "open": "when the file was opened",
    "periodic": "while editing",
    "close": "when the window was closed",
    "manual": "on request",
    "before-delete": "before a programme was deleted",
}

_LABELS = {
    "open": "On opening",
    "periodic": "While editing",
    "close": "On closing",
    "manual": "On request",
    "before-delete": "Before deleting",
}


class BackupError(StoreError, sqlite3.OperationalError):
    """A backup could not be written (full disk, read-only folder …); the database itself is unharmed."""


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: datetime  # UTC
    reason: str

    def reason_label(self) -> str:
        """A short label for a table: 'On opening', 'While editing', 'Before upgrade' …"""
        if self.reason.startswith("before-migration-"):
            return "Before upgrade"
        return _LABELS.get(self.reason, self.reason.replace("-", " ").capitalize())

    def reason_text(self) -> str:
        """The reason in plain words: 'when the file was opened', 'before upgrading from schema 1' …"""
        if self.reason.startswith("before-migration-"):
            return f"before upgrading from schema {self.reason.rsplit('-', 1)[-1]}"
        return REASONS.get(self.reason, self.reason.replace("-", " "))


def take_backup(conn: sqlite3.Connection, db_path: Path, reason: str, keep: int = KEEP_BACKUPS) -> Path:
    """Copy the live database consistently into the backups folder, then rotate (see the module doc).

    Raises BackupError with a clear message when the copy cannot be written; no partial file is left.
    """
    folder = backups_dir_for(db_path)
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = folder / f"{db_path.name}-{stamp}-{reason}.sqlite"
    partial = target.with_suffix(".partial")
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        partial.unlink(missing_ok=True)
        os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # private from its first byte
        dest = sqlite3.connect(partial, isolation_level=None)
        try:
            conn.backup(dest)
            # A backup is a single self-contained file: no -wal needed to read, copy or restore it.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        with contextlib.suppress(OSError):
            partial.chmod(0o600)  # the data folder is owner-only; keep the copies so wherever they go
        partial.replace(target)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(
            f"The automatic backup could not be written to {folder} ({detail}). Your data is unharmed; "
            "free some space or make that folder writable so backups can be taken again."
        ) from None
    prune(db_path, keep)
    return target


def prune(db_path: Path, keep: int = KEEP_BACKUPS, keep_daily: int = KEEP_DAILY) -> list[Path]:
    """Delete backups beyond the rotation bound (and stale partial copies); returns what was deleted."""
    backups = list_backups(db_path)
    kept = {b.path for b in backups[:keep]}
    days = {b.taken.astimezone().date() for b in backups[:keep]}
    daily = 0
    for backup in backups[keep:]:  # newest first, so the first seen of a day is that day's newest
        day = backup.taken.astimezone().date()
        if day not in days and daily < keep_daily:
            kept.add(backup.path)
            daily += 1
        days.add(day)
    upgrade = next((b for b in backups if b.reason.startswith("before-migration-")), None)
    if upgrade is not None:
        kept.add(upgrade.path)
    deleted = next((b for b in backups if b.reason == "before-delete"), None)
    if deleted is not None:  # the only copy of the last programme deleted
        kept.add(deleted.path)
    removed = []
    for backup in backups:
        if backup.path not in kept:
            with contextlib.suppress(OSError):
                backup.path.unlink()
                removed.append(backup.path)
    for partial, _rest in _named_for(db_path, ".partial"):
        with contextlib.suppress(OSError):
            if time.time() - partial.stat().st_mtime > _STALE_PARTIAL_SECONDS:
                partial.unlink()
    return removed


def _named_for(db_path: Path, suffix: str) -> list[tuple[Path, str]]:
    """(file, what follows the database's name) for the files of the backups folder that belong to it."""
    folder = backups_dir_for(db_path)
    try:
        names = [p for p in folder.iterdir() if p.name.endswith(suffix)]
    except OSError:
        return []
    prefixes = [f"{db_path.name}-"]
    if _legacy_names_are_its_own(db_path):
        prefixes.append(f"{db_path.stem}-")  # backups named by an earlier version (stem only)
    found = []
    for path in names:
        for prefix in prefixes:
            if path.name.startswith(prefix):
                found.append((path, path.name[len(prefix) : -len(suffix)]))
                break
    return found


def _legacy_names_are_its_own(db_path: Path) -> bool:
    """Whether `<stem>-…` backups (earlier versions' names) can only be this database's.

    Not when another file beside it shares the stem (`prog.sqlite` and `prog.db`): then they are left alone.
    """
    if db_path.stem == db_path.name:
        return False  # no suffix: the full name is the stem, and the first prefix already covers it
    try:
        siblings = [p.name for p in db_path.parent.iterdir()]
    except OSError:
        return False
    return not any(
        name != db_path.name and not name.startswith(db_path.name) and Path(name).stem == db_path.stem
        for name in siblings
    )


def list_backups(db_path: Path) -> list[BackupFile]:
    """The automatic backups of a database, newest first."""
    found = []
    for path, rest in _named_for(db_path, ".sqlite"):
        stamp, _, reason = rest.partition("-")
        try:
            taken = datetime.strptime(stamp, _STAMP).replace(tzinfo=UTC)
        except ValueError:
            continue  # another database's backup whose name starts the same way
        found.append(BackupFile(path, taken, reason))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def missing_database(path: Path) -> UserFacingError:
    """A database that is not there, in words that point at its automatic backups when there are some."""
    if list_backups(path):
        return UserFacingError(
            f"{path} does not exist, but its automatic backups do (it may have been moved or deleted by a sync "
            f"program): 'restore --db \"{path}\" --latest' puts the latest back"
        )
    return UserFacingError(f"{path} does not exist")
