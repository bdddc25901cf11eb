"""Where things are: shipped resources (from source or a frozen executable) and user data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "ICS Desktop"
APP_AUTHOR = "ICS Desktop"


def app_root() -> Path:
    """The folder holding `resources/` and `db/`: the checkout, or PyInstaller's bundle folder."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """A file shipped under `resources/`."""
    return app_root().joinpath("resources", *parts)


def migrations_dir() -> Path:
    """The folder of numbered schema migrations."""
    return app_root() / "db"


def user_data_dir() -> Path:
    """The per-user data folder (created on demand, owner-only on POSIX)."""
    from platformdirs import user_data_path

    path = user_data_path(APP_NAME, APP_AUTHOR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    if os.name == "posix":
        path.chmod(0o700)  # mkdir's mode does not tighten a folder that already exists
    return path


def default_db_path() -> Path:
    """The database the GUI opens when no `--db` is given."""
    return user_data_dir() / "ics-desktop.sqlite"


def backups_dir_for(db_path: Path) -> Path:
    """Automatic backups of a database live in a `backups` folder beside it."""
    return db_path.parent / "backups"


def is_frozen() -> bool:
    """True inside the packaged executable."""
    return bool(getattr(sys, "frozen", False))


def configure_frozen_environment() -> None:
    """In the packaged app, keep matplotlib's font cache in a per-user folder.

    PyInstaller's default points it at a new temporary folder each launch, which rebuilds the cache
    (about 0.8 s) at every start.
    """
    if not is_frozen():
        return
    import os

    from platformdirs import user_cache_path

    folder = user_cache_path(APP_NAME, APP_AUTHOR) / "matplotlib"
    folder.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("MPLCONFIGDIR", str(folder))
