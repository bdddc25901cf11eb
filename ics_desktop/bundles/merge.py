"""Merging a bundle into the same programme on this laptop, record by record (by stable id).

The rules, per record:

- Only in the bundle: added. But a record this database once sent or received and has since
  deleted stays deleted when the bundle's version is one it already had; if the other side changed
  it after that, it comes back (an edit outweighs a deletion it never saw), and so does a record
  still needed by one that is added.
- Only here: kept. Deletions do not travel in bundles: a record deleted on the other side is kept.
- In both and equal (ignoring `modified`): nothing to do.
- In both and different, field by field: the bundle's value is taken when the other side has had
  this database's value in a version it sent or received (it moved on from it); this database's
  value is kept when this database has had the bundle's value (it moved on); anything else is a
  conflict, listed for the user to choose. Those versions are exact copies kept in `sync_versions`,
  so no clock is trusted.
- Two copies of one file have no such versions for what they shared when copied. The copy is dated
  from the newest record identical on both sides (timestamps included) that no bundle ever carried:
  a side whose record is no newer than that has not changed it since, so the other side's change is
  taken; records changed on both sides are conflicts. (This one rule trusts the laptops' clocks.)
- A conflict left unresolved keeps this database's value and is listed again at the next merge.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ics_desktop.bundles.format import LABELS, LIST_COLUMNS, REFERENCES, TABLES, Bundle, BundleError, Row
from ics_desktop.bundles.transfer import (
    VersionKey,
    collect,
    insert_rows,
    load_versions,
    log_event,
    save_versions,
    take_backup_if_file,
)
from ics_desktop.errors import StoreError
from ics_desktop.storage.store import Store, now_iso

MINE, THEIRS = "mine", "theirs"
_IGNORED = frozenset({"id", "created", "modified"})
# Records that a database identifies by their content as well as by id (a unique constraint).
_NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "respondents": ("assessment_id", "label"),
    "responses": ("respondent_id", "capability_code", "question"),
    "capability_results": ("assessment_id", "capability_code"),
    "workshop_catalogue": ("programme_id", "number"),
}


@dataclass(frozen=True)
class Conflict:
    """One field changed differently on both sides."""

    table: str
    record_id: str
    field: str
    mine: Any
    theirs: Any
    record: str  # what the record is, for people: "Julia Ross"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.record_id, self.field)

    @property
    def kind(self) -> str:
        return LABELS[self.table]


@dataclass
class RecordMerge:
    """A record on both sides that differs: fields taken automatically and fields in conflict."""

    table: str
    mine: Row
    theirs: Row
    take: dict[str, Any]
    conflicts: list[Conflict]


@dataclass
class MergePlan:
    """What a merge would do; nothing is written until `apply_merge`."""

    programme_id: str
    bundle: Bundle
    adds: list[tuple[str, Row]] = field(default_factory=list)
    records: list[RecordMerge] = field(default_factory=list)
    kept_deleted: list[tuple[str, Row]] = field(default_factory=list)
    restored: int = 0
    unchanged: int = 0
    received: list[tuple[str, Row]] = field(default_factory=list)  # versions agreed without a conflict

    @property
    def conflicts(self) -> list[Conflict]:
        return [c for record in self.records for c in record.conflicts]

    def added_count(self) -> int:
        return len(self.adds)

    def updated_count(self) -> int:
        return sum(1 for record in self.records if record.take)

    def counts_by_kind(self) -> dict[str, tuple[int, int]]:
        """(added, updated) per kind of record, for the preview."""
        counts: dict[str, list[int]] = {}
        for table, _row in self.adds:
            counts.setdefault(LABELS[table], [0, 0])[0] += 1
        for record in self.records:
            if record.take:
                counts.setdefault(LABELS[record.table], [0, 0])[1] += 1
        return {kind: (a, u) for kind, (a, u) in counts.items()}


@dataclass(frozen=True)
class MergeResult:
    added: int
    updated: int
    kept_deleted: int
    resolved: int
    unresolved: list[Conflict]
    notes: list[str] = field(default_factory=list)  # what was kept here and why, in plain words


# -- planning ------------------------------------------------------------------------------------


def plan_merge(store: Store, programme_id: str, bundle: Bundle) -> MergePlan:
    """Compare the bundle with this programme; raise BundleError if it is another programme's."""
    programme = store.programme(programme_id)
    if bundle.programme_id != programme_id:
        raise BundleError(
            f"The bundle holds '{bundle.programme_name}', a different programme from '{programme.name}': "
            "merge only a bundle of the same programme, or import it as a new programme. Nothing was changed."
        )
    if bundle.tables["systems"][0]["id"] != programme.system_id:
        raise BundleError("The bundle's system is not this programme's system. Nothing was changed.")
    local = {table: {row["id"]: row for row in rows} for table, rows in collect(store, programme_id).items()}
    _add_known_frameworks(store, bundle, local["frameworks"])
    _refuse_foreign_ids(store, bundle, local)
    sent, received = load_versions(store, programme_id)
    mine_versions = _versions(sent, received)
    their_versions = _versions(bundle.sent, bundle.received)
    fork = _fork_time(bundle, local, set(received) | set(bundle.received))

    plan = MergePlan(programme_id, bundle)
    natural = {t: {tuple(r[c] for c in cols): r for r in local[t].values()} for t, cols in _NATURAL_KEYS.items()}
    id_map: dict[str, str] = {}
    names = _names(bundle, local)
    for table in TABLES:
        for original in bundle.tables[table]:
            theirs = _mapped(table, original, id_map)
            mine = local[table].get(theirs["id"])
            matched_by_content = False
            if mine is None and table in _NATURAL_KEYS:
                mine = natural[table].get(tuple(theirs[c] for c in _NATURAL_KEYS[table]))
                if mine is not None:
                    id_map[theirs["id"]] = mine["id"]
                    theirs = dict(theirs, id=mine["id"])
                    matched_by_content = True
            if mine is None:
                had = mine_versions.get((table, theirs["id"]), [])
                if had and any(_same(theirs, version) for version in had):
                    plan.kept_deleted.append((table, theirs))
                    continue
                plan.restored += bool(had)
                plan.adds.append((table, theirs))
                plan.received.append((table, theirs))
                continue
            differing = [c for c in theirs if c not in _IGNORED and theirs[c] != mine[c]]
            if not differing:
                plan.unchanged += 1
                plan.received.append((table, theirs))
                continue
            my_had = [] if matched_by_content else list(mine_versions.get((table, mine["id"]), []))
            they_had = [] if matched_by_content else list(their_versions.get((table, original["id"]), []))
            if fork is not None:
                if mine["modified"] <= fork:
                    they_had.append(mine)  # unchanged here since the copies parted: they had it
                if theirs["modified"] <= fork:
                    my_had.append(theirs)
            record = RecordMerge(table, mine, theirs, {}, [])
            for column in differing:
                they_moved_on = any(v.get(column) == mine[column] for v in they_had)
                i_moved_on = any(v.get(column) == theirs[column] for v in my_had)
                if they_moved_on and not i_moved_on:
                    record.take[column] = theirs[column]
                elif not (i_moved_on and not they_moved_on):
                    label = names.get(mine["id"]) or _label(table, mine)
                    record.conflicts.append(Conflict(table, mine["id"], column, mine[column], theirs[column], label))
            plan.records.append(record)
            if not record.conflicts:
                plan.received.append((table, theirs))
    _restore_needed_parents(plan)
    return plan


def _versions(sent: Mapping[VersionKey, Row], received: Mapping[VersionKey, Row]) -> dict[VersionKey, list[Row]]:
    result: dict[VersionKey, list[Row]] = {}
    for versions in (sent, received):
        for key, row in versions.items():
            result.setdefault(key, []).append(row)
    return result


def _same(a: Row, b: Row) -> bool:
    return all(a.get(c) == b.get(c) for c in set(a) | set(b) if c not in _IGNORED)


def _fork_time(bundle: Bundle, local: dict[str, dict[str, Row]], transferred: set[VersionKey]) -> str | None:
    """When two copies of one file parted: the newest record identical on both sides, timestamps included,
    that no bundle ever carried (a merge copies timestamps, so those prove nothing about the copy)."""
    stamps = [
        row["modified"]
        for table, rows in bundle.tables.items()
        for row in rows
        if (table, row["id"]) not in transferred and local[table].get(row["id"]) == row
    ]
    return max(stamps) if stamps else None


def _mapped(table: str, row: Row, id_map: dict[str, str]) -> Row:
    """The row with references to records matched by content pointing at this database's ids."""
    if not id_map:
        return row
    result = dict(row)
    for column, _target, _nullable in REFERENCES[table]:
        if result[column] in id_map:
            result[column] = id_map[result[column]]
    return result


def _add_known_frameworks(store: Store, bundle: Bundle, frameworks: dict[str, Row]) -> None:
    """Framework versions of this programme that nothing points at any more are still here: match them.

    Only versions no other programme uses: one that another programme or its assessments point at is that
    programme's own copy (frameworks are never shared), and a bundle carrying its id is refused as a clash.
    """
    for row in bundle.tables["frameworks"]:
        if row["id"] not in frameworks:
            used_elsewhere = store.conn.execute(
                "SELECT 1 FROM programmes WHERE framework_id = ? UNION ALL "
                "SELECT 1 FROM assessments WHERE framework_id = ? LIMIT 1",
                (row["id"], row["id"]),
            ).fetchone()
            if used_elsewhere:
                continue
            found = [dict(r) for r in store.db.query("SELECT * FROM frameworks WHERE id = ?", (row["id"],))]
            if found:
                frameworks[row["id"]] = found[0]


def _refuse_foreign_ids(store: Store, bundle: Bundle, local: dict[str, dict[str, Row]]) -> None:
    """A record id that belongs to another programme here means the bundle is not what it claims."""
    for table in TABLES:
        unknown = [row["id"] for row in bundle.tables[table] if row["id"] not in local[table]]
        for start in range(0, len(unknown), 500):
            chunk = unknown[start : start + 500]
            hit = store.conn.execute(
                f"SELECT 1 FROM [{table}] WHERE id IN ({', '.join('?' * len(chunk))}) LIMIT 1", chunk
            ).fetchone()
            if hit:
                raise BundleError(
                    f"The bundle's records clash with another programme's {LABELS[table]} in this database; "
                    "it cannot be merged. Nothing was changed."
                )


def _restore_needed_parents(plan: MergePlan) -> None:
    """A record added or changed here whose parent was deleted here brings the parent back."""
    kept = {(table, row["id"]): (table, row) for table, row in plan.kept_deleted}
    pending = list(plan.adds) + [(r.table, r.theirs) for r in plan.records]
    while pending and kept:
        table, row = pending.pop()
        for column, target, nullable in REFERENCES[table]:
            parent = kept.pop((target, row[column]), None) if not nullable else None
            if parent is not None:
                plan.adds.append(parent)
                plan.received.append(parent)
                plan.restored += 1
                pending.append(parent)
    plan.kept_deleted = list(kept.values())
    plan.adds.sort(key=lambda item: TABLES.index(item[0]))


# -- labels ----------------------------------------------------------------------------------------


def _names(bundle: Bundle, local: dict[str, dict[str, Row]]) -> dict[str, str]:
    """Labels of records that need their parent's name (a response: whose, which capability)."""
    respondents = {r["id"]: r["label"] for r in bundle.tables["respondents"]}
    respondents.update({i: r["label"] for i, r in local["respondents"].items()})
    actions = {r["id"]: r["title"] for r in bundle.tables["actions"]}
    actions.update({i: r["title"] for i, r in local["actions"].items()})
    names = {}
    for row in local["responses"].values():
        names[row["id"]] = f"{respondents.get(row['respondent_id'], '?')} · {row['capability_code']} {row['question']}"
    for row in local["action_notes"].values():
        names[row["id"]] = f"{_short(actions.get(row['action_id'], ''))} · note of {row['date']}"
    return names


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _label(table: str, row: Row) -> str:
    if table in ("areas_of_focus", "workshop_catalogue"):
        return f"{row['number']}. {_short(row['title'])}"
    if table == "frameworks":
        return f"{row['name']} {row['version']}"
    if table == "capability_results":
        return str(row["capability_code"])
    for column in ("name", "title", "label", "text"):
        if row.get(column):
            return _short(row[column])
    return str(row["id"])[:8]


def kind_label(conflict: Conflict, row_kind: str | None = None) -> str:
    """'participant' or 'delivery team member' for people; the record kind otherwise."""
    if conflict.table == "people" and row_kind == "delivery":
        return "delivery team member"
    if conflict.table == "people":
        return "participant"
    return conflict.kind


def display_value(column: str, value: Any, limit: int | None = 120) -> str:
    """A field's value as a person reads it: lists joined, control characters shown, long text cut."""
    if value is None:
        return "(empty)"
    if column == "definition":
        return f"(framework definition, {len(str(value)):,} characters)"
    if column == "cover_logo":
        return f"(a picture, {len(str(value)) * 3 // 4 // 1024:,} KB)" if value else "(no logo)"
    if column in LIST_COLUMNS and isinstance(value, str):
        with contextlib.suppress(ValueError):
            value = ", ".join(str(item) for item in json.loads(value))
    text = "".join(ch if ch.isprintable() or ch == " " else "↵" if ch == "\n" else "·" for ch in str(value))
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


# -- applying ------------------------------------------------------------------------------------


def apply_merge(
    store: Store,
    plan: MergePlan,
    choices: Mapping[tuple[str, str, str], str] | None = None,
    prefer: str | None = None,
) -> MergeResult:
    """Write the merge in one transaction (after a backup). A conflict takes `choices[key]`, else `prefer`;
    with neither it keeps this database's value and stays listed for next time."""
    choices = choices or {}
    resolved, unresolved = 0, []
    notes: list[str] = []
    updates: list[tuple[RecordMerge, dict[str, Any]]] = []
    received = list(plan.received)
    for record in plan.records:
        values = dict(record.take)
        open_here = []
        for conflict in record.conflicts:
            choice = choices.get(conflict.key, prefer)
            if choice == THEIRS:
                values[conflict.field] = conflict.theirs
            elif choice != MINE:
                open_here.append(conflict)
        resolved += len(record.conflicts) - len(open_here)
        unresolved.extend(open_here)
        if record.conflicts and not open_here:
            received.append((record.table, record.theirs))
        if record.table == "programmes" and "name" in values:
            try:
                store.check_programme_name(values["name"], record.mine["id"])
            except StoreError as exc:  # the other laptop's name is another programme's here
                notes.append(f"The programme keeps its name '{record.mine['name']}': {exc}")
                del values["name"]
        if values:
            updates.append((record, values))
    take_backup_if_file(store, "before-merge")
    try:
        with store.atomic():
            adding = {(table, row["id"]) for table, row in plan.adds}
            insert_rows(store, [(table, _without_missing_links(store, table, row, adding)) for table, row in plan.adds])
            for record, values in updates:
                _update(store, record, values)
            save_versions(store, plan.programme_id, "received", received)
            log_event(store, plan.programme_id, "merge", plan.bundle.created, f"{len(unresolved)} unresolved")
    except sqlite3.Error as exc:
        raise BundleError(f"The bundle could not be merged ({exc}). Nothing was changed.") from None
    return MergeResult(len(plan.adds), len(updates), len(plan.kept_deleted), resolved, unresolved, notes)


def _exists(store: Store, table: str, record_id: str) -> bool:
    return store.conn.execute(f"SELECT 1 FROM [{table}] WHERE id = ?", (record_id,)).fetchone() is not None


def _without_missing_links(store: Store, table: str, row: Row, adding: set[VersionKey] | None = None) -> Row:
    """Optional links to records deleted here are cleared, as deleting them here cleared them."""
    result = dict(row)
    for column, target, nullable in REFERENCES[table]:
        value = result[column]
        if not nullable or value is None or target == "frameworks" or (target, value) in (adding or set()):
            continue
        if not _exists(store, target, value):
            result[column] = None
    return result


def _update(store: Store, record: RecordMerge, values: dict[str, Any]) -> None:
    values = _without_missing_links(store, record.table, {**record.mine, **values})
    changed = {c: v for c, v in values.items() if c not in _IGNORED and v != record.mine[c]}
    if not changed:
        return
    # A record that now equals theirs keeps their timestamp; one mixing both sides is modified now.
    all_theirs = all(values[c] == record.theirs[c] for c in values if c not in _IGNORED)
    changed["modified"] = record.theirs["modified"] if all_theirs else now_iso()
    store.conn.execute(
        f"UPDATE [{record.table}] SET {', '.join(f'[{c}] = ?' for c in changed)} WHERE id = ?",
        [*changed.values(), record.mine["id"]],
    )
