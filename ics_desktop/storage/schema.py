"""The schema a database must have, as written by this version's migrations: nothing more, nothing less.

A file that carries anything else (a trigger, a view, an extra table or index, or a table defined
differently) was not written by ICS Desktop as it is: a trigger could rewrite data on an innocent edit,
so such a file is refused rather than trusted.
"""

from __future__ import annotations

import sqlite3
from functools import cache

from ics_desktop.storage.migrations import available_migrations

# Objects SQLite makes for itself and that come and go with ordinary use (statistics of ANALYZE/optimize).
_SQLITE_OWN = ("sqlite_stat",)

SchemaObject = tuple[str, str, str, str | None]  # (type, name, table, sql)


def schema_objects(conn: sqlite3.Connection) -> frozenset[SchemaObject]:
    """Every table, index, view and trigger of a connection's main database."""
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    return frozenset((r[0], r[1], r[2], r[3]) for r in rows if not str(r[1]).startswith(_SQLITE_OWN))


@cache
def expected_schema(version: int) -> frozenset[SchemaObject]:
    """The schema migrations 1..`version` produce, built in memory (a few milliseconds, once per version)."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        for migration in available_migrations():
            if migration.number > version:
                break
            conn.executescript("BEGIN;\n" + migration.sql() + "\nCOMMIT;")
        return schema_objects(conn)
    finally:
        conn.close()


def schema_differences(conn: sqlite3.Connection, version: int) -> list[str]:
    """What a database has that this version's migrations did not write, or lacks (empty when it matches)."""
    found, expected = schema_objects(conn), expected_schema(version)
    if found == expected:
        return []
    by_name = {o[1]: o for o in expected}
    problems = []
    for kind, name, _table, _sql in sorted(found - expected, key=lambda o: (o[0], o[1])):
        known = name in by_name
        problems.append(f"a different definition of {kind} '{name}'" if known else f"an unknown {kind} '{name}'")
    found_names = {o[1] for o in found}
    problems += [f"no {o[0]} '{o[1]}'" for o in sorted(expected, key=lambda o: o[1]) if o[1] not in found_names]
    return problems
