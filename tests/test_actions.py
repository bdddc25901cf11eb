"""Actions & milestones: the core (filters, edits, notes) and the page driven through its real views."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from ics_desktop.dates import parse_due_date
from ics_desktop.errors import UserFacingError
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.planning import actions as core
from ics_desktop.planning import milestones as ms
from ics_desktop.planning.actions import ActionFilter
from ics_desktop.scale_data import generate_actions, generate_milestones
from ics_desktop.storage.store import Store
from ui.models import actions_model as am
from ui.pages.actions import MILESTONES_TAB, ActionsPage
from ui.undo import EditRunner

TODAY = date.today()
ODD_TEXT = "Sign-off <b>R&D</b> ŵ 🙂 עברית\n  two lines  "

# The seed's "2020/21 Ambition → 2019/20 milestone" table, word for word (000, section 3).
SEED_MILESTONES = [
    (
        "Be accountable to one another for the delivery of services and use of resources",
        "Establish a system performance management framework for delivery of all key Constitutional standards, "
        "building in peer review as a core element",
    ),
    (
        "Work to a shared vision within a single plan, built from one version of the truth and consistent ways of "
        "working",
        "Publish a single system plan for 2019/20 that is jointly owned",
    ),
    (
        "Operate a single budget, making decisions together that enable the flow of resources to deliver our vision "
        "within the allocation available",
        "Operate a single budget for urgent care, establishing a framework to jointly manage performance, delivery "
        "and clinical and financial risk",
    ),
    (
        "Establish a governance infrastructure which enables and embeds shared decision making with delegated "
        "accountability from each organisation",
        "Establish a shared governance infrastructure to work in shadow form during 2019/20",
    ),
    ("Establish our vision and definition of the ICS in BNSSG.", "A full roadmap for delivery of ICS."),
    (
        "Develop and abide by a set of behaviours to establish trust, mutual respect and interdependence",
        "Secure Board sign up from each sovereign organisation to a Memorandum of Understanding. This will include "
        "an agreed statement of ambition and behavioural code to guide our work, and a framework for how we will "
        "hold one another to account for how we abide by it",
    ),
]


# -- helpers -----------------------------------------------------------------------------------------


@contextmanager
def reopened(db_path: Path) -> Iterator[Store]:
    """A second connection to the same file: what the next launch would see."""
    fresh = Store.open(db_path)
    try:
        yield fresh
    finally:
        fresh.close()


def saved_action(db_path: Path, action_id: str) -> dict[str, Any]:
    with reopened(db_path) as fresh:
        return fresh.get("actions", action_id)


def days(n: int) -> str:
    return (TODAY + timedelta(days=n)).isoformat()


@pytest.fixture
def demo(sample_store: Store) -> dict[str, Any]:
    """The sample programme with five known actions (one overdue, one done and past due, one undated)."""
    store = sample_store
    programme = store.programmes()[0].id
    with store.atomic():  # start from known actions only (the sample brings its own)
        store.conn.execute("DELETE FROM actions WHERE programme_id = ?", (programme,))
    areas = {a["number"]: a["id"] for a in store.areas_of_focus(programme)}
    specs = {
        "mou": dict(title="Draft the memorandum of understanding", owner="Julia Ross", due_date=days(-5),
                    status="in progress", area_id=areas[1], capabilities=["1.1", "1.2"]),
        "budget": dict(title="Share the urgent care single budget paper", owner="Sarah Truelove", due_date=days(-30),
                       status="done", area_id=areas[4], capabilities=["3.1"]),
        "tor": dict(title="Agree terms of reference for the shadow board", owner="Sarah Truelove", due_date=days(10),
                    status="open", area_id=areas[2]),
        "phm": dict(title="Map population health analytics work", owner="Sara Blackmore", due_date=days(40),
                    status="blocked", area_id=areas[6], capabilities=["4.2"]),
        "event": dict(title="Book the peer learning event", owner="", due_date=None, status="open"),
    }  # fmt: skip
    ids = {}
    for key, values in specs.items():
        edit = core.new_action(programme, **values)
        edit.apply(store)
        ids[key] = edit.record_id
    return {"store": store, "programme": programme, "ids": ids, "areas": areas}


def open_page(qtbot: QtBot, store: Store, programme: str | None) -> ActionsPage:
    page = ActionsPage(EditRunner(store))
    qtbot.addWidget(page)
    page.resize(1170, 820)
    page.show()
    page.set_programme(programme)
    return page


def messages(page: ActionsPage) -> list[str]:
    got: list[str] = []
    page._runner.saved.connect(got.append)
    return got


def proxy_index(page: ActionsPage, action_id: str, column: int) -> QModelIndex:
    return page.proxy.mapFromSource(page.model.index(page.model.row_of(action_id), column))


def open_editor(view: QTableView, index: QModelIndex) -> QWidget:
    view.setCurrentIndex(index)
    view.edit(index)
    editors = [w for w in view.viewport().findChildren(QWidget) if w.isVisible() and w.parent() is view.viewport()]
    assert len(editors) == 1
    return editors[0]


def type_into_cell(qtbot: QtBot, view: QTableView, index: QModelIndex, text: str) -> None:
    """Open the cell's editor, put `text` in it and press Enter, as a user would."""
    editor = open_editor(view, index)
    assert isinstance(editor, QLineEdit | QPlainTextEdit)
    if isinstance(editor, QLineEdit):
        editor.setText(text)
    else:
        editor.setPlainText(text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # The delegate saves and closes the editor on the next turn of the event loop.
    qtbot.waitUntil(lambda: view.state() != QAbstractItemView.State.EditingState)


def choose_in_cell(view: QTableView, index: QModelIndex, value: Any) -> None:
    """Open a combo editor and pick the item holding `value` (as clicking it in the popup does)."""
    editor = open_editor(view, index)
    assert isinstance(editor, QComboBox)
    position = editor.findData(value)
    assert position >= 0
    editor.setCurrentIndex(position)
    editor.activated.emit(position)


def shown_titles(page: ActionsPage) -> list[str]:
    return [page.proxy.index(r, am.TITLE).data() for r in range(page.proxy.rowCount())]


def select_rows(page: ActionsPage, action_ids: list[str]) -> None:
    selection = QItemSelection()
    for action_id in action_ids:
        index = proxy_index(page, action_id, am.TITLE)
        selection.select(index, index)
    page.view.selectionModel().select(
        selection, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )


# -- core ------------------------------------------------------------------------------------------


def test_action_rows_resolve_names_and_order(demo: dict[str, Any]) -> None:
    store, programme, ids = demo["store"], demo["programme"], demo["ids"]
    rows = core.action_rows(store, programme)
    assert [a.id for a in rows] == [ids["budget"], ids["mou"], ids["tor"], ids["phm"], ids["event"]]  # undated last
    mou = rows[1]
    assert mou.area == "1. Sharpening and communicating our vision" and mou.area_number == 1
    assert mou.capabilities == ("1.1", "1.2") and mou.notes == 0
    assert "julia ross" in mou.haystack and "sharpening" in mou.haystack
    assert core.action_row(store, ids["mou"]) == mou
    assert mou.is_overdue(TODAY.isoformat())
    assert not rows[0].is_overdue(TODAY.isoformat())  # done, though past due


def test_filters_as_pure_functions(demo: dict[str, Any]) -> None:
    store, programme, ids, areas = demo["store"], demo["programme"], demo["ids"], demo["areas"]
    rows = core.action_rows(store, programme)
    today = TODAY.isoformat()

    def keep(**kwargs: Any) -> set[str]:
        return {a.id for a in core.filter_actions(rows, ActionFilter(**kwargs), today)}

    assert keep() == set(ids.values())
    assert keep(text="MEMORANDUM") == {ids["mou"]}
    assert keep(text="sarah board") == {ids["tor"]}  # every word must appear
    assert keep(text="4.2") == {ids["phm"]}  # capabilities are searched too
    assert keep(area_id=areas[2]) == {ids["tor"]}
    assert keep(area_id=core.NO_AREA) == {ids["event"]}
    assert keep(owner="sarah truelove") == {ids["budget"], ids["tor"]}
    assert keep(owner=core.NO_OWNER) == {ids["event"]}
    assert keep(status=core.OPEN) == {ids["mou"], ids["tor"], ids["phm"], ids["event"]}
    assert keep(status="blocked") == {ids["phm"]}
    assert keep(overdue_only=True) == {ids["mou"]}
    assert keep(owner="Sarah Truelove", status=core.OPEN) == {ids["tor"]}
    assert not ActionFilter().active and ActionFilter(overdue_only=True).active


def test_edit_builders_validate(demo: dict[str, Any]) -> None:
    store, ids = demo["store"], demo["ids"]
    assert core.due_date_value("") is None
    assert core.due_date_value("2w") == (TODAY + timedelta(weeks=2)).isoformat()
    with pytest.raises(UserFacingError, match="not a date I understand"):
        core.due_date_value("someday")
    with pytest.raises(UserFacingError, match="not an action status"):
        core.set_action_field(store, ids["mou"], "status", "finished")
    with pytest.raises(UserFacingError, match=r"Unknown capability 9\.9"):
        core.parse_capabilities("1.1, 9.9", ["1.1", "1.2"])
    assert core.parse_capabilities("1.2; 1.1 1.2", ["1.1", "1.2"]) == ["1.1", "1.2"]
    other = store.create_programme("Other", "Elsewhere", default_framework())
    foreign_area = store.insert("areas_of_focus", {"programme_id": other, "number": 1, "title": "Elsewhere"})
    with pytest.raises(UserFacingError, match="not part of this programme"):
        core.set_action_field(store, ids["mou"], "area_id", foreign_area)
    batch = core.set_statuses(store, [ids["mou"], ids["budget"]], "done")
    assert len(batch.edits) == 1  # the one already done is left alone
    assert core.owners(store, demo["programme"])[:2] == ["Amanda Deeks", "Audrey Linton"]


def test_generated_actions_at_scale(store: Store) -> None:
    programme = store.create_programme("Scale", "System", default_framework())
    assert generate_actions(store, programme, 2_000, notes_per_action=1.0) == 2_000
    assert generate_milestones(store, programme, 30) == 30
    rows = core.action_rows(store, programme)
    assert len(rows) == 2_000 and sum(a.notes for a in rows) > 1_000
    assert any(a.due_date is None for a in rows) and any(a.is_overdue(TODAY.isoformat()) for a in rows)
    assert len(store.milestones(programme)) == 30


def test_sample_actions_show_their_workshops_and_notes(qtbot: QtBot, sample_store: Store) -> None:
    programme = sample_store.programmes()[0].id
    page = open_page(qtbot, sample_store, programme)
    rows = core.action_rows(sample_store, programme)
    assert page.proxy.rowCount() == len(rows) > 0
    with_workshop = next(a for a in rows if a.workshop)
    assert proxy_index(page, with_workshop.id, am.WORKSHOP).data() == with_workshop.workshop
    with_notes = next(a for a in rows if a.notes)
    page.view.setCurrentIndex(proxy_index(page, with_notes.id, am.TITLE))
    assert page.notes.model.rowCount() == with_notes.notes
    page.search.setText(with_workshop.workshop.split()[0])
    assert with_workshop.title in shown_titles(page)


# -- milestones ----------------------------------------------------------------------------------


def test_milestone_rules(sample_store: Store) -> None:
    store = sample_store
    programme = store.programmes()[0].id
    today = TODAY.isoformat()
    past = {"due_date": days(-1), "status": "missed"}
    assert ms.is_overdue(past, today) and ms.is_overdue({**past, "status": "at risk"}, today)
    assert not ms.is_overdue({**past, "status": "achieved"}, today)
    assert not ms.is_overdue({"due_date": None, "status": "planned"}, today)
    assert ms.parse_area_numbers("3, 1. 3", [1, 2, 3]) == [1, 3]
    with pytest.raises(UserFacingError, match="'x' is not an area number"):
        ms.parse_area_numbers("1, x", [1, 2])
    first = store.milestones(programme)[0]["id"]
    with pytest.raises(UserFacingError, match="not a milestone status"):
        ms.set_milestone_field(store, first, "status", "done")
    with pytest.raises(UserFacingError, match="not a date I understand"):
        ms.set_from_text(store, first, "due_date", "soonish")
    edit = ms.set_from_text(store, first, "due_date", "31/03/2021")
    assert (edit.old, edit.new, edit.description) == (
        "2020-03-31", "2021-03-31", "due date of “Establish a system performance manageme…”",
    )  # fmt: skip
    added = ms.new_milestone(store, programme, title="Shadow ICS in place")
    assert added.values["position"] == 6 and added.values["ambition_year"] == "2020/21"
    assert ms.delete_milestones(store, [first]).description.startswith("deleted milestone “Establish")


def test_sample_milestones_keep_the_seed_wording(qtbot: QtBot, sample_store: Store) -> None:
    programme = sample_store.programmes()[0].id
    page = open_page(qtbot, sample_store, programme)
    model = page.milestones_model
    assert model.rowCount() == 6
    shown = [(model.index(r, am.M_AMBITION).data(), model.index(r, am.M_TITLE).data()) for r in range(6)]
    assert shown == SEED_MILESTONES
    assert {model.index(r, am.M_AMBITION_YEAR).data() for r in range(6)} == {"2020/21"}
    assert {model.index(r, am.M_YEAR).data() for r in range(6)} == {"2019/20"}
    assert model.index(0, am.M_AREAS).data() == "2. System governance and leadership"
    assert model.index(1, am.M_AREAS).data() == "3. Vision through to execution\n4. System finances and single plan"
    assert model.index(0, am.M_DUE).data() == "31 Mar 2020"
    assert model.index(0, am.M_STATUS).data() == "Planned"
    assert model.headerData(am.M_AMBITION_YEAR, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole).startswith(
        "The year of the ambition"
    )


def test_milestones_edited_in_place_added_and_removed(
    qtbot: QtBot, sample_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = sample_store.programmes()[0].id
    page = open_page(qtbot, sample_store, programme)
    page.tabs.setCurrentIndex(MILESTONES_TAB)
    model, view = page.milestones_model, page.milestones_view
    said = messages(page)
    first = model.milestone(0)["id"]
    type_into_cell(qtbot, view, model.index(0, am.M_DUE), "30/6/2021")
    type_into_cell(qtbot, view, model.index(0, am.M_AREAS), "3, 1")
    type_into_cell(qtbot, view, model.index(0, am.M_CAPABILITIES), "1.3 1.1")
    type_into_cell(qtbot, view, model.index(0, am.M_TITLE), ODD_TEXT)
    choose_in_cell(view, model.index(0, am.M_STATUS), "at risk")
    type_into_cell(qtbot, view, model.index(0, am.M_AREAS), "1, 9")  # no area 9: refused
    type_into_cell(qtbot, view, model.index(0, am.M_CAPABILITIES), "7.7")  # no such capability: refused
    with reopened(db_path) as fresh:
        saved = fresh.get("milestones", first)
    assert saved["due_date"] == "2021-06-30" and saved["areas"] == [1, 3] and saved["capabilities"] == ["1.1", "1.3"]
    assert saved["title"] == ODD_TEXT and saved["status"] == "at risk"
    assert any("no area of focus 9" in m for m in said) and any("Unknown capability 7.7" in m for m in said)
    assert model.index(0, am.M_AREAS).data().startswith("1. Sharpening")
    # Overdue until achieved.
    assert model.index(0, am.M_DUE).data(Qt.ItemDataRole.BackgroundRole) == am.OVERDUE_BACKGROUND
    choose_in_cell(view, model.index(0, am.M_STATUS), "achieved")
    assert model.index(0, am.M_DUE).data(Qt.ItemDataRole.BackgroundRole) is None
    for _ in range(6):
        page._runner.stack.undo()
    with reopened(db_path) as fresh:
        assert fresh.get("milestones", first)["title"] == SEED_MILESTONES[0][1]
        assert fresh.get("milestones", first)["due_date"] == "2020-03-31"

    page.new_milestone_button.click()
    assert model.rowCount() == 7
    new = model.milestone(6)
    assert (new["ambition_year"], new["milestone_year"], new["status"]) == ("2020/21", "2019/20", "planned")
    view.selectRow(6)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    page.delete_milestone_button.click()
    assert model.rowCount() == 7
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view.selectRow(6)
    page.delete_milestone_button.click()
    assert model.rowCount() == 6
    page._runner.stack.undo()
    assert model.rowCount() == 7
    with reopened(db_path) as fresh:
        assert len(fresh.milestones(programme)) == 7


# -- the actions table -------------------------------------------------------------------------


def test_inline_edits_saved_and_undone(qtbot: QtBot, demo: dict[str, Any], db_path: Path) -> None:
    store, ids, areas = demo["store"], demo["ids"], demo["areas"]
    page = open_page(qtbot, store, demo["programme"])
    view, tor = page.view, ids["tor"]
    resets: list[int] = []
    page.model.modelReset.connect(lambda: resets.append(1))
    type_into_cell(qtbot, view, proxy_index(page, tor, am.TITLE), ODD_TEXT)
    type_into_cell(qtbot, view, proxy_index(page, tor, am.OWNER), "Rebecca Dunn")
    type_into_cell(qtbot, view, proxy_index(page, tor, am.DUE), "31/1")
    choose_in_cell(view, proxy_index(page, tor, am.STATUS), "blocked")
    choose_in_cell(view, proxy_index(page, tor, am.AREA), areas[3])
    type_into_cell(qtbot, view, proxy_index(page, tor, am.CAPABILITIES), "2.3, 1.5")
    saved = saved_action(db_path, tor)
    assert saved["title"] == ODD_TEXT and saved["owner"] == "Rebecca Dunn"
    assert saved["due_date"] == parse_due_date("31/1").isoformat()  # type: ignore[union-attr]
    assert saved["status"] == "blocked" and saved["area_id"] == areas[3] and saved["capabilities"] == ["1.5", "2.3"]
    assert not resets  # each edit refreshed its own row, not all of them
    assert proxy_index(page, tor, am.AREA).data() == "3. Vision through to execution"
    assert proxy_index(page, tor, am.STATUS).data() == "Blocked"
    type_into_cell(qtbot, view, proxy_index(page, tor, am.DUE), "2w")
    assert saved_action(db_path, tor)["due_date"] == days(14)
    assert proxy_index(page, tor, am.DUE).data() == core.display_date(days(14))
    for _ in range(7):
        page._runner.stack.undo()
    saved = saved_action(db_path, tor)
    assert (saved["title"], saved["owner"], saved["due_date"], saved["status"], saved["area_id"]) == (
        "Agree terms of reference for the shadow board", "Sarah Truelove", days(10), "open", areas[2],
    )  # fmt: skip
    assert saved["capabilities"] == []
    assert proxy_index(page, tor, am.TITLE).data() == "Agree terms of reference for the shadow board"
    assert proxy_index(page, tor, am.OWNER).data() == "Sarah Truelove"
    page._runner.stack.redo()
    assert saved_action(db_path, tor)["title"] == ODD_TEXT
    assert proxy_index(page, tor, am.TITLE).data() == ODD_TEXT


def test_bad_due_date_saves_nothing(qtbot: QtBot, demo: dict[str, Any], db_path: Path) -> None:
    page = open_page(qtbot, demo["store"], demo["programme"])
    said = messages(page)
    mou = demo["ids"]["mou"]
    type_into_cell(qtbot, page.view, proxy_index(page, mou, am.DUE), "when pigs fly")
    assert saved_action(db_path, mou)["due_date"] == days(-5)
    assert page._runner.stack.count() == 0
    assert said and said[-1].startswith("Not saved:") and "not a date I understand" in said[-1]
    type_into_cell(qtbot, page.view, proxy_index(page, mou, am.DUE), "")  # blank clears it
    assert saved_action(db_path, mou)["due_date"] is None


def test_owner_editor_completes_participants(qtbot: QtBot, demo: dict[str, Any]) -> None:
    page = open_page(qtbot, demo["store"], demo["programme"])
    editor = open_editor(page.view, proxy_index(page, demo["ids"]["event"], am.OWNER))
    assert isinstance(editor, QLineEdit) and editor.completer() is not None
    names = editor.completer().model()
    listed = [names.index(r, 0).data() for r in range(names.rowCount())]
    assert "Julia Ross" in listed and "Catherine Evans" in listed  # participants and the delivery team
    editor.setText("Someone from the council")  # free text is allowed too
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.view.state() != QAbstractItemView.State.EditingState)
    assert demo["store"].get("actions", demo["ids"]["event"])["owner"] == "Someone from the council"


def test_filter_bar(qtbot: QtBot, demo: dict[str, Any]) -> None:
    store, areas = demo["store"], demo["areas"]
    page = open_page(qtbot, store, demo["programme"])
    assert page.proxy.rowCount() == 5
    qtbot.keyClicks(page.search, "memo")
    assert shown_titles(page) == ["Draft the memorandum of understanding"]
    assert page.count_label.text().startswith("Showing 1 of 5 actions")
    page.search.clear()
    page.area_filter.setCurrentIndex(page.area_filter.findData(areas[2]))
    assert shown_titles(page) == ["Agree terms of reference for the shadow board"]
    page.area_filter.setCurrentIndex(page.area_filter.findData(core.NO_AREA))
    assert shown_titles(page) == ["Book the peer learning event"]
    page.area_filter.setCurrentIndex(0)
    page.owner_filter.setCurrentIndex(page.owner_filter.findData("Sarah Truelove"))
    assert len(shown_titles(page)) == 2
    page.status_filter.setCurrentIndex(page.status_filter.findData(core.OPEN))
    assert shown_titles(page) == ["Agree terms of reference for the shadow board"]
    page.owner_filter.setCurrentIndex(0)
    assert len(shown_titles(page)) == 4  # everything but the done one
    page.overdue_only.setChecked(True)
    assert shown_titles(page) == ["Draft the memorandum of understanding"]
    page.clear_filters()
    assert page.proxy.rowCount() == 5
    owners = [page.owner_filter.itemText(i) for i in range(page.owner_filter.count())]
    assert owners == ["All owners", "Julia Ross", "Sara Blackmore", "Sarah Truelove", "No owner"]


def test_sorting_keeps_blank_due_dates_last(qtbot: QtBot, demo: dict[str, Any]) -> None:
    page = open_page(qtbot, demo["store"], demo["programme"])
    due = [page.proxy.index(r, am.DUE).data() for r in range(5)]
    assert due[-1] == "" and [page.model.action(r).due_date for r in range(4)] == sorted(
        days(n) for n in (-30, -5, 10, 40)
    )
    page.view.sortByColumn(am.DUE, Qt.SortOrder.DescendingOrder)
    assert [page.proxy.index(r, am.DUE).data() for r in range(5)] == [*reversed(due[:4]), ""]
    page.view.sortByColumn(am.OWNER, Qt.SortOrder.AscendingOrder)
    assert [page.proxy.index(r, am.OWNER).data() for r in range(5)][-1] == ""
    page.view.sortByColumn(am.STATUS, Qt.SortOrder.AscendingOrder)
    assert [page.proxy.index(r, am.STATUS).data() for r in range(5)] == [
        "Open", "Open", "In progress", "Blocked", "Done"
    ]  # fmt: skip
    # A filter and a sort together; the current row survives the sort.
    page.search.setText("e")
    page.view.setCurrentIndex(proxy_index(page, demo["ids"]["phm"], am.TITLE))
    page.view.sortByColumn(am.TITLE, Qt.SortOrder.AscendingOrder)
    titles = shown_titles(page)
    assert titles == sorted(titles, key=str.casefold)
    assert page.proxy.mapToSource(page.view.currentIndex()).row() == page.model.row_of(demo["ids"]["phm"])


def test_overdue_rows_are_highlighted(qtbot: QtBot, demo: dict[str, Any]) -> None:
    page = open_page(qtbot, demo["store"], demo["programme"])
    mou, budget, tor = demo["ids"]["mou"], demo["ids"]["budget"], demo["ids"]["tor"]
    background = Qt.ItemDataRole.BackgroundRole
    assert proxy_index(page, mou, am.TITLE).data(background) == am.OVERDUE_BACKGROUND
    assert proxy_index(page, mou, am.DUE).data(Qt.ItemDataRole.FontRole).bold()
    assert proxy_index(page, mou, am.DUE).data(Qt.ItemDataRole.ForegroundRole) == am.OVERDUE_TEXT
    assert proxy_index(page, budget, am.TITLE).data(background) is None  # past due but done
    assert proxy_index(page, tor, am.TITLE).data(background) is None  # not due yet
    assert "1 overdue" in page.count_label.text() and "4 open" in page.subheading.text()
    choose_in_cell(page.view, proxy_index(page, mou, am.STATUS), "done")
    assert proxy_index(page, mou, am.TITLE).data(background) is None
    assert "0 overdue" in page.count_label.text()


def test_bulk_status_change_is_one_undo_step(qtbot: QtBot, demo: dict[str, Any], db_path: Path) -> None:
    page = open_page(qtbot, demo["store"], demo["programme"])
    said = messages(page)
    chosen = [demo["ids"][k] for k in ("mou", "tor", "phm")]
    select_rows(page, chosen)
    assert page.status_button.isEnabled()
    page.status_actions["done"].trigger()
    with reopened(db_path) as fresh:
        assert {fresh.get("actions", i)["status"] for i in chosen} == {"done"}
    assert page._runner.stack.count() == 1 and said[-1] == "Saved status done for 3 actions"
    page._runner.stack.undo()
    with reopened(db_path) as fresh:
        assert [fresh.get("actions", i)["status"] for i in chosen] == ["in progress", "open", "blocked"]
    assert [proxy_index(page, i, am.STATUS).data() for i in chosen] == ["In progress", "Open", "Blocked"]


def test_progress_notes_added_and_undone(qtbot: QtBot, demo: dict[str, Any], db_path: Path) -> None:
    page = open_page(qtbot, demo["store"], demo["programme"])
    mou = demo["ids"]["mou"]
    page.view.setCurrentIndex(proxy_index(page, mou, am.TITLE))
    assert "memorandum" in page.notes.action_label.text()
    assert page.notes.date.date().toPython() == TODAY
    page.notes.text.setPlainText("Two boards have signed; three to go.")
    page.notes.date.setDate(page.notes.date.date().addDays(-7))
    page.notes.add_button.click()
    page.notes.text.setPlainText(ODD_TEXT)
    qtbot.keyClick(page.notes.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    with reopened(db_path) as fresh:
        notes = core.action_notes(fresh, mou)
    assert [(n["date"], n["text"]) for n in notes] == [
        (days(-7), "Two boards have signed; three to go."), (TODAY.isoformat(), ODD_TEXT),
    ]  # fmt: skip
    assert page.notes.model.rowCount() == 2 and page.notes.text.toPlainText() == ""
    assert proxy_index(page, mou, am.NOTES).data() == 2
    # A note's text is edited in place; undo takes the edit and then the note away.
    type_into_cell(qtbot, page.notes.view, page.notes.model.index(0, 1), "Two boards signed.")
    assert core.action_notes(demo["store"], mou)[0]["text"] == "Two boards signed."
    page._runner.stack.undo()
    page._runner.stack.undo()
    with reopened(db_path) as fresh:
        assert [n["text"] for n in core.action_notes(fresh, mou)] == ["Two boards have signed; three to go."]
    assert page.notes.model.rowCount() == 1 and proxy_index(page, mou, am.NOTES).data() == 1
    # The date of a note is a calendar date; notes are deleted (and undone) from the panel too.
    editor = open_editor(page.notes.view, page.notes.model.index(0, 0))
    assert isinstance(editor, QDateEdit) and editor.date().toPython() == TODAY - timedelta(days=7)
    editor.setDate(editor.date().addDays(-1))
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: core.action_notes(demo["store"], mou)[0]["date"] == days(-8))
    page.notes.view.selectRow(0)
    page.notes.delete_button.click()
    assert core.action_notes(demo["store"], mou) == [] and proxy_index(page, mou, am.NOTES).data() == ""
    page._runner.stack.undo()
    assert len(core.action_notes(demo["store"], mou)) == 1 and page.notes.model.rowCount() == 1


def test_note_typed_but_not_added_is_kept(qtbot: QtBot, demo: dict[str, Any]) -> None:
    page = open_page(qtbot, demo["store"], demo["programme"])
    mou, tor = demo["ids"]["mou"], demo["ids"]["tor"]
    page.view.setCurrentIndex(proxy_index(page, mou, am.TITLE))
    page.notes.text.setPlainText("Typed, then another row was chosen")
    page.view.setCurrentIndex(proxy_index(page, tor, am.TITLE))  # the draft goes to the action it was typed for
    assert [n["text"] for n in core.action_notes(demo["store"], mou)] == ["Typed, then another row was chosen"]
    page.notes.text.setPlainText("Typed, then the programme was closed")
    page.flush()
    assert [n["text"] for n in core.action_notes(demo["store"], tor)] == ["Typed, then the programme was closed"]


def test_new_action_with_ctrl_n_and_delete_with_undo(
    qtbot: QtBot, demo: dict[str, Any], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = demo["store"]
    runner = EditRunner(store)
    window = QMainWindow()
    qtbot.addWidget(window)
    new_programme: list[bool] = []
    window_new = QAction("New programme", window)
    window_new.setShortcut(QKeySequence(QKeySequence.StandardKey.New))  # as the main window has
    window_new.triggered.connect(lambda: new_programme.append(True))
    window.addAction(window_new)
    page = ActionsPage(runner)
    window.setCentralWidget(page)
    window.resize(1170, 820)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    page.set_programme(demo["programme"])
    page.search.setText("memorandum")  # the new action would be hidden by this filter: it is cleared
    page.view.setFocus()
    qtbot.waitUntil(page.view.hasFocus)
    qtbot.keyClick(page.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not new_programme and store.count("actions", demo["programme"]) == 6
    assert page.search.text() == "" and page.proxy.rowCount() == 6
    editor = [w for w in page.view.viewport().findChildren(QLineEdit) if w.isVisible()]
    assert len(editor) == 1
    qtbot.keyClicks(editor[0], "Confirm venue")
    page.flush()  # a half-typed cell is saved when the page is flushed
    new_id = page.proxy.action_ids([page.view.currentIndex().row()])[0]
    assert saved_action(db_path, new_id)["title"] == "Confirm venue"
    # Delete asks first; the action goes with its notes, and undo brings both back.
    mou = demo["ids"]["mou"]
    core.add_note(store, mou, "A note that must come back").apply(store)
    select_rows(page, [mou])
    asked: list[str] = []

    def answer_yes(*args: object, **_kwargs: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert "memorandum" in asked[0] and "undo" in asked[0]
    with reopened(db_path) as fresh:
        assert fresh.count("actions", demo["programme"]) == 5
    assert page.model.row_of(mou) == -1
    runner.stack.undo()
    with reopened(db_path) as fresh:
        assert fresh.get("actions", mou)["title"] == "Draft the memorandum of understanding"
        assert [n["text"] for n in core.action_notes(fresh, mou)] == ["A note that must come back"]
    assert page.model.row_of(mou) >= 0 and proxy_index(page, mou, am.NOTES).data() == 1


def test_empty_and_switching_programmes(qtbot: QtBot, demo: dict[str, Any]) -> None:
    page = open_page(qtbot, demo["store"], None)
    assert page.proxy.rowCount() == 0 and not page.new_button.isEnabled()
    page.new_action()  # nothing happens without a programme
    page.set_programme(demo["programme"])
    assert page.proxy.rowCount() == 5 and page.milestones_model.rowCount() == 6
    page.area_filter.setCurrentIndex(page.area_filter.findData(demo["areas"][1]))
    other = demo["store"].create_programme("Other", "Elsewhere", default_framework())
    page.set_programme(other)
    assert page.proxy.rowCount() == 0 and page.area_filter.currentIndex() == 0
    assert page.count_label.text() == "No actions yet"


def test_actions_changed_elsewhere_refresh_the_table(qtbot: QtBot, demo: dict[str, Any]) -> None:
    """Edits made by another page (workshop capture) reach this table through runner.changed."""
    store, programme = demo["store"], demo["programme"]
    page = open_page(qtbot, store, programme)
    runner = page._runner
    runner.run(core.new_action(programme, title="Captured in the workshop", owner="Amanda Deeks"))
    assert "Captured in the workshop" in shown_titles(page)
    assert page.owner_filter.findData("Amanda Deeks") >= 0
    runner.run(core.set_action_field(store, demo["ids"]["tor"], "owner", "Amanda Deeks"))
    assert proxy_index(page, demo["ids"]["tor"], am.OWNER).data() == "Amanda Deeks"
