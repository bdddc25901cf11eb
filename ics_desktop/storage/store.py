"""The store: every read and write of programme data, over sqlite-utils.

One `Store` owns one connection. Each user edit commits in its own transaction; anything that
writes several rows runs inside `db.atomic()` so it lands entirely or not at all.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ics_desktop.errors import AmbiguousNameError, MissingDatabaseError, NotFoundError, StoreError
from ics_desktop.frameworks.framework import Framework, framework_from_json
from ics_desktop.lazy import import_without
from ics_desktop.limits import checked_text
from ics_desktop.storage.backups import BackupError, list_backups, take_backup
from ics_desktop.storage.database import connect, migrate, preflight, remove_new_companions
from ics_desktop.storage.records import (
    AreaRecord,
    Assessment,
    CatalogueRecord,
    MilestoneRecord,
    Person,
    Programme,
    Response,
    ResultRecord,
)
from ics_desktop.storage.restore_journal import finish_interrupted_restore

if TYPE_CHECKING:
    import sqlite_utils


def _sqlite_utils() -> Any:
    """sqlite-utils, loaded on first write (its import costs ~0.1 s that the window need not wait for).

    It imports numpy and pandas at module level in case values are numpy types; the store never writes
    any, and numpy alone costs about 0.1 s more. They are hidden while sqlite-utils loads.
    """
    return import_without("sqlite_utils", hidden=("numpy", "pandas"))


# Fields a user may edit, per table; JSON-list fields are listed separately.
EDITABLE: dict[str, frozenset[str]] = {
    "systems": frozenset(
        {
            "name",
            "full_name",
            "overview",
            "population",
            "governance_notes",
            "partner_organisations",
            "change_priorities",
            "enablers",
            "priority_areas",
        }
    ),
    "programmes": frozenset(
        {
            "name",
            "description",
            "structure",
            "anticipated_output",
            "start_date",
            "end_date",
            "board_purpose",
            "board_messages",
            "board_author",
            "board_contact",
            "board_version",
            "cover_logo",
            "cover_logo_name",
        }
    ),
    "people": frozenset({"name", "role", "organisation", "team", "topic_lead", "email", "profile", "position"}),
    "assessments": frozenset({"name", "date", "notes"}),
    "capability_results": frozenset(
        {"agreed_current", "agreed_desired", "desired_open", "justification", "focus", "change", "change_blank"}
    ),
    "respondents": frozenset({"label"}),
    "areas_of_focus": frozenset(
        {
            "number",
            "title",
            "narrative",
            "blend",
            "preferred_workshops",
            "capabilities",
            "outputs",
            "outcomes",
            "topic_leads",
        }
    ),
    "workshop_catalogue": frozenset({"number", "title", "description"}),
    "tor_sections": frozenset({"title", "body"}),
    "workshops": frozenset({"title", "starts_at", "venue", "status", "areas", "attendees", "agenda"}),
    "workshop_items": frozenset({"kind", "text", "position"}),
    "actions": frozenset({"title", "owner", "due_date", "status", "area_id", "workshop_id", "capabilities"}),
    "action_notes": frozenset({"date", "text"}),
    "milestones": frozenset(
        {
            "ambition",
            "ambition_year",
            "title",
            "milestone_year",
            "due_date",
            "status",
            "areas",
            "capabilities",
            "position",
        }
    ),
}
JSON_LIST_FIELDS = frozenset(
    {
        "partner_organisations",
        "change_priorities",
        "enablers",
        "priority_areas",
        "preferred_workshops",
        "capabilities",
        "outputs",
        "outcomes",
        "topic_leads",
        "areas",
        "attendees",
        "agenda",
    }
)


def qualified_name(programme: Programme) -> str:
    """ "name (system)": how commands tell apart programmes of the same name."""
    return " ".join(f"{programme.name} ({programme.system_name})".split())


def now_iso() -> str:
    """The current time as stored on every record (UTC, ISO 8601)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id() -> str:
    return str(uuid.uuid4())


def _decode(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (json.loads(v) if k in JSON_LIST_FIELDS and isinstance(v, str) else v) for k, v in row.items()}


def _encode(values: dict[str, Any]) -> dict[str, Any]:
    return {
        k: (json.dumps(v, ensure_ascii=False) if k in JSON_LIST_FIELDS and not isinstance(v, str) else v)
        for k, v in values.items()
    }


class Store:
    """Programme data in one SQLite file. Construct with `Store.open(path)`."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, *, read_only: bool = False) -> None:
        self.conn = conn
        self._db: sqlite_utils.Database | None = None
        self.path = path
        self.read_only = read_only
        self.backup_problem = ""  # why the backup on opening could not be taken ("" when it was, or none asked)

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the connection (writes of whole records go through it)."""
        if self._db is None:
            self._db = _sqlite_utils().Database(self.conn)
        return self._db

    def warm_up(self) -> None:
        """Load what the first edit needs, while the user is still looking at the window."""
        _ = self.db

    # -- lifecycle ---------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False, backup_on_open: bool = False) -> Store:
        """Open (creating and migrating when needed) the database at `path`; a refused file is left as found.

        Raises StoreError for a damaged, foreign or newer-version file, which is left untouched.
        """
        companions = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
        there = {c for c in companions if c.exists()}
        try:
            return cls._open(Path(path), read_only=read_only, backup_on_open=backup_on_open)
        except StoreError:
            remove_new_companions(companions, there)
            raise

    @classmethod
    def _open(cls, path: Path, *, read_only: bool = False, backup_on_open: bool = False) -> Store:
        """Open (creating and migrating when needed) the database at `path`.

        Raises StoreError for a damaged, foreign or newer-version file, which is left untouched.
        """
        path = Path(path)
        if not read_only:
            finish_interrupted_restore(path)
        state = preflight(path)
        if not state.exists and not read_only and list_backups(path):
            raise MissingDatabaseError(
                f"{path} is not there any more (moved or deleted, perhaps by a sync program), but its automatic "
                "backups are: restore the latest one rather than start an empty database."
            )
        if read_only:
            if not state.exists or state.user_version == 0:
                raise StoreError(f"{path} holds no ICS Desktop data (create one with the 'sample' command).")
            from ics_desktop.storage.migrations import latest_version

            if state.user_version < latest_version():
                raise StoreError(f"{path} uses an older schema; open it once in ICS Desktop to upgrade it.")
            return cls(connect(path, read_only=True), path, read_only=True)
        if not path.parent.exists():
            raise StoreError(f"The folder {path.parent} does not exist.")
        conn = connect(path)
        try:
            migrate(conn, path, state.user_version)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"Cannot prepare {path}: {exc}.") from None
        store = cls(conn, path)
        if backup_on_open and state.user_version > 0:
            try:
                take_backup(conn, path, "open")
            except BackupError as exc:  # the file itself is fine: open it, and say that backups fail
                store.backup_problem = str(exc)
        return store

    @classmethod
    def in_memory(cls) -> Store:
        """A throwaway store (for scripts); tests use real files."""
        conn = sqlite3.connect(":memory:", isolation_level=None)
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn, Path(":memory:"), 0)
        return cls(conn, None)

    def close(self) -> None:
        self.conn.close()

    def backup(self, reason: str = "manual") -> Path:
        """Take a rotating backup now (through the backup API)."""
        if self.path is None:
            raise StoreError("An in-memory store has no backups.")
        return take_backup(self.conn, self.path, reason)

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """Group several writes into one transaction (nested: a savepoint), as sqlite-utils' atomic() does."""
        if self.conn.in_transaction:
            name = f"sp_{uuid.uuid4().hex}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        self.conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    # -- generic edits ---------------------------------------------------------------------

    def insert(self, table: str, values: dict[str, Any]) -> str:
        """Insert a record with a fresh UUID and timestamps; returns its id."""
        stamp = now_iso()
        for column, value in values.items():
            checked_text(table, column, value)
        record = {"id": values.get("id") or new_id(), "created": stamp, "modified": stamp}
        record.update(_encode({k: v for k, v in values.items() if k != "id"}))
        self.db.table(table).insert(record)
        return str(record["id"])

    def get(self, table: str, record_id: str) -> dict[str, Any]:
        found = self.rows(f"SELECT * FROM [{table}] WHERE id = ?", (record_id,))
        if not found:
            raise NotFoundError(f"No {table} record {record_id}.")
        return found[0]

    def update_field(self, table: str, record_id: str, field: str, value: Any) -> None:
        """Save one edited field of one record (its own transaction) and stamp it modified."""
        checked_text(table, field, value)
        if field not in EDITABLE.get(table, frozenset()) and field not in JSON_LIST_FIELDS:
            raise ValueError(f"{table}.{field} is not editable")
        if table == "programmes" and field == "name":
            system = self.programme(record_id).system_name
            value = self._checked_programme_name(str(value), record_id, system_name=system)
        if table == "systems" and field == "name":
            self._check_system_rename(record_id, str(value))
        values = _encode({field: value})
        with self.atomic():
            cur = self.conn.execute(
                f"UPDATE [{table}] SET [{field}] = ?, modified = ? WHERE id = ?",
                (values[field], now_iso(), record_id),
            )
            if cur.rowcount != 1:
                raise NotFoundError(f"No {table} record {record_id}.")

    def restore_rows(self, rows: list[tuple[str, dict[str, Any]]]) -> None:
        """Put back records exactly as they were (ids and timestamps kept), parents first; for undo."""
        with self.atomic():
            for table, row in rows:
                self.db.table(table).insert(_encode(row))

    def delete(self, table: str, record_id: str) -> None:
        with self.atomic():
            self.conn.execute(f"DELETE FROM [{table}] WHERE id = ?", (record_id,))

    def rows(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        cursor = self.conn.execute(sql, params)
        names = [d[0] for d in cursor.description or ()]
        return [_decode(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]

    # -- frameworks ------------------------------------------------------------------------

    def add_framework(self, framework: Framework, based_on_id: str | None = None) -> str:
        return self.insert(
            "frameworks",
            {
                "key": framework.key,
                "name": framework.name,
                "version": framework.version,
                "definition": framework.to_json(),
                "based_on_id": based_on_id,
            },
        )

    def framework(self, framework_id: str) -> Framework:
        return framework_from_json(self.get("frameworks", framework_id)["definition"])

    def programme_framework(self, programme_id: str) -> Framework:
        return self.framework(self.programme(programme_id).framework_id)

    # -- systems and programmes -----------------------------------------------------------

    def create_programme(
        self,
        name: str,
        system_name: str,
        framework: Framework,
        *,
        start_date: str | None = None,
        end_date: str | None = None,
    ) -> str:
        """A new, empty programme for a new system, using its own copy of `framework`."""
        system_name = system_name.strip() or name.strip()
        name = self._checked_programme_name(name, system_name=system_name).strip()
        with self.atomic():
            system_id = self.insert("systems", {"name": system_name})
            framework_id = self.add_framework(framework)
            return self.insert(
                "programmes",
                {
                    "system_id": system_id,
                    "framework_id": framework_id,
                    "name": name,
                    "start_date": start_date,
                    "end_date": end_date,
                },
            )

    def check_programme_name(self, name: str, programme_id: str) -> str:
        """The name if programme `programme_id` may carry it (raises StoreError saying why not)."""
        system = self.programme(programme_id).system_name
        return self._checked_programme_name(name, programme_id, system_name=system)

    def _checked_programme_name(self, name: str, programme_id: str | None = None, *, system_name: str) -> str:
        """A programme name must be non-blank and unique within its system (case-insensitively).

        Two systems may each have a programme of the same name; commands then tell them apart as
        "name (system)".
        """
        if not name.strip():
            raise StoreError("A programme needs a name.")
        if taken := self.programme_name_taken(name, system_name, programme_id):
            raise StoreError(f"{taken.system_name} already has a programme called '{taken.name}'.")
        return name

    def programme_name_taken(self, name: str, system_name: str, programme_id: str | None = None) -> Programme | None:
        """Another programme of the system called `system_name` that already has this name, if any."""
        wanted, system = name.strip().casefold(), system_name.strip().casefold()
        for p in self.programmes():
            if p.id != programme_id and p.name.casefold() == wanted and p.system_name.casefold() == system:
                return p
        return None

    def free_programme_name(self, base: str, system_name: str = "") -> str:
        """`base`, or `base 2`, `base 3` … : the first not used by any programme (of `system_name`, if given)."""
        names = {p.name.casefold() for p in self.programmes() if not system_name.strip()
                 or p.system_name.casefold() == system_name.strip().casefold()}  # fmt: skip
        candidate, number = base.strip(), 2
        while candidate.casefold() in names:
            candidate, number = f"{base.strip()} {number}", number + 1
        return candidate

    def programmes(self) -> list[Programme]:
        return [
            self._programme(r)
            for r in self.rows(
                "SELECT p.*, s.name AS system_name FROM programmes p JOIN systems s ON s.id = p.system_id "
                "ORDER BY p.name COLLATE NOCASE, p.created, p.id"
            )
        ]

    def programme(self, programme_id: str) -> Programme:
        found = self.rows(
            "SELECT p.*, s.name AS system_name FROM programmes p JOIN systems s ON s.id = p.system_id WHERE p.id = ?",
            (programme_id,),
        )
        if not found:
            raise NotFoundError(f"No programme {programme_id}.")
        return self._programme(found[0])

    def _check_system_rename(self, system_id: str, new_name: str) -> None:
        """Renaming a system must not give two programmes of one system name the same name."""
        for programme in self.programmes():
            if programme.system_id != system_id:
                continue
            taken = self.programme_name_taken(programme.name, new_name, programme.id)
            if taken is not None and taken.system_id != system_id:
                raise StoreError(f"{taken.system_name} already has a programme called '{taken.name}'.")

    def programme_by_name(self, name: str, *, missing_ok: bool = False) -> Programme | None:
        """Find a programme by its name, "name (system)", or its system's name, case-insensitively.

        Raises AmbiguousNameError when several programmes answer to the name (the message says how to
        name each one); NotFoundError, or None with `missing_ok`, when none does.
        """
        # Matched as typed, with the spaces around either side not counting ("Name " is found by "Name").
        wanted = name.strip().casefold()
        everything = self.programmes()
        hits = [p for p in everything if p.name.strip().casefold() == wanted]
        if not hits and wanted.endswith(")"):  # "name (system)"; the system's name may hold brackets too
            hits = [p for p in everything if " ".join(qualified_name(p).split()).casefold() == " ".join(wanted.split())]
        if not hits:
            hits = [p for p in everything if p.system_name.strip().casefold() == wanted]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            choices = " or ".join(f"'{qualified_name(p)}'" for p in hits)
            raise AmbiguousNameError(f"{len(hits)} programmes called '{name.strip()}': use {choices}.")
        if missing_ok:
            return None
        shared = {
            p.name.casefold() for p in everything if sum(q.name.casefold() == p.name.casefold() for q in everything) > 1
        }
        names = ", ".join(f"'{qualified_name(p) if p.name.casefold() in shared else p.name}'" for p in everything)
        names = names or "none"
        raise NotFoundError(f"No programme called '{name}' (programmes: {names}).")

    @staticmethod
    def _programme(r: dict[str, Any]) -> Programme:
        return Programme(
            r["id"],
            r["name"],
            r["system_id"],
            r["system_name"],
            r["framework_id"],
            r["start_date"],
            r["end_date"],
            bool(r.get("sample", 0)),
        )

    def programme_record(self, programme_id: str) -> dict[str, Any]:
        return self.get("programmes", programme_id)

    def system(self, system_id: str) -> dict[str, Any]:
        return self.get("systems", system_id)

    def duplicate_programme(self, programme_id: str, new_name: str) -> str:
        """A complete copy of a programme under new ids (its system, framework and every record)."""
        from ics_desktop.storage.duplicate import duplicate_programme

        new_name = self._checked_programme_name(new_name, system_name=self.programme(programme_id).system_name).strip()
        with self.atomic():
            return duplicate_programme(self, programme_id, new_name)

    def delete_programme(self, programme_id: str, *, backup: bool = True) -> Path | None:
        """Remove a programme and everything recorded against it, after a backup of the whole file.

        Returns the backup taken (None for an in-memory store or `backup=False`); when the backup
        cannot be written (BackupError) nothing is deleted.
        """
        programme = self.programme(programme_id)
        taken = take_backup(self.conn, self.path, "before-delete") if backup and self.path is not None else None
        with self.atomic():
            self.conn.execute("DELETE FROM programmes WHERE id = ?", (programme_id,))
            self.conn.execute(
                "DELETE FROM systems WHERE id = ? AND id NOT IN (SELECT system_id FROM programmes)",
                (programme.system_id,),
            )
        return taken

    # -- people ------------------------------------------------------------------------------

    def people(self, programme_id: str, kind: str | None = None) -> list[Person]:
        sql = "SELECT * FROM people WHERE programme_id = ?"
        params: tuple[Any, ...] = (programme_id,)
        if kind:
            sql += " AND kind = ?"
            params += (kind,)
        rows = self.rows(sql + " ORDER BY kind DESC, position, name", params)
        return [
            Person(
                r["id"],
                r["programme_id"],
                r["kind"],
                r["name"],
                r["role"],
                r["organisation"],
                r["team"],
                r["topic_lead"],
                r["email"],
                r["profile"],
                r["position"],
            )
            for r in rows
        ]

    def add_person(self, programme_id: str, kind: str, **fields: Any) -> str:
        if kind not in ("participant", "delivery"):
            raise ValueError(kind)
        position = self.conn.execute(
            "SELECT COALESCE(MAX(position), -1) + 1 FROM people WHERE programme_id = ? AND kind = ?",
            (programme_id, kind),
        ).fetchone()[0]
        values = {"programme_id": programme_id, "kind": kind, "position": position}
        values.update({k: v for k, v in fields.items() if k in EDITABLE["people"]})
        return self.insert("people", values)

    # -- assessments -------------------------------------------------------------------------

    def assessments(self, programme_id: str) -> list[Assessment]:
        rows = self.rows(
            "SELECT * FROM assessments WHERE programme_id = ? ORDER BY date IS NULL, date, created, id",
            (programme_id,),
        )
        return [
            Assessment(r["id"], r["programme_id"], r["framework_id"], r["name"], r["date"], r["notes"]) for r in rows
        ]

    def add_assessment(self, programme_id: str, name: str, date: str | None, notes: str = "") -> str:
        programme = self.programme(programme_id)
        return self.insert(
            "assessments",
            {
                "programme_id": programme_id,
                "framework_id": programme.framework_id,
                "name": name,
                "date": date,
                "notes": notes,
            },
        )

    def add_respondent(
        self,
        assessment_id: str,
        label: str,
        *,
        kind: str = "named",
        illustrative: bool = False,
        person_id: str | None = None,
    ) -> str:
        """A participant scoring an assessment: named, an anonymous code, a tally slot or an import."""
        label = label.strip()
        if not label:
            raise StoreError("A participant needs a name or a code.")
        clash = self.conn.execute(
            "SELECT 1 FROM respondents WHERE assessment_id = ? AND label = ?", (assessment_id, label)
        ).fetchone()
        if clash:
            raise StoreError(f"'{label}' is already scoring this assessment.")
        if kind != "tally":
            self.check_not_tallied(assessment_id)
        return self.insert(
            "respondents",
            {
                "assessment_id": assessment_id,
                "label": label,
                "kind": kind,
                "illustrative": int(illustrative),
                "person_id": person_id,
            },
        )

    def individual_respondents(self, assessment_id: str) -> int:
        """How many respondents are scored one by one (everyone but tally slots)."""
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM respondents WHERE assessment_id = ? AND kind != 'tally'", (assessment_id,)
            ).fetchone()[0]
        )

    def check_not_tallied(self, assessment_id: str) -> None:
        """Refuse an individual respondent in a round whose scores were counted as a tally."""
        tallied = int(
            self.conn.execute(
                "SELECT COUNT(DISTINCT r.id) FROM respondents r JOIN responses x ON x.respondent_id = r.id "
                "WHERE r.assessment_id = ? AND r.kind = 'tally'",
                (assessment_id,),
            ).fetchone()[0]
        )
        if tallied:
            raise StoreError(
                f"This round was scored as a tally ({tallied} people counted by hand): a participant scored one "
                "by one would be added to people the grid does not show. Score them in a round of their own."
            )

    def respondent_count(self, assessment_id: str) -> int:
        return int(
            self.conn.execute(
                "SELECT COUNT(DISTINCT r.id) FROM respondents r JOIN responses x ON x.respondent_id = r.id "
                "WHERE r.assessment_id = ?",
                (assessment_id,),
            ).fetchone()[0]
        )

    def illustrative_respondents(self, assessment_id: str) -> int:
        return int(
            self.conn.execute(
                "SELECT COUNT(*) FROM respondents WHERE assessment_id = ? AND illustrative = 1", (assessment_id,)
            ).fetchone()[0]
        )

    def set_response(self, respondent_id: str, capability_code: str, question: str, score: int | None) -> None:
        """Record (or replace) one participant's score; None means *don't know*."""
        stamp = now_iso()
        with self.atomic():
            self.conn.execute(
                "INSERT INTO responses (id, respondent_id, capability_code, question, score, created, modified) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (respondent_id, capability_code, question) "
                "DO UPDATE SET score = excluded.score, modified = excluded.modified",
                (new_id(), respondent_id, capability_code, question, score, stamp, stamp),
            )

    def responses(self, assessment_id: str) -> list[Response]:
        rows = self.conn.execute(
            "SELECT r.label, x.capability_code, x.question, x.score FROM responses x "
            "JOIN respondents r ON r.id = x.respondent_id WHERE r.assessment_id = ? ORDER BY r.label",
            (assessment_id,),
        ).fetchall()
        return [Response(*row) for row in rows]

    def response_counts(self, assessment_id: str) -> list[tuple[str, str, int | None, int]]:
        """(capability code, question, score or None for "don't know", how many) for an assessment: counted by
        SQLite, a few hundred rows however many people answered."""
        return self.conn.execute(
            "SELECT x.capability_code, x.question, x.score, COUNT(*) FROM responses x "
            "JOIN respondents r ON r.id = x.respondent_id WHERE r.assessment_id = ? "
            "GROUP BY x.capability_code, x.question, x.score",
            (assessment_id,),
        ).fetchall()

    def capability_results(self, assessment_id: str) -> dict[str, ResultRecord]:
        """The agreed figures per capability code."""
        rows = self.rows("SELECT * FROM capability_results WHERE assessment_id = ?", (assessment_id,))
        return {r["capability_code"]: cast(ResultRecord, r) for r in rows}

    def set_capability_result(self, assessment_id: str, capability_code: str, **fields: Any) -> None:
        """Create or update the agreed figures for one capability."""
        unknown = set(fields) - EDITABLE["capability_results"]
        if unknown:
            raise ValueError(f"not result fields: {sorted(unknown)}")
        with self.atomic():
            existing = self.conn.execute(
                "SELECT id FROM capability_results WHERE assessment_id = ? AND capability_code = ?",
                (assessment_id, capability_code),
            ).fetchone()
            if existing is None:
                self.insert(
                    "capability_results", {"assessment_id": assessment_id, "capability_code": capability_code, **fields}
                )
            else:
                for field, value in fields.items():
                    self.update_field("capability_results", existing[0], field, value)

    # -- areas, catalogue, workshops, actions, milestones ---------------------------------

    def areas_of_focus(self, programme_id: str) -> list[AreaRecord]:
        rows = self.rows("SELECT * FROM areas_of_focus WHERE programme_id = ? ORDER BY number", (programme_id,))
        return cast(list[AreaRecord], rows)

    def workshop_catalogue(self, programme_id: str) -> list[CatalogueRecord]:
        rows = self.rows("SELECT * FROM workshop_catalogue WHERE programme_id = ? ORDER BY number", (programme_id,))
        return cast(list[CatalogueRecord], rows)

    def milestones(self, programme_id: str) -> list[MilestoneRecord]:
        rows = self.rows("SELECT * FROM milestones WHERE programme_id = ? ORDER BY position, due_date", (programme_id,))
        return cast(list[MilestoneRecord], rows)

    def count(self, table: str, programme_id: str) -> int:
        return int(
            self.conn.execute(f"SELECT COUNT(*) FROM [{table}] WHERE programme_id = ?", (programme_id,)).fetchone()[0]
        )

    def action_status_counts(self, programme_id: str, today: str) -> tuple[int, dict[str, int], int]:
        """(total, count per status, overdue) for a programme's actions."""
        by_status = dict(
            self.conn.execute(
                "SELECT status, COUNT(*) FROM actions WHERE programme_id = ? GROUP BY status", (programme_id,)
            ).fetchall()
        )
        overdue = self.conn.execute(
            "SELECT COUNT(*) FROM actions WHERE programme_id = ? AND due_date < ? "
            "AND status NOT IN ('done', 'dropped')",
            (programme_id, today),
        ).fetchone()[0]
        return sum(by_status.values()), by_status, int(overdue)
