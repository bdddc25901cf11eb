"""Areas of focus: the core edits (add, remove, reorder, fields, catalogue) and the page driven through its widgets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QLineEdit, QListView, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

import ui.autosave
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.planning import areas as core
from ics_desktop.storage.edits import Edit, insert_record
from ics_desktop.storage.store import Store
from ui.models.areas_model import ID_ROLE, PickListModel
from ui.pages.areas import AreasPage
from ui.undo import EditRunner

WAIT_MS = 5000
TITLES = [
    "Sharpening and communicating our vision",
    "System governance and leadership",
    "Vision through to execution",
    "System finances and single plan",
    "Care re-design",
    "Population health management",
]
ODD_TEXT = "R&D <b>bold</b> &amp; ‘quotes’ — עברית 🙂\ttab  "


@contextmanager
def reopened(db_path: Path) -> Iterator[Store]:
    """A second connection to the same file (what the next launch would see)."""
    other = Store.open(db_path)
    try:
        yield other
    finally:
        other.close()


def programme_id(store: Store) -> str:
    (programme,) = store.programmes()
    return programme.id


def titles(store: Store, pid: str) -> list[str]:
    return [a["title"] for a in core.areas(store, pid)]


def milestone_area_titles(store: Store, pid: str) -> dict[str, list[str]]:
    """Each milestone's areas, named by title (what must survive renumbering)."""
    by_number = {a["number"]: a["title"] for a in core.areas(store, pid)}
    return {m["title"][:40]: sorted(by_number.get(n, f"#{n}") for n in m["areas"]) for m in store.milestones(pid)}


def area(store: Store, pid: str, title: str) -> dict[str, Any]:
    return next(a for a in core.areas(store, pid) if a["title"] == title)


def run(store: Store, edit: Edit) -> Edit:
    edit.apply(store)
    return edit


# -- core ----------------------------------------------------------------------------------------------


def test_sample_programme_has_the_seeds_six_areas(sample_store: Store) -> None:
    pid = programme_id(sample_store)
    found = core.areas(sample_store, pid)
    assert [a["number"] for a in found] == [1, 2, 3, 4, 5, 6]
    assert [a["title"] for a in found] == TITLES
    assert found[1]["capabilities"] == ["1.1", "1.2", "1.3", "1.4", "1.5"]
    assert found[1]["preferred_workshops"] == [1, 3, 8]
    assert found[1]["blend"] == "Blend of workshops 1, 3 and 8"
    assert found[0]["outputs"][0] == "Narrative around the vision."
    assert found[0]["outcomes"][-1] == "Shared roadmap toward an ICS."
    names = {p.id: p.name for p in sample_store.people(pid)}
    assert [names[i] for i in found[5]["topic_leads"]] == ["Sara Blackmore", "Peter Brindle"]
    assert core.blend_phrase([8, 3, 1]) == "Blend of workshops 1, 3 and 8"
    assert core.blend_phrase([12]) == "Workshop 12"


def test_as_many_areas_as_the_programme_needs_with_a_guard_at_fifty(store: Store) -> None:
    pid = store.create_programme("P", "S", default_framework())
    for _ in range(50):
        run(store, core.add_area(store, pid))
    assert [a["number"] for a in core.areas(store, pid)] == list(range(1, 51))
    with pytest.raises(core.AreaError, match="at most 50 areas of focus; remove one before adding another"):
        core.add_area(store, pid)


def test_remove_renumbers_keeps_milestones_and_undo_restores_everything(sample_store: Store, db_path: Path) -> None:
    pid = programme_id(sample_store)
    before = milestone_area_titles(sample_store, pid)
    governance = area(sample_store, pid, TITLES[1])
    finances = area(sample_store, pid, TITLES[3])
    action = run(
        sample_store,
        insert_record("actions", {"programme_id": pid, "title": "Draft MoU", "area_id": governance["id"]}, "action"),
    )
    workshop = run(
        sample_store,
        insert_record(
            "workshops", {"programme_id": pid, "title": "W1", "areas": [governance["id"], finances["id"]]}, "w"
        ),
    )

    edit = run(sample_store, core.remove_area(sample_store, governance["id"]))
    with reopened(db_path) as other:
        assert titles(other, pid) == [t for t in TITLES if t != TITLES[1]]
        assert [a["number"] for a in core.areas(other, pid)] == [1, 2, 3, 4, 5]
        after = milestone_area_titles(other, pid)
        # Milestones of the removed area lose it; every other milestone still names the same areas.
        assert after == {k: [t for t in v if t != TITLES[1]] for k, v in before.items()}
        assert other.get("actions", action.values["id"])["area_id"] is None
        assert other.get("workshops", workshop.values["id"])["areas"] == [finances["id"]]

    edit.revert(sample_store)
    with reopened(db_path) as other:
        assert titles(other, pid) == TITLES
        assert milestone_area_titles(other, pid) == before
        assert other.get("actions", action.values["id"])["area_id"] == governance["id"]
        assert other.get("workshops", workshop.values["id"])["areas"] == [governance["id"], finances["id"]]


def test_move_swaps_numbers_and_milestones_follow(sample_store: Store, db_path: Path) -> None:
    pid = programme_id(sample_store)
    before = milestone_area_titles(sample_store, pid)
    vision = area(sample_store, pid, TITLES[0])
    assert core.move_area(sample_store, vision["id"], -1) is None  # already first
    edit = core.move_area(sample_store, vision["id"], 1)
    assert edit is not None and edit.description == f"move of '{TITLES[0]}' down"
    run(sample_store, edit)
    with reopened(db_path) as other:
        assert titles(other, pid)[:2] == [TITLES[1], TITLES[0]]
        assert milestone_area_titles(other, pid) == before
        # The 'full roadmap' milestone belonged to area 1 (the vision), which is now number 2.
        roadmap = next(m for m in other.milestones(pid) if m["title"] == "A full roadmap for delivery of ICS.")
        assert roadmap["areas"] == [2]
    edit.revert(sample_store)
    assert titles(sample_store, pid) == TITLES
    assert milestone_area_titles(sample_store, pid) == before


def test_fields_keep_odd_text_exactly_and_lists_clean(sample_store: Store, db_path: Path) -> None:
    pid = programme_id(sample_store)
    care = area(sample_store, pid, TITLES[4])
    for field, value in (
        ("title", ODD_TEXT),
        ("narrative", f"{ODD_TEXT}\n\nsecond paragraph\n"),
        ("outputs", ["  indented <i>", "R&D 🙂"]),
        ("preferred_workshops", [17, 15, 15, 16]),
        ("capabilities", ["4.1", "4.1", "4.2"]),
    ):
        run(sample_store, core.set_area_field(sample_store, care["id"], field, value))
    with reopened(db_path) as other:
        saved = other.get("areas_of_focus", care["id"])
    assert saved["title"] == ODD_TEXT
    assert saved["narrative"] == f"{ODD_TEXT}\n\nsecond paragraph\n"
    assert saved["outputs"] == ["  indented <i>", "R&D 🙂"]
    assert saved["preferred_workshops"] == [15, 16, 17]
    assert saved["capabilities"] == ["4.1", "4.2"]
    with pytest.raises(ValueError):
        core.set_area_field(sample_store, care["id"], "programme_id", "x")


def test_catalogue_add_rename_renumber_and_refusals(sample_store: Store, db_path: Path) -> None:
    pid = programme_id(sample_store)
    added = run(sample_store, core.add_catalogue_entry(sample_store, pid, "Peer learning"))
    entry_id = added.values["id"]
    assert sample_store.get("workshop_catalogue", entry_id)["number"] == 18  # after the highest, 17
    run(sample_store, core.set_catalogue_field(sample_store, entry_id, "description", ODD_TEXT))

    by_number = {w["number"]: w for w in core.catalogue(sample_store, pid)}
    with pytest.raises(core.AreaError, match=r"Workshop 5 is already in the catalogue \(Workshop 5\)\."):
        core.set_catalogue_field(sample_store, by_number[4]["id"], "number", 5)
    with pytest.raises(core.AreaError, match="whole number"):
        core.set_catalogue_field(sample_store, by_number[4]["id"], "number", "four")
    # Renumbering a workshop keeps the areas that prefer it pointing at it.
    renumber = run(sample_store, core.set_catalogue_field(sample_store, by_number[4]["id"], "number", 6))
    assert area(sample_store, pid, TITLES[0])["preferred_workshops"] == [5, 6]

    with pytest.raises(core.AreaError) as refused:
        core.remove_catalogue_entry(sample_store, by_number[8]["id"])
    assert str(refused.value) == (
        "Workshop 8 is a preferred workshop of area 2 (System governance and leadership) and "
        "area 4 (System finances and single plan); take it out of those areas first."
    )
    with pytest.raises(core.AreaError, match=r"of area 6 \(Population health management\); take it out of that area"):
        core.remove_catalogue_entry(sample_store, by_number[12]["id"])
    run(sample_store, core.remove_catalogue_entry(sample_store, entry_id))

    with reopened(db_path) as other:
        numbers = [w["number"] for w in core.catalogue(other, pid)]
        assert numbers == [1, 3, 5, 6, 7, 8, 10, 12, 15, 16, 17]
        assert area(other, pid, TITLES[0])["preferred_workshops"] == [5, 6]
    renumber.revert(sample_store)
    assert area(sample_store, pid, TITLES[0])["preferred_workshops"] == [4, 5]


# -- the page --------------------------------------------------------------------------------------------


def open_page(qtbot: QtBot, store: Store) -> AreasPage:
    page = AreasPage(EditRunner(store))
    qtbot.addWidget(page)
    page.resize(1170, 780)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow, timeout=WAIT_MS)
    page.set_programme(programme_id(store))
    return page


def list_texts(page: AreasPage) -> list[str]:
    model = page.list_model
    return [model.index(r).data() for r in range(model.rowCount())]


def checked_labels(model: PickListModel) -> list[str]:
    return [item.label for item in model.items if item.key in model.checked]


def select(page: AreasPage, title: str) -> None:
    row = next(i for i, a in enumerate(page.list_model.areas) if a["title"] == title)
    page.area_list.setCurrentIndex(page.list_model.index(row))
    assert page.title_edit.text() == title


def click_into(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=WAIT_MS)


def stored_area(db_path: Path, area_id: str) -> dict[str, Any]:
    with reopened(db_path) as other:
        return other.get("areas_of_focus", area_id)


def test_page_shows_the_six_areas_as_in_the_seed(qtbot: QtBot, sample_store: Store) -> None:
    page = open_page(qtbot, sample_store)
    assert list_texts(page) == [f"{n}. {t}" for n, t in enumerate(TITLES, start=1)]
    assert page.count_label.text() == "6 areas of focus"
    assert page.add_button.isEnabled()  # six is the seed's number, not a limit

    select(page, TITLES[1])
    assert [label.split()[0] for label in checked_labels(page.capabilities_model)] == [
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "1.5",
    ]
    assert checked_labels(page.workshops_model) == ["1 — Workshop 1", "3 — Workshop 3", "8 — Workshop 8"]
    assert page.blend.text() == "Blend of workshops 1, 3 and 8"
    assert checked_labels(page.leads_model) == ["Sarah Truelove"]
    not_covered = next(i for i in page.capabilities_model.items if i.key == "5.1")
    assert not_covered.muted and not_covered.label.startswith("5.1 (not covered) The system has a meaningful")
    assert page.capabilities_model.items[0].label.startswith("1.1 The system has strong leadership")

    select(page, TITLES[5])
    assert checked_labels(page.leads_model) == ["Sara Blackmore", "Peter Brindle"]
    assert page.outputs.toPlainText() == "Consensus within Healthier Together on what our long term priorities are"
    assert "Milestones of area 6" in page.links.text()

    plans, outcomes = page.plans_model, page.outcomes_model
    assert plans.index(0, 0).data() == "1. Sharpening and communicating our vision"
    assert plans.index(0, 1).data().startswith("Blend of workshops 4 and 5: There is a vision, but we want")
    assert plans.index(1, 2).data() == "1.1, 1.2, 1.3, 1.4, 1.5"
    assert outcomes.index(4, 1).data() == "• Roadmaps for each priority area"
    assert outcomes.index(5, 2).data() == (
        "• Insight into the demand on our system and the capacity required to meet this demand.\n"
        "• Single version of the truth."
    )
    grabbed = list(page.smoke_views(lambda: page.grab()))
    assert [name for name, _ in grabbed] == ["plans", "outcomes"]
    assert all(isinstance(image, QPixmap) and not image.isNull() for _, image in grabbed)
    assert page.tabs.currentIndex() == 0


def test_typing_title_narrative_outputs_is_saved_and_undo_refreshes_the_widgets(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    page = open_page(qtbot, sample_store)
    runner = page._runner
    select(page, TITLES[2])
    area_id = page.current_area_id()
    assert area_id is not None

    click_into(qtbot, page.title_edit)
    page.title_edit.selectAll()
    qtbot.keyClicks(page.title_edit, "From vision to delivery")
    qtbot.waitUntil(lambda: stored_area(db_path, area_id)["title"] == "From vision to delivery", timeout=WAIT_MS)
    assert list_texts(page)[2] == "3. From vision to delivery"  # the list follows

    click_into(qtbot, page.narrative)
    qtbot.keyClick(page.narrative, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(page.narrative, " Added in the room.")
    click_into(qtbot, page.outputs)
    page.outputs.setPlainText("First output\n\n  Second, indented  \n")
    page.flush()
    saved = stored_area(db_path, area_id)
    assert saved["narrative"].endswith("more centrally Added in the room.")
    assert saved["outputs"] == ["First output", "  Second, indented  "]  # blank lines dropped, text as typed

    for _ in range(3):
        runner.stack.undo()
    restored = stored_area(db_path, area_id)
    assert restored["title"] == TITLES[2]
    assert restored["outputs"][0] == "Agreement on how the delivery of the vision will be achieved."
    assert not restored["narrative"].endswith("Added in the room.")
    assert page.title_edit.text() == TITLES[2]
    assert page.outputs.toPlainText().startswith("Agreement on how the delivery")
    assert not page.narrative.toPlainText().endswith("Added in the room.")
    assert list_texts(page)[2] == f"3. {TITLES[2]}"
    runner.stack.redo()  # the title again
    assert page.title_edit.text() == "From vision to delivery"


def test_pick_lists_save_ticks_by_keyboard_and_undo(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    page = open_page(qtbot, sample_store)
    select(page, TITLES[4])
    area_id = page.current_area_id()
    assert area_id is not None

    def tick(view: QListView, key: Any) -> None:
        model = view.model()
        row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ID_ROLE) == key)
        view.setFocus()
        view.setCurrentIndex(model.index(row, 0))
        qtbot.keyClick(view, Qt.Key.Key_Space)

    messages: list[str] = []
    page._runner.saved.connect(messages.append)
    tick(page.capabilities_view, "1.5")
    assert messages == ["Saved area 5 capabilities addressed"]
    tick(page.capabilities_view, "4.1")  # untick
    tick(page.workshops_view, 1)
    people = {p.name: p.id for p in sample_store.people(programme_id(sample_store))}
    tick(page.leads_view, people["Julia Ross"])
    saved = stored_area(db_path, area_id)
    assert saved["capabilities"] == ["1.5", "4.2"]  # in framework order
    assert saved["preferred_workshops"] == [1, 15, 16, 17]
    assert saved["topic_leads"] == [people["Julia Ross"], people["Martin Jones"], people["Bill Oldfield"]]
    assert checked_labels(page.workshops_model)[0] == "1 — Workshop 1"
    assert page.blend.placeholderText() == "Blend of workshops 1, 15, 16 and 17"

    for _ in range(4):
        page._runner.stack.undo()
    saved = stored_area(db_path, area_id)
    assert (saved["capabilities"], saved["preferred_workshops"]) == (["4.1", "4.2"], [15, 16, 17])
    assert checked_labels(page.leads_model) == ["Martin Jones", "Bill Oldfield"]
    assert [label.split()[0] for label in checked_labels(page.capabilities_model)] == ["4.1", "4.2"]


def test_remove_asks_then_keeps_milestones_and_undo_brings_it_back(
    qtbot: QtBot, sample_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = open_page(qtbot, sample_store)
    pid = programme_id(sample_store)
    before = milestone_area_titles(sample_store, pid)
    asked: list[str] = []
    answer = [QMessageBox.StandardButton.No]

    def question(_parent: QWidget, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(QMessageBox, "question", question)
    select(page, TITLES[1])
    page.area_list.setFocus()
    qtbot.keyClick(page.area_list, Qt.Key.Key_Delete)
    assert asked and asked[0].startswith("Remove area 2 (System governance and leadership)?")
    with reopened(db_path) as other:
        assert titles(other, pid) == TITLES  # said no

    answer[0] = QMessageBox.StandardButton.Yes
    page.remove_button.click()
    with reopened(db_path) as other:
        assert titles(other, pid) == [t for t in TITLES if t != TITLES[1]]
        assert milestone_area_titles(other, pid) == {k: [t for t in v if t != TITLES[1]] for k, v in before.items()}
    assert list_texts(page)[1] == "2. Vision through to execution"
    assert page.title_edit.text() == TITLES[2]  # the editor moved to the area now in that place
    assert page.add_button.isEnabled()

    page._runner.stack.undo()
    with reopened(db_path) as other:
        assert titles(other, pid) == TITLES
        assert milestone_area_titles(other, pid) == before
    assert list_texts(page)[1] == f"2. {TITLES[1]}"


def test_alt_arrows_reorder_and_milestones_follow(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    page = open_page(qtbot, sample_store)
    pid = programme_id(sample_store)
    before = milestone_area_titles(sample_store, pid)
    select(page, TITLES[3])
    click_into(qtbot, page.title_edit)  # the shortcut works from anywhere on the page
    qtbot.keyClick(page.title_edit, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(page.title_edit, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    with reopened(db_path) as other:
        assert titles(other, pid) == [TITLES[0], TITLES[3], TITLES[1], TITLES[2], TITLES[4], TITLES[5]]
        assert milestone_area_titles(other, pid) == before
    assert list_texts(page)[1] == f"2. {TITLES[3]}"
    assert page.area_list.currentIndex().row() == 1 and page.title_edit.text() == TITLES[3]

    page.area_list.setFocus()
    qtbot.keyClick(page.area_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert titles(sample_store, pid)[2] == TITLES[3]
    page.down_button.click()
    assert titles(sample_store, pid)[3] == TITLES[3]
    for _ in range(4):
        page._runner.stack.undo()
    assert titles(sample_store, pid) == TITLES
    assert milestone_area_titles(sample_store, pid) == before
    assert page.title_edit.text() == TITLES[3] and page.area_list.currentIndex().row() == 3


def test_add_twelve_areas_by_keyboard_and_undo_while_typing(
    qtbot: QtBot, store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.create_programme("P", "S", default_framework())
    page = open_page(qtbot, store)
    pid = programme_id(store)
    assert not page.title_edit.isEnabled() and not page.remove_button.isEnabled()

    page.add_button.click()
    assert QApplication.focusWidget() is page.title_edit
    qtbot.keyClicks(page.title_edit, "Workforce")
    qtbot.keyClick(page.title_edit, Qt.Key.Key_Tab)
    assert titles(store, pid) == ["Workforce"]
    for _ in range(11):
        page.area_list.setFocus()  # each addition puts the cursor in the new title
        qtbot.keyClick(page.area_list, Qt.Key.Key_Insert)
        assert QApplication.focusWidget() is page.title_edit
    assert list_texts(page)[-1] == "12. Untitled area of focus"
    assert page.count_label.text() == "12 areas of focus"
    assert page.add_button.isEnabled()
    with reopened(db_path) as other:
        assert [a["number"] for a in core.areas(other, pid)] == list(range(1, 13))

    # Typing pending in the newest area when its addition is undone: nothing crashes, the editor moves on.
    monkeypatch.setattr(ui.autosave, "SAVE_DELAY_MS", 600_000)
    page.narrative.setPlainText("typed but not yet saved")
    page._runner.stack.undo()
    assert len(core.areas(store, pid)) == 11
    assert page.current_area_id() == core.areas(store, pid)[-1]["id"]
    assert page.narrative.toPlainText() == ""


def test_odd_text_round_trips_through_the_page(
    qtbot: QtBot, sample_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui.autosave, "SAVE_DELAY_MS", 600_000)  # saved by flush, deterministically
    page = open_page(qtbot, sample_store)
    select(page, TITLES[5])
    area_id = page.current_area_id()
    assert area_id is not None
    click_into(qtbot, page.title_edit)
    qtbot.keyClicks(page.title_edit, "x")  # marks the field typed-in; then Unicode set directly
    page.title_edit.setText(ODD_TEXT)
    qtbot.keyClick(page.title_edit, Qt.Key.Key_End)
    qtbot.keyClicks(page.title_edit, "!")
    page.outcomes.setPlainText(f"{ODD_TEXT}\n\n\n  ")
    page.flush()
    saved = stored_area(db_path, area_id)
    assert saved["title"] == ODD_TEXT + "!"
    assert saved["outcomes"] == [ODD_TEXT]
    with reopened(db_path) as other:
        again = open_page(qtbot, other)
        select(again, ODD_TEXT + "!")
        assert again.outcomes.toPlainText() == ODD_TEXT
        assert list_texts(again)[5] == f"6. {ODD_TEXT}!"


def test_catalogue_editor_edits_renumbers_and_refuses(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    page = open_page(qtbot, sample_store)
    pid = programme_id(sample_store)
    dialog = page.open_catalogue()
    assert dialog is not None and not dialog.isModal() and page.open_catalogue() is dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(dialog.isActiveWindow, timeout=WAIT_MS)
    model, view = dialog.model, dialog.view

    dialog.add_button.click()  # a new workshop 18, its title open for typing
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Peer learning event")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the view commits on its next turn of the event loop
    qtbot.waitUntil(lambda: model.entries[-1]["title"] == "Peer learning event", timeout=WAIT_MS)
    assert dialog.isVisible()  # Return finished the edit; it did not press a button
    with reopened(db_path) as other:
        assert core.catalogue(other, pid)[-1]["number"] == 18
        assert core.catalogue(other, pid)[-1]["title"] == "Peer learning event"
    select(page, TITLES[5])
    assert page.workshops_model.items[-1].label == "18 — Peer learning event"  # offered at once

    row_12 = next(r for r, e in enumerate(model.entries) if e["number"] == 12)
    assert model.setData(model.index(row_12, 0), 13)
    assert stored_area(db_path, area(sample_store, pid, TITLES[5])["id"])["preferred_workshops"] == [13]
    assert checked_labels(page.workshops_model) == ["13 — Workshop 12"]
    assert not model.setData(model.index(row_12, 0), 15)
    assert dialog.message.isVisibleTo(dialog)
    assert dialog.message.text() == "Workshop 15 is already in the catalogue (Workshop 15)."

    view.setFocus()
    view.setCurrentIndex(model.index(row_12, 1))
    dialog.remove_button.click()
    assert dialog.message.text().startswith("Workshop 13 is a preferred workshop of area 6 (Population health")
    view.setCurrentIndex(model.index(model.rowCount() - 1, 1))
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert not dialog.message.isVisibleTo(dialog)
    with reopened(db_path) as other:
        assert [w["number"] for w in core.catalogue(other, pid)] == [1, 3, 4, 5, 7, 8, 10, 13, 15, 16, 17]

    page._runner.stack.undo()  # the removal
    page._runner.stack.undo()  # the renumbering
    assert [e["number"] for e in model.entries][-3:] == [16, 17, 18]
    assert checked_labels(page.workshops_model) == ["12 — Workshop 12"]
    dialog.close()
    qtbot.waitUntil(lambda: page.catalogue_dialog is None, timeout=WAIT_MS)


def test_tab_moves_through_the_editor_in_reading_order(qtbot: QtBot, sample_store: Store) -> None:
    page = open_page(qtbot, sample_store)
    click_into(qtbot, page.title_edit)
    seen = []
    for _ in range(7):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == [
        page.narrative, page.blend, page.workshops_view, page.outputs, page.outcomes,
        page.capabilities_view, page.leads_view,
    ]  # fmt: skip
