"""Programme bundles: a programme (or one workshop's capture) as one file to carry between laptops.

`export_bundle` writes a `.icsbundle`; `load_bundle` reads and checks one without touching the
database; `import_bundle` adds it as a new programme (ids kept, or all remapped when they are
already here); merging into an existing programme is in `bundle_merge`.

Each database remembers, per record, the last version it sent in a bundle and the last version it
received from one (`sync_versions`), and a bundle carries its database's versions: that is how a
later merge tells which side changed a record without trusting the laptops' clocks.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ics_desktop import __version__
from ics_desktop.bundles.format import (
    FORMAT,
    FORMAT_VERSION,
    LIST_COLUMNS,
    PROGRAMME,
    REFERENCES,
    SYNC,
    TABLES,
    Bundle,
    BundleError,
    Row,
    Tables,
    bundle_bytes,
    dumps,
    read_bundle,
    schema,
)
from ics_desktop.storage.store import Store, new_id, now_iso

VersionKey = tuple[str, str]  # (table, record id)


# -- what a bundle holds -------------------------------------------------------------------------


def _query(store: Store, sql: str, params: tuple[Any, ...]) -> list[Row]:
    return [dict(row) for row in store.db.query(sql, params)]


def collect(store: Store, programme_id: str, workshop_id: str | None = None) -> Tables:
    """Every record of a programme, columns exactly as stored; or one workshop with its outputs and actions.

    A workshop bundle also carries the programme, its system and framework (to identify it and to
    import it on its own) and the areas of focus its actions point at.
    """
    programme = store.get("programmes", programme_id)  # NotFoundError for a stale id
    p = (programme_id,)
    tables: Tables = {table: [] for table in TABLES}
    tables["programmes"] = _query(store, "SELECT * FROM programmes WHERE id = ?", p)
    tables["systems"] = _query(store, "SELECT * FROM systems WHERE id = ?", (programme["system_id"],))
    if workshop_id is None:
        tables["frameworks"] = _query(
            store,
            "SELECT * FROM frameworks WHERE id = (SELECT framework_id FROM programmes WHERE id = ?) OR id IN "
            "(SELECT framework_id FROM assessments WHERE programme_id = ?) ORDER BY created, rowid",
            (programme_id, programme_id),
        )
        for table in ("people", "workshop_catalogue", "areas_of_focus", "assessments", "workshops", "actions"):
            tables[table] = _query(store, f"SELECT * FROM [{table}] WHERE programme_id = ? ORDER BY rowid", p)
        tables["milestones"] = _query(store, "SELECT * FROM milestones WHERE programme_id = ? ORDER BY rowid", p)
        tables["tor_sections"] = _query(store, "SELECT * FROM tor_sections WHERE programme_id = ? ORDER BY rowid", p)
        assessments = "SELECT id FROM assessments WHERE programme_id = ?"
        tables["respondents"] = _query(
            store, f"SELECT * FROM respondents WHERE assessment_id IN ({assessments}) ORDER BY rowid", p
        )
        tables["responses"] = _query(
            store,
            "SELECT * FROM responses WHERE respondent_id IN (SELECT id FROM respondents WHERE assessment_id IN "
            f"({assessments})) ORDER BY rowid",
            p,
        )
        tables["capability_results"] = _query(
            store, f"SELECT * FROM capability_results WHERE assessment_id IN ({assessments}) ORDER BY rowid", p
        )
        workshops, actions = (
            "SELECT id FROM workshops WHERE programme_id = ?",
            "SELECT id FROM actions WHERE programme_id = ?",
        )
    else:
        tables["frameworks"] = _query(store, "SELECT * FROM frameworks WHERE id = ?", (programme["framework_id"],))
        tables["workshops"] = _query(
            store, "SELECT * FROM workshops WHERE id = ? AND programme_id = ?", (workshop_id, programme_id)
        )
        if not tables["workshops"]:
            raise BundleError("That workshop is not part of this programme.")
        p = (workshop_id,)
        tables["actions"] = _query(store, "SELECT * FROM actions WHERE workshop_id = ? ORDER BY rowid", p)
        tables["areas_of_focus"] = _query(
            store,
            "SELECT * FROM areas_of_focus WHERE id IN (SELECT area_id FROM actions WHERE workshop_id = ?) "
            "ORDER BY rowid",
            p,
        )
        workshops, actions = "SELECT ?", "SELECT id FROM actions WHERE workshop_id = ?"
    tables["workshop_items"] = _query(
        store, f"SELECT * FROM workshop_items WHERE workshop_id IN ({workshops}) ORDER BY rowid", p
    )
    tables["action_notes"] = _query(
        store, f"SELECT * FROM action_notes WHERE action_id IN ({actions}) ORDER BY rowid", p
    )
    # A framework based on one outside the bundle (another programme's) travels without that link.
    framework_ids = {row["id"] for row in tables["frameworks"]}
    for row in tables["frameworks"]:
        if row["based_on_id"] not in framework_ids:
            row["based_on_id"] = None
    return tables


# -- sync versions ---------------------------------------------------------------------------------


def load_versions(store: Store, programme_id: str) -> tuple[dict[VersionKey, Row], dict[VersionKey, Row]]:
    """(sent, received): the last version of each record this database sent and received."""
    sent: dict[VersionKey, Row] = {}
    received: dict[VersionKey, Row] = {}
    for table, record_id, direction, row in store.conn.execute(
        "SELECT table_name, record_id, direction, row FROM sync_versions WHERE programme_id = ?", (programme_id,)
    ):
        (sent if direction == "sent" else received)[(table, record_id)] = json.loads(row)
    return sent, received


def save_versions(store: Store, programme_id: str, direction: str, rows: Iterable[tuple[str, Row]]) -> None:
    """Remember versions (inside the caller's transaction)."""
    store.conn.executemany(
        "INSERT OR REPLACE INTO sync_versions (programme_id, table_name, record_id, direction, row) "
        "VALUES (?, ?, ?, ?, ?)",
        ((programme_id, table, row["id"], direction, dumps(row).decode("utf-8")) for table, row in rows),
    )


def exchanges(store: Store, programme_id: str) -> int:
    """How many bundles of this programme this database has exported, imported or merged."""
    return int(
        store.conn.execute("SELECT COUNT(*) FROM bundle_log WHERE programme_id = ?", (programme_id,)).fetchone()[0]
    )


def programme_name_here(store: Store, programme_id: str) -> str | None:
    """The name of the programme with this id in this database, or None when it is not here."""
    found = store.rows("SELECT name FROM programmes WHERE id = ?", (programme_id,))
    return str(found[0]["name"]) if found else None


def log_event(store: Store, programme_id: str, kind: str, bundle_created: str, detail: str = "") -> None:
    store.conn.execute(
        "INSERT INTO bundle_log (id, programme_id, kind, bundle_created, happened_at, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (new_id(), programme_id, kind, bundle_created, now_iso(), detail),
    )


def _rows(tables: Tables) -> list[tuple[str, Row]]:
    return [(table, row) for table in TABLES for row in tables.get(table, [])]


# -- export ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    path: Path
    records: int
    scope: str


def export_bundle(store: Store, programme_id: str, target: Path, *, workshop_id: str | None = None) -> ExportResult:
    """Write a bundle (whole or not at all); then remember what was sent, for later merges."""
    from ics_desktop.exports.common import atomic_path
    from ics_desktop.storage.output_guard import check_output

    check_output(Path(target), store.path)
    tables = collect(store, programme_id, workshop_id)
    programme = tables["programmes"][0]
    sent, received = load_versions(store, programme_id)
    keys = [(table, row["id"]) for table, row in _rows(tables)]
    sync = {
        "exchanges": exchanges(store, programme_id),
        "sent": _grouped((k, sent[k]) for k in keys if k in sent),
        "received": _grouped((k, received[k]) for k in keys if k in received),
    }
    created = now_iso()
    scope = "programme" if workshop_id is None else "workshop"
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "schema_version": int(store.conn.execute("PRAGMA user_version").fetchone()[0]),
        "app_version": __version__,
        "created": created,
        "programme": {"id": programme_id, "name": programme["name"]},
        "scope": scope,
    }
    if workshop_id is not None:
        manifest["workshop"] = {"id": workshop_id, "title": tables["workshops"][0]["title"]}
    data = bundle_bytes(manifest, {PROGRAMME: dumps({"tables": tables}), SYNC: dumps(sync)})
    with atomic_path(Path(target)) as temp:
        temp.write_bytes(data)
    if not store.read_only:
        with store.atomic():
            save_versions(store, programme_id, "sent", _rows(tables))
            log_event(store, programme_id, "export", created, scope)
    return ExportResult(Path(target), len(keys), scope)


def _grouped(items: Iterable[tuple[VersionKey, Row]]) -> dict[str, list[Row]]:
    grouped: dict[str, list[Row]] = {}
    for (table, _id), row in items:
        grouped.setdefault(table, []).append(row)
    return grouped


# -- reading and importing ---------------------------------------------------------------------


def load_bundle(store: Store, path: Path) -> Bundle:
    """Read and check a bundle against this database's schema; the database is not touched."""
    version = int(store.conn.execute("PRAGMA user_version").fetchone()[0])
    return read_bundle(Path(path), schema(store.conn), version)


@dataclass(frozen=True)
class ImportResult:
    programme_id: str
    name: str
    records: int
    copied: bool  # True when every id was remapped (the programme was already in this database)


def import_bundle(store: Store, bundle: Bundle, name: str | None = None) -> ImportResult:
    """Add the bundle as a new programme, in one transaction.

    Ids are kept, so later bundles of the same programme merge into it; if any is already in this
    database (importing your own bundle again) every id is replaced and the programme is a copy.
    """
    tables = {table: [dict(row) for row in rows] for table, rows in bundle.tables.items()}
    copied = _any_id_exists(store, tables)
    if copied:
        tables = _remapped(tables)
    programme = tables["programmes"][0]
    system_name = str(tables["systems"][0]["name"]) if tables.get("systems") else ""
    programme["name"] = _import_name(
        store, bundle.programme_name if name is None else name, system_name, explicit=name is not None, copy=copied
    )
    take_backup_if_file(store, "before-import")
    try:
        with store.atomic():
            insert_rows(store, _rows(tables))
            if not copied:
                save_versions(store, programme["id"], "received", _rows(bundle.tables))
            log_event(store, programme["id"], "import", bundle.created, "copy" if copied else "")
    except sqlite3.Error as exc:
        raise BundleError(f"The bundle could not be imported ({exc}). Nothing was changed.") from None
    return ImportResult(programme["id"], programme["name"], bundle.count(), copied)


def take_backup_if_file(store: Store, reason: str) -> None:
    if store.path is not None:
        store.backup(reason)


def insert_rows(store: Store, rows: list[tuple[str, Row]]) -> None:
    """Insert records exactly as given, parents first (framework links set once every framework is in)."""
    links = []
    for table, row in rows:
        if table == "frameworks" and row.get("based_on_id"):
            links.append((row["based_on_id"], row["id"]))
            row = dict(row, based_on_id=None)
        columns = list(row)
        store.conn.execute(
            f"INSERT INTO [{table}] ({', '.join(f'[{c}]' for c in columns)}) VALUES ({', '.join('?' * len(columns))})",
            [row[c] for c in columns],
        )
    store.conn.executemany("UPDATE frameworks SET based_on_id = ? WHERE id = ?", links)


def _any_id_exists(store: Store, tables: Tables) -> bool:
    for table, rows in tables.items():
        ids = [row["id"] for row in rows]
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            found = store.conn.execute(
                f"SELECT 1 FROM [{table}] WHERE id IN ({', '.join('?' * len(chunk))}) LIMIT 1", chunk
            ).fetchone()
            if found:
                return True
    return False


def _remapped(tables: Tables) -> Tables:
    """The same records under fresh ids, every reference (columns and id lists) following them."""
    id_map = {row["id"]: new_id() for rows in tables.values() for row in rows}
    result: Tables = {}
    for table, rows in tables.items():
        reference_columns = {column for column, _target, _nullable in REFERENCES[table]}
        result[table] = []
        for row in rows:
            new = dict(row, id=id_map[row["id"]])
            for column in reference_columns:
                if new[column] is not None:
                    new[column] = id_map[new[column]]
            for column in LIST_COLUMNS & set(new):
                items = json.loads(new[column])
                mapped = [id_map.get(i, i) if isinstance(i, str) else i for i in items]
                if mapped != items:
                    new[column] = json.dumps(mapped, ensure_ascii=False)
            result[table].append(new)
    return result


def _import_name(store: Store, wanted: str, system_name: str, *, explicit: bool, copy: bool) -> str:
    """The new programme's name: as asked (free in its system), or the bundle's, marked '(imported)' when taken.

    Names are unique per system: another system's programme of the same name is no clash.
    """
    system = system_name.strip().casefold()
    taken = {p.name.casefold() for p in store.programmes() if p.system_name.casefold() == system}
    wanted = wanted.strip()
    if explicit:
        if not wanted:
            raise BundleError("A programme needs a name.")
        if wanted.casefold() in taken:
            raise BundleError(f"{system_name} already has a programme called '{wanted}'. Nothing was changed.")
        return wanted
    if not copy and wanted.casefold() not in taken:
        return wanted
    candidate, number = f"{wanted} (imported)", 2
    while candidate.casefold() in taken:
        candidate, number = f"{wanted} (imported {number})", number + 1
    return candidate
