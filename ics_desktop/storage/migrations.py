"""The schema's numbered migrations (`db/NNNN_name.sql`), applied each in its own transaction."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ics_desktop.paths import migrations_dir

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
    """Run one migration and bump `user_version`, all in one transaction (rolled back on error).

    Foreign keys are off while it runs, as SQLite's own procedure for rebuilding a table asks: dropping
    a table being rebuilt must not cascade into its children. Every reference is checked before the
    commit, so a migration cannot leave a dangling one.
    """
    enforced = conn.execute("PRAGMA foreign_keys").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")  # only takes effect outside a transaction
    try:
        conn.executescript("BEGIN IMMEDIATE;\n" + migration.sql())
        dangling = conn.execute("PRAGMA foreign_key_check").fetchall()
        if dangling:
            raise sqlite3.IntegrityError(
                f"migration {migration.number} would leave {len(dangling)} broken reference(s) in {dangling[0][0]}"
            )
        # execute(), not executescript(): that would commit first, apart from the version bump.
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {migration.number}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.execute(f"PRAGMA foreign_keys = {'ON' if enforced else 'OFF'}")
