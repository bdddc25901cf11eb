"""Every page fits a 1366×768 laptop: the clipped-widget counter and the smoke test's figure."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QPushButton, QScrollArea, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from ics_desktop.sample import add_sample_programme
from ics_desktop.storage.store import Store
from tests.long_names import lengthen
from ui.app import run_smoke_test
from ui.fit import clipped_widgets, parse_size
from ui.main_window import MainWindow


def _window_with(qtbot: QtBot, place: str) -> tuple[QWidget, QPushButton]:
    """A 400×300 window holding one 100-wide button at x=350 (so its right edge is at 450)."""
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(400, 300)
    button = QPushButton("Far right")
    if place == "window":
        button.setParent(window)
    else:
        area = QScrollArea(window)
        area.setGeometry(0, 0, 400, 300)
        content = QWidget()
        content.setFixedSize(600, 280)
        button.setParent(content)
        area.setWidget(content)
        if place == "no-scroll":
            area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    button.setGeometry(350, 10, 100, 30)
    window.show()
    qtbot.waitExposed(window)
    return window, button


def test_a_button_past_the_edge_is_counted(qtbot: QtBot) -> None:
    window, button = _window_with(qtbot, "window")
    assert clipped_widgets(window, QSize(400, 300)) == [button]
    assert clipped_widgets(window, QSize(451, 300)) == []  # wide enough: right edge at x=449
    button.hide()
    assert clipped_widgets(window, QSize(400, 300)) == []  # hidden: nothing to reach


def test_a_scroll_area_reaches_what_it_can_scroll_to(qtbot: QtBot) -> None:
    window, _button = _window_with(qtbot, "scroll")
    assert clipped_widgets(window, QSize(400, 300)) == []
    window, button = _window_with(qtbot, "no-scroll")
    assert clipped_widgets(window, QSize(400, 300)) == [button]


def test_a_window_wider_than_the_size_counts_its_far_controls(qtbot: QtBot) -> None:
    # The window itself grew (the bug): what lies beyond the intended 1366 is out of reach.
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    wide = QPushButton("x" * 10)
    wide.setMinimumWidth(1500)
    layout.addWidget(wide)
    window.show()
    qtbot.waitExposed(window)
    assert window.width() > 1366
    assert clipped_widgets(window, QSize(1366, 768)) == [wide]


def test_parse_size() -> None:
    assert parse_size("1366x768") == QSize(1366, 768)
    for bad in ("1366", "x768", "wide", "10x10", "1366×768"):
        with pytest.raises(ValueError):
            parse_size(bad)


def test_window_opens_within_the_available_screen(qtbot: QtBot, sample_store: Store) -> None:
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    window.show()
    available = window.screen().availableGeometry()
    assert window.width() <= available.width() and window.height() <= available.height()
    assert window.width() <= 1360 and window.height() <= 860


def test_every_page_fits_1366x768_with_long_names(
    qtbot: QtBot, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(db_path)
    add_sample_programme(store)
    lengthen(store)  # 200-character programme, system, area, workshop and people names
    try:
        window = MainWindow(store)
        qtbot.addWidget(window)
        window.show()
        assert run_smoke_test(window, time.perf_counter(), None, QSize(1366, 768)) == 0
        out = capsys.readouterr()
        match = re.search(r"smoke-test ok ready_ms=\d+ pages=8 clipped=(\d+)", out.out)
        assert match, out.out
        assert match.group(1) == "0", out.err
        assert window.width() == 1366  # no page pushed the window wider
        window.close()
        QApplication.processEvents()
    finally:
        store.close()


def test_the_export_page_fits_1366x768_whichever_document_is_chosen(qtbot: QtBot, sample_store: Store) -> None:
    from ics_desktop.exports import registry

    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    index = next(i for i in range(len(window.pages)) if window.page_at(i).title == "Export")
    window.nav.setCurrentRow(index)
    page = window.page_at(index)
    for kind in registry.KINDS:
        page.select_kind(kind.key)  # type: ignore[attr-defined]
        QApplication.processEvents()
        assert clipped_widgets(window, QSize(1366, 768)) == [], kind.key
        assert window.height() <= 768, kind.key
