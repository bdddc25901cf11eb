"""The `.icsbundle` file: a zip holding a manifest, every record of a programme and its sync versions.

Writing is plain. Reading is defensive, because a bundle arrives from another laptop (or anywhere):
members are read in memory (never extracted), sizes and nesting are bounded, checksums are verified
and every row is checked against the app's own schema before anything touches the database. Every
refusal is a `BundleError` with one clear line.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import sqlite3
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeGuard

from ics_desktop import limits, safe_json
from ics_desktop.errors import UserFacingError
from ics_desktop.storage.store import JSON_LIST_FIELDS

FORMAT = "ics-desktop-bundle"
FORMAT_VERSION = 1
SUFFIX = ".icsbundle"
MANIFEST, PROGRAMME, SYNC = "manifest.json", "programme.json", "sync.json"
SCOPES = ("programme", "workshop")

MAX_MEMBERS = 1000
MAX_MEMBER_BYTES = 100 * 1024 * 1024
MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_DEPTH = 50
MAX_STRING = 1_000_000
_MAX_INT = 2**63 - 1

# Every table a bundle holds, parents before children (the order rows are inserted in).
TABLES = (
    "frameworks",
    "systems",
    "programmes",
    "people",
    "workshop_catalogue",
    "areas_of_focus",
    "assessments",
    "respondents",
    "responses",
    "capability_results",
    "workshops",
    "workshop_items",
    "actions",
    "action_notes",
    "milestones",
    "tor_sections",
)
# (column, table it points at, may be null), per table. The owning parent is always the first.
REFERENCES: dict[str, tuple[tuple[str, str, bool], ...]] = {
    "frameworks": (("based_on_id", "frameworks", True),),
    "systems": (),
    "programmes": (("system_id", "systems", False), ("framework_id", "frameworks", False)),
    "people": (("programme_id", "programmes", False),),
    "workshop_catalogue": (("programme_id", "programmes", False),),
    "areas_of_focus": (("programme_id", "programmes", False),),
    "assessments": (("programme_id", "programmes", False), ("framework_id", "frameworks", False)),
    "respondents": (("assessment_id", "assessments", False), ("person_id", "people", True)),
    "responses": (("respondent_id", "respondents", False),),
    "capability_results": (("assessment_id", "assessments", False),),
    "workshops": (("programme_id", "programmes", False),),
    "workshop_items": (("workshop_id", "workshops", False),),
    "actions": (
        ("programme_id", "programmes", False),
        ("area_id", "areas_of_focus", True),
        ("workshop_id", "workshops", True),
    ),
    "action_notes": (("action_id", "actions", False),),
    "milestones": (("programme_id", "programmes", False),),
    "tor_sections": (("programme_id", "programmes", False),),
}
# Columns holding a JSON list of plain values (ids, codes, numbers, names): the store's own list.
LIST_COLUMNS = JSON_LIST_FIELDS

Row = dict[str, Any]
Tables = dict[str, list[Row]]


class BundleError(UserFacingError):
    """A bundle cannot be used; the message says why, and nothing was changed."""


# -- the schema a bundle is checked against ----------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    kind: type  # str or int
    not_null: bool
    default: Any
    required: bool  # NOT NULL without a default: a row must carry it


def schema(conn: sqlite3.Connection) -> dict[str, tuple[Column, ...]]:
    """The columns of every bundle table, read from the database itself (so a migration needs no edit here)."""
    result: dict[str, tuple[Column, ...]] = {}
    for table in TABLES:
        columns = []
        for _cid, name, decl, not_null, default, pk in conn.execute(f"PRAGMA table_info([{table}])"):
            kind = int if "INT" in str(decl).upper() else str
            value = _sql_literal(default)
            columns.append(Column(name, kind, bool(not_null or pk), value, bool((not_null or pk) and default is None)))
        result[table] = tuple(columns)
    return result


def _sql_literal(text: str | None) -> Any:
    """A column default as a value: 'x' → x, 0 → 0, NULL/None → None."""
    if text is None or text.upper() == "NULL":
        return None
    if text.startswith("'") and text.endswith("'"):
        return text[1:-1].replace("''", "'")
    try:
        return int(text)
    except ValueError:
        return text


# -- writing ---------------------------------------------------------------------------------


def dumps(value: Any) -> bytes:
    """JSON as a bundle stores it: UTF-8, text kept exactly (only JSON's own escapes)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def bundle_bytes(manifest: dict[str, Any], members: dict[str, bytes]) -> bytes:
    """The zip file's bytes: the members, then a manifest naming each with its SHA-256."""
    manifest = dict(manifest, files={name: hashlib.sha256(data).hexdigest() for name, data in members.items()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode("utf-8"))
        for name, data in members.items():
            zf.writestr(name, data)
    return buffer.getvalue()


# -- reading ---------------------------------------------------------------------------------


@dataclass
class Bundle:
    """A bundle read and checked: its manifest, rows per table and the sender's sync versions."""

    manifest: dict[str, Any]
    tables: Tables
    sent: dict[tuple[str, str], Row] = field(default_factory=dict)
    received: dict[tuple[str, str], Row] = field(default_factory=dict)
    exchanges: int = 0  # how many bundles the sender had exported, imported or merged for this programme

    @property
    def programme_id(self) -> str:
        return str(self.manifest["programme"]["id"])

    @property
    def programme_name(self) -> str:
        return str(self.manifest["programme"]["name"])

    @property
    def scope(self) -> str:
        return str(self.manifest["scope"])

    @property
    def created(self) -> str:
        return str(self.manifest["created"])

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


def _refuse(message: str) -> BundleError:
    return BundleError(f"{message} Nothing was changed.")


def _check_member_name(name: str) -> None:
    """Refuse names that could escape a folder, even though members are never extracted."""
    bad = (
        not name
        or name.startswith(("/", "\\"))
        or "\\" in name
        or "\x00" in name
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(part in ("", ".", "..") for part in name.split("/"))
    )
    if bad:
        raise _refuse(
            f"The bundle holds a file with an unsafe name ({name!r}); it is not a genuine ICS Desktop bundle."
        )


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's bytes, reading at most the limit (a header may lie about the size)."""
    with zf.open(info) as fh:
        data = fh.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise _refuse(f"The bundle's {info.filename} is larger than {MAX_MEMBER_BYTES // 2**20} MB.")
    return data


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def parse_json(data: bytes, what: str) -> Any:
    """Parse JSON with bounded nesting and string length; lone surrogates and NaN are refused."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _refuse(f"The bundle's {what} is not UTF-8 text.") from None
    try:
        return safe_json.loads(text, max_string=MAX_STRING, max_depth=MAX_DEPTH)
    except safe_json.UnsafeJson as exc:
        raise _refuse(f"The bundle's {what} {_verb(str(exc))}.") from None


def _verb(reason: str) -> str:
    """'nested …' / 'not valid JSON …' read after 'is'; 'holds …' stands on its own."""
    return reason if reason.startswith("holds") else f"is {reason}"


def _check_values(value: Any, what: str) -> None:
    try:
        safe_json.check_values(value, max_string=MAX_STRING)
    except safe_json.UnsafeJson as exc:
        raise _refuse(f"The bundle's {what} {exc}.") from None


def read_bundle(path: Path, columns: dict[str, tuple[Column, ...]], schema_version: int) -> Bundle:
    """Read and check a bundle file completely; raise BundleError on anything wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise _refuse(f"{path.name} is not a file.")
        if size > limits.BUNDLE_FILE_BYTES:
            raise _refuse(limits.file_too_large(path.name, size, limits.BUNDLE_FILE_BYTES))
        # Read through the file (the zip's directory first): a large file that is not a zip is never read whole.
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, ValueError):
        raise _refuse(f"{path.name} is not an ICS Desktop bundle (it is not a zip file).") from None
    except OSError as exc:
        raise BundleError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    try:
        members = _read_members(zf, path)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError, ValueError):
        raise _refuse(f"{path.name} is damaged: its contents cannot be read.") from None
    finally:
        zf.close()
    manifest = _check_manifest(parse_json(members.pop(MANIFEST), MANIFEST), schema_version)
    listed: dict[str, str] = manifest["files"]
    if set(listed) != set(members):
        missing = sorted(set(listed) - set(members)) or sorted(set(members) - set(listed))
        raise _refuse(f"The bundle's files do not match its manifest ({', '.join(missing)}).")
    for name, digest in listed.items():
        if hashlib.sha256(members[name]).hexdigest() != digest.lower():
            raise _refuse(f"The bundle's {name} does not match its checksum: the file is damaged or was altered.")
    if PROGRAMME not in members:
        raise _refuse(f"The bundle holds no {PROGRAMME}.")
    tables = check_tables(parse_json(members[PROGRAMME], PROGRAMME), columns, manifest)
    bundle = Bundle(manifest, tables)
    if SYNC in members:
        check_sync(bundle, parse_json(members[SYNC], SYNC), columns)
    return bundle


def _read_members(zf: zipfile.ZipFile, path: Path) -> dict[str, bytes]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _refuse(f"{path.name} holds more than {MAX_MEMBERS} files; it is not an ICS Desktop bundle.")
    for info in infos:
        _check_member_name(info.filename)
    names = [info.filename for info in infos]
    if len(set(names)) != len(names):
        raise _refuse(f"{path.name} holds two files with the same name.")
    unknown = sorted(set(names) - {MANIFEST, PROGRAMME, SYNC})
    if unknown:
        raise _refuse(f"{path.name} holds a file an ICS Desktop bundle never has ({unknown[0]}).")
    if MANIFEST not in names:
        raise _refuse(f"{path.name} is not an ICS Desktop bundle (it has no {MANIFEST}).")
    if any(info.file_size > MAX_MEMBER_BYTES for info in infos) or sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise _refuse(f"{path.name} unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB; it is not a genuine bundle.")
    members: dict[str, bytes] = {}
    total = 0
    for info in infos:
        members[info.filename] = data = _read_member(zf, info)
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise _refuse(
                f"{path.name} unpacks to more than {MAX_TOTAL_BYTES // 2**20} MB; it is not a genuine bundle."
            )
    return members


def _check_manifest(value: Any, schema_version: int) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise _refuse("This file is not an ICS Desktop bundle (its manifest does not say so).")
    format_version, version = value.get("format_version"), value.get("schema_version")
    if not _is_int(format_version) or not _is_int(version) or format_version < 1 or version < 1:
        raise _refuse("The bundle's manifest has no valid format or schema version.")
    if format_version > FORMAT_VERSION or version > schema_version:
        raise _refuse(
            f"This bundle was made by a newer version of ICS Desktop (bundle format {format_version}, schema "
            f"{version}; this version reads up to format {FORMAT_VERSION}, schema {schema_version}). "
            "Update ICS Desktop to use it."
        )
    programme = value.get("programme")
    if (
        not isinstance(programme, dict)
        or not is_uuid(programme.get("id"))
        or not isinstance(programme.get("name"), str)
    ):
        raise _refuse("The bundle's manifest does not name its programme.")
    if value.get("scope") not in SCOPES:
        raise _refuse("The bundle's manifest has no valid scope (programme or workshop).")
    if not isinstance(value.get("created"), str):
        raise _refuse("The bundle's manifest has no creation date.")
    files = value.get("files")
    ok = isinstance(files, dict) and all(
        isinstance(d, str) and re.fullmatch(r"[0-9a-fA-F]{64}", d) is not None for d in files.values()
    )
    if not ok:
        raise _refuse("The bundle's manifest has no valid list of files and checksums.")
    return value


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and _UUID.fullmatch(value) is not None


# -- checking rows -----------------------------------------------------------------------------

LABELS = {
    "frameworks": "framework",
    "systems": "system",
    "programmes": "programme",
    "people": "person",
    "workshop_catalogue": "catalogue workshop",
    "areas_of_focus": "area of focus",
    "assessments": "assessment",
    "respondents": "respondent",
    "responses": "response",
    "capability_results": "agreed result",
    "workshops": "workshop",
    "workshop_items": "workshop output",
    "actions": "action",
    "action_notes": "action note",
    "milestones": "milestone",
    "tor_sections": "terms of reference section",
}


def check_tables(value: Any, columns: dict[str, tuple[Column, ...]], manifest: dict[str, Any]) -> Tables:
    """Every row checked against the schema, ids unique, and every reference inside the bundle."""
    if not isinstance(value, dict) or not isinstance(value.get("tables"), dict):
        raise _refuse(f"The bundle's {PROGRAMME} holds no tables of records.")
    given: dict[str, Any] = value["tables"]
    unknown = sorted(set(given) - set(TABLES))
    if unknown:
        raise _refuse(f"The bundle holds a kind of record this version does not know ({unknown[0]!r}).")
    tables: Tables = {}
    seen: set[str] = set()
    for table in TABLES:
        rows = given.get(table, [])
        if not isinstance(rows, list):
            raise _refuse(f"The bundle's {table} are not a list of records.")
        checked = []
        for index, row in enumerate(rows, 1):
            record = check_row(table, row, columns[table], f"{LABELS[table]} {index}")
            if record["id"] in seen:
                raise _refuse(f"The bundle's {LABELS[table]} {index} has an id used twice in the bundle.")
            seen.add(record["id"])
            checked.append(record)
        tables[table] = checked
    _check_references(tables, manifest)
    return tables


def check_row(table: str, row: Any, columns: tuple[Column, ...], where: str) -> Row:
    """One record with its types checked and missing optional columns set to their defaults."""
    if not isinstance(row, dict):
        raise _refuse(f"The bundle's {where} is not a record.")
    extra = sorted(set(row) - {c.name for c in columns})
    if extra:
        raise _refuse(f"The bundle's {where} has a field this version does not know ({extra[0]!r}).")
    record: Row = {}
    for column in columns:
        name = column.name
        if name not in row:
            if column.required:
                raise _refuse(f"The bundle's {where} lacks its {name!r} field.")
            record[name] = column.default
            continue
        value = row[name]
        if value is None:
            if column.not_null:
                raise _refuse(f"The bundle's {where} has no value for {name!r}, which needs one.")
        elif column.kind is int and not _is_int(value):
            raise _refuse(f"The bundle's {where} has {name!r} that is not a whole number.")
        elif column.kind is str and not isinstance(value, str):
            raise _refuse(f"The bundle's {where} has {name!r} that is not text.")
        if value is not None and (name == "id" or name.endswith("_id")) and not is_uuid(value):
            raise _refuse(f"The bundle's {where} has {name!r} that is not a valid id.")
        limit = limits.limit_for(table, name)
        if isinstance(value, str) and limit is not None and len(value) > limit and name not in LIST_COLUMNS:
            raise _refuse(f"The bundle's {where} has {name!r} of {len(value):,} characters; at most {limit:,} fit.")
        if name in LIST_COLUMNS and isinstance(value, str):
            _check_list(value, f"{where} {name}", whole_numbers=(table, name) in WHOLE_NUMBER_LISTS)
        elif isinstance(value, str) and name in CALENDAR_COLUMNS:
            _check_calendar(value, f"{where} {name}", with_time=name == "starts_at")
        record[name] = value
    if table == "frameworks":
        _check_framework(record["definition"], where)
    return record


# Lists of numbers (workshop numbers of the catalogue, area of focus numbers); every other list holds text.
WHOLE_NUMBER_LISTS = frozenset({("areas_of_focus", "preferred_workshops"), ("milestones", "areas")})
# Dates (YYYY-MM-DD) and a workshop's start (YYYY-MM-DDTHH:MM), which pages and charts compute with.
CALENDAR_COLUMNS = frozenset({"date", "due_date", "start_date", "end_date", "starts_at"})


def _check_list(text: str, where: str, *, whole_numbers: bool = False) -> None:
    """A JSON list of plain values (so at most one level deep: json.loads needs no depth guard)."""
    try:
        items = json.loads(text, parse_constant=safe_json.bad_constant)
    except (ValueError, RecursionError):
        items = None
    if not isinstance(items, list) or not all(isinstance(i, str) or _is_int(i) for i in items):
        raise _refuse(f"The bundle's {where} is not a list of plain values.")
    if whole_numbers and not all(_is_int(i) and 0 < i < 10_000 for i in items):
        raise _refuse(f"The bundle's {where} is not a list of numbers (1, 2, 3 …).")
    if not whole_numbers and not all(isinstance(i, str) for i in items):
        raise _refuse(f"The bundle's {where} is not a list of texts.")
    _check_values(items, where)


def _check_calendar(text: str, where: str, *, with_time: bool) -> None:
    """A real day (no 31 February) in the form the app writes; a start may carry a time of day."""
    day, _, time = text.partition("T")
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", day) is None:
            raise ValueError(day)
        date.fromisoformat(day)
        if time and (not with_time or re.fullmatch(r"\d{2}:\d{2}(:\d{2})?", time) is None):
            raise ValueError(time)
        if time:
            datetime.fromisoformat(text)
    except ValueError:
        shown = text if len(text) <= 40 else text[:39] + "…"
        raise _refuse(f"The bundle's {where} is not a real date ({shown!r}).") from None


def _check_framework(text: str, where: str) -> None:
    from ics_desktop.frameworks.framework import framework_from_json

    parse_json(text.encode("utf-8"), f"{where} definition")
    try:
        framework_from_json(text)
    except UserFacingError as exc:
        detail = " ".join(str(exc).split())
        detail = detail if len(detail) <= 160 else detail[:159] + "…"
        raise _refuse(f"The bundle's {where} is not a valid framework ({detail}).") from None
    except (ValueError, TypeError, KeyError, AttributeError, IndexError):
        raise _refuse(f"The bundle's {where} is not a valid framework.") from None


def _check_references(tables: Tables, manifest: dict[str, Any]) -> None:
    programmes, systems = tables["programmes"], tables["systems"]
    if len(programmes) != 1 or programmes[0]["id"] != manifest["programme"]["id"]:
        raise _refuse("The bundle must hold exactly the one programme its manifest names.")
    if len(systems) != 1:
        raise _refuse("The bundle must hold exactly one system.")
    ids = {table: {row["id"] for row in rows} for table, rows in tables.items()}
    for table in TABLES:
        for column, target, _nullable in REFERENCES[table]:
            for index, row in enumerate(tables[table], 1):
                if row[column] is not None and row[column] not in ids[target]:
                    raise _refuse(
                        f"The bundle's {LABELS[table]} {index} refers to a {LABELS[target]} that is not in the bundle."
                    )


def check_sync(bundle: Bundle, value: Any, columns: dict[str, tuple[Column, ...]]) -> None:
    """The sender's sent and received versions (compared with, never written as records)."""
    if not isinstance(value, dict) or not _is_int(value.get("exchanges")) or value["exchanges"] < 0:
        raise _refuse(f"The bundle's {SYNC} is not valid.")
    bundle.exchanges = value["exchanges"]
    for direction in ("sent", "received"):
        given = value.get(direction, {})
        if not isinstance(given, dict) or set(given) - set(TABLES):
            raise _refuse(f"The bundle's {SYNC} is not valid.")
        target = bundle.sent if direction == "sent" else bundle.received
        for table, rows in given.items():
            if not isinstance(rows, list):
                raise _refuse(f"The bundle's {SYNC} is not valid.")
            for index, row in enumerate(rows, 1):
                record = check_row(table, row, columns[table], f"earlier version of {LABELS[table]} {index}")
                target[(table, record["id"])] = record
