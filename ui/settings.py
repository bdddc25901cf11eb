"""Where the facilitator was, kept between sessions with QSettings: the last programme and page (per
database file), the window's geometry and screen, splitter positions, the export folder, and whether
the sample programme is listed.

Settings live where Qt keeps them for the application's organisation and name (set in ui/app.py);
tests and the smoke test point QSettings at a temporary folder, so they never touch the user's.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

GEOMETRY = "window/geometry"
HIDE_SAMPLE = "programmes/hideSample"
EXPORT_FOLDER = "export/folder"


def _database_group(db_path: Path | None) -> str:
    """A settings group for one database file (programme ids mean nothing in another file)."""
    name = str(Path(db_path).resolve()) if db_path else ":memory:"
    return "databases/" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def _text(settings: QSettings, key: str) -> str:
    value = settings.value(key, "")
    return value if isinstance(value, str) else ""


def last_programme(settings: QSettings, db_path: Path | None) -> str | None:
    return _text(settings, f"{_database_group(db_path)}/programme") or None


def set_last_programme(settings: QSettings, db_path: Path | None, programme_id: str | None) -> None:
    settings.setValue(f"{_database_group(db_path)}/programme", programme_id or "")


def last_page(settings: QSettings, db_path: Path | None) -> int:
    value = settings.value(f"{_database_group(db_path)}/page", 0)
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


def set_last_page(settings: QSettings, db_path: Path | None, row: int) -> None:
    settings.setValue(f"{_database_group(db_path)}/page", row)


def saved_bytes(settings: QSettings, key: str) -> QByteArray | None:
    """A stored geometry or splitter state, None when there is none (or it is not one)."""
    value = settings.value(key)
    return value if isinstance(value, QByteArray) and not value.isEmpty() else None


def splitter_key(page_title: str, index: int) -> str:
    return f"splitters/{page_title}/{index}"


def hide_sample(settings: QSettings) -> bool:
    return _flag(settings.value(HIDE_SAMPLE, False))


def set_hide_sample(settings: QSettings, hidden: bool) -> None:
    settings.setValue(HIDE_SAMPLE, hidden)


def export_folder(settings: QSettings) -> Path | None:
    """The folder of the last export, while it still exists."""
    text = _text(settings, EXPORT_FOLDER)
    return Path(text) if text and Path(text).is_dir() else None


def set_export_folder(settings: QSettings, folder: Path) -> None:
    settings.setValue(EXPORT_FOLDER, str(folder))


def _flag(value: object) -> bool:
    """A boolean as QSettings gives it back (a bool, or "true"/"false" from an INI file)."""
    return value if isinstance(value, bool) else str(value).lower() in ("true", "1")
