"""GUI tests: the real main window over a real SQLite file, driven with pytest-qt like a user would."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

import ui.autosave
from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage.store import Store
from ui.dialogs import NewProgrammeDialog
from ui.main_window import MainWindow
from ui.models.framework_models import NOT_COVERED

from .conftest import ROOT

SAMPLE_PROGRAMME = "Supporting Aspiring ICS Programme"
SAMPLE_SYSTEM = "Healthier Together (BNSSG)"
SAMPLE_LABEL = f"{SAMPLE_SYSTEM} — {SAMPLE_PROGRAMME}  (Sample)"  # the sample is marked wherever listed
WAIT_MS = 5000  # generous upper bound for the 300 ms autosave pause
UNICODE_TEXT = "Ysbyty Gwynedd ŵ ł <b>&amp; עברית 🙂\n  second line with trailing spaces  "


# -- helpers ---------------------------------------------------------------------------------------


def open_window(qtbot: QtBot, store: Store) -> MainWindow:
    """The main window, shown and active (so focus and shortcuts behave as for a user)."""
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)
    return window


def click_into(qtbot: QtBot, widget: QWidget) -> None:
    """Click a text field and wait until it really has the keyboard focus."""
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=WAIT_MS)


def select_all(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


@contextmanager
def reopened(db_path: Path) -> Iterator[Store]:
    """A second, independent connection to the same file (what the next app launch would see)."""
    other = Store.open(db_path)
    try:
        yield other
    finally:
        other.close()


def read_system(db_path: Path, programme_id: str) -> dict[str, Any]:
    with reopened(db_path) as other:
        return other.system(other.programme(programme_id).system_id)


def read_participants(db_path: Path, programme_id: str) -> list[Any]:
    with reopened(db_path) as other:
        return other.people(programme_id, "participant")


def only_programme_id(store: Store) -> str:
    (programme,) = store.programmes()
    return programme.id


def agreed_maturities(store: Store, programme_id: str) -> dict[str, tuple[Any, Any]]:
    """Agreed (current, desired) per capability code, over all the programme's assessments."""
    found: dict[str, tuple[Any, Any]] = {}
    for assessment in store.assessments(programme_id):
        for code, result in store.capability_results(assessment.id).items():
            found[f"{assessment.name}/{code}"] = (result["agreed_current"], result["agreed_desired"])
    return found


# -- 1. opening ------------------------------------------------------------------------------------


def test_main_window_shows_sample_programme_overview_and_framework(qtbot: QtBot, sample_store: Store) -> None:
    window = open_window(qtbot, sample_store)

    assert [window.nav.item(row).text() for row in range(window.nav.count())][:3] == [
        "Overview",
        "Framework",
        "Readiness",
    ]
    assert window.picker.count() == 1
    assert window.picker.currentText() == SAMPLE_LABEL
    assert window.stack.currentWidget() is window.overview
    assert window.overview.heading.text() == SAMPLE_PROGRAMME
    assert "14 participants" in window.overview.subheading.text()
    assert SAMPLE_SYSTEM in window.overview.subheading.text()
    assert window.overview.system_name.text() == SAMPLE_SYSTEM
    assert SAMPLE_PROGRAMME in window.windowTitle()

    window.nav.setCurrentRow(1)
    assert window.stack.currentWidget() is window.framework
    view = window.framework.capabilities
    model = view.model()
    assert model.rowCount() == 14
    assert model.index(0, 0).data() == "1.1"
    covered = {model.index(row, 0).data(): model.index(row, 3).data() for row in range(model.rowCount())}
    assert covered["5.1"] == NOT_COVERED == "Not covered on this programme"
    assert [code for code, text in covered.items() if text != "Yes"] == ["5.1"]
    assert "Not covered on this programme: 5.1" in window.framework.details.text()


# -- 2-4. autosave of text fields ---------------------------------------------------------------


def test_system_name_typed_and_enter_is_saved(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    window = open_window(qtbot, sample_store)
    programme_id = only_programme_id(sample_store)
    edit = window.overview.system_name

    click_into(qtbot, edit)
    select_all(qtbot, edit)
    qtbot.keyClicks(edit, "Healthier Together ICS")
    qtbot.keyClick(edit, Qt.Key.Key_Return)

    assert read_system(db_path, programme_id)["name"] == "Healthier Together ICS"
    assert "Saved" in window.statusBar().currentMessage()
    # The new name shows wherever the system is named.
    assert window.picker.currentText() == f"Healthier Together ICS — {SAMPLE_PROGRAMME}  (Sample)"
    assert "Healthier Together ICS ·" in window.overview.subheading.text()


def test_system_overview_autosaves_after_pause_without_leaving_field(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    window = open_window(qtbot, sample_store)
    programme_id = only_programme_id(sample_store)
    box: QPlainTextEdit = window.overview.system_overview

    click_into(qtbot, box)
    select_all(qtbot, box)
    qtbot.keyClicks(box, "Three localities, one plan.")
    qtbot.waitUntil(
        lambda: read_system(db_path, programme_id)["overview"] == "Three localities, one plan.", timeout=WAIT_MS
    )
    assert QApplication.focusWidget() is box  # saved while the user is still in the field

    box.setPlainText(UNICODE_TEXT)
    qtbot.waitUntil(lambda: read_system(db_path, programme_id)["overview"] == UNICODE_TEXT, timeout=WAIT_MS)
    assert QApplication.focusWidget() is box
    assert "Saved system overview" in window.statusBar().currentMessage()


def test_line_edit_typed_then_paused_then_left_is_saved(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    window = open_window(qtbot, sample_store)
    programme_id = only_programme_id(sample_store)
    edit = window.overview.full_name

    click_into(qtbot, edit)
    select_all(qtbot, edit)
    qtbot.keyClicks(edit, "Bristol and around")
    qtbot.wait(ui.autosave.SAVE_DELAY_MS * 3)  # the user pauses to think...
    qtbot.keyClick(edit, Qt.Key.Key_Tab)  # ...then moves on
    assert QApplication.focusWidget() is not edit

    assert read_system(db_path, programme_id)["full_name"] == "Bristol and around"


def test_unicode_text_is_stored_exactly_as_typed(
    qtbot: QtBot, sample_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui.autosave, "SAVE_DELAY_MS", 600_000)  # saved by the flush on close, deterministically
    window = open_window(qtbot, sample_store)
    programme_id = only_programme_id(sample_store)

    click_into(qtbot, window.overview.system_overview)
    window.overview.system_overview.setPlainText(UNICODE_TEXT)
    window.overview.partners.setPlainText("Cyngor Gwynedd ŵ ł\n\n  עברית 🙂  \n<b>&amp;</b>\n")
    window.close()

    system = read_system(db_path, programme_id)
    assert system["overview"] == UNICODE_TEXT  # not escaped, not trimmed
    assert system["partner_organisations"] == ["Cyngor Gwynedd ŵ ł", "  עברית 🙂  ", "<b>&amp;</b>"]

    # And it comes back intact in a new window over a new connection.
    with reopened(db_path) as other:
        again = open_window(qtbot, other)
        assert again.overview.system_overview.toPlainText() == UNICODE_TEXT
        again.close()


def test_pending_typing_is_saved_when_window_closes(
    qtbot: QtBot, sample_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long pause makes certain that only the close, not the timer, can have saved the text.
    monkeypatch.setattr(ui.autosave, "SAVE_DELAY_MS", 600_000)
    window = open_window(qtbot, sample_store)
    programme_id = only_programme_id(sample_store)
    box = window.overview.governance

    click_into(qtbot, box)
    select_all(qtbot, box)
    qtbot.keyClicks(box, "Board meets monthly")
    assert read_system(db_path, programme_id)["governance_notes"] != "Board meets monthly"

    window.close()

    assert read_system(db_path, programme_id)["governance_notes"] == "Board meets monthly"


def test_pending_typing_is_saved_to_the_right_programme_when_switching(
    qtbot: QtBot, sample_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ui.autosave, "SAVE_DELAY_MS", 600_000)
    other_id = sample_store.create_programme(
        "Another programme", "Another system", sample_store.framework(sample_store.programmes()[0].framework_id)
    )
    window = open_window(qtbot, sample_store)
    sample_id = sample_store.programme_by_name(SAMPLE_PROGRAMME).id  # type: ignore[union-attr]
    window.picker.setCurrentIndex(window.picker.findData(sample_id))
    edit = window.overview.full_name

    click_into(qtbot, edit)
    select_all(qtbot, edit)
    qtbot.keyClicks(edit, "Bristol, North Somerset and South Gloucestershire")
    window.picker.setCurrentIndex(window.picker.findData(other_id))

    assert window.overview.heading.text() == "Another programme"
    assert read_system(db_path, sample_id)["full_name"] == "Bristol, North Somerset and South Gloucestershire"
    assert read_system(db_path, other_id)["full_name"] == ""


# -- 5-6. participants table ------------------------------------------------------------------------


def test_editing_participant_role_in_table_is_saved(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    window = open_window(qtbot, sample_store)
    programme_id = only_programme_id(sample_store)
    view = window.overview.participants.view
    model = window.overview.participants_model
    person = model.person(0)
    index = model.index(0, 1)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Role"

    view.setFocus()
    view.setCurrentIndex(index)
    view.edit(index)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    assert editor.text() == person.role
    select_all(qtbot, editor)
    qtbot.keyClicks(editor, "Director of Integration")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Qt commits the editor's text from the event loop

    def role_saved() -> bool:
        return {p.id: p.role for p in read_participants(db_path, programme_id)}[person.id] == "Director of Integration"

    qtbot.waitUntil(role_saved, timeout=WAIT_MS)
    saved = {p.id: p for p in read_participants(db_path, programme_id)}
    assert saved[person.id].role == "Director of Integration"
    assert saved[person.id].name == person.name  # only the edited column changed
    assert index.data() == "Director of Integration"
    assert "Saved role" in window.statusBar().currentMessage()


def test_add_and_remove_participant(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    window = open_window(qtbot, sample_store)
    programme_id = only_programme_id(sample_store)
    table = window.overview.participants
    assert len(read_participants(db_path, programme_id)) == 14

    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)

    assert len(read_participants(db_path, programme_id)) == 15
    assert table.model.rowCount() == 15
    # The new row is opened for typing its name straight away.
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "Pat Newcomer")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: [p.name for p in read_participants(db_path, programme_id)].count("Pat Newcomer") == 1, timeout=WAIT_MS
    )
    assert read_participants(db_path, programme_id)[-1].name == "Pat Newcomer"  # appended at the end

    first = table.model.person(0)
    table.view.setCurrentIndex(table.model.index(0, 0))
    qtbot.mouseClick(table.remove_button, Qt.MouseButton.LeftButton)

    remaining = read_participants(db_path, programme_id)
    assert len(remaining) == 14
    assert first.id not in {p.id for p in remaining}
    assert "Pat Newcomer" in {p.name for p in remaining}
    assert table.model.rowCount() == 14


def test_participant_count_in_heading_follows_add_and_remove(qtbot: QtBot, sample_store: Store) -> None:
    window = open_window(qtbot, sample_store)
    table = window.overview.participants

    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)

    assert "15 participants" in window.overview.subheading.text()


# -- 7-8. new and duplicate programme ----------------------------------------------------------------


def new_programme_dialog(qtbot: QtBot, window: MainWindow) -> NewProgrammeDialog:
    """Open the New programme dialog from the File menu's action; returns it once shown."""
    window.new_action.trigger()
    qtbot.waitUntil(lambda: window.new_dialog is not None and window.new_dialog.isVisible(), timeout=WAIT_MS)
    assert window.new_dialog is not None
    return window.new_dialog


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


def record_warnings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    warnings: list[tuple[str, str]] = []

    def warning(_parent: QWidget, title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        warnings.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", warning)
    return warnings


def test_new_programme_uses_baseline_framework_and_is_opened(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    window = open_window(qtbot, sample_store)
    dialog = new_programme_dialog(qtbot, window)
    # The sample already uses the usual name: the one offered is free.
    assert dialog.name.text() == "Supporting Aspiring ICS Programme 2"
    assert not dialog.ok_button.isEnabled()  # no system yet
    type_into(qtbot, dialog.name, "Test Programme")
    type_into(qtbot, dialog.system, "Test System")
    assert dialog.ok_button.isEnabled() and dialog.message.isHidden()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)

    with reopened(db_path) as other:
        created = other.programme_by_name("Test Programme")
        assert created is not None
        assert created.system_name == "Test System"
        framework = other.programme_framework(created.id)
        assert framework.key == "ics-baseline-capabilities"
        assert framework.name == "ICS baseline capabilities"
        assert len(framework.capabilities) == 14
        assert all(c.covered for c in framework.capabilities)
        # Its own copy of the framework, not the sample's.
        assert created.framework_id != other.programme_by_name(SAMPLE_PROGRAMME).framework_id  # type: ignore[union-attr]
        assert other.people(created.id) == []
        new_id = created.id
    assert window.picker.count() == 2
    assert window.picker.currentData() == new_id
    assert window.picker.currentText() == "Test System — Test Programme"
    assert window.overview.heading.text() == "Test Programme"
    assert "0 participants" in window.overview.subheading.text()
    assert window.overview.system_name.text() == "Test System"
    assert window.framework.capabilities_model.rowCount() == 14
    assert "Created programme Test Programme" in window.statusBar().currentMessage()


def test_new_programme_names_are_unique_per_system_and_a_refusal_keeps_what_was_typed(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    window = open_window(qtbot, sample_store)
    dialog = new_programme_dialog(qtbot, window)
    type_into(qtbot, dialog.name, "supporting aspiring ics programme")
    type_into(qtbot, dialog.system, "Healthier Together (BNSSG)")
    # The sample's system has it already: said at once, OK waits, the text stays.
    assert not dialog.ok_button.isEnabled()
    assert dialog.message.isVisible()
    assert dialog.message.text() == (
        "Healthier Together (BNSSG) already has a programme called 'Supporting Aspiring ICS Programme'."
    )
    type_into(qtbot, dialog.system, "Somerset")  # another system may use the same name
    assert dialog.ok_button.isEnabled() and dialog.message.isHidden()
    # Taken by someone else between typing and OK (another window): refused, the dialog stays open.
    sample_store.create_programme("Supporting Aspiring ICS Programme", "Somerset", default_framework())
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.message.text() == "Somerset already has a programme called 'Supporting Aspiring ICS Programme'."
    assert (dialog.name.text(), dialog.system.text()) == ("supporting aspiring ics programme", "Somerset")
    type_into(qtbot, dialog.system, "Dorset")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    with reopened(db_path) as other:
        assert sorted((p.system_name, p.name) for p in other.programmes()) == [
            ("Dorset", "supporting aspiring ics programme"),
            ("Healthier Together (BNSSG)", "Supporting Aspiring ICS Programme"),
            ("Somerset", "Supporting Aspiring ICS Programme"),
        ]


def test_new_programme_cancelled_creates_nothing(qtbot: QtBot, sample_store: Store, db_path: Path) -> None:
    window = open_window(qtbot, sample_store)
    dialog = new_programme_dialog(qtbot, window)
    type_into(qtbot, dialog.system, "Somewhere")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    with reopened(db_path) as other:
        assert [p.name for p in other.programmes()] == [SAMPLE_PROGRAMME]
    assert window.picker.count() == 1


def test_duplicate_programme_makes_independent_full_copy(
    qtbot: QtBot, sample_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, sample_store)
    original_id = only_programme_id(sample_store)
    asked: list[str] = []

    def get_text(_parent: QWidget, _title: str, _label: str, *args: Any, **kwargs: Any) -> tuple[str, bool]:
        asked.append(kwargs.get("text", ""))
        return "BNSSG copy", True

    monkeypatch.setattr(QInputDialog, "getText", get_text)

    window.duplicate_action.trigger()

    assert asked == [f"{SAMPLE_PROGRAMME} (copy)"]
    with reopened(db_path) as other:
        copy = other.programme_by_name("BNSSG copy")
        assert copy is not None and copy.id != original_id
        copy_id = copy.id
        assert len(other.people(copy_id, "participant")) == 14
        assert len(other.people(copy_id)) == len(other.people(original_id))
        assert len(other.areas_of_focus(copy_id)) == 6
        assert agreed_maturities(other, copy_id) == agreed_maturities(other, original_id)
        assert len(agreed_maturities(other, copy_id)) >= 13
        assert other.system(copy.system_id)["overview"] == read_system(db_path, original_id)["overview"]
        assert copy.system_id != other.programme(original_id).system_id
    assert window.picker.currentData() == copy_id
    assert window.overview.heading.text() == "BNSSG copy"
    assert "14 participants" in window.overview.subheading.text()

    # Renaming the copy's system leaves the original alone.
    edit = window.overview.system_name
    click_into(qtbot, edit)
    select_all(qtbot, edit)
    qtbot.keyClicks(edit, "Copied System")
    qtbot.keyClick(edit, Qt.Key.Key_Return)

    assert read_system(db_path, copy_id)["name"] == "Copied System"
    assert read_system(db_path, original_id)["name"] == SAMPLE_SYSTEM
    labels = sorted(window.picker.itemText(i) for i in range(window.picker.count()))
    assert labels == sorted(["Copied System — BNSSG copy", SAMPLE_LABEL])  # a copy is not the sample


def test_duplicate_programme_with_taken_name_warns(
    qtbot: QtBot, sample_store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = open_window(qtbot, sample_store)
    warnings = record_warnings(monkeypatch)
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: (SAMPLE_PROGRAMME.upper(), True))

    window.duplicate_action.trigger()

    assert len(warnings) == 1 and warnings[0][0] == "Duplicate programme"
    with reopened(db_path) as other:
        assert len(other.programmes()) == 1
    assert window.picker.count() == 1


# -- 9. keyboard navigation -----------------------------------------------------------------------


def test_ctrl_number_switches_pages(qtbot: QtBot, sample_store: Store) -> None:
    window = open_window(qtbot, sample_store)
    assert window.stack.currentWidget() is window.overview

    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)

    assert window.nav.currentRow() == 1
    assert window.stack.currentWidget() is window.framework

    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)

    assert window.stack.currentWidget() is window.overview


# -- 10. the packaged smoke test, end to end --------------------------------------------------------


def test_smoke_test_end_to_end(tmp_path: Path) -> None:
    db = tmp_path / "smoke.sqlite"
    shots = tmp_path / "shots"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}

    made = subprocess.run(
        [sys.executable, "main.py", "sample", "--db", str(db)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert made.returncode == 0, made.stderr
    assert db.exists()

    smoke = subprocess.run(
        [sys.executable, "main.py", "--smoke-test", "--size", "1366x768", "--db", str(db), "--screenshots", str(shots)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert smoke.returncode == 0, smoke.stderr
    assert "Traceback" not in smoke.stderr
    match = re.search(r"smoke-test ok ready_ms=\d+ pages=(\d+) clipped=(\d+)", smoke.stdout)
    assert match, smoke.stdout
    pages = int(match.group(1))
    assert match.group(2) == "0", smoke.stderr  # every control of every page within 1366×768
    assert (shots / "01-overview.png").read_bytes()[16:24] == (1366).to_bytes(4, "big") + (768).to_bytes(4, "big")
    pngs = sorted(shots.glob("*.png"))
    names = {p.name for p in pngs}
    page_shots = sorted(n for n in names if re.fullmatch(r"\d\d-[a-z-]+\.png", n) and "--" not in n)
    assert page_shots[:3] == ["01-overview.png", "02-framework.png", "03-readiness.png"]
    assert len(page_shots) == pages
    assert {"03-readiness--results.png", "03-readiness--grid.png", "03-readiness--chart-now.png"} <= names
    assert len(list((shots / "presentation").glob("slide-*.png"))) >= 3  # presentation mode
    for png in pngs:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert png.stat().st_size > 20_000, f"{png.name} is only {png.stat().st_size} bytes"


def test_a_programme_name_of_thousands_of_characters_never_widens_the_window(qtbot: QtBot, sample_store: Store) -> None:
    """A 4,000-character name (from a bundle, say) made the window 60,000 pixels wide and used a gigabyte."""
    programme = sample_store.programmes()[0]
    # Longer than the app lets anyone type (200): such a name can only come from an older file.
    sample_store.conn.execute("UPDATE programmes SET name = ? WHERE id = ?", ("Long " + "x" * 3995, programme.id))
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    window.show()
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        QApplication.processEvents()
        # The pages' own widths (the offscreen test screen is 800 wide, narrower than some pages), not the name's.
        assert window.width() < 2000, window.nav.item(row).text()
    assert window.picker.width() <= 640


def test_a_new_programme_can_score_against_the_outcomes_framework(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    window = open_window(qtbot, sample_store)
    dialog = new_programme_dialog(qtbot, window)
    assert [dialog.framework.itemText(i) for i in range(dialog.framework.count())] == [
        "ICS baseline capabilities (2018)",
        "ICS Outcomes Framework (2021)",
    ]
    type_into(qtbot, dialog.name, "Outcomes programme")
    type_into(qtbot, dialog.system, "Test System")
    dialog.framework.setCurrentIndex(1)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
    with reopened(db_path) as other:
        created = other.programme_by_name("Outcomes programme")
        assert created is not None
        framework = other.programme_framework(created.id)
        assert (framework.name, len(framework.capabilities)) == ("ICS Outcomes Framework", 21)
    assert window.framework.capabilities_model.rowCount() == 21
