"""The window reopens where the facilitator was, programmes can be deleted (after a backup), and the
sample is labelled and can be hidden: the real main window over a real SQLite file, with QSettings in
a temporary folder (conftest's isolated_settings)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox, QSplitter
from pytestqt.qtbot import QtBot

from ics_desktop.frameworks.framework import default_framework
from ics_desktop.storage.backups import list_backups
from ics_desktop.storage.store import Store
from ui import settings as place
from ui.main_window import MainWindow
from ui.pages import export as export_page
from ui.pages.export import ExportPage
from ui.undo import EditRunner

SAMPLE = "Healthier Together (BNSSG) — Supporting Aspiring ICS Programme  (Sample)"
WAIT_MS = 5000


def _window(qtbot: QtBot, store: Store) -> MainWindow:
    window = MainWindow(store)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)  # so keyboard shortcuts reach it
    return window


def _labels(window: MainWindow) -> list[str]:
    return [window.picker.itemText(i) for i in range(window.picker.count())]


def test_reopens_on_the_last_programme_page_size_and_splitter(
    qtbot: QtBot, sample_store: Store, isolated_settings: Path
) -> None:
    other = sample_store.create_programme("Dorset Programme", "Dorset", default_framework())
    window = _window(qtbot, sample_store)
    assert window.picker.currentText() == "Dorset — Dorset Programme"  # listed first; nothing remembered yet
    window.picker.setCurrentIndex(window.picker.findText(SAMPLE))
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Readiness
    assert window.nav.currentRow() == 2
    window.resize(1300, 640)
    size = (window.width(), window.height())  # what the pages' minimum widths allowed
    assert size != (1360, 860)  # not the default size
    split = window.readiness.findChildren(QSplitter)[0]
    split.setSizes([500, 400])
    sizes = split.sizes()
    window.close()
    assert list(isolated_settings.rglob("*.ini")), "settings are written in the test's own folder"

    again = _window(qtbot, sample_store)
    assert again.picker.currentText() == SAMPLE and again.programme_id != other
    assert again.nav.currentRow() == 2 and again.stack.currentWidget() is again.readiness
    # The height comes back; the width too as far as the screen allows (the offscreen screen is narrower
    # than the pages' minimum width, so restoreGeometry pulls it in as it would on a smaller monitor).
    assert again.height() == size[1] == 640 and again.width() <= size[0]
    assert again.readiness.findChildren(QSplitter)[0].sizes() == sizes


def test_a_remembered_programme_that_is_gone_falls_back_to_the_first(qtbot: QtBot, sample_store: Store) -> None:
    place.set_last_programme(QSettings(), sample_store.path, "no-such-programme")
    place.set_last_page(QSettings(), sample_store.path, 99)
    window = _window(qtbot, sample_store)
    assert window.picker.currentText() == SAMPLE and window.nav.currentRow() == 0


def test_export_folder_is_remembered(
    qtbot: QtBot, sample_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(export_page, "documents_folder", lambda: documents)
    programme = sample_store.programmes()[0].id
    first = ExportPage(EditRunner(sample_store))
    qtbot.addWidget(first)
    first.show()
    first.set_programme(programme)
    first.select_kind("xlsx")
    assert Path(first.target.text()).parent == documents  # nothing remembered yet
    chosen = tmp_path / "Board papers"
    chosen.mkdir()
    first.target.setText(str(chosen / "data.xlsx"))
    qtbot.mouseClick(first.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not first.running, timeout=20_000)
    assert (chosen / "data.xlsx").exists()

    second = ExportPage(EditRunner(sample_store))
    qtbot.addWidget(second)
    second.set_programme(programme)
    assert Path(second.target.text()).parent == chosen


def test_delete_programme_asks_for_its_name_and_takes_a_backup_first(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    doomed = sample_store.create_programme("Old Pilot", "Dorset", default_framework())
    sample_store.add_person(doomed, "participant", name="Ann")
    window = _window(qtbot, sample_store)
    window.picker.setCurrentIndex(window.picker.findData(doomed))
    before = len(list_backups(db_path))

    window.delete_action.trigger()
    dialog = window.delete_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    qtbot.keyClicks(dialog.typed, "Old Pilo")
    assert not dialog.delete_button.isEnabled()
    qtbot.keyClick(dialog.typed, Qt.Key.Key_Return)  # Enter does nothing until the name is right
    assert sample_store.programme(doomed).name == "Old Pilot"
    qtbot.keyClicks(dialog.typed, "t")
    assert dialog.delete_button.isEnabled()
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)

    assert [p.name for p in sample_store.programmes()] == ["Supporting Aspiring ICS Programme"]
    assert _labels(window) == [SAMPLE] and window.picker.currentText() == SAMPLE
    backups = list_backups(db_path)
    assert len(backups) == before + 1 and backups[0].reason == "before-delete"
    assert "Deleted programme Old Pilot (backup: " in window.statusBar().currentMessage()
    kept = Store.open(backups[0].path, read_only=True)
    try:  # the backup holds the programme as it was
        [pilot] = [p for p in kept.programmes() if p.name == "Old Pilot"]
        assert [p.name for p in kept.people(pilot.id)] == ["Ann"]
    finally:
        kept.close()


def test_delete_cancelled_or_refused_keeps_the_programme(
    qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, sample_store)
    programme = window.programme_id
    window.delete_action.trigger()
    dialog = window.delete_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert window.programme_id == programme and len(sample_store.programmes()) == 1

    # No backup, no deletion (a full disk): said so, and the programme stays open.
    from ics_desktop.storage import store as store_module
    from ics_desktop.storage.backups import BackupError

    def refuse(*_args: object) -> Path:
        raise BackupError("The disk is full.")

    monkeypatch.setattr(store_module, "take_backup", refuse)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text))
    window.delete_action.trigger()
    dialog = window.delete_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT_MS)
    dialog.typed.setText("Supporting Aspiring ICS Programme")
    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    assert warnings == ["'Supporting Aspiring ICS Programme' was not deleted: The disk is full."]
    assert len(sample_store.programmes()) == 1 and window.programme_id == programme


def test_sample_is_labelled_and_can_be_hidden(qtbot: QtBot, sample_store: Store) -> None:
    mine = sample_store.create_programme("Dorset Programme", "Dorset", default_framework())
    window = _window(qtbot, sample_store)
    assert _labels(window) == ["Dorset — Dorset Programme", SAMPLE]
    window.picker.setCurrentIndex(1)
    assert window.show_sample_action.isChecked()
    window.show_sample_action.trigger()  # hide it while it is open: the window moves to another
    assert _labels(window) == ["Dorset — Dorset Programme"] and window.programme_id == mine
    window.close()

    again = _window(qtbot, sample_store)  # remembered
    assert _labels(again) == ["Dorset — Dorset Programme"] and not again.show_sample_action.isChecked()
    again.show_sample_action.trigger()
    assert _labels(again) == ["Dorset — Dorset Programme", SAMPLE]
