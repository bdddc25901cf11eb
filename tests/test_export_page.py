"""The Export page driven through its widgets: background export, progress, cancel, open, errors."""

from __future__ import annotations

import dataclasses
import itertools
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from ics_desktop.exports import registry, tables
from ics_desktop.exports.common import ExportResult, Progress, atomic_path
from ics_desktop.exports.registry import ExportOptions
from ics_desktop.planning.roadmap import latest_assessment
from ics_desktop.storage.store import Store
from ui.pages import export as export_page
from ui.pages.base import Page
from ui.pages.export import ExportPage
from ui.undo import EditRunner

SYSTEM = "Healthier Together (BNSSG)"
TIMEOUT = 20_000


@pytest.fixture
def documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Stand in for the user's Documents folder, so no test writes there."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    monkeypatch.setattr(export_page, "documents_folder", lambda: folder)
    return folder


@pytest.fixture
def page(qtbot: QtBot, sample_store: Store, documents: Path) -> ExportPage:
    widget = ExportPage(EditRunner(sample_store))
    qtbot.addWidget(widget)
    widget.resize(1170, 800)
    widget.show()
    widget.set_programme(sample_store.programmes()[0].id)
    return widget


def _export(qtbot: QtBot, page: ExportPage, timeout: int = TIMEOUT) -> None:
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=timeout)


def _slow_workbook(steps: int = 400, pause: float = 0.01) -> Any:
    """A stand-in for write_xlsx that takes a while, reporting progress as it goes."""

    def write(store: Store, programme_id: str, target: Path, *, progress: Progress, **_kw: Any) -> ExportResult:
        with atomic_path(Path(target)) as temp:
            for step in range(steps):
                progress(step * 100 // steps, f"Writing row {step}")
                time.sleep(pause)
            temp.write_bytes(b"not really a workbook")
        return ExportResult(Path(target))

    return write


def _record_urls(monkeypatch: pytest.MonkeyPatch) -> list[QUrl]:
    """Stand in for QDesktopServices.openUrl (nothing is opened during tests); the URLs asked for."""
    opened: list[QUrl] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url)
        return True

    monkeypatch.setattr(QDesktopServices, "openUrl", open_url)
    return opened


# -- a real export ----------------------------------------------------------------------------------


def test_excel_export_runs_in_the_background(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    page.select_kind("xlsx")
    assert page.assessment.currentText() == "All assessments"
    target = tmp_path / "data.xlsx"
    page.target.setText(str(target))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.running and not page.export_button.isEnabled()  # disabled while running
    assert page.progress.isVisible() and page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: not page.running, timeout=TIMEOUT)
    assert page.export_button.isEnabled() and not page.progress.isVisible()
    assert target.exists()
    book = openpyxl.load_workbook(target)
    assert book.sheetnames == ["Actions", "Milestones", "Responses", "Results"]
    assert book["Results"].max_row == 15  # 14 capabilities of the sample's one assessment
    assert page.result_paths() == [target]
    assert str(target) in page.message.text() and page.message.text().startswith("✓")
    assert page.open_button.isVisible() and page.show_button.isVisible()


def test_open_and_show_in_folder(
    qtbot: QtBot, page: ExportPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _record_urls(monkeypatch)
    page.select_kind("xlsx")
    target = tmp_path / "data.xlsx"
    page.target.setText(str(target))
    _export(qtbot, page)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.show_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl.fromLocalFile(str(target)), QUrl.fromLocalFile(str(tmp_path))]


def test_csv_export_makes_its_folder(
    qtbot: QtBot, page: ExportPage, documents: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened = _record_urls(monkeypatch)
    page.select_kind("csv")
    folder = documents / f"{SYSTEM} - CSV"
    assert page.target.text() == str(folder)
    _export(qtbot, page)
    assert sorted(p.name for p in folder.iterdir()) == ["actions.csv", "milestones.csv", "responses.csv", "results.csv"]
    assert "4 CSV files" in page.message.text()
    page.open_result()
    page.show_in_folder()
    assert opened == [QUrl.fromLocalFile(str(folder)), QUrl.fromLocalFile(str(documents))]


# -- cancel and responsiveness -------------------------------------------------------------------------


def test_cancel_leaves_no_file_and_the_window_stays_responsive(
    qtbot: QtBot, page: ExportPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "write_xlsx", _slow_workbook())
    page.select_kind("xlsx")
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "slow.xlsx"
    page.target.setText(str(target))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.progress.value() >= 5, timeout=TIMEOUT)
    ticks.clear()
    qtbot.wait(500)
    timer.stop()
    # The main thread kept turning: a 10 ms timer fired dozens of times while the export ran.
    assert page.running and len(ticks) >= 20, len(ticks)
    assert max(b - a for a, b in itertools.pairwise(ticks)) < 0.25
    assert page.step.text().startswith("Writing row")
    qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.running, timeout=TIMEOUT)
    assert not target.exists() and list(folder.iterdir()) == []  # not even a temporary file
    assert "cancelled" in page.message.text()
    assert not page.open_button.isVisible()
    assert page.export_button.isEnabled()


def test_escape_cancels(qtbot: QtBot, page: ExportPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "write_xlsx", _slow_workbook())
    page.select_kind("xlsx")
    page.target.setText(str(tmp_path / "slow.xlsx"))
    qtbot.keyClick(page.target, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.running
    qtbot.waitUntil(lambda: page.progress.value() >= 2, timeout=TIMEOUT)
    qtbot.keyClick(page.target, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not page.running, timeout=TIMEOUT)
    assert not (tmp_path / "slow.xlsx").exists()


def test_closing_the_page_stops_a_running_export(
    qtbot: QtBot, sample_store: Store, documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "write_xlsx", _slow_workbook(steps=2000))
    widget = ExportPage(EditRunner(sample_store))
    qtbot.addWidget(widget)
    widget.set_programme(sample_store.programmes()[0].id)
    widget.select_kind("xlsx")
    widget.target.setText(str(tmp_path / "slow.xlsx"))
    widget.start_export()
    qtbot.waitUntil(lambda: widget.progress.value() >= 1, timeout=TIMEOUT)
    started = time.perf_counter()
    widget.close()
    assert time.perf_counter() - started < 5  # cancelled at the next step, not run to the end
    assert not (tmp_path / "slow.xlsx").exists()


# -- errors -----------------------------------------------------------------------------------------------


def test_a_missing_folder_is_a_clear_message(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    page.select_kind("xlsx")
    page.target.setText(str(tmp_path / "missing" / "data.xlsx"))
    _export(qtbot, page)
    assert page.message.text() == f"The folder {tmp_path / 'missing'} does not exist."
    assert not page.open_button.isVisible() and page.export_button.isEnabled()


def test_an_unexpected_failure_is_one_line_and_logged(
    qtbot: QtBot, page: ExportPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> ExportResult:
        raise ValueError("boom\nand more")

    monkeypatch.setattr(tables, "write_xlsx", broken)
    page.select_kind("xlsx")
    page.target.setText(str(tmp_path / "data.xlsx"))
    with caplog.at_level(logging.ERROR):
        _export(qtbot, page)
    message = page.message.text()
    assert "\n" not in message and message.startswith("The export failed unexpectedly") and "ValueError" in message
    assert any(r.exc_info and "export of xlsx" in r.getMessage() for r in caplog.records)


def test_replacing_a_file_asks_first(
    qtbot: QtBot, page: ExportPage, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "data.xlsx"
    target.write_bytes(b"old")
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: QWidget, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    page.select_kind("xlsx")
    page.target.setText(str(target))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert not page.running and target.read_bytes() == b"old"  # said no
    _export(qtbot, page)
    assert len(asked) == 2 and "data.xlsx already exists" in asked[0]
    assert openpyxl.load_workbook(target).sheetnames[0] == "Actions"


# -- choices -------------------------------------------------------------------------------------------


def test_default_target_follows_the_document_and_folder(
    qtbot: QtBot, page: ExportPage, documents: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.select_kind("xlsx")
    assert page.target.text() == str(documents / f"{SYSTEM} - data.xlsx")
    page.select_kind("csv")
    assert page.target.text() == str(documents / f"{SYSTEM} - CSV")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setattr(
        export_page.QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(elsewhere / "mine.xlsx"), "")
    )
    page.select_kind("xlsx")
    qtbot.mouseClick(page.browse_button, Qt.MouseButton.LeftButton)
    assert page.target.text() == str(elsewhere / "mine.xlsx")
    page.select_kind("summary")
    assert page.target.text() == str(elsewhere / f"{SYSTEM} - board summary.pdf")  # same folder, its own name
    page.target.setText(str(elsewhere / "board pack"))
    assert page.target_path() == elsewhere / "board pack.pdf"  # the suffix is added when left off


def test_assessment_defaults_and_choice(qtbot: QtBot, page: ExportPage, sample_store: Store) -> None:
    from ics_desktop.frameworks import assessments as rounds

    programme = sample_store.programmes()[0].id
    runner_store = sample_store
    newer = rounds.create_assessment(runner_store, programme, "End of programme", "2018-12-01")  # no agreed figures
    page._runner.changed.emit({"assessments"})
    page.select_kind("summary")
    assert page.assessment.currentData() == latest_assessment(sample_store, programme) != newer
    page.select_kind("xlsx")
    assert page.assessment.currentData() is None and page.assessment.currentText() == "All assessments"
    page.assessment.setCurrentIndex(page.assessment.findData(newer))
    page.assessment.activated.emit(page.assessment.currentIndex())  # as a user's pick
    page.select_kind("summary")
    assert page.assessment.currentData() == newer  # the user's choice is kept


@dataclasses.dataclass
class Recorded:
    options: ExportOptions | None = None
    thread: int | None = None
    read_only: bool | None = None
    same_store: bool | None = None


@pytest.fixture
def recording_roadmap(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Recorded, list[Store]]]:
    """The roadmap kind with a writer that records what it was given (whether or not python-docx's module exists)."""
    seen = Recorded()
    stores: list[Store] = []

    def writer(store: Store, _pid: str, target: Path, options: ExportOptions, progress: Progress) -> list[Path]:
        progress(50, "Writing")
        seen.options, seen.thread, seen.read_only = options, threading.get_ident(), store.read_only
        seen.same_store = any(store is s for s in stores)
        target.write_bytes(b"docx")
        return [target]

    fake = dataclasses.replace(registry.kind("roadmap"), module="ics_desktop.exports.tables", writer=writer)
    monkeypatch.setattr(registry, "KINDS", (fake, *registry.KINDS[1:]))
    yield seen, stores


def test_roadmap_options_reach_the_writer_on_its_own_connection(
    qtbot: QtBot, sample_store: Store, documents: Path, tmp_path: Path, recording_roadmap: tuple[Recorded, list[Store]]
) -> None:
    seen, stores = recording_roadmap
    stores.append(sample_store)
    page = ExportPage(EditRunner(sample_store))
    qtbot.addWidget(page)
    page.show()
    programme = sample_store.programmes()[0].id
    page.set_programme(programme)
    page.select_kind("roadmap")
    assert page.sections_box.isVisible() and page.version.isVisible()
    page.section_boxes["charts"].setChecked(False)
    page.section_boxes["appendix_team"].setChecked(False)
    page.version.setText("Final for the board")
    page.target.setText(str(tmp_path / "roadmap.docx"))
    _export(qtbot, page)
    assert seen.options is not None
    assert seen.options.version == "Final for the board"
    assert seen.options.sections is not None and "charts" not in seen.options.sections
    assert seen.options.sections[0] == "summary" and len(seen.options.sections) == 9
    assert seen.options.assessment_id == latest_assessment(sample_store, programme)
    assert seen.thread != threading.get_ident() and seen.read_only and seen.same_store is False
    # No section, nothing to export.
    qtbot.mouseClick(page.no_sections, Qt.MouseButton.LeftButton)
    assert not page.export_button.isEnabled()
    qtbot.mouseClick(page.all_sections, Qt.MouseButton.LeftButton)
    assert page.export_button.isEnabled() and page.options().sections is None  # every section
    page.select_kind("xlsx")
    assert not page.sections_box.isVisible() and not page.version.isVisible()


def test_pages_are_flushed_before_exporting(qtbot: QtBot, sample_store: Store, documents: Path, tmp_path: Path) -> None:
    class Pending(Page):
        flushed = 0

        def set_programme(self, programme_id: str | None) -> None:
            pass

        def flush(self) -> None:
            self.flushed += 1

    window = QWidget()
    qtbot.addWidget(window)
    other = Pending(window)
    page = ExportPage(EditRunner(sample_store), window)
    window.pages = [other, page]  # type: ignore[attr-defined]
    page.set_programme(sample_store.programmes()[0].id)
    page.select_kind("xlsx")
    page.target.setText(str(tmp_path / "d.xlsx"))
    page.start_export()
    assert other.flushed == 1
    qtbot.waitUntil(lambda: not page.running, timeout=TIMEOUT)


def test_no_programme(qtbot: QtBot, store: Store, documents: Path) -> None:
    page = ExportPage(EditRunner(store))
    qtbot.addWidget(page)
    page.set_programme(None)
    assert not page.export_button.isEnabled()
    page.start_export()
    assert not page.running


# -- the real documents, once their modules exist -----------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "module", "reader"),
    [
        ("roadmap", "ics_desktop.exports.word_roadmap", "docx"),
        ("tor", "ics_desktop.exports.word_tor", "docx"),
        ("summary", "ics_desktop.exports.pdf_summary", "pypdf"),
    ],
)
def test_documents_through_the_page(
    qtbot: QtBot, page: ExportPage, tmp_path: Path, key: str, module: str, reader: str
) -> None:
    pytest.importorskip(module)
    page.select_kind(key)
    target = tmp_path / f"document{registry.kind(key).suffix}"
    page.target.setText(str(target))
    _export(qtbot, page, timeout=120_000)  # charts and all: generous for a busy test machine
    assert page.result_paths() == [target], page.message.text()
    if reader == "docx":
        import docx

        assert docx.Document(str(target)).paragraphs
    else:
        import pypdf

        assert len(pypdf.PdfReader(target).pages) >= 1


def test_the_board_summary_as_at_a_chosen_day(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    from pypdf import PdfReader
    from PySide6.QtCore import QDate

    page.select_kind("summary")
    assert page.as_at.date() == QDate.currentDate()  # today unless another day is chosen
    page.as_at.setFocus()
    page.as_at.setDate(QDate(2018, 12, 10))
    target = tmp_path / "summary.pdf"
    page.target.setText(str(target))
    _export(qtbot, page)
    text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(str(target)).pages).split())
    assert "Summary as at 10 December 2018" in text
    assert "Martin Jones 6 Dec 2018 4" in text  # four days late on the day chosen, not years


def test_the_board_summary_carries_the_papers_own_words(qtbot: QtBot, page: ExportPage, tmp_path: Path) -> None:
    from pypdf import PdfReader

    page.select_kind("summary")
    assert page.board_box.isVisible()
    page.board_purpose.setFocus()
    qtbot.keyClicks(page.board_purpose, "To update the board on ICS readiness.")
    page.board_messages.setFocus()
    qtbot.keyClicks(page.board_messages, "Readiness rose to 2.1")
    page.board_messages.insertPlainText("\nA single plan by March\nOne budget for urgent care")
    page.board_author.setFocus()
    qtbot.keyClicks(page.board_author, "Catherine Evans")
    page.board_contact.setFocus()
    qtbot.keyClicks(page.board_contact, "c.evans@example.nhs.uk")
    page.board_version.setFocus()
    qtbot.keyClicks(page.board_version, "1.0")
    page.target.setFocus()  # leaving the last field saves it
    page.flush()
    target = tmp_path / "board.pdf"
    page.target.setText(str(target))
    _export(qtbot, page)
    reader = PdfReader(str(target))
    text = " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())
    assert "Version 1.0" in text
    assert "Author: Catherine Evans · Contact: c.evans@example.nhs.uk" in text
    assert "Purpose of this paper To update the board on ICS readiness." in text
    assert "Key messages 1. Readiness rose to 2.1 2. A single plan by March 3. One budget for urgent care" in text
    assert len(reader.pages) <= 2
    page.select_kind("tor")
    assert not page.board_box.isVisible()
