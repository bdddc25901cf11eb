"""A restore that survives a crash at any step: what it is about to move is written down first.

Restoring moves the current file (and its `-wal`/`-shm`/`-journal`) aside, then renames the verified copy
into place. A crash between those renames would leave no database where one was, and the next start would
make a new, empty one. So before the first rename a small journal beside the database says what goes where;
whoever opens the database next finds it and finishes the restore (when the verified copy is there) or puts
the original back (when it is not). Nothing is ever deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

COMPANIONS = ("-wal", "-shm", "-journal")


def journal_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.restore-journal")


def staging_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.restoring")


def fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return  # Windows cannot open a folder to flush it; NTFS journals the rename itself
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_journal(db_path: Path, aside: Path | None) -> None:
    """Record, durably, that the verified copy at the staging path is to replace `db_path` (old file → `aside`)."""
    journal = journal_path(db_path)
    partial = journal.with_name(journal.name + ".part")
    text = json.dumps({"aside": aside.name if aside else None, "staging": staging_path(db_path).name})
    with partial.open("w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    partial.replace(journal)
    fsync_folder(db_path.parent)


def move_aside(db_path: Path, aside: Path) -> list[tuple[Path, Path]]:
    """Move the database and its companions to `aside`; returns the moves made (to undo them)."""
    moved = []
    for suffix in ("", *COMPANIONS):
        source = Path(f"{db_path}{suffix}")
        if source.exists():
            target = Path(f"{aside}{suffix}")
            source.rename(target)
            moved.append((source, target))
    return moved


def finish_interrupted_restore(db_path: Path) -> str | None:
    """Complete or undo a restore a crash interrupted; returns what was done (None when there was none).

    The staging copy was verified before the journal was written, so when it is still there the restore
    is finished; when it is gone the rename into place happened, or never started, and the original is
    put back only where no database stands.
    """
    journal = journal_path(db_path)
    journal.with_name(journal.name + ".part").unlink(missing_ok=True)
    if not journal.exists():
        staging_path(db_path).unlink(missing_ok=True)  # a copy made before a crash, never journaled
        return None
    try:
        plan = json.loads(journal.read_text(encoding="utf-8"))
        aside = db_path.with_name(plan["aside"]) if plan.get("aside") else None
    except (OSError, ValueError, KeyError, TypeError):
        aside = None
        plan = {}
    staging = staging_path(db_path)
    if staging.exists() and plan:
        if aside is not None and db_path.exists():
            move_aside(db_path, aside)
        for suffix in COMPANIONS:  # the original's companions must not be replayed into the restored file
            companion = Path(f"{db_path}{suffix}")
            if companion.exists() and aside is not None:
                companion.rename(Path(f"{aside}{suffix}"))
        staging.replace(db_path)
        done = f"finished restoring {db_path.name} (interrupted last time); the earlier file is kept"
    elif not db_path.exists() and aside is not None and aside.exists():
        for suffix in ("", *COMPANIONS):
            moved = Path(f"{aside}{suffix}")
            if moved.exists():
                moved.rename(Path(f"{db_path}{suffix}"))
        done = f"put {db_path.name} back as it was (a restore was interrupted last time)"
    else:
        done = f"a restore of {db_path.name} had finished; its note is cleared"
    fsync_folder(db_path.parent)
    with contextlib.suppress(OSError):
        journal.unlink()
    return done
