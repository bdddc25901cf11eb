"""Live voting from the Readiness page: three phones vote, the live view counts them (never scores),
F8 closes, the results and presentation mode show their answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from ics_desktop.storage.store import Store
from tests.test_live_vote import Client, covered_codes
from ui.pages.readiness import ReadinessPage
from ui.readiness.live_vote import LiveRoundWindow, LiveVoteDialog, RoundChoice
from ui.readiness.presentation import CapabilitySlide
from ui.undo import EditRunner


@pytest.fixture(autouse=True)
def own_settings(tmp_path: Path) -> None:
    """QSettings in a temporary folder: the test never touches the user's own settings."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def texts(widget: LiveRoundWindow) -> str:
    labels = " ".join(label.text() for label in widget.findChildren(QLabel))
    table = widget.findChild(QTableWidget)
    assert table is not None
    cells = " ".join(
        table.item(r, c).text()
        for r in range(table.rowCount())
        for c in range(table.columnCount())  # type: ignore[union-attr]
    )
    return labels + " " + cells


def test_three_phones_vote_through_the_page_and_the_room_sees_it_only_when_revealed(
    qtbot: QtBot, sample_store: Store, db_path: Path
) -> None:
    page = ReadinessPage(EditRunner(sample_store))
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    programme = sample_store.programmes()[0].id
    page.set_programme(programme)
    assert page.live_button.isEnabled()
    choice = RoundChoice(None, "Phones at the October workshop", ("now", "realistic"), False, "127.0.0.1", "", "")
    window = page.start_live_vote(choice)
    assert window is not None  # the page keeps it (and deletes it once closed)
    assert page.assessment.currentText().startswith("Phones at the October workshop")
    assert window.slide_window is not None and window.slide_window.isVisible()  # the join slide for the room
    assert window.slide.address_text == window.live.join_url
    window.slide_window.close()

    codes = covered_codes(db_path)
    client = Client(window.live.url)
    ballots = {
        "phone-aaaa-1": {c: {"now": 2, "realistic": 3} for c in codes},
        "phone-bbbb-2": {c: {"now": 4, "realistic": "?"} for c in codes},
        "phone-cccc-3": {codes[0]: {"now": 3}},  # a partial ballot
    }
    for device, scores in ballots.items():
        assert client.post({"device": device, "scores": scores})[0] == 200
    qtbot.waitUntil(lambda: window.status.devices == 3, timeout=10_000)
    shown = texts(window)
    assert "3</b> phones joined" in shown and "2</b> complete ballots" in shown and "1</b> partial" in shown
    table = window.findChild(QTableWidget)
    assert table is not None
    counts = {table.item(r, 0).text(): table.item(r, 2).text() for r in range(table.rowCount())}  # type: ignore[union-attr]
    assert counts[codes[0]] == "3" and counts[codes[1]] == "2"
    assert "3.0" not in shown and "Mature" not in shown  # never a score, never a level, in the live view

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_F8)
    assert not window.live.is_open and window.heading.text() == "Voting has closed"
    assert client.post({"device": "late-phone-44", "scores": {}})[0] == 409
    # The page's results hold the phones' answers: capability 1 'now' scored 2, 4 and 3.
    qtbot.waitUntil(lambda: page.results_model.results is not None and page.results_model.results.result(
        codes[0], "now").n == 3, timeout=10_000)  # fmt: skip
    results = page.results_model.results
    assert results is not None
    assert results.result(codes[0], "now").mean == pytest.approx(3.0)
    assert results.result(codes[1], "now").mean == pytest.approx(3.0) and results.result(codes[1], "now").n == 2
    assert results.result(codes[1], "realistic").n == 1  # "don't know" is not a score
    assert page.grid_model.rowCount() == 3

    presentation = page.open_presentation()
    assert presentation is not None
    index = next(i for i, s in enumerate(presentation.slides) if isinstance(s, CapabilitySlide) and s.code == codes[0])
    presentation.go_to(index)
    hidden = [label.text() for label in presentation.slides[index].findChildren(QLabel)]
    assert "3.0" not in hidden
    presentation.reveal()
    assert "3.0" in [label.text() for label in presentation.slides[index].findChildren(QLabel) if label.isVisible()]
    qtbot.wait(100)  # let the slides' charts finish drawing before the window (and they) go
    presentation.close()
    window.close()
    QApplication.processEvents()
    with pytest.raises(OSError):
        client.get("api/ballot")  # the window closed: the laptop no longer listens


def test_the_dialog_remembers_the_wifi_and_offers_this_laptops_addresses(
    qtbot: QtBot, sample_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    programme = sample_store.programmes()[0].id
    framework = sample_store.programme_framework(programme)
    dialog = LiveVoteDialog(sample_store, programme, framework, None)
    qtbot.addWidget(dialog)
    assert dialog.address.itemData(dialog.address.count() - 1) == "127.0.0.1"
    dialog.wifi_name.setText("Boardroom hotspot")
    dialog.wifi_password.setText("p@ss;word")
    dialog.questions["aspire"].setChecked(False)
    dialog.new_name.setText("Live round")
    dialog.assessment.setCurrentIndex(dialog.assessment.count() - 1)  # a new assessment
    dialog._accept()
    choice = dialog.choice()
    assert choice.assessment_id is None and choice.new_name == "Live round"
    assert choice.questions == ("now", "realistic") and not choice.named
    again = LiveVoteDialog(sample_store, programme, framework, None)
    qtbot.addWidget(again)
    assert again.wifi_name.text() == "Boardroom hotspot" and again.wifi_password.text() == "p@ss;word"
    # Nothing chosen: said in the dialog, which stays open.
    for box in again.questions.values():
        box.setChecked(False)
    again._accept()
    assert again.error.text() == "Choose at least one question." and again.result() == 0
