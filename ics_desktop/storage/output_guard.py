"""Never write an export or a bundle onto the database, its journal files or one of its backups.

Checked by identity (the same file under another name, a link, `..` in the path) where the file exists,
and by name for the companions SQLite may create at any moment (`-wal`, `-shm`, `-journal`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ics_desktop.errors import UserFacingError
from ics_desktop.paths import backups_dir_for

COMPANIONS = ("-wal", "-shm", "-journal")


class OutputClashError(UserFacingError):
    """An output file that would overwrite the database or something it needs."""


def _same(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def protected_files(db_path: Path) -> list[Path]:
    """The database, its companions and its backups folder's files (the ones that exist now)."""
    files = [db_path, *(Path(f"{db_path}{suffix}") for suffix in COMPANIONS)]
    folder = backups_dir_for(db_path)
    with contextlib.suppress(OSError):
        files += [p for p in folder.iterdir() if p.is_file()]
    return files


def check_output(target: Path, db_path: Path | None) -> None:
    """Raise OutputClashError when writing `target` would overwrite the database or anything it needs."""
    if db_path is None:
        return
    target, db_path = Path(target), Path(db_path)
    resolved, database = _resolved(target), _resolved(db_path)
    names = {str(database), *(f"{database}{suffix}" for suffix in COMPANIONS)}
    backups = _resolved(backups_dir_for(db_path))
    clash = (
        str(resolved) in names
        or resolved.parent == backups
        or any(_same(target, protected) for protected in protected_files(db_path))
    )
    if clash:
        raise OutputClashError(
            f"{target} is the database itself, one of its journal files or one of its backups: writing there would "
            "destroy your data. Choose another file name; nothing was written."
        )
