"""Agreeing in front of the room: the agreement panel in presentation mode, the facilitator's console when the
slides are on another screen, and areas of focus made from the focus capabilities. Real widgets, a real file."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QComboBox, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ics_desktop.frameworks.assessments import create_assessment
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage.store import Store
from ui.readiness.focus_areas_dialog import FocusAreasDialog
from ui.readiness.presentation import CapabilitySlide, PresentationWindow
from ui.undo import EditRunner


def sample_assessment(store: Store) -> str:
    (programme,) = store.programmes()
    (assessment,) = store.assessments(programme.id)
    return assessment.id


def present(qtbot: QtBot, runner: EditRunner, assessment_id: str, **options: object) -> PresentationWindow:
    window = PresentationWindow(runner.store, assessment_id, runner=runner, **options)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    qtbot.waitExposed(window)
    return window


def slide_of(window: PresentationWindow, code: str) -> int:
    return next(i for i, s in enumerate(window.slides) if isinstance(s, CapabilitySlide) and s.code == code)


def focused() -> object:
    return QApplication.focusWidget()


def test_the_group_agreement_is_recorded_from_the_keyboard_on_the_slide(qtbot: QtBot, sample_store: Store) -> None:
    assessment_id = sample_assessment(sample_store)
    runner = EditRunner(sample_store)
    window = present(qtbot, runner, assessment_id)
    window.go_to(slide_of(window, "2.1"))
    assert window.agreement is not None
    assert not window.agreement.isVisible(), "the panel is not shown to the room until asked for"

    qtbot.keyClick(window, Qt.Key.Key_G)
    panel = window.agreement
    assert panel.isVisible()
    assert panel.heading.text() == "Agree 2.1"
    qtbot.waitUntil(lambda: focused() is panel.current)

    qtbot.keyClick(panel.current, "1")  # a number picks the level
    qtbot.keyClick(panel.current, Qt.Key.Key_Backspace)  # not a slide key while agreeing
    assert window.current_slide() == slide_of(window, "2.1")
    qtbot.keyClick(panel.current, Qt.Key.Key_Tab)
    qtbot.keyClick(panel.desired, "?")  # left open
    qtbot.keyClick(panel.desired, Qt.Key.Key_Tab)
    qtbot.keyClick(panel.change, "R")  # Remained the same
    qtbot.keyClick(panel.change, Qt.Key.Key_Tab)
    assert focused() is panel.focus
    qtbot.keyClick(panel.focus, Qt.Key.Key_Space)
    panel.justification.setFocus()
    qtbot.keyClicks(panel.justification, "No shared plan yet <b>& ")
    panel.justification.insertPlainText("“quotes”</b> 🙂")  # pasted: QTest types ASCII only

    row = sample_store.capability_results(assessment_id)["2.1"]
    assert row["agreed_current"] == 1
    assert row["agreed_desired"] is None and row["desired_open"] == 1
    assert row["change"] == "same" and row["change_blank"] == 0
    assert row["focus"] == 1

    qtbot.keyClick(panel.justification, Qt.Key.Key_PageDown)  # the next slide; the justification is saved first
    assert window.current_slide() == slide_of(window, "2.1") + 1
    row = sample_store.capability_results(assessment_id)["2.1"]
    assert row["justification"] == "No shared plan yet <b>& “quotes”</b> 🙂"
    assert panel.heading.text() != "Agree 2.1", "the panel follows the slide"

    qtbot.keyClick(panel.justification, Qt.Key.Key_Escape)
    assert not panel.isVisible()
    assert window.hasFocus()
    qtbot.keyClick(window, Qt.Key.Key_Left)
    slide = window.slides[window.current_slide()]
    assert isinstance(slide, CapabilitySlide) and slide.code == "2.1"
    window.reveal()
    assert slide.agreed_label.text().startswith(
        "Agreed by the group: current 1 More progress required → desired left open (?)"
    )


def test_each_choice_is_one_undoable_step_and_undo_shows_on_the_panel(qtbot: QtBot, sample_store: Store) -> None:
    assessment_id = sample_assessment(sample_store)
    before = sample_store.capability_results(assessment_id)["1.1"]
    runner = EditRunner(sample_store)
    window = present(qtbot, runner, assessment_id)
    window.go_to(slide_of(window, "1.1"))
    window.open_agreement()
    panel = window.agreement
    assert panel is not None
    shown_before = panel.current.currentText()
    qtbot.keyClick(panel.current, "4")
    assert sample_store.capability_results(assessment_id)["1.1"]["agreed_current"] == 4
    runner.stack.undo()
    assert sample_store.capability_results(assessment_id)["1.1"]["agreed_current"] == before["agreed_current"]
    assert panel.current.currentText() == shown_before


def test_a_change_can_be_left_blank_on_purpose_and_a_long_justification_is_refused(
    qtbot: QtBot, sample_store: Store
) -> None:
    assessment_id = sample_assessment(sample_store)
    runner = EditRunner(sample_store)
    messages: list[str] = []
    runner.saved.connect(messages.append)
    window = present(qtbot, runner, assessment_id)
    window.go_to(slide_of(window, "3.1"))
    window.open_agreement()
    panel = window.agreement
    assert panel is not None
    panel.change.setFocus()
    qtbot.keyClick(panel.change, "L")  # Left blank
    row = sample_store.capability_results(assessment_id)["3.1"]
    assert row["change"] is None and row["change_blank"] == 1

    kept = row["justification"]
    panel.justification.setPlainText("x" * 100_001)
    panel.flush()
    window.next_slide()
    assert sample_store.capability_results(assessment_id)["3.1"]["justification"] == kept
    assert any("at most 100,000 characters" in m for m in messages)


def test_with_a_second_screen_the_agreement_is_never_on_the_slides(qtbot: QtBot, sample_store: Store) -> None:
    assessment_id = sample_assessment(sample_store)
    runner = EditRunner(sample_store)
    window = present(qtbot, runner, assessment_id, console_screen=QGuiApplication.primaryScreen())
    console = window.console
    assert console is not None and window.agreement is not None
    qtbot.addWidget(console)
    console.show()
    assert not window.isAncestorOf(window.agreement)
    assert console.isAncestorOf(window.agreement)
    assert not window.findChildren(QComboBox) and not window.findChildren(QPlainTextEdit)

    qtbot.keyClick(console, Qt.Key.Key_End)  # not a console key: nothing moves
    start = window.current_slide()
    target = slide_of(window, "1.2")
    for _ in range(target - start):
        qtbot.keyClick(console, Qt.Key.Key_PageDown)
    assert window.current_slide() == target
    assert console.on_screen.text() == f"On the projector: slide {target + 1} of {window.slide_count()}, capability 1.2"
    assert window.agreement.heading.text() == "Agree 1.2"
    window.agreement.current.setFocus()
    qtbot.keyClick(window.agreement.current, "3")
    assert sample_store.capability_results(assessment_id)["1.2"]["agreed_current"] == 3
    console.close()
    assert not window.isVisible(), "closing the console ends the presentation"


def test_focus_capabilities_become_areas_of_focus_pre_ticked(qtbot: QtBot, store: Store) -> None:
    programme_id = store.create_programme("Readiness 2026", "Test System", default_framework())
    assessment_id = create_assessment(store, programme_id, "Workshop 1", "2026-11-30")
    for code in ("1.1", "1.3", "4.2"):
        store.set_capability_result(assessment_id, code, focus=1)
    store.set_capability_result(assessment_id, "2.1", agreed_current=2, focus=0)
    runner = EditRunner(store)

    dialog = FocusAreasDialog(runner, assessment_id)
    qtbot.addWidget(dialog)
    assert dialog.ticked() == ["1.1", "1.3", "4.2"]
    assert dialog.create_areas()
    made = store.areas_of_focus(programme_id)
    assert [(a["number"], a["title"], a["capabilities"]) for a in made] == [
        (1, "Effective leadership and relationships, capacity & capability", ["1.1", "1.3"]),
        (2, "Focused on care redesign", ["4.2"]),
    ]
    runner.stack.undo()
    assert store.areas_of_focus(programme_id) == []

    dialog = FocusAreasDialog(runner, assessment_id)
    qtbot.addWidget(dialog)
    dialog.one_area.setChecked(True)
    dialog.title.setText("Sharpening and communicating our vision")
    dialog.create_areas()
    (only,) = store.areas_of_focus(programme_id)
    assert (only["title"], only["capabilities"]) == ("Sharpening and communicating our vision", ["1.1", "1.3", "4.2"])


def test_areas_from_focus_say_why_when_nothing_is_ticked(qtbot: QtBot, store: Store) -> None:
    programme_id = store.create_programme("Readiness 2026", "Test System", default_framework())
    assessment_id = create_assessment(store, programme_id, "Workshop 1", "2026-11-30")
    dialog = FocusAreasDialog(EditRunner(store), assessment_id)
    qtbot.addWidget(dialog)
    assert dialog.ticked() == []
    assert not dialog.create_areas()
    assert dialog.problem.text() == "Tick at least one focus capability to make an area of focus from it."
    assert dialog.isVisible() or not dialog.result()
    assert store.areas_of_focus(programme_id) == []
