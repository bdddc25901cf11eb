"""The store on a real SQLite file: migrations, settings, round trips, backups, refusal of bad files."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ics_desktop.errors import AmbiguousNameError, NewerVersionError, NotFoundError, StoreError
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage import migrations
from ics_desktop.storage.backups import KEEP_BACKUPS, list_backups
from ics_desktop.storage.database import EXPECTED_TABLES, check_file
from ics_desktop.storage.store import Store
from tests.conftest import schema_before


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_migration_applies_to_an_empty_file(db_path: Path) -> None:
    store = Store.open(db_path)
    try:
        version = store.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == migrations.latest_version() >= 1
        assert store.conn.execute("PRAGMA application_id").fetchone()[0] == migrations.APPLICATION_ID
        tables = set(store.db.table_names())
        assert tables >= EXPECTED_TABLES
    finally:
        store.close()
    assert check_file(db_path) == []


def test_connection_settings(store: Store) -> None:
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_records_have_uuids_and_timestamps(store: Store) -> None:
    programme_id = store.create_programme("Programme A", "System A", default_framework())
    person_id = store.add_person(programme_id, "participant", name="Ann", role="CEO", organisation="Trust")
    for table, record_id in (("programmes", programme_id), ("people", person_id)):
        row = store.get(table, record_id)
        assert len(row["id"]) == 36 and row["id"].count("-") == 4
        assert row["created"] and row["modified"] and row["created"] <= row["modified"]
    before = store.get("people", person_id)["modified"]
    store.update_field("people", person_id, "role", "Chief executive")
    after = store.get("people", person_id)
    assert after["role"] == "Chief executive" and after["modified"] >= before


def test_round_trip_through_a_reopened_file(db_path: Path) -> None:
    store = Store.open(db_path)
    programme_id = store.create_programme("Programme A", "System A", default_framework().with_coverage("5.1", False))
    programme = store.programme(programme_id)
    store.update_field("systems", programme.system_id, "partner_organisations", ["Council", "Trust"])
    store.add_person(programme_id, "participant", name="Ann", topic_lead="Care re-design")
    store.add_person(programme_id, "delivery", name="Bob", team="Alliance delivery team")
    assessment_id = store.add_assessment(programme_id, "Scoping", "2018-09-10")
    respondent = store.add_respondent(assessment_id, "P01")
    store.set_response(respondent, "1.1", "now", 2)
    store.set_response(respondent, "1.1", "now", 3)  # a correction replaces, never duplicates
    store.set_response(respondent, "1.2", "now", None)
    store.set_capability_result(assessment_id, "1.1", agreed_current=2, agreed_desired=None, focus=1)
    store.close()

    again = Store.open(db_path)
    try:
        assert again.programme_by_name("programme a") is not None
        assert again.programme_by_name("System A").id == programme_id  # type: ignore[union-attr]
        assert again.system(programme.system_id)["partner_organisations"] == ["Council", "Trust"]
        assert [p.name for p in again.people(programme_id, "participant")] == ["Ann"]
        assert [p.team for p in again.people(programme_id, "delivery")] == ["Alliance delivery team"]
        assert again.programme_framework(programme_id).capability("5.1").covered is False
        responses = sorted((r.capability_code, r.question, r.score) for r in again.responses(assessment_id))
        assert responses == [("1.1", "now", 3), ("1.2", "now", None)]
        result = again.capability_results(assessment_id)["1.1"]
        assert (result["agreed_current"], result["agreed_desired"], result["focus"]) == (2, None, 1)
    finally:
        again.close()


def test_database_rejects_impossible_values(store: Store) -> None:
    programme_id = store.create_programme("P", "S", default_framework())
    assessment_id = store.add_assessment(programme_id, "Scoping", None)
    respondent = store.add_respondent(assessment_id, "P01")
    with pytest.raises(sqlite3.IntegrityError):
        store.set_response(respondent, "1.1", "now", 5)
    with pytest.raises(sqlite3.IntegrityError):
        store.add_person("no-such-programme", "participant", name="X")


def test_programme_names_and_lookup(store: Store) -> None:
    store.create_programme("Programme A", "System A", default_framework())
    with pytest.raises(StoreError, match="System A already has a programme called 'Programme A'"):
        store.create_programme("programme a", "system a", default_framework())
    with pytest.raises(StoreError, match="needs a name"):
        store.create_programme("  ", "Other", default_framework())
    with pytest.raises(NotFoundError, match="No programme called 'Nope'"):
        store.programme_by_name("Nope")


def test_programme_names_are_unique_per_system_and_commands_tell_them_apart(store: Store) -> None:
    first = store.create_programme("Programme A", "System A", default_framework())
    second = store.create_programme("programme a", "Other System", default_framework())  # another system: fine
    with pytest.raises(AmbiguousNameError) as raised:
        store.programme_by_name("Programme A")
    assert str(raised.value) == (
        "2 programmes called 'Programme A': use 'Programme A (System A)' or 'programme a (Other System)'."
    )
    assert store.programme_by_name("programme a (system a)").id == first  # type: ignore[union-attr]
    assert store.programme_by_name("Programme A (Other System)").id == second  # type: ignore[union-attr]
    assert store.programme_by_name("Other System").id == second  # type: ignore[union-attr]
    # A name that really has brackets is found as it stands.
    third = store.create_programme("Cohort (2019)", "System A", default_framework())
    assert store.programme_by_name("cohort (2019)").id == third  # type: ignore[union-attr]
    # Renaming a programme, or its system, into a clash is refused.
    with pytest.raises(StoreError, match="System A already has a programme called 'Programme A'"):
        store.update_field("programmes", third, "name", "Programme A")
    with pytest.raises(StoreError, match="System A already has a programme called 'Programme A'"):
        store.update_field("systems", store.programme(second).system_id, "name", "system a")
    with pytest.raises(NotFoundError) as missing:
        store.programme_by_name("Nope")
    assert str(missing.value) == (
        "No programme called 'Nope' (programmes: 'Cohort (2019)', 'Programme A (System A)', "
        "'programme a (Other System)')."
    )
    assert store.free_programme_name("Programme A") == "Programme A 2"
    assert store.free_programme_name("Programme A", "Elsewhere") == "Programme A"
    assert store.free_programme_name("New") == "New"


def test_a_failed_multi_row_action_leaves_nothing(store: Store) -> None:
    programme_id = store.create_programme("Programme A", "System A", default_framework())
    counts_before = {t: store.db.table(t).count for t in ("programmes", "systems", "frameworks", "people")}
    with pytest.raises(sqlite3.IntegrityError), store.atomic():
        store.add_person(programme_id, "participant", name="Half")
        store.insert("people", {"programme_id": "missing", "kind": "participant", "name": "Orphan"})
    counts_after = {t: store.db.table(t).count for t in counts_before}
    assert counts_after == counts_before


def test_duplicate_programme_is_a_deep_independent_copy(sample_store: Store) -> None:
    original = sample_store.programmes()[0]
    copy_id = sample_store.duplicate_programme(original.id, "Copy")
    copy = sample_store.programme(copy_id)
    assert copy.system_id != original.system_id and copy.framework_id != original.framework_id
    assert len(sample_store.people(copy_id)) == len(sample_store.people(original.id))
    areas = sample_store.areas_of_focus(copy_id)
    copy_people = {p.id for p in sample_store.people(copy_id)}
    assert areas and all(set(a["topic_leads"]) <= copy_people for a in areas)
    [old_assessment] = sample_store.assessments(original.id)
    [new_assessment] = sample_store.assessments(copy_id)
    assert len(sample_store.responses(new_assessment.id)) == len(sample_store.responses(old_assessment.id))
    sample_store.update_field("systems", copy.system_id, "name", "Elsewhere")
    assert sample_store.programme(original.id).system_name == "Healthier Together (BNSSG)"
    sample_store.delete_programme(copy_id)
    assert [p.id for p in sample_store.programmes()] == [original.id]
    assert sample_store.conn.execute("PRAGMA foreign_key_check").fetchall() == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(st.characters(exclude_categories=["Cs"]), max_size=2000))
def test_any_text_is_stored_exactly_as_typed(store: Store, text: str) -> None:
    programme_id = (
        store.programmes()[0].id if store.programmes() else store.create_programme("P", "S", default_framework())
    )
    system_id = store.programme(programme_id).system_id
    store.update_field("systems", system_id, "overview", text)
    assert store.system(system_id)["overview"] == text


def test_long_odd_text_survives_reopening(db_path: Path) -> None:
    odd = "R&D <b>bold</b> x<y \x07 \u202eעברית\u202c Ysbyty ŵ ł 🙂\n" + "é" * 10_000
    store = Store.open(db_path)
    programme_id = store.create_programme("P", "S", default_framework())
    person_id = store.add_person(programme_id, "participant", name=odd[:60], profile=odd)
    store.close()
    again = Store.open(db_path)
    try:
        assert again.get("people", person_id)["profile"] == odd
        assert again.get("people", person_id)["name"] == odd[:60]
    finally:
        again.close()


# -- bad files are refused, untouched ---------------------------------------------------------


def _sample_copy(sample_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copyfile(sample_file, target)
    return target


def test_newer_version_is_refused_untouched(sample_file: Path, tmp_path: Path) -> None:
    path = _sample_copy(sample_file, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {migrations.latest_version() + 1}")
    conn.close()
    before = _digest(path)
    with pytest.raises(NewerVersionError, match="newer version of ICS Desktop"):
        Store.open(path)
    assert _digest(path) == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[: len(b) // 3], "damaged"),
        (lambda b: b[:60], "truncated"),
        (lambda b: bytes(range(256)) * 40, "not an SQLite file"),
        (lambda b: b[:4096] + b"\x00" * 4096 + b[8192:], "damaged"),
    ],
)
def test_damaged_files_are_refused_untouched(sample_file: Path, tmp_path: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.sqlite"
    path.write_bytes(damage(sample_file.read_bytes()))
    before = _digest(path)
    with pytest.raises(StoreError, match=message):
        Store.open(path)
    assert _digest(path) == before


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (x)")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(StoreError, match="not an ICS Desktop database"):
        Store.open(path)
    assert _digest(path) == before


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "no" / "such" / "folder.sqlite")


# -- backups ------------------------------------------------------------------------------------


def test_backup_is_taken_before_a_migration(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = Store.open(db_path)
    store.create_programme("Kept", "S", default_framework())
    store.close()

    folder = tmp_path / "db-next"
    shutil.copytree(migrations.migrations_dir(), folder)
    (folder / f"{migrations.latest_version() + 1:04d}_add_colour.sql").write_text(
        "ALTER TABLE programmes ADD COLUMN colour TEXT NOT NULL DEFAULT 'blue';\n", encoding="utf-8"
    )
    monkeypatch.setattr(migrations, "migrations_dir", lambda: folder)

    upgraded = Store.open(db_path)
    try:
        assert upgraded.conn.execute("SELECT colour FROM programmes").fetchone()[0] == "blue"
    finally:
        upgraded.close()
    backups = list_backups(db_path)
    assert len(backups) == 1 and backups[0].reason.startswith("before-migration")
    old = sqlite3.connect(backups[0].path)
    try:
        assert old.execute("PRAGMA user_version").fetchone()[0] == migrations.latest_version() - 1
        assert old.execute("SELECT name FROM programmes").fetchall() == [("Kept",)]
    finally:
        old.close()


def test_a_failing_migration_rolls_back(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store.open(db_path).close()
    folder = tmp_path / "db-broken"
    shutil.copytree(migrations.migrations_dir(), folder)
    (folder / f"{migrations.latest_version() + 1:04d}_broken.sql").write_text(
        "CREATE TABLE extra (x);\nTHIS IS NOT SQL;\n", encoding="utf-8"
    )
    monkeypatch.setattr(migrations, "migrations_dir", lambda: folder)
    with pytest.raises(StoreError):
        Store.open(db_path)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == migrations.latest_version() - 1
        assert "extra" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    finally:
        conn.close()


def test_backups_rotate_and_are_consistent(sample_file: Path, tmp_path: Path) -> None:
    path = _sample_copy(sample_file, tmp_path)
    for _ in range(KEEP_BACKUPS + 3):
        Store.open(path, backup_on_open=True).close()
    backups = list_backups(path)
    assert len(backups) == KEEP_BACKUPS
    assert all(b.reason == "open" for b in backups)
    newest = Store.open(backups[0].path, read_only=True)
    try:
        assert [p.name for p in newest.programmes()] == ["Supporting Aspiring ICS Programme"]
    finally:
        newest.close()


def test_renaming_a_programme_keeps_names_usable(store: Store) -> None:
    first = store.create_programme("Programme A", "System A", default_framework())
    store.create_programme("Programme B", "System B", default_framework())
    store.create_programme("Programme C", "System A", default_framework())
    with pytest.raises(StoreError, match="needs a name"):
        store.update_field("programmes", first, "name", "   ")
    with pytest.raises(StoreError, match="System A already has a programme called 'Programme C'"):
        store.update_field("programmes", first, "name", "programme c")
    store.update_field("programmes", first, "name", "programme b")  # B is another system's
    store.update_field("programmes", first, "name", "Programme A")
    store.update_field("programmes", first, "name", "Programme A (2019)")
    store.update_field("programmes", first, "name", "System B")  # a system's name is not a programme's
    assert store.programme(first).name == "System B"


def test_rebuilding_the_respondents_table_keeps_every_score(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Migration 5 rebuilds `respondents` (a CHECK cannot change in place): no response may cascade away."""
    before_devices = tmp_path / "db-v4"
    before_devices.mkdir()
    for migration in migrations.available_migrations():
        if migration.number < 5:
            shutil.copy(migration.path, before_devices / migration.path.name)
    monkeypatch.setattr(migrations, "migrations_dir", lambda: before_devices)
    path = tmp_path / "v4.sqlite"
    from ics_desktop.frameworks.assessments import create_assessment

    made = Store.open(path)
    programme = made.create_programme("Before phones", "A system", default_framework())
    assessment = create_assessment(made, programme, "Scoping", "2018-09-10")
    codes = default_framework().covered_codes
    for n in range(15):
        person = made.add_respondent(assessment, f"P{n:02d}", kind="anonymous")
        for code in codes:
            for question in ("now", "aspire", "realistic"):
                made.set_response(person, code, question, (n + len(code)) % 4 + 1)
    made.close()
    old = sqlite3.connect(path)
    scores = old.execute("SELECT id, respondent_id, score FROM responses ORDER BY id").fetchall()
    old.close()
    assert len(scores) > 500
    monkeypatch.undo()
    store = Store.open(path)
    try:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] >= 5
        assert store.conn.execute("SELECT id, respondent_id, score FROM responses ORDER BY id").fetchall() == scores
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        # Deleting a respondent still takes its responses with it.
        respondent = scores[0][1]
        store.delete("respondents", respondent)
        assert not store.rows("SELECT id FROM responses WHERE respondent_id = ?", (respondent,))
    finally:
        store.close()
    assert check_file(path) == []


def test_the_sample_is_marked_new_old_and_not_in_copies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sample programme carries a mark (so lists can label and hide it); an existing database's
    programme with illustrative scores is the sample; a duplicate is the facilitator's own."""
    from ics_desktop.sample import add_sample_programme

    schema_before(tmp_path, monkeypatch, "sample")
    path = tmp_path / "old.sqlite"
    old = Store.open(path)
    try:
        sample = old.create_programme("Sample", "Healthier Together", default_framework())  # as the sample was
        old.add_respondent(old.add_assessment(sample, "Scoping", None), "P01", illustrative=True)
        own = old.create_programme("Own", "Dorset", default_framework())
        assessment = old.add_assessment(own, "Scoping", None)
        old.add_respondent(assessment, "P01")  # real scores, not illustrative
    finally:
        old.close()
    monkeypatch.undo()
    upgraded = Store.open(path)
    try:
        assert {p.id: p.sample for p in upgraded.programmes()} == {sample: True, own: False}
        copy = upgraded.duplicate_programme(sample, "Practice")
        assert upgraded.programme(copy).sample is False and upgraded.programme(sample).sample is True
    finally:
        upgraded.close()
    fresh = Store.open(tmp_path / "new.sqlite")
    try:
        assert fresh.programme(add_sample_programme(fresh)).sample is True
    finally:
        fresh.close()
