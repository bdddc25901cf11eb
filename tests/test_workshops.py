"""Workshops: planning and live capture, through the core edits and through the real page by keyboard."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ics_desktop.planning import workshops as ws
from ics_desktop.planning.capture import parse_capture_line
from ics_desktop.storage.edits import Edit
from ics_desktop.storage.store import Store
from ics_desktop.summary import summary
from ui.models import workshops_model as m
from ui.pages.workshops import WorkshopsPage
from ui.undo import EditRunner

WAIT_MS = 5000
UNICODE_TEXT = "Ysbyty Gwynedd ŵ ł <b>&amp; עברית 🙂"
# The offscreen platform cannot raise a popup or let it grab the keyboard (the @name completion list).
popup_warnings = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")


@pytest.fixture
def sample_store(sample_store: Store) -> Store:
    """The sample programme without its illustrative workshops and actions: these tests start from none."""
    with sample_store.atomic():
        sample_store.conn.execute("DELETE FROM workshops")
        sample_store.conn.execute("DELETE FROM actions")
    return sample_store


def next_friday(today: date) -> date:
    return today + timedelta(days=(4 - today.weekday()) % 7 or 7)


@contextmanager
def reopened(db_path: Path) -> Iterator[Store]:
    """A second, independent connection to the same file (what the next launch would see)."""
    other = Store.open(db_path)
    try:
        yield other
    finally:
        other.close()


def programme_of(store: Store) -> str:
    (programme,) = store.programmes()
    return programme.id


def add_workshop(store: Store, programme_id: str, title: str = "System governance and leadership") -> str:
    edit = ws.new_workshop(programme_id, title, "2026-03-10T09:30")
    edit.apply(store)
    return edit.record_id


def items_in(store: Store, workshop_id: str) -> list[tuple[str, str]]:
    rows = store.rows("SELECT kind, text FROM workshop_items WHERE workshop_id = ? ORDER BY position", (workshop_id,))
    return [(r["kind"], r["text"]) for r in rows]


def actions_in(store: Store, workshop_id: str) -> list[dict[str, Any]]:
    return store.rows(
        "SELECT a.id, a.title, a.owner, a.due_date, a.status, f.number AS area FROM actions a "
        "LEFT JOIN areas_of_focus f ON f.id = a.area_id WHERE a.workshop_id = ? ORDER BY a.created",
        (workshop_id,),
    )


# -- the core ------------------------------------------------------------------------------------


DAY = date(2030, 1, 9)  # a Wednesday: the day the helper's relative due dates count from


def capture(store: Store, workshop_id: str, typed: str, mode: str = "output") -> Edit:
    programme_id = ws.workshop(store, workshop_id)["programme_id"]
    line = parse_capture_line(typed, mode, ws.people_names(store, programme_id), DAY)
    edit = ws.capture_edit(store, workshop_id, line, store.areas_of_focus(programme_id), DAY)
    edit.apply(store)
    return edit


def test_capture_edits_write_items_and_actions(sample_store: Store) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    capture(sample_store, workshop_id, "o: Narrative around the vision agreed")
    capture(sample_store, workshop_id, "Single budget for urgent care from April", "decision")
    action = capture(sample_store, workshop_id, "a: Draft the MoU @Julia due 2w #1")
    capture(sample_store, workshop_id, "r: Local authority partners not yet engaged")

    # Items and actions share one running order: the action typed third holds place 2.
    positions = sample_store.rows("SELECT position FROM workshop_items WHERE workshop_id = ?", (workshop_id,))
    assert sorted(r["position"] for r in positions) == [0, 1, 3]
    assert sample_store.rows("SELECT capture_position FROM actions WHERE workshop_id = ?", (workshop_id,)) == [
        {"capture_position": 2}
    ]
    (row,) = actions_in(sample_store, workshop_id)
    assert (row["title"], row["owner"], row["due_date"], row["status"], row["area"]) == (
        "Draft the MoU",
        "Julia Ross",
        "2030-01-23",  # two weeks from Wednesday 9 January 2030
        "open",
        1,
    )
    assert [(i.kind, i.text) for i in ws.captured_items(sample_store, workshop_id)] == [
        ("output", "Narrative around the vision agreed"),
        ("decision", "Single budget for urgent care from April"),
        ("action", "Draft the MoU"),
        ("risk", "Local authority partners not yet engaged"),
    ]
    # Undo and redo bring back the very same record.
    action.revert(sample_store)
    assert actions_in(sample_store, workshop_id) == []
    action.apply(sample_store)
    assert [a["id"] for a in actions_in(sample_store, workshop_id)] == [row["id"]]


TYPED_IN_ORDER = [
    "o: First output",
    "a: First action",
    "d: A decision",
    "r: A risk",
    "a: Second action",
    "n: A note",
    "o: Second output",
    "a: Third action",
    "d: Another decision",
    "o: Third output",
]


def test_lines_typed_in_the_same_millisecond_keep_the_order_they_were_typed(
    sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every record gets the same stamp, as when lines are entered faster than the clock ticks.
    import ics_desktop.storage.store as store_module

    monkeypatch.setattr(store_module, "now_iso", lambda: "2026-03-10T09:31:00.000Z")
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    for typed in TYPED_IN_ORDER:
        capture(sample_store, workshop_id, typed)
    expected = [line.split(": ", 1)[1] for line in TYPED_IN_ORDER]
    assert [i.text for i in ws.captured_items(sample_store, workshop_id)] == expected
    # Turning the second line into a decision and back keeps its place.
    second = ws.captured_items(sample_store, workshop_id)[1]
    to_decision = ws.change_kind(sample_store, second, "decision")
    assert to_decision is not None
    to_decision.apply(sample_store)
    assert [i.text for i in ws.captured_items(sample_store, workshop_id)] == expected
    back = ws.change_kind(sample_store, ws.captured_items(sample_store, workshop_id)[1], "action")
    assert back is not None
    back.apply(sample_store)
    assert [i.text for i in ws.captured_items(sample_store, workshop_id)] == expected


def test_an_older_database_keeps_its_running_lists_in_the_order_they_were_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ics_desktop.storage import migrations

    before_ordering = tmp_path / "db-v3"
    before_ordering.mkdir()
    for migration in migrations.available_migrations():
        if migration.number < 4:
            (before_ordering / migration.path.name).write_text(migration.sql(), encoding="utf-8")
    monkeypatch.setattr(migrations, "migrations_dir", lambda: before_ordering)
    path = tmp_path / "old.sqlite"
    old = Store.open(path)
    try:
        from ics_desktop.frameworks.framework import default_framework

        programme_id = old.create_programme("Older", "System", default_framework())
        workshop_id = old.insert("workshops", {"programme_id": programme_id, "title": "W"})
        stamp = "2025-01-01T10:00:00.000Z"
        # Two lines in one millisecond (shown by id), one a millisecond earlier.
        for record_id, created, table in [
            ("b-item", stamp, "workshop_items"),
            ("a-action", stamp, "actions"),
            ("z-early", "2025-01-01T09:59:59.999Z", "workshop_items"),
        ]:
            values: dict[str, Any] = {"id": record_id, "created": created, "modified": created}
            if table == "actions":
                values |= {"programme_id": programme_id, "workshop_id": workshop_id, "title": record_id}
            else:
                values |= {"workshop_id": workshop_id, "kind": "output", "text": record_id, "position": 0}
            old.conn.execute(
                f"INSERT INTO {table} ({', '.join(values)}) VALUES ({', '.join('?' * len(values))})",
                list(values.values()),
            )
        old.conn.commit()
    finally:
        old.close()
    monkeypatch.undo()
    with reopened(path) as upgraded:
        assert [i.text for i in ws.captured_items(upgraded, workshop_id)] == ["z-early", "a-action", "b-item"]
        stored = upgraded.rows("SELECT id, position FROM workshop_items ORDER BY id")
        assert [(r["id"], r["position"]) for r in stored] == [
            ("b-item", 2),
            ("z-early", 0),
        ]


def test_capture_refuses_unknown_area_and_past_dates(sample_store: Store) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    areas = sample_store.areas_of_focus(programme_id)
    with pytest.raises(ws.CaptureError, match=r"no area of focus #9 \(areas: 1, 2, 3, 4, 5, 6\)"):
        ws.capture_edit(sample_store, workshop_id, parse_capture_line("a: Something #9"), areas)
    with pytest.raises(ws.CaptureError, match="already passed"):
        ws.capture_edit(sample_store, workshop_id, parse_capture_line("a: Something due 2019-01-31"), areas)
    with pytest.raises(ws.CaptureError, match="not a real date"):
        ws.capture_edit(sample_store, workshop_id, parse_capture_line("a: Something due 31/2"), areas)
    assert ws.captured_items(sample_store, workshop_id) == []


def test_delete_workshop_takes_items_keeps_actions_and_undo_relinks(sample_store: Store) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    capture(sample_store, workshop_id, "o: Narrative around the vision agreed")
    capture(sample_store, workshop_id, "a: Draft the MoU @Julia due 2w #1")
    before = ws.captured_items(sample_store, workshop_id)

    edit = ws.delete_workshop(sample_store, workshop_id)
    edit.apply(sample_store)
    assert sample_store.rows("SELECT * FROM workshop_items") == []
    (orphan,) = sample_store.rows("SELECT * FROM actions")
    assert orphan["workshop_id"] is None and orphan["title"] == "Draft the MoU"
    assert {"workshops", "workshop_items", "actions"} <= edit.tables

    edit.revert(sample_store)
    assert ws.captured_items(sample_store, workshop_id) == before
    edit.apply(sample_store)  # redo
    assert ws.list_workshops(sample_store, programme_id) == []


def test_change_kind_moves_between_tables_and_keeps_its_place(sample_store: Store) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    capture(sample_store, workshop_id, "o: First")
    capture(sample_store, workshop_id, "d: Second")
    capture(sample_store, workshop_id, "n: Third")
    second = ws.captured_items(sample_store, workshop_id)[1]

    to_action = ws.change_kind(sample_store, second, "action")
    assert to_action is not None
    to_action.apply(sample_store)
    assert [(i.kind, i.text) for i in ws.captured_items(sample_store, workshop_id)] == [
        ("output", "First"),
        ("action", "Second"),
        ("note", "Third"),
    ]
    assert [a["status"] for a in actions_in(sample_store, workshop_id)] == ["open"]
    to_action.revert(sample_store)
    assert [i.id for i in ws.captured_items(sample_store, workshop_id)][1] == second.id
    assert ws.change_kind(sample_store, second, "decision") is None


def test_attendees_keep_people_and_guests_apart() -> None:
    stored = ws.join_attendees(["id-1", "id-2"], ["Jo Bloggs (LGA)", "guest: odd"])
    assert stored == ["id-1", "id-2", "guest:Jo Bloggs (LGA)", "guest:guest: odd"]
    assert ws.split_attendees(stored) == (["id-1", "id-2"], ["Jo Bloggs (LGA)", "guest: odd"])


# -- the page ------------------------------------------------------------------------------------


class Host(QMainWindow):
    """A window like the main window: its Ctrl+1 … Ctrl+5 switch pages, Ctrl+Z / Ctrl+Shift+Z undo and redo."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.runner = EditRunner(store, self)
        self.page = WorkshopsPage(self.runner)
        self.setCentralWidget(self.page)
        self.page_switches: list[int] = []
        for number in range(1, 6):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, n=number: self.page_switches.append(n))
            self.addAction(action)
        undo = self.runner.stack.createUndoAction(self, "&Undo")
        undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        redo = self.runner.stack.createRedoAction(self, "&Redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addActions([undo, redo])
        self.resize(1360, 860)


def open_host(qtbot: QtBot, store: Store, programme_id: str | None) -> Host:
    host = Host(store)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    host.activateWindow()
    qtbot.waitUntil(host.isActiveWindow, timeout=WAIT_MS)
    host.page.set_programme(programme_id)
    return host


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=WAIT_MS)


def type_line(qtbot: QtBot, box: QLineEdit, text: str) -> None:
    qtbot.keyClicks(box, text)
    qtbot.keyClick(box, Qt.Key.Key_Return)


def shown_rows(page: WorkshopsPage) -> list[tuple[str, str, str, str]]:
    model = page.capture.model
    return [
        tuple(str(model.index(r, c).data() or "") for c in (m.KIND, m.TEXT, m.OWNER, m.AREA))  # type: ignore[misc]
        for r in range(model.rowCount())
    ]


@popup_warnings
def test_capture_a_workshop_by_keyboard_alone(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    programme_id = programme_of(sample_store)
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page

    # Plan a workshop: Insert in the list, type its title, F6 to capture.
    focus(qtbot, page.view)
    qtbot.keyClick(page.view, Qt.Key.Key_Insert)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.plan.title, timeout=WAIT_MS)
    qtbot.keyClicks(page.plan.title, "System governance and leadership")
    qtbot.keyClick(page.plan.title, Qt.Key.Key_F6)
    assert page.capturing()
    box = page.capture.input
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box, timeout=WAIT_MS)

    type_line(qtbot, box, "o: Narrative around the vision agreed")
    qtbot.keyClick(box, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert page.capture.mode() == "decision" and host.page_switches == []
    assert "decision" in box.placeholderText()
    type_line(qtbot, box, "Single budget for urgent care from April")
    type_line(qtbot, box, "a: Draft the MoU @Julia due 2w #1")
    type_line(qtbot, box, "a: Circulate workshop notes @Sarah by next fri")
    assert box.text() == ""

    workshop_id = page.current_workshop_id()
    assert workshop_id is not None
    # Relative dates count from the workshop's own day (a new one is planned for a weekday morning).
    held_on = date.fromisoformat(ws.workshop(sample_store, workshop_id)["starts_at"][:10])
    assert held_on.weekday() < 5
    with reopened(db_path) as other:
        assert ws.workshop(other, workshop_id)["title"] == "System governance and leadership"
        assert items_in(other, workshop_id) == [
            ("output", "Narrative around the vision agreed"),
            ("decision", "Single budget for urgent care from April"),
        ]
        actions = actions_in(other, workshop_id)
        assert [(a["title"], a["owner"], a["due_date"], a["area"], a["status"]) for a in actions] == [
            ("Draft the MoU", "Julia Ross", (held_on + timedelta(weeks=2)).isoformat(), 1, "open"),
            ("Circulate workshop notes", "Sarah Truelove", next_friday(held_on).isoformat(), None, "open"),
        ]
        (programme,) = summary(other)["programmes"]
        assert programme["workshops"] == 1
        assert programme["actions"]["total"] == 2 and programme["actions"]["by_status"] == {"open": 2}
    last_id = actions[-1]["id"]
    assert shown_rows(page) == [
        ("Output", "Narrative around the vision agreed", "", ""),
        ("Decision", "Single budget for urgent care from April", "", ""),
        ("Action", "Draft the MoU", "Julia Ross", "1. Sharpening and communicating our vision"),
        ("Action", "Circulate workshop notes", "Sarah Truelove", ""),
    ]
    assert "2 actions" in page.capture.counts.text()

    # Undo removes the last action, from the database and from the screen; redo restores it.
    host.runner.stack.undo()
    with reopened(db_path) as other:
        assert [a["title"] for a in actions_in(other, workshop_id)] == ["Draft the MoU"]
        assert summary(other)["programmes"][0]["actions"]["total"] == 1
    assert page.capture.model.rowCount() == 3
    host.runner.stack.redo()
    with reopened(db_path) as other:
        assert [a["id"] for a in actions_in(other, workshop_id)][-1] == last_id
        assert summary(other)["programmes"][0]["actions"]["total"] == 2
    assert shown_rows(page)[-1] == ("Action", "Circulate workshop notes", "Sarah Truelove", "")


def test_ctrl_z_in_the_empty_box_undoes_the_last_entry(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page
    assert page.start_capture()
    box = page.capture.input
    focus(qtbot, box)
    type_line(qtbot, box, "First output")
    type_line(qtbot, box, "Second output")
    qtbot.keyClicks(box, "typing")
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undoes the typing only
    assert box.text() == "" and len(items_in(sample_store, workshop_id)) == 2
    box.setText("")  # as after Enter: nothing of its own left to undo
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with reopened(db_path) as other:
        assert items_in(other, workshop_id) == [("output", "First output")]
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    with reopened(db_path) as other:
        assert items_in(other, workshop_id) == [("output", "First output"), ("output", "Second output")]
    for number, kind in enumerate(("output", "decision", "risk", "action", "note"), start=1):
        qtbot.keyClick(box, getattr(Qt.Key, f"Key_{number}"), Qt.KeyboardModifier.ControlModifier)
        assert page.capture.mode() == kind
        assert page.capture.kinds.buttons[kind].isChecked()
    assert host.page_switches == []  # the window's Ctrl+number did not fire while capturing
    qtbot.keyClick(box, Qt.Key.Key_F6)  # back to the plan, where Ctrl+number is the window's again
    assert not page.capturing()
    focus(qtbot, page.view)
    qtbot.keyClick(page.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert host.page_switches == [3] and page.capture.mode() == "note"


@popup_warnings
def test_bad_date_keeps_the_text_and_records_nothing(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page
    page.start_capture()
    box = page.capture.input
    focus(qtbot, box)
    type_line(qtbot, box, "a: Agree the risk-share principles @Sarah due 32/13")
    assert box.text() == "a: Agree the risk-share principles @Sarah due 32/13"
    assert page.capture.hint.property("problem") is True
    assert "'32/13' is not a real date" in page.capture.hint.text()
    type_line(qtbot, box, "")  # Enter again: still refused
    with reopened(db_path) as other:
        assert ws.captured_items(other, workshop_id) == []
    assert page.capture.model.rowCount() == 0
    # Fixing the date records it.
    for _ in range(5):
        qtbot.keyClick(box, Qt.Key.Key_Backspace)
    type_line(qtbot, box, "3w")
    assert box.text() == ""
    assert page.capture.hint.property("problem") is False
    with reopened(db_path) as other:
        (action,) = actions_in(other, workshop_id)
    assert action["due_date"] == "2026-03-31"  # three weeks from the workshop (Tuesday 10 March 2026)


@popup_warnings
def test_owner_completion_takes_enter_only_while_offered(qtbot: QtBot, sample_store: Store) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page
    page.start_capture()
    page.capture.set_mode("action")
    box = page.capture.input
    focus(qtbot, box)
    qtbot.keyClicks(box, "Brief the board @Ruth")
    qtbot.waitUntil(box.popup_visible, timeout=WAIT_MS)
    qtbot.keyClick(box, Qt.Key.Key_Return)  # takes the name offered; records nothing
    assert box.text() == "Brief the board @Ruth Taylor "
    assert not box.popup_visible()
    assert ws.captured_items(sample_store, workshop_id) == []
    qtbot.keyClicks(box, "due tomorrow")
    assert "owner Ruth Taylor" in page.capture.hint.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)  # no popup: records
    (action,) = actions_in(sample_store, workshop_id)
    assert (action["title"], action["owner"]) == ("Brief the board", "Ruth Taylor")
    assert action["due_date"] == "2026-03-11"  # the day after the workshop (Tuesday 10 March 2026)


def test_running_list_is_editable_in_place_and_delete_is_undoable(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    capture(sample_store, workshop_id, "o: Narrative")
    capture(sample_store, workshop_id, "a: Draft the MoU @Julia due 2w")
    capture(sample_store, workshop_id, "d: Single budget")
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page
    page.start_capture()
    model, table = page.capture.model, page.capture.table
    problems: list[str] = []
    model.problem.connect(problems.append)

    assert model.setData(model.index(1, m.OWNER), "sarah")
    assert model.setData(model.index(1, m.DUE), "by 3/3")
    assert not model.setData(model.index(1, m.DUE), "someday")
    assert problems and "is not a date I understand" in problems[-1]
    assert model.setData(model.index(1, m.AREA), sample_store.areas_of_focus(programme_id)[3]["id"])
    assert model.setData(model.index(0, m.TEXT), UNICODE_TEXT)
    assert not model.setData(model.index(0, m.TEXT), "   ")
    assert not model.flags(model.index(0, m.OWNER)) & Qt.ItemFlag.ItemIsEditable
    with reopened(db_path) as other:
        (action,) = actions_in(other, workshop_id)
        assert (action["owner"], action["area"]) == ("Sarah Truelove", 4)
        assert action["due_date"][5:] == "03-03"
        assert items_in(other, workshop_id)[0] == ("output", UNICODE_TEXT)
    assert model.index(1, m.AREA).data() == "4. System finances and single plan"

    # The decision becomes an action, in place.
    assert model.setData(model.index(2, m.KIND), "action")
    assert [model.item(r).kind for r in range(3)] == ["output", "action", "action"]
    host.runner.stack.undo()
    assert [model.item(r).kind for r in range(3)] == ["output", "action", "decision"]

    # Delete removes the selected entry; undo brings it back.
    focus(qtbot, table)
    table.setCurrentIndex(model.index(0, m.TEXT))
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    with reopened(db_path) as other:
        assert items_in(other, workshop_id) == [("decision", "Single budget")]
    assert model.rowCount() == 2
    host.runner.stack.undo()
    assert model.rowCount() == 3 and model.item(0).text == UNICODE_TEXT


def test_plan_fields_are_saved_and_undoable(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    programme_id = programme_of(sample_store)
    host = open_host(qtbot, sample_store, programme_id)
    page, plan = host.page, host.page.plan
    workshop_id = page.new_workshop()
    assert workshop_id is not None
    qtbot.keyClicks(plan.title, "Governance")
    focus(qtbot, plan.venue)  # leaving the title saves it
    qtbot.keyClicks(plan.venue, "Engine Shed, Bristol")
    plan.agenda.setPlainText(f"Welcome\n{UNICODE_TEXT}\n\nClose")
    plan.when.setDateTime(QDateTime.fromString("2026-03-10T13:45", "yyyy-MM-ddTHH:mm"))
    plan.status.setCurrentIndex(plan.status.findData("held"))
    plan.status.activated.emit(plan.status.currentIndex())
    areas = sample_store.areas_of_focus(programme_id)
    checked = Qt.CheckState.Checked.value
    plan.areas_model.setData(plan.areas_model.index(3), checked, Qt.ItemDataRole.CheckStateRole)
    plan.areas_model.setData(plan.areas_model.index(1), checked, Qt.ItemDataRole.CheckStateRole)
    julia = sample_store.people(programme_id, "participant")[0]
    plan.people_model.setData(plan.people_model.index(0), checked, Qt.ItemDataRole.CheckStateRole)
    plan.guests.setPlainText("Jo Bloggs (LGA)\nDr Amir Khan")
    page.flush()
    with reopened(db_path) as other:
        record = ws.workshop(other, workshop_id)
    assert (record["title"], record["venue"], record["starts_at"], record["status"]) == (
        "Governance",
        "Engine Shed, Bristol",
        "2026-03-10T13:45",
        "held",
    )
    assert record["agenda"] == ["Welcome", UNICODE_TEXT, "Close"]
    assert record["areas"] == [areas[1]["id"], areas[3]["id"]]  # in the programme's order
    assert record["attendees"] == [julia.id, "guest:Jo Bloggs (LGA)", "guest:Dr Amir Khan"]
    assert page.model.index(page.model.row_of(workshop_id), 2).data() == "Held"

    # Untick Julia; undo ticks her again, in the database and on screen.
    plan.people_model.setData(plan.people_model.index(0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert ws.workshop(sample_store, workshop_id)["attendees"] == ["guest:Jo Bloggs (LGA)", "guest:Dr Amir Khan"]
    host.runner.stack.undo()
    with reopened(db_path) as other:
        assert ws.workshop(other, workshop_id)["attendees"][0] == julia.id
    assert plan.people_model.index(0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    # Undo the guests and the title too: the fields show the stored values again.
    while ws.workshop(sample_store, workshop_id)["title"] != "New workshop":
        host.runner.stack.undo()
    assert plan.title.text() == "New workshop"
    assert plan.guests.toPlainText() == ""


def test_deleting_a_workshop_asks_and_undo_brings_back_its_items(
    qtbot: QtBot, sample_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme_id = programme_of(sample_store)
    first = add_workshop(sample_store, programme_id, "Vision")
    second = add_workshop(sample_store, programme_id, "Governance")
    capture(sample_store, second, "o: Narrative")
    capture(sample_store, second, "a: Draft the MoU @Julia due 2w")
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page
    page.select_workshop(second)
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton) -> Any:
        def question(_parent: QWidget, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert not page.delete_workshop()
    assert "1 captured item will be deleted" in asked[0] and "1 action stays in Actions" in asked[0]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    focus(qtbot, page.view)
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert len(asked) == 2
    with reopened(db_path) as other:
        assert [w.id for w in ws.list_workshops(other, programme_id)] == [first]
        assert other.rows("SELECT * FROM workshop_items") == []
    assert page.model.rowCount() == 1 and page.current_workshop_id() == first

    host.runner.stack.undo()
    with reopened(db_path) as other:
        assert [(i.kind, i.text) for i in ws.captured_items(other, second)] == [
            ("output", "Narrative"),
            ("action", "Draft the MoU"),
        ]
    assert page.model.rowCount() == 2


def test_empty_programme_and_smoke_view(qtbot: QtBot, sample_store: Store) -> None:
    programme_id = programme_of(sample_store)
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page
    assert page.model.rowCount() == 0
    assert not page.capture_button.isEnabled() and not page.start_capture()
    assert "No workshops yet" in page.subheading.text()
    assert list(page.smoke_views(host.grab)) == []
    page.new_workshop()
    views = list(page.smoke_views(host.grab))
    assert [name for name, _image in views] == ["capture"] and not views[0][1].isNull()
    assert not page.capturing()
    page.set_programme(None)
    assert page.model.rowCount() == 0 and not page.new_button.isEnabled()


def test_undoing_a_new_workshop_while_typing_or_capturing_is_safe(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    programme_id = programme_of(sample_store)
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page
    first = page.new_workshop()
    qtbot.keyClicks(page.plan.title, "Typed but not yet saved")
    page.plan.guests.setPlainText("Jo Bloggs")
    host.runner.stack.undo()  # the creation, from the Edit menu, mid-typing
    assert page.model.rowCount() == 0 and page.current_workshop_id() is None
    qtbot.wait(400)  # past the autosave pause: nothing left to save, nothing raised
    with reopened(db_path) as other:
        assert other.rows("SELECT * FROM workshops") == []

    host.runner.stack.redo()
    assert page.current_workshop_id() == first
    second = page.new_workshop()
    assert page.start_capture() and page.capture.workshop_id == second
    host.runner.stack.undo()  # the second workshop goes: capture must not carry on into the first
    assert not page.capturing() and page.current_workshop_id() == first


def test_unicode_is_captured_exactly_and_escape_returns_to_typing(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page
    page.start_capture()
    box = page.capture.input
    box.setText(f"r: {UNICODE_TEXT}")
    assert page.capture.record()
    box.setText(f"a: {UNICODE_TEXT} @Julia")
    assert page.capture.record()
    with reopened(db_path) as other:
        assert items_in(other, workshop_id) == [("risk", UNICODE_TEXT)]
        assert [(a["title"], a["owner"]) for a in actions_in(other, workshop_id)] == [(UNICODE_TEXT, "Julia Ross")]
    assert page.capture.model.index(0, m.TEXT).data() == UNICODE_TEXT
    focus(qtbot, page.capture.table)
    qtbot.keyClick(page.capture.table, Qt.Key.Key_Escape)
    assert QApplication.focusWidget() is box


# -- room-ready capture: dates from the workshop, off weekends; F6 from anywhere; Mark held ---------


def test_relative_due_dates_count_from_the_workshop_and_skip_weekends() -> None:
    from ics_desktop.dates import resolve_due

    wednesday = date(2030, 1, 9)
    assert resolve_due("2w", wednesday) == resolve_due("2w", wednesday)
    two_weeks = resolve_due("2w", wednesday)
    assert two_weeks is not None and two_weeks.day == date(2030, 1, 23) and "moved" not in two_weeks.note
    ten_days = resolve_due("10d", wednesday)  # Saturday 19 January 2030
    assert ten_days is not None and ten_days.day == date(2030, 1, 21)
    assert "Saturday" in ten_days.note and "moved to Monday 21 Jan 2030" in ten_days.note
    eleven_days = resolve_due("in 11 days", wednesday)  # Sunday 20 January
    assert eleven_days is not None and eleven_days.day == date(2030, 1, 21)
    # A date typed as a date is kept as typed, even at a weekend.
    saturday = resolve_due("19/1/2030", wednesday)
    assert saturday is not None and saturday.day == date(2030, 1, 19) and saturday.note == ""
    assert resolve_due("", wednesday) is None


@popup_warnings
def test_capture_counts_due_dates_from_the_workshop_day_and_says_so(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    programme_id = programme_of(sample_store)
    edit = ws.new_workshop(programme_id, "Finance", "2026-03-12T09:30")  # a Thursday
    edit.apply(sample_store)
    host = open_host(qtbot, sample_store, programme_id)
    messages: list[str] = []
    host.runner.saved.connect(messages.append)
    page = host.page
    page.select_workshop(edit.record_id)
    page.start_capture()
    box = page.capture.input
    focus(qtbot, box)
    qtbot.keyClicks(box, "a: Book the room @Julia due 9d")  # Saturday 21 March 2026
    assert "due Monday 23 Mar 2026" in page.capture.hint.text()
    assert "moved to Monday" in page.capture.hint.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    with reopened(db_path) as other:
        (action,) = actions_in(other, edit.record_id)
    assert action["due_date"] == "2026-03-23"
    assert any("moved to Monday" in message for message in messages)  # the status bar says so too


@popup_warnings
def test_f6_captures_from_anywhere_on_the_workshops_page(qtbot: QtBot, sample_store: Store) -> None:
    from ui.main_window import MainWindow

    add_workshop(sample_store, programme_of(sample_store))
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    focus(qtbot, window.nav)
    window.nav.setCurrentRow(4)  # Workshops, chosen in the navigation list: focus stays there
    assert window.nav.hasFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F6)
    assert window.workshops.capturing()
    qtbot.keyClick(window.workshops.capture.input, Qt.Key.Key_F6)
    assert not window.workshops.capturing()
    window.nav.setCurrentRow(0)
    focus(qtbot, window.nav)
    qtbot.keyClick(window.nav, Qt.Key.Key_F6)  # on the Overview, F6 is not the Workshops page's
    assert window.stack.currentIndex() == 0 and not window.workshops.capturing()
    window.close()


def test_a_captured_workshop_offers_mark_held_and_undo_takes_it_back(qtbot: QtBot, sample_store: Store) -> None:
    programme_id = programme_of(sample_store)
    workshop_id = add_workshop(sample_store, programme_id)
    host = open_host(qtbot, sample_store, programme_id)
    page = host.page
    page.select_workshop(workshop_id)
    page.start_capture()
    held = page.capture.held_button
    assert not held.isVisible()  # nothing captured yet
    type_line(qtbot, page.capture.input, "o: Narrative agreed")
    assert held.isVisible()
    qtbot.mouseClick(held, Qt.MouseButton.LeftButton)
    assert ws.workshop(sample_store, workshop_id)["status"] == "held"
    assert "Held" in page.capture.meta.text() and not held.isVisible()
    host.runner.stack.undo()
    assert ws.workshop(sample_store, workshop_id)["status"] == "planned"
    assert held.isVisible()
