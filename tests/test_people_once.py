"""People once: the programme's participants are offered wherever a round is scored, and a topic lead ticked
on an area is the same fact in the participants table and the terms of reference. Real widgets, real files."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from ics_desktop.exports.word_tor import write_tor_docx
from ics_desktop.frameworks import assessments as rounds
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage.edits import set_field
from ics_desktop.storage.store import Store
from ui.models.people_model import PeopleModel
from ui.pages.readiness import ReadinessPage
from ui.readiness.private_entry import HANDOVER, QUESTION, PrivateEntryWindow
from ui.undo import EditRunner

NAMES = ["Julia Ross", "Robert Woolley", "Amanda Deeks", "Ruth Taylor"]


@pytest.fixture
def programme(store: Store) -> tuple[Store, str, str]:
    programme_id = store.create_programme("Readiness 2026", "Test System", default_framework())
    for name in NAMES:
        store.add_person(programme_id, "participant", name=name)
    store.add_person(programme_id, "delivery", name="Kalee Talvitie-Brown")  # the team is not offered
    assessment = rounds.create_assessment(store, programme_id, "Scoping readiness exercise", "2026-11-30")
    return store, programme_id, assessment


def page_on(qtbot: QtBot, store: Store, programme_id: str) -> ReadinessPage:
    page = ReadinessPage(EditRunner(store))
    qtbot.addWidget(page)
    page.resize(1366, 700)
    page.show()
    page.set_programme(programme_id)
    page.tabs.setCurrentIndex(1)
    return page


def scoring(store: Store, assessment_id: str) -> list[tuple[str, str, str | None]]:
    rows = store.conn.execute(
        "SELECT r.label, r.kind, p.name FROM respondents r LEFT JOIN people p ON p.id = r.person_id "
        "WHERE r.assessment_id = ? ORDER BY r.label",
        (assessment_id,),
    ).fetchall()
    return [(r[0], r[1], r[2]) for r in rows]


# The completer's list is a popup: offscreen Qt cannot raise it or grab the keyboard for it (not our bug).
@pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing the keyboard)")
def test_the_grid_offers_the_participants_by_any_part_of_the_name(
    qtbot: QtBot, programme: tuple[Store, str, str]
) -> None:
    store, programme_id, assessment = programme
    page = page_on(qtbot, store, programme_id)
    assert page.participant_names.stringList() == NAMES
    completer = page.new_participant.completer()
    page.new_participant.setFocus()
    qtbot.keyClicks(page.new_participant, "woo")  # any part of the name, any case
    assert completer.currentCompletion() == "Robert Woolley"
    popup = completer.popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: scoring(store, assessment) == [("Robert Woolley", "named", "Robert Woolley")])
    qtbot.waitUntil(lambda: page.new_participant.text() == "")
    assert page.participant_names.stringList() == ["Julia Ross", "Amanda Deeks", "Ruth Taylor"]
    assert page.add_all_button.text() == "Add all participants (3)"

    # A name typed in full (odd spaces and case) is the same person, not a second respondent.
    page.new_participant.setText("  julia   ROSS ")
    qtbot.keyClick(page.new_participant, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("Julia Ross", "named", "Julia Ross") in scoring(store, assessment))
    page.new_participant.setText("A visitor")
    qtbot.keyClick(page.new_participant, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ("A visitor", "named", None) in scoring(store, assessment))
    assert len(scoring(store, assessment)) == 3, "one respondent per Enter"


def test_add_all_adds_every_participant_once_in_one_undoable_step(
    qtbot: QtBot, programme: tuple[Store, str, str]
) -> None:
    store, programme_id, assessment = programme
    page = page_on(qtbot, store, programme_id)
    page.add_participant("Ruth Taylor")
    qtbot.mouseClick(page.add_all_button, Qt.MouseButton.LeftButton)
    assert scoring(store, assessment) == sorted((n, "named", n) for n in NAMES)
    assert page.grid_model.rowCount() == 4
    assert not page.add_all_button.isEnabled()
    page._runner.stack.undo()
    assert scoring(store, assessment) == [("Ruth Taylor", "named", "Ruth Taylor")]
    assert page.add_all_button.text() == "Add all participants (3)"


def test_add_all_is_refused_in_a_tallied_round(qtbot: QtBot, programme: tuple[Store, str, str]) -> None:
    store, programme_id, assessment = programme
    rounds.set_tally(store, assessment, "1.1", "now", {2: 3})
    page = page_on(qtbot, store, programme_id)
    messages: list[str] = []
    page.saved.connect(messages.append)
    assert page.add_all_participants() == 0
    assert messages and messages[-1].startswith("Not added: This round was scored as a tally")
    assert [kind for _label, kind, _name in scoring(store, assessment)] == ["tally"] * 3


def test_the_tally_checks_each_count_against_the_participants(qtbot: QtBot, programme: tuple[Store, str, str]) -> None:
    store, programme_id, assessment = programme
    rounds.set_tally(store, assessment, "1.1", "now", {2: 3})
    rounds.set_tally(store, assessment, "1.2", "now", {1: 4, 3: 1})
    page = page_on(qtbot, store, programme_id)
    page.tabs.setCurrentIndex(2)
    page.tally_question.setCurrentIndex(page.tally_question.findData("now"))
    model = page.tally_model
    assert model.data(model.index(0, 4)) == "3 of 4"
    assert model.data(model.index(1, 4)) == "5 of 4 — more than the participants"


def test_private_entry_lets_a_participant_pick_their_name_or_stay_anonymous(
    qtbot: QtBot, programme: tuple[Store, str, str]
) -> None:
    store, _programme_id, assessment = programme
    window = PrivateEntryWindow(EditRunner(store), assessment)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    assert [window.who.item(i).text() for i in range(window.who.count())] == [
        "Stay anonymous (code P01)",
        *NAMES,
    ]
    assert window.handover_code.text() == "P01"  # anonymous unless a name is picked
    QApplication.processEvents()
    list_bottom = window.who.mapTo(window, window.who.rect().bottomLeft()).y()
    text_top = window.handover_text.mapTo(window, window.handover_text.rect().topLeft()).y()
    assert list_bottom < text_top, "at 1366×768 the names overlap the text below them"
    qtbot.keyClick(window, "a")  # type-ahead
    assert window.handover_code.text() == "Amanda Deeks"
    assert window.handover_code_caption.text() == "Scoring as"
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.screen_index() == QUESTION
    assert window.person_text.text() == "Scoring as Amanda Deeks"
    qtbot.keyClick(window, "3")
    assert scoring(store, assessment) == [("Amanda Deeks", "named", "Amanda Deeks")]

    window.close()
    window = PrivateEntryWindow(EditRunner(store), assessment)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert window.screen_index() == HANDOVER
    assert "Amanda Deeks" not in [window.who.item(i).text() for i in range(window.who.count())]
    qtbot.keyClick(window, Qt.Key.Key_Down)
    qtbot.keyClick(window, Qt.Key.Key_Up)  # back to anonymous
    qtbot.keyClick(window, Qt.Key.Key_Return)
    assert window.person_text.text() == "Your code: P01"
    qtbot.keyClick(window, "2")
    assert ("P01", "anonymous", None) in scoring(store, assessment)


def test_a_programme_without_participants_keeps_the_anonymous_hand_over(qtbot: QtBot, store: Store) -> None:
    programme_id = store.create_programme("Readiness 2026", "Test System", default_framework())
    assessment = rounds.create_assessment(store, programme_id, "Round 1", "2026-11-30")
    window = PrivateEntryWindow(EditRunner(store), assessment)
    qtbot.addWidget(window)
    window.show()
    assert not window.who.isVisible()
    assert window.handover_code_caption.text() == "Your anonymous code"


def test_a_topic_lead_ticked_on_an_area_is_shown_everywhere(qtbot: QtBot, sample_store: Store, tmp_path: Path) -> None:
    (programme,) = sample_store.programmes()
    people = {p.name: p.id for p in sample_store.people(programme.id, "participant")}
    areas = sample_store.areas_of_focus(programme.id)
    governance = next(a for a in areas if a["title"] == "System governance and leadership")
    runner = EditRunner(sample_store)
    model = PeopleModel(runner, "participant")
    model.set_programme(programme.id)
    column = 3
    assert model.headerData(column, Qt.Orientation.Horizontal) == "Topic lead"
    row = next(r for r in range(model.rowCount()) if model.person(r).name == "Julia Ross")
    assert model.data(model.index(row, column)) == "Sharpening and communicating our vision"
    assert not model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable

    leads = [*governance["topic_leads"], people["Julia Ross"]]
    runner.run(set_field(sample_store, "areas_of_focus", governance["id"], "topic_leads", leads, "topic leads"))
    QApplication.processEvents()
    assert model.data(model.index(row, column)) == (
        "Sharpening and communicating our vision & System governance and leadership"
    )
    target = tmp_path / "tor.docx"
    write_tor_docx(sample_store, programme.id, target)
    rows = [[c.text for c in r.cells] for t in Document(str(target)).tables for r in t.rows]
    julia = next(r for r in rows if r and r[0] == "Julia Ross")
    assert julia[-1] == "Sharpening and communicating our vision & System governance and leadership"
    sarah = next(r for r in rows if r and r[0] == "Sarah Truelove")
    assert sarah[-1] == "System governance and leadership & System finances and single plan"


@pytest.mark.parametrize("size", [(1366, 768), (1024, 600)])
def test_the_names_never_cover_the_hand_over_text(qtbot: QtBot, sample_store: Store, size: tuple[int, int]) -> None:
    (programme,) = sample_store.programmes()
    (assessment,) = sample_store.assessments(programme.id)
    window = PrivateEntryWindow(EditRunner(sample_store), assessment.id)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    assert window.who.count() == 15  # the sample's 14 participants and "stay anonymous"
    list_bottom = window.who.mapTo(window, window.who.rect().bottomLeft()).y()
    text_top = window.handover_text.mapTo(window, window.handover_text.rect().topLeft()).y()
    assert list_bottom < text_top
    assert window.start_button.mapTo(window, window.start_button.rect().bottomLeft()).y() <= size[1]
