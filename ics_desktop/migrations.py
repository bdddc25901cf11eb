"""The schema's numbered migrations (`db/NNNN_name.sql`), applied each in its own transaction."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .paths import migrations_dir

# Written into the database header by migration 1 so that other SQLite files are recognised.
APPLICATION_ID = 0x49435344  # "ICSD"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    number: int
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def available_migrations(folder: Path | None = None) -> list[Migration]:
    """The migrations shipped with this version, in order; numbering must be 1, 2, 3 …"""
    folder = folder or migrations_dir()
    found = sorted(
        (Migration(int(m.group(1)), p) for p in folder.iterdir() if (m := _NAME.match(p.name))),
        key=lambda migration: migration.number,
    )
    numbers = [m.number for m in found]
    if numbers != list(range(1, len(numbers) + 1)):
        raise RuntimeError(f"Migrations in {folder} are not numbered 1..n: {numbers}")
    return found


def latest_version() -> int:
    return len(available_migrations())


def apply_migration(conn: sqlite3.Connection, migration: Migration) -> None:
    """Run one migration and bump `user_version`, all in one transaction (rolled back on error)."""
    script = (
        "BEGIN IMMEDIATE;\n"
        + migration.sql()
        + f"\nPRAGMA application_id = {APPLICATION_ID};"
        + f"\nPRAGMA user_version = {migration.number};\nCOMMIT;\n"
    )
    try:
        conn.executescript(script)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
