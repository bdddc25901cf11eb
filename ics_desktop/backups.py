"""Automatic, rotating backups taken through SQLite's online backup API (never a file copy)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .paths import backups_dir_for

KEEP_BACKUPS = 10


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken: datetime
    reason: str


def take_backup(conn: sqlite3.Connection, db_path: Path, reason: str, keep: int = KEEP_BACKUPS) -> Path:
    """Copy the live database consistently into the backups folder, then drop the oldest beyond `keep`."""
    folder = backups_dir_for(db_path)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{db_path.stem}-{stamp}-{reason}.sqlite"
    partial = target.with_suffix(".partial")
    dest = sqlite3.connect(partial)
    try:
        conn.backup(dest)
    finally:
        dest.close()
    partial.replace(target)
    for old in list_backups(db_path)[keep:]:
        old.path.unlink(missing_ok=True)
    return target


def list_backups(db_path: Path) -> list[BackupFile]:
    """The automatic backups of a database, newest first."""
    folder = backups_dir_for(db_path)
    if not folder.is_dir():
        return []
    found = []
    prefix = f"{db_path.stem}-"
    for path in folder.glob(f"{db_path.stem}-*.sqlite"):
        rest = path.stem[len(prefix) :]
        stamp, _, reason = rest.partition("-")
        try:
            taken = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
        except ValueError:
            continue
        found.append(BackupFile(path, taken, reason))
    return sorted(found, key=lambda b: b.taken, reverse=True)
