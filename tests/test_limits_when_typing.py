"""Text limits are said the moment they are reached, in the window, not only when a save is refused."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from ics_desktop.storage.store import Store
from ui.autosave import AutoSaver
from ui.undo import EditRunner


def test_a_name_stops_at_200_characters_and_says_so_once(qtbot: QtBot, sample_store: Store) -> None:
    (programme,) = sample_store.programmes()
    runner = EditRunner(sample_store)
    messages: list[str] = []
    runner.saved.connect(messages.append)
    saver = AutoSaver(runner)
    line = QLineEdit()
    qtbot.addWidget(line)
    saver.bind(line, "programmes", "name", "programme name")
    saver.load({"programmes": sample_store.get("programmes", programme.id)})
    line.clear()
    qtbot.keyClicks(line, "x" * 205)
    assert line.text() == "x" * 200
    said = [m for m in messages if "at most" in m]
    assert said == ["Programme name holds at most 200 characters: typing stops there."]


def test_a_text_box_over_100000_characters_says_so_as_it_happens(qtbot: QtBot, sample_store: Store) -> None:
    (programme,) = sample_store.programmes()
    system = sample_store.system(programme.system_id)
    runner = EditRunner(sample_store)
    messages: list[str] = []
    runner.saved.connect(messages.append)
    saver = AutoSaver(runner)
    box = QPlainTextEdit()
    qtbot.addWidget(box)
    saver.bind(box, "systems", "overview", "system overview")
    saver.load({"systems": system})
    box.setPlainText("y" * 100_000)  # at the limit: fine
    assert not [m for m in messages if "at most" in m]
    box.insertPlainText("z")  # one over, as a paste would be
    assert [m for m in messages if "at most" in m] == [
        "System overview holds at most 100,000 characters: this is 100,001, so it is not saved until shortened."
    ]
    saver.flush()
    assert sample_store.system(system["id"])["overview"] == system["overview"]


def test_a_name_keeps_its_spaces_while_typed_and_loses_them_on_leaving(qtbot: QtBot, sample_store: Store) -> None:
    (programme,) = sample_store.programmes()
    runner = EditRunner(sample_store)
    saver = AutoSaver(runner)
    line = QLineEdit()
    qtbot.addWidget(line)
    saver.bind(line, "programmes", "name", "programme name")
    saver.load({"programmes": sample_store.get("programmes", programme.id)})
    line.clear()
    qtbot.keyClicks(line, "  Readiness ")
    saver.flush()  # the pause after typing: saved as typed so far, the trailing space still in the box
    assert line.text() == "  Readiness "
    qtbot.keyClicks(line, "2026 ")
    line.editingFinished.emit()  # leaving the field
    assert line.text() == "Readiness 2026"
    assert sample_store.get("programmes", programme.id)["name"] == "Readiness 2026"
