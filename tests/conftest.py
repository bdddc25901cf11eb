"""Test configuration: Qt offscreen, a fresh temporary database per test, the sample programme on demand."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("MPLBACKEND", "Agg")

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from ics_desktop.sample import add_sample_programme
from ics_desktop.storage.store import Store

# The suite gates every landing, so its property tests run the same examples each time (a random
# failure would block a change it has nothing to do with). HYPOTHESIS_PROFILE=explore searches anew.
settings.register_profile("gate", derandomize=True, database=None)
settings.register_profile("explore", max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test's QSettings (where the window remembers the last programme, page, geometry …) live in
    a fresh temporary folder: tests never read or write the user's real settings, nor each other's."""
    from PySide6.QtCore import QCoreApplication, QSettings

    folder = tmp_path_factory.mktemp("settings")
    QCoreApplication.setOrganizationName("ICS Desktop tests")
    QCoreApplication.setApplicationName("ICS Desktop tests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    yield folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A path for a new database file in a fresh folder."""
    return tmp_path / "programme.sqlite"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """An empty, migrated store on a real file."""
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def sample_store(db_path: Path) -> Iterator[Store]:
    """A store on a real file holding the sample programme."""
    s = Store.open(db_path)
    add_sample_programme(s)
    yield s
    s.close()


@pytest.fixture(scope="session")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sample database shared by read-only tests (copy it before writing)."""
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite"
    s = Store.open(path)
    add_sample_programme(s)
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.close()
    return path


def schema_before(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name_part: str) -> None:
    """Make `Store.open` build databases as the app did before the migration whose file name holds
    `name_part` (`monkeypatch.undo()` brings today's migrations back, to upgrade the file)."""
    from ics_desktop.storage import migrations

    ours = next(m for m in migrations.available_migrations() if name_part in m.path.name)
    older = tmp_path / f"db-before-{ours.number}"
    older.mkdir()
    for migration in migrations.available_migrations():
        if migration.number < ours.number:
            (older / migration.path.name).write_text(migration.sql(), encoding="utf-8")
    monkeypatch.setattr(migrations, "migrations_dir", lambda: older)
