"""Choosing, verifying and restoring an automatic backup.

Restoring never deletes anything: the backup is verified (full integrity check), copied through
SQLite's backup API into a temporary file beside the database and checked again; only then is the
current file moved aside as `<name>.damaged-<time>` (or `<name>.before-restore-<time>` when it was
healthy), together with its `-wal`/`-shm` companions, and the restored copy renamed into place.
A stale `-wal` left beside the restored file would be replayed into it, hence the companions move too.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ics_desktop.dates import month_abbr, weekday_abbr
from ics_desktop.errors import NewerVersionError, StoreError
from ics_desktop.storage.backups import BackupFile, list_backups
from ics_desktop.storage.database import open_read_only, preflight
from ics_desktop.storage.restore_journal import (
    finish_interrupted_restore,
    fsync_folder,
    journal_path,
    move_aside,
    staging_path,
    write_journal,
)

# (label, SQL) for the contents summary; a table missing from an old schema counts as none.
_COUNTS = (
    ("participant", "SELECT COUNT(*) FROM people WHERE kind = 'participant'"),
    ("assessment", "SELECT COUNT(*) FROM assessments"),
    ("score", "SELECT COUNT(*) FROM responses"),
    ("area of focus", "SELECT COUNT(*) FROM areas_of_focus"),
    ("workshop", "SELECT COUNT(*) FROM workshops"),
    ("action", "SELECT COUNT(*) FROM actions"),
    ("milestone", "SELECT COUNT(*) FROM milestones"),
)
_PLURALS = {"area of focus": "areas of focus"}


def plural(n: int, noun: str) -> str:
    return f"{n} {noun if n == 1 else _PLURALS.get(noun, noun + 's')}"


def format_size(n: int) -> str:
    """1536 → '1.5 KB'."""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            if unit == "bytes":
                return f"{int(size)} bytes"
            return f"{size:.1f} {unit}" if size < 10 else f"{size:.0f} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


def format_taken(taken: datetime) -> str:
    """A backup's time in the computer's local time zone: 'Mon 3 Mar 2025, 14:05:09'."""
    local = taken.astimezone()
    return f"{weekday_abbr(local)} {local.day} {month_abbr(local)} {local.year}, {local:%H:%M:%S}"


@dataclass(frozen=True)
class BackupSummary:
    """What a backup holds, read without changing it; `problem` says why it cannot be restored."""

    backup: BackupFile
    size: int
    schema: int = 0
    programmes: tuple[str, ...] = ()
    counts: tuple[tuple[str, int], ...] = ()
    problem: str | None = None

    @property
    def usable(self) -> bool:
        return self.problem is None

    def programmes_text(self) -> str:
        return "; ".join(self.programmes) if self.programmes else "no programmes"

    def figures_text(self) -> str:
        """'14 participants · 1 assessment · 588 scores · 6 milestones' (what there is none of is left out)."""
        return " · ".join(plural(n, label) for label, n in self.counts if n)

    def contents_text(self) -> str:
        """'Programme A; Programme B — 14 participants · 1 assessment · …', or the problem."""
        if self.problem:
            return self.problem
        figures = self.figures_text()
        return f"{self.programmes_text()} — {figures}" if figures else self.programmes_text()


def _static_connect(path: Path) -> sqlite3.Connection:
    # A backup is never written once taken: reading it as immutable creates no lock or -shm file beside it.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None)


def _programme_names(conn: sqlite3.Connection) -> tuple[str, ...]:
    """The programmes a backup holds, the sample marked as it is in the programme list."""
    try:
        rows = conn.execute("SELECT name, sample FROM programmes ORDER BY name COLLATE NOCASE").fetchall()
    except sqlite3.OperationalError:  # a backup from before the sample was marked
        rows = [(r[0], 0) for r in conn.execute("SELECT name FROM programmes ORDER BY name COLLATE NOCASE")]
    return tuple(f"{name} (Sample)" if sample else str(name) for name, sample in rows)


def summarise(backup: BackupFile) -> BackupSummary:
    """Read a backup's contents (programmes and record counts) read-only; problems become `problem`."""
    try:
        size = backup.path.stat().st_size
    except OSError as exc:
        return BackupSummary(backup, 0, problem=f"cannot be read ({exc.strerror or exc})")
    try:
        state = preflight(backup.path)
    except NewerVersionError:
        return BackupSummary(backup, size, problem="made by a newer version of ICS Desktop")
    except StoreError:
        return BackupSummary(backup, size, problem="damaged")
    if state.user_version == 0:
        return BackupSummary(backup, size, problem="empty (it holds no ICS Desktop data)")
    try:
        conn = _static_connect(backup.path)
        try:
            names = _programme_names(conn)
            counts = []
            for label, sql in _COUNTS:
                try:
                    counts.append((label, int(conn.execute(sql).fetchone()[0])))
                except sqlite3.OperationalError:  # a table this schema version did not have yet
                    counts.append((label, 0))
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return BackupSummary(backup, size, problem=f"damaged ({exc})")
    return BackupSummary(backup, size, state.user_version, names, tuple(counts))


def backup_summaries(db_path: Path) -> list[BackupSummary]:
    """Every automatic backup of a database, newest first, with what it holds."""
    return [summarise(b) for b in list_backups(db_path)]


def latest_usable(db_path: Path) -> BackupSummary | None:
    """The newest backup that passes a full integrity check, or None."""
    for summary in backup_summaries(db_path):
        if summary.usable:
            try:
                verify(summary.backup.path)
            except StoreError:
                continue
            return summary
    return None


def verify(path: Path) -> int:
    """Full integrity check of a file to restore; returns its schema version, or raises StoreError."""
    if not path.is_file():
        raise StoreError(f"{path} is not a backup file (it does not exist or is a folder).")
    state = preflight(path, full_check=True)
    if state.user_version == 0:
        raise StoreError(f"{path} holds no ICS Desktop data, so it cannot be restored.")
    return state.user_version


@dataclass(frozen=True)
class RestoreResult:
    db_path: Path
    backup: Path
    set_aside: Path | None  # where the previous file went (None when there was none)
    was_damaged: bool


def _aside_name(db_path: Path, label: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = db_path.with_name(f"{db_path.name}.{label}-{stamp}")
    n = 2
    while candidate.exists():
        candidate = db_path.with_name(f"{db_path.name}.{label}-{stamp}-{n}")
        n += 1
    return candidate


def _copy_in(backup: Path, target: Path) -> None:
    """Copy a backup to `target` through the backup API (consistent whatever its journal mode).

    A file chosen by hand may be a live database with changes still in its `-wal`: those are read too.
    """
    target.unlink(missing_ok=True)
    wal = Path(f"{backup}-wal")
    src = open_read_only(backup) if wal.exists() and wal.stat().st_size > 0 else _static_connect(backup)
    try:
        dest = sqlite3.connect(target, isolation_level=None)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        src.close()


def restore(db_path: Path, backup_path: Path) -> RestoreResult:
    """Replace the database at `db_path` with a verified copy of `backup_path`; nothing is deleted.

    Close every connection to `db_path` first. Raises StoreError with a clear message (and leaves
    every file as it was) when the backup is unusable or the folder cannot be written.
    """
    db_path, backup_path = Path(db_path), Path(backup_path)
    if db_path.is_dir():
        raise StoreError(f"{db_path} is a folder, not a database file; nothing was restored.")
    verify(backup_path)
    was_damaged = db_path.exists() and _is_damaged(db_path)
    folder = db_path.parent
    if not folder.is_dir():
        raise StoreError(f"The folder {folder} does not exist.")
    finish_interrupted_restore(db_path)
    staging = staging_path(db_path)
    aside: Path | None = None
    moved: list[tuple[Path, Path]] = []  # (from, to), to undo on failure
    journaled = False
    try:
        _copy_in(backup_path, staging)
        verify(staging)
        if db_path.exists():
            staging.chmod(db_path.stat().st_mode & 0o777)
            aside = _aside_name(db_path, "damaged" if was_damaged else "before-restore")
        # From here on a crash is finished (or undone) by whoever opens the database next.
        write_journal(db_path, aside)
        journaled = True
        if aside is not None:
            moved = move_aside(db_path, aside)
        staging.replace(db_path)
        fsync_folder(folder)
    except (OSError, sqlite3.Error) as exc:
        with contextlib.suppress(OSError):
            staging.unlink(missing_ok=True)
        for source, target in reversed(moved):  # put the original back: a failed restore changes nothing
            with contextlib.suppress(OSError):
                target.rename(source)
        if journaled:
            with contextlib.suppress(OSError):
                journal_path(db_path).unlink()
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise StoreError(f"The backup could not be restored into {folder} ({detail}); nothing was changed.") from None
    journal_path(db_path).unlink(missing_ok=True)
    fsync_folder(folder)
    verify(db_path)
    return RestoreResult(db_path, backup_path, aside, was_damaged)


def _is_damaged(path: Path) -> bool:
    try:
        preflight(path, full_check=True)
    except NewerVersionError:
        return False
    except StoreError:
        return True
    return False
