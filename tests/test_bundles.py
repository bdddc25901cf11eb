"""Programme bundles: export, import, merge between two databases, the `bundle` command and the merge dialog."""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pytestqt.qtbot import QtBot

from ics_desktop import cli
from ics_desktop.bundles import commands as bundle_commands
from ics_desktop.bundles.format import TABLES, BundleError
from ics_desktop.bundles.merge import MINE, THEIRS, apply_merge, plan_merge
from ics_desktop.bundles.transfer import collect, export_bundle, import_bundle, load_bundle
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage.store import Store
from ics_desktop.summary import summary
from ui.undo import EditRunner

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = "Supporting Aspiring ICS Programme"


# -- helpers -----------------------------------------------------------------------------------


@pytest.fixture
def bundle_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., int]:
    """`cli.main` with the bundle command wired in as the lead will wire it (a no-op once it is)."""
    if "bundle" not in cli.COMMANDS:
        original = cli.build_parser

        def build() -> argparse.ArgumentParser:
            parser = original()
            sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
            common = cli._Parser(add_help=False)
            common.add_argument("--db", type=Path, default=argparse.SUPPRESS)
            bundle_commands.add_commands(sub, common)
            return parser

        monkeypatch.setattr(cli, "build_parser", build)
        for name, command in bundle_commands.COMMANDS.items():
            monkeypatch.setitem(cli.COMMANDS, name, command)

    def run(*argv: object) -> int:
        """Run a command as `cli.main` does; what it prints to stdout is re-printed for `capsys`."""
        args = cli.build_parser().parse_args([str(a) for a in argv])
        out = io.StringIO()
        code = cli.run_command(args, out)
        sys.stdout.write(out.getvalue())
        return code

    return run


def _copy(sample_file: Path, target: Path) -> Path:
    shutil.copyfile(sample_file, target)
    return target


def _open(path: Path) -> Store:
    return Store.open(path)


def _pid(store: Store) -> str:
    programme = store.programme_by_name(PROGRAMME)
    assert programme is not None
    return programme.id


def _person(store: Store, programme_id: str, name: str) -> dict[str, Any]:
    [row] = store.rows("SELECT * FROM people WHERE programme_id = ? AND name = ?", (programme_id, name))
    return row


def _area(store: Store, programme_id: str, number: int) -> dict[str, Any]:
    [row] = store.rows("SELECT * FROM areas_of_focus WHERE programme_id = ? AND number = ?", (programme_id, number))
    return row


def _participants(store: Store, programme_id: str) -> list[str]:
    return [p.name for p in store.people(programme_id, "participant")]


def _table_counts(path: Path) -> dict[str, int]:
    store = Store.open(path, read_only=True)
    try:
        return {t: store.conn.execute(f"SELECT COUNT(*) FROM [{t}]").fetchone()[0] for t in TABLES}
    finally:
        store.close()


# -- export and import -------------------------------------------------------------------------


def test_export_then_import_on_a_fresh_database_gives_the_same_programme(sample_file: Path, tmp_path: Path) -> None:
    source = Store.open(_copy(sample_file, tmp_path / "a.sqlite"))
    target_path = tmp_path / "b.sqlite"
    target = Store.open(target_path)
    try:
        pid = _pid(source)
        written = export_bundle(source, pid, tmp_path / "p.icsbundle")
        assert written.records == sum(len(rows) for rows in collect(source, pid).values()) > 600
        result = import_bundle(target, load_bundle(target, tmp_path / "p.icsbundle"))
        assert not result.copied and result.programme_id == pid and result.name == PROGRAMME
        expected_rows = collect(source, pid)
        expected = summary(source)
    finally:
        source.close()
        target.close()
    again = Store.open(target_path, read_only=True)
    try:
        assert summary(again) == expected
        assert collect(again, pid) == expected_rows  # every column of every record, ids and timestamps kept
    finally:
        again.close()


def test_importing_your_own_bundle_makes_a_copy_under_new_ids(sample_store: Store, tmp_path: Path) -> None:
    pid = _pid(sample_store)
    export_bundle(sample_store, pid, tmp_path / "p.icsbundle")
    result = import_bundle(sample_store, load_bundle(sample_store, tmp_path / "p.icsbundle"))
    assert result.copied and result.programme_id != pid
    assert result.name == f"{PROGRAMME} (imported)"
    original, copy = collect(sample_store, pid), collect(sample_store, result.programme_id)
    assert {t: len(r) for t, r in original.items()} == {t: len(r) for t, r in copy.items()}
    assert not {r["id"] for rows in original.values() for r in rows} & {r["id"] for rows in copy.values() for r in rows}
    # References follow the copy: topic leads point at the copy's people.
    copy_people = {r["id"] for r in copy["people"]}
    leads = [lead for area in copy["areas_of_focus"] for lead in json.loads(area["topic_leads"])]
    assert leads and set(leads) <= copy_people
    names = [p.name for p in sample_store.programmes()]
    assert names == [PROGRAMME, f"{PROGRAMME} (imported)"]
    second = import_bundle(sample_store, load_bundle(sample_store, tmp_path / "p.icsbundle"))
    assert second.name == f"{PROGRAMME} (imported 2)"


def test_import_with_a_name_and_a_taken_name(sample_store: Store, tmp_path: Path) -> None:
    pid = _pid(sample_store)
    export_bundle(sample_store, pid, tmp_path / "p.icsbundle")
    bundle = load_bundle(sample_store, tmp_path / "p.icsbundle")
    with pytest.raises(Exception, match=r"Healthier Together \(BNSSG\) already has a programme called"):
        import_bundle(sample_store, bundle, PROGRAMME.upper())
    result = import_bundle(sample_store, bundle, "Second laptop copy")
    assert sample_store.programme(result.programme_id).name == "Second laptop copy"


def test_import_keeps_a_name_another_system_uses(store: Store, sample_file: Path, tmp_path: Path) -> None:
    """Names are unique per system: a programme of the same name elsewhere is no reason to rename."""
    store.create_programme(PROGRAMME, "Somerset", default_framework())
    shutil.copy(sample_file, tmp_path / "laptop.sqlite")
    source = Store.open(tmp_path / "laptop.sqlite")
    try:
        export_bundle(source, _pid(source), tmp_path / "p.icsbundle")
    finally:
        source.close()
    result = import_bundle(store, load_bundle(store, tmp_path / "p.icsbundle"))
    assert not result.copied and result.name == PROGRAMME
    assert sorted((p.system_name, p.name) for p in store.programmes()) == [
        ("Healthier Together (BNSSG)", PROGRAMME), ("Somerset", PROGRAMME),
    ]  # fmt: skip


def test_workshop_bundle_carries_the_workshop_its_outputs_and_actions(sample_store: Store, tmp_path: Path) -> None:
    pid = _pid(sample_store)
    area = _area(sample_store, pid, 2)
    workshop = sample_store.insert("workshops", {"programme_id": pid, "title": "System leadership", "status": "held"})
    other = sample_store.insert("workshops", {"programme_id": pid, "title": "Finance"})
    sample_store.insert("workshop_items", {"workshop_id": workshop, "kind": "decision", "text": "Adopt the plan"})
    sample_store.insert("workshop_items", {"workshop_id": other, "kind": "output", "text": "Not this one"})
    action = sample_store.insert(
        "actions", {"programme_id": pid, "title": "Draft MoU", "workshop_id": workshop, "area_id": area["id"]}
    )
    sample_store.insert("actions", {"programme_id": pid, "title": "Elsewhere", "workshop_id": other})
    sample_store.insert("action_notes", {"action_id": action, "date": "2018-10-01", "text": "Started"})
    export_bundle(sample_store, pid, tmp_path / "w.icsbundle", workshop_id=workshop)

    fresh = Store.open(tmp_path / "fresh.sqlite")
    try:
        bundle = load_bundle(fresh, tmp_path / "w.icsbundle")
        assert bundle.scope == "workshop"
        new = import_bundle(fresh, bundle)
        got = collect(fresh, new.programme_id)
    finally:
        fresh.close()
    assert [w["title"] for w in got["workshops"]] == ["System leadership"]
    assert [i["text"] for i in got["workshop_items"]] == ["Adopt the plan"]
    assert [a["title"] for a in got["actions"]] == ["Draft MoU"]
    assert [n["text"] for n in got["action_notes"]] == ["Started"]
    assert [a["number"] for a in got["areas_of_focus"]] == [2]
    assert got["people"] == [] and got["assessments"] == []


def test_workshop_bundle_merges_into_the_programme_on_another_laptop(sample_file: Path, tmp_path: Path) -> None:
    a = Store.open(_copy(sample_file, tmp_path / "a.sqlite"))
    b = Store.open(_copy(sample_file, tmp_path / "b.sqlite"))
    try:
        pid = _pid(a)
        workshop = b.insert("workshops", {"programme_id": pid, "title": "Care redesign"})
        b.insert("workshop_items", {"workshop_id": workshop, "kind": "risk", "text": "Winter pressures"})
        b.insert("actions", {"programme_id": pid, "title": "Map pathways", "workshop_id": workshop})
        export_bundle(b, pid, tmp_path / "w.icsbundle", workshop_id=workshop)
        actions_before = a.count("actions", pid)
        plan = plan_merge(a, pid, load_bundle(a, tmp_path / "w.icsbundle"))
        assert plan.conflicts == [] and plan.added_count() == 3
        result = apply_merge(a, plan)
        assert (result.added, result.unresolved) == (3, [])
    finally:
        a.close()
        b.close()
    after = Store.open(tmp_path / "a.sqlite", read_only=True)
    try:
        assert len(after.rows("SELECT id FROM workshops WHERE title = 'Care redesign'")) == 1
        assert after.rows("SELECT text FROM workshop_items WHERE workshop_id = ?", (workshop,)) == [
            {"text": "Winter pressures"}
        ]
        assert summary(after)["programmes"][0]["actions"]["total"] == actions_before + 1
    finally:
        after.close()


def _capture_lines(store: Store, workshop_id: str, lines: list[str]) -> None:
    from ics_desktop.planning import workshops as ws
    from ics_desktop.planning.capture import parse_capture_line

    programme_id = ws.workshop(store, workshop_id)["programme_id"]
    for typed in lines:
        line = parse_capture_line(typed, "output", [], None)
        ws.capture_edit(store, workshop_id, line, store.areas_of_focus(programme_id)).apply(store)


def test_a_merged_running_list_keeps_each_laptops_order(sample_file: Path, tmp_path: Path) -> None:
    from ics_desktop.planning import workshops as ws

    a = Store.open(_copy(sample_file, tmp_path / "a.sqlite"))
    b = Store.open(_copy(sample_file, tmp_path / "b.sqlite"))
    try:
        pid = _pid(a)
        workshop = a.insert("workshops", {"programme_id": pid, "title": "Care redesign"})
        export_bundle(a, pid, tmp_path / "start.icsbundle", workshop_id=workshop)
        apply_merge(b, plan_merge(b, pid, load_bundle(b, tmp_path / "start.icsbundle")))
        # Both laptops type into the same workshop; their places collide (0, 1, 2 on each side).
        mine = ["o: A first", "a: A second", "d: A third"]
        theirs = ["r: B first", "n: B second", "a: B third"]
        _capture_lines(a, workshop, mine)
        _capture_lines(b, workshop, theirs)
        export_bundle(b, pid, tmp_path / "b.icsbundle", workshop_id=workshop)
        apply_merge(a, plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle")))
        merged = [i.text for i in ws.captured_items(a, workshop)]
        assert sorted(merged) == sorted(line[3:] for line in mine + theirs)
        assert [t for t in merged if t.startswith("A ")] == ["A first", "A second", "A third"]
        assert [t for t in merged if t.startswith("B ")] == ["B first", "B second", "B third"]
        # The same list every time it is read.
        assert all([i.text for i in ws.captured_items(a, workshop)] == merged for _ in range(5))
    finally:
        a.close()
        b.close()


# -- merging: the acceptance scenario ---------------------------------------------------------


def _edit_two_copies(a: Store, b: Store, pid: str) -> None:
    """A renames area 1 and adds an action; B edits area 1's narrative and one role; both edit another role."""
    a.update_field("areas_of_focus", _area(a, pid, 1)["id"], "title", "Leadership & system working")
    a.insert("actions", {"programme_id": pid, "title": "Book the board session", "owner": "Julia Ross"})
    b.update_field("areas_of_focus", _area(b, pid, 1)["id"], "narrative", "Revised after the October workshop.")
    first, second = _participants(b, pid)[:2]
    b.update_field("people", _person(b, pid, first)["id"], "role", "Director of Transformation")
    a.update_field("people", _person(a, pid, second)["id"], "role", "Chief Executive (interim)")
    b.update_field("people", _person(b, pid, second)["id"], "role", "Chief Operating Officer")


def test_two_copies_of_the_sample_merge_through_a_bundle(
    sample_file: Path, tmp_path: Path, bundle_cli: Callable[..., int], capsys: pytest.CaptureFixture[str]
) -> None:
    a_path, b_path = _copy(sample_file, tmp_path / "a.sqlite"), _copy(sample_file, tmp_path / "b.sqlite")
    a, b = Store.open(a_path), Store.open(b_path)
    pid = _pid(a)
    actions_before = a.count("actions", pid)
    _edit_two_copies(a, b, pid)
    first, second = _participants(b, pid)[:2]
    a.close()
    b.close()
    bundle = tmp_path / "b.icsbundle"
    assert bundle_cli("bundle", "export", "--db", b_path, "--programme", PROGRAMME, "--out", bundle) == 0
    assert "wrote programme bundle" in capsys.readouterr().out

    # A having exported a bundle of its own since the copy changes nothing below.
    assert (
        bundle_cli("bundle", "export", "--db", a_path, "--programme", PROGRAMME, "--out", tmp_path / "a.icsbundle") == 0
    )
    # Without --prefer: what changed on one side is applied; what changed on both is listed and left alone.
    code = bundle_cli("bundle", "merge", "--db", a_path, "--programme", PROGRAMME, "--in", bundle)
    out, err = capsys.readouterr()
    assert code == 3, err
    assert "1 updated" in out and "3 conflicts left as they are" in out
    assert f"participant '{second}' · role: mine 'Chief Executive (interim)' | theirs 'Chief Operating Officer'" in out
    assert "area of focus '1. Leadership & system working' · title" in out
    assert "area of focus '1. Leadership & system working' · narrative" in out
    a = Store.open(a_path)
    try:
        assert _person(a, pid, first)["role"] == "Director of Transformation"  # changed only on B: taken
        assert _person(a, pid, second)["role"] == "Chief Executive (interim)"  # conflict: left as it was
        assert _area(a, pid, 1)["title"] == "Leadership & system working"
        assert len(a.rows("SELECT id FROM actions WHERE title = 'Book the board session'")) == 1
        # The same conflicts again from the merge preview; choosing settles them.
        plan = plan_merge(a, pid, load_bundle(a, bundle))
        assert {(c.table, c.field) for c in plan.conflicts} == {
            ("people", "role"),
            ("areas_of_focus", "title"),
            ("areas_of_focus", "narrative"),
        }
        choices = {c.key: (MINE if c.field == "title" else THEIRS) for c in plan.conflicts}
        result = apply_merge(a, plan, choices)
        assert result.resolved == 3 and result.unresolved == []
    finally:
        a.close()
    assert bundle_cli("summary", "--db", a_path) == 0
    merged = json.loads(capsys.readouterr().out)["programmes"][0]
    assert merged["areas_of_focus"][0]["title"] == "Leadership & system working"
    assert merged["actions"]["total"] == actions_before + 1 and merged["participants"] == 14
    a = Store.open(a_path, read_only=True)
    try:
        assert _area(a, pid, 1)["narrative"] == "Revised after the October workshop."
        assert _person(a, pid, second)["role"] == "Chief Operating Officer"
        assert _person(a, pid, first)["role"] == "Director of Transformation"
    finally:
        a.close()
    # Merging the same bundle again finds nothing left to do.
    assert bundle_cli("bundle", "merge", "--db", a_path, "--programme", PROGRAMME, "--in", bundle) == 0
    assert "0 added, 0 updated" in capsys.readouterr().out


def test_with_shared_history_changes_to_different_fields_merge_on_their_own(
    sample_store: Store, tmp_path: Path
) -> None:
    """A exports, B imports: later edits carry what each side had seen, so only true conflicts are listed."""
    a, pid = sample_store, _pid(sample_store)
    export_bundle(a, pid, tmp_path / "a.icsbundle")
    b = Store.open(tmp_path / "b.sqlite")
    try:
        import_bundle(b, load_bundle(b, tmp_path / "a.icsbundle"))
        _edit_two_copies(a, b, pid)
        first, second = _participants(b, pid)[:2]
        export_bundle(b, pid, tmp_path / "b.icsbundle")
        plan = plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle"))
        assert [(c.table, c.field, c.mine, c.theirs) for c in plan.conflicts] == [
            ("people", "role", "Chief Executive (interim)", "Chief Operating Officer")
        ]
        assert apply_merge(a, plan, prefer=THEIRS).unresolved == []
        area = _area(a, pid, 1)
        assert (area["title"], area["narrative"]) == (
            "Leadership & system working",
            "Revised after the October workshop.",
        )
        assert _person(a, pid, first)["role"] == "Director of Transformation"
        assert _person(a, pid, second)["role"] == "Chief Operating Officer"
        # And back: B takes A's merged result with no conflict at all.
        export_bundle(a, pid, tmp_path / "a2.icsbundle")
        back = plan_merge(b, pid, load_bundle(b, tmp_path / "a2.icsbundle"))
        assert back.conflicts == []
        apply_merge(b, back)
        assert {t: rows for t, rows in collect(b, pid).items() if t != "programmes"} == {
            t: rows for t, rows in collect(a, pid).items() if t != "programmes"
        }
    finally:
        b.close()


def test_an_unresolved_conflict_is_listed_again_next_time(sample_store: Store, tmp_path: Path) -> None:
    a, pid = sample_store, _pid(sample_store)
    export_bundle(a, pid, tmp_path / "a.icsbundle")
    b = Store.open(tmp_path / "b.sqlite")
    try:
        import_bundle(b, load_bundle(b, tmp_path / "a.icsbundle"))
        person = _participants(a, pid)[0]
        a.update_field("people", _person(a, pid, person)["id"], "organisation", "North Bristol NHS Trust")
        b.update_field("people", _person(b, pid, person)["id"], "organisation", "Sirona care & health")
        export_bundle(b, pid, tmp_path / "b.icsbundle")
        assert len(apply_merge(a, plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle"))).unresolved) == 1
        again = plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle"))
        assert [c.field for c in again.conflicts] == ["organisation"]
        apply_merge(a, again, prefer=MINE)
        assert plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle")).conflicts == []
        assert _person(a, pid, person)["organisation"] == "North Bristol NHS Trust"
    finally:
        b.close()


def test_deletions_are_not_undone_silently_and_do_not_travel(sample_store: Store, tmp_path: Path) -> None:
    """Deleted here and unchanged there: stays deleted. Changed there: back. Deleted there: kept here."""
    a, pid = sample_store, _pid(sample_store)
    gone = a.insert("actions", {"programme_id": pid, "title": "Deleted on A"})
    a.insert("action_notes", {"action_id": gone, "date": "2018-10-02", "text": "note"})
    edited = a.insert("actions", {"programme_id": pid, "title": "Deleted on A, edited on B"})
    kept = a.insert("actions", {"programme_id": pid, "title": "Deleted on B"})
    export_bundle(a, pid, tmp_path / "a.icsbundle")
    b = Store.open(tmp_path / "b.sqlite")
    try:
        import_bundle(b, load_bundle(b, tmp_path / "a.icsbundle"))
        a.delete("actions", gone)
        a.delete("actions", edited)
        b.update_field("actions", edited, "status", "in progress")
        b.delete("actions", kept)
        export_bundle(b, pid, tmp_path / "b.icsbundle")
        plan = plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle"))
        assert sorted(t for t, _row in plan.kept_deleted) == ["action_notes", "actions"]
        result = apply_merge(a, plan)
        assert (result.added, result.kept_deleted) == (1, 2)
        titles = {
            r["title"]: r["status"] for r in a.rows("SELECT title, status FROM actions WHERE title LIKE 'Deleted%'")
        }
        assert titles == {"Deleted on A, edited on B": "in progress", "Deleted on B": "open"}
    finally:
        b.close()


def test_a_child_added_to_a_record_deleted_here_brings_the_record_back(sample_store: Store, tmp_path: Path) -> None:
    a, pid = sample_store, _pid(sample_store)
    action = a.insert("actions", {"programme_id": pid, "title": "Parent"})
    export_bundle(a, pid, tmp_path / "a.icsbundle")
    b = Store.open(tmp_path / "b.sqlite")
    try:
        import_bundle(b, load_bundle(b, tmp_path / "a.icsbundle"))
        a.delete("actions", action)
        b.insert("action_notes", {"action_id": action, "date": "2018-11-01", "text": "Progress on B"})
        export_bundle(b, pid, tmp_path / "b.icsbundle")
        apply_merge(a, plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle")))
        assert [r["text"] for r in a.rows("SELECT text FROM action_notes WHERE action_id = ?", (action,))] == [
            "Progress on B"
        ]
        assert a.get("actions", action)["title"] == "Parent"
    finally:
        b.close()


def test_records_created_on_both_sides_with_the_same_natural_key_are_matched(sample_file: Path, tmp_path: Path) -> None:
    """Both laptops scored the same participant on a capability never scored before: one response, a conflict."""
    a, b = Store.open(_copy(sample_file, tmp_path / "a.sqlite")), Store.open(_copy(sample_file, tmp_path / "b.sqlite"))
    try:
        pid = _pid(a)
        [assessment] = a.assessments(pid)
        respondent = a.rows("SELECT id FROM respondents WHERE assessment_id = ? LIMIT 1", (assessment.id,))[0]["id"]
        for store in (a, b):
            store.conn.execute(
                "DELETE FROM responses WHERE respondent_id = ? AND capability_code = '1.1' AND question = 'now'",
                (respondent,),
            )
        a.set_response(respondent, "1.1", "now", 2)
        b.set_response(respondent, "1.1", "now", 3)
        export_bundle(b, pid, tmp_path / "b.icsbundle")
        plan = plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle"))
        assert [(c.table, c.field, c.mine, c.theirs) for c in plan.conflicts] == [("responses", "score", 2, 3)]
        assert plan.conflicts[0].record.endswith("1.1 now")
        apply_merge(a, plan, prefer=THEIRS)
        scores = a.rows(
            "SELECT score FROM responses WHERE respondent_id = ? AND capability_code = '1.1' AND question = 'now'",
            (respondent,),
        )
        assert scores == [{"score": 3}]
    finally:
        a.close()
        b.close()


# -- the command ---------------------------------------------------------------------------------


def test_bundle_command_import_and_clear_errors(
    sample_file: Path, tmp_path: Path, bundle_cli: Callable[..., int], capsys: pytest.CaptureFixture[str]
) -> None:
    a_path = _copy(sample_file, tmp_path / "a.sqlite")
    out_file = tmp_path / "p.icsbundle"
    assert (
        bundle_cli("bundle", "export", "--db", a_path, "--programme", "healthier together (bnssg)", "--out", out_file)
        == 0
    )
    capsys.readouterr()
    fresh = tmp_path / "fresh.sqlite"
    Store.open(fresh).close()
    assert bundle_cli("bundle", "import", "--db", fresh, "--in", out_file, "--name", "From the other laptop") == 0
    check = Store.open(fresh)
    records = load_bundle(check, out_file).count()
    check.close()
    assert f"imported 'From the other laptop' ({records} records)" in capsys.readouterr().out
    assert bundle_cli("bundle", "import", "--db", a_path, "--in", out_file) == 0
    assert "as a copy" in capsys.readouterr().out

    def fails(*argv: object) -> str:
        code = bundle_cli(*argv)
        err = capsys.readouterr().err
        assert code == 1 and "Traceback" not in err
        [line] = err.strip().splitlines()
        assert line.startswith("error: ")
        return line

    assert "No programme called 'Nope'" in fails(
        "bundle", "export", "--db", a_path, "--programme", "Nope", "--out", out_file
    )
    assert "No workshop is called 'X'" in fails(
        "bundle", "export", "--db", a_path, "--programme", PROGRAMME, "--out", out_file, "--workshop", "X"
    )
    other = a_path.parent / "other.sqlite"
    store = Store.open(other)
    store.create_programme("Other programme", "Other system", default_framework())
    store.close()
    line = fails("bundle", "merge", "--db", other, "--programme", "Other programme", "--in", out_file)
    assert "a different programme from 'Other programme'" in line and "Nothing was changed" in line
    assert "does not exist" in fails("bundle", "import", "--db", tmp_path / "missing.sqlite", "--in", out_file)
    assert "Cannot read" in fails("bundle", "import", "--db", fresh, "--in", tmp_path / "nowhere.icsbundle")
    with pytest.raises(SystemExit) as usage:
        bundle_cli("bundle", "merge", "--db", a_path, "--programme", PROGRAMME, "--in", out_file, "--prefer", "both")
    assert usage.value.code == 2


@pytest.mark.skipif("bundle" not in cli.COMMANDS, reason="the lead wires `bundle` into cli.py")
def test_bundle_command_as_a_real_process(sample_file: Path, tmp_path: Path) -> None:
    a_path = _copy(sample_file, tmp_path / "a.sqlite")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "bundle", "export", "--db", str(a_path), "--programme", PROGRAMME,
         "--out", str(tmp_path / "p.icsbundle")],
        capture_output=True, text=True, env=env, timeout=120,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "p.icsbundle").stat().st_size > 1000


# -- text round-trips exactly -------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=300)
_FW = default_framework()
_RTL = "مرحبا بالعالم — שלום עולם ‏(RTL)‎ <b>&amp;</b> 🧪"


@pytest.fixture(scope="module")
def two_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Path, Path]]:
    """One database to write examples in and the path of another to import them into (shared by examples)."""
    root = tmp_path_factory.mktemp("roundtrip")
    source, target = Store.open(root / "a.sqlite"), Store.open(root / "b.sqlite")
    target.close()
    yield source, root / "b.sqlite", root
    source.close()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=_TEXT, note=_TEXT, narrative=_TEXT)
@example(profile="\x00\x01\x1f\x7f\u2028\u2029\ufeff", note=_RTL, narrative="\r\n\t \u200b")
@example(profile="é" * 100_000, note="𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " * 10_000, narrative="\x0b\x0c" + _RTL * 1_000)
def test_any_text_round_trips_through_a_bundle(
    two_databases: tuple[Store, Path, Path], profile: str, note: str, narrative: str
) -> None:
    source, target_path, root = two_databases
    pid = source.create_programme(f"P {source.conn.execute('SELECT COUNT(*) FROM programmes').fetchone()[0]}", "S", _FW)
    person = source.add_person(pid, "participant", name=note[:50], profile=profile)
    area = source.insert("areas_of_focus", {"programme_id": pid, "number": 1, "narrative": narrative})
    action = source.insert("actions", {"programme_id": pid, "title": profile[:80], "area_id": area})
    noted = source.insert("action_notes", {"action_id": action, "date": "2018-10-01", "text": note})
    export_bundle(source, pid, root / "p.icsbundle")
    target = Store.open(target_path)
    try:
        assert not import_bundle(target, load_bundle(target, root / "p.icsbundle")).copied
    finally:
        target.close()
    back = Store.open(target_path, read_only=True)
    try:
        assert back.get("people", person)["profile"] == profile
        assert back.get("action_notes", noted)["text"] == note
        assert back.get("areas_of_focus", area)["narrative"] == narrative
        assert back.get("actions", action)["title"] == profile[:80]
    finally:
        back.close()


# -- the merge dialog ------------------------------------------------------------------------------


@pytest.fixture
def conflicted(sample_file: Path, tmp_path: Path) -> Iterator[tuple[Store, str, Path]]:
    a, b = Store.open(_copy(sample_file, tmp_path / "a.sqlite")), Store.open(_copy(sample_file, tmp_path / "b.sqlite"))
    pid = _pid(a)
    _edit_two_copies(a, b, pid)
    export_bundle(b, pid, tmp_path / "b.icsbundle")
    b.close()
    yield a, pid, tmp_path / "b.icsbundle"
    a.close()


def test_merge_dialog_shows_the_preview_and_applies_the_choices(
    qtbot: QtBot, conflicted: tuple[Store, str, Path], tmp_path: Path
) -> None:
    from ui.bundle_dialogs import MergeDialog

    store, pid, bundle = conflicted
    second = _participants(store, pid)[1]
    dialog = MergeDialog(EditRunner(store), plan_merge(store, pid, load_bundle(store, bundle)), bundle.name)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Updated: 1 person" in dialog.counts.text()
    model = dialog.model
    assert model.rowCount() == 3
    rows = {(model.index(r, 0).data(), model.index(r, 1).data()): r for r in range(3)}
    role_row = rows[(f"Participant: {second}", "role")]
    assert model.index(role_row, 2).data() == "Chief Executive (interim)"
    assert model.index(role_row, 3).data() == "Chief Operating Officer"
    assert model.index(role_row, 4).data() == "This laptop's"
    dialog.set_choice(role_row, THEIRS)
    narrative_row = next(r for (_rec, field), r in rows.items() if field == "narrative")
    dialog.view.selectRow(narrative_row)
    dialog.theirs_button.click()
    assert model.index(narrative_row, 4).data() == "The bundle's"
    with qtbot.waitSignal(dialog.merged) as merged:
        dialog.apply_button.click()
    assert merged.args[0].resolved == 3 and not dialog.isVisible()
    again = Store.open(tmp_path / "a.sqlite", read_only=True)
    try:
        assert _person(again, pid, second)["role"] == "Chief Operating Officer"
        area = _area(again, pid, 1)
        assert (area["title"], area["narrative"]) == (
            "Leadership & system working",
            "Revised after the October workshop.",
        )
    finally:
        again.close()


def test_import_and_export_through_the_file_dialogs(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from ui import bundle_dialogs

    pid = _pid(sample_store)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "out"), ""))
    assert bundle_dialogs.export_bundle(None, EditRunner(sample_store), pid) == tmp_path / "out.icsbundle"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "out.icsbundle"), ""))
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    new_id = bundle_dialogs.import_bundle(None, EditRunner(sample_store))
    assert new_id and new_id != pid and "already in this database" in asked[0]
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    (tmp_path / "junk.icsbundle").write_text("not a bundle")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "junk.icsbundle"), ""))
    assert bundle_dialogs.import_bundle(None, EditRunner(sample_store)) is None
    assert "not an ICS Desktop bundle" in warnings[0]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(tmp_path / "out.icsbundle"), ""))
    dialog = bundle_dialogs.merge_bundle(None, EditRunner(sample_store), pid)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0 and "No conflicts" in dialog.conflict_note.text()
    dialog.reject()


def test_a_merge_never_gives_two_programmes_one_name(sample_file: Path, tmp_path: Path) -> None:
    a = Store.open(_copy(sample_file, tmp_path / "a.sqlite"))
    b = Store.open(_copy(sample_file, tmp_path / "b.sqlite"))
    try:
        pid = _pid(a)
        # Here, another programme is already called what the other laptop renames this one to.
        a.create_programme("Readiness 2019", a.programme(pid).system_name, default_framework())
        b.update_field("programmes", pid, "name", "Readiness 2019")
        export_bundle(b, pid, tmp_path / "b.icsbundle")
        result = apply_merge(a, plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle")), prefer=THEIRS)
        names = sorted(p.name for p in a.programmes())
        assert names == ["Readiness 2019", PROGRAMME]
        assert result.notes and f"keeps its name '{PROGRAMME}'" in result.notes[0]
    finally:
        a.close()
        b.close()


def test_a_bundle_carrying_another_programmes_framework_id_is_refused(sample_file: Path, tmp_path: Path) -> None:
    a = Store.open(_copy(sample_file, tmp_path / "a.sqlite"))
    b = Store.open(_copy(sample_file, tmp_path / "b.sqlite"))
    try:
        pid = _pid(a)
        other = a.create_programme("Other programme", "Other system", default_framework())
        other_framework = a.programme(other).framework_id
        before = a.get("frameworks", other_framework)
        # B's copy of the programme's framework row is made to carry the other programme's framework id.
        framework_id = b.programme(pid).framework_id
        b.conn.execute("PRAGMA foreign_keys = OFF")
        b.conn.execute("UPDATE frameworks SET id = ?, name = 'Hijacked' WHERE id = ?", (other_framework, framework_id))
        b.conn.execute("UPDATE programmes SET framework_id = ? WHERE id = ?", (other_framework, pid))
        b.conn.execute("UPDATE assessments SET framework_id = ? WHERE programme_id = ?", (other_framework, pid))
        b.conn.execute("PRAGMA foreign_keys = ON")
        export_bundle(b, pid, tmp_path / "b.icsbundle")
        with pytest.raises(BundleError, match="clash with another programme's framework"):
            plan_merge(a, pid, load_bundle(a, tmp_path / "b.icsbundle"))
        assert a.get("frameworks", other_framework) == before
    finally:
        a.close()
        b.close()
