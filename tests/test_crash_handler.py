"""The crash handler: an error nobody catches is logged in the data folder and told in plain words."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from ics_desktop import crash_log
from ui.crash_dialog import GuiCrashHandler, install_crash_handler

from .conftest import ROOT


class _Button(QObject):
    pressed = Signal()


def _participant_answer_slot() -> None:
    answer = "Sarah Cohen scored 2"  # a local the report must not carry
    raise ValueError(f"slot broke ({len(answer)} characters)")


@pytest.fixture
def handler(qtbot: QtBot, tmp_path: Path) -> Iterator[GuiCrashHandler]:
    hooks = (sys.excepthook, threading.excepthook)
    installed = install_crash_handler(tmp_path / "data")
    yield installed
    installed.uninstall()
    if installed.dialog is not None:
        installed.dialog.close()
    assert (sys.excepthook, threading.excepthook) == hooks  # uninstall put back what was there


@pytest.mark.qt_no_exception_capture  # pytest-qt's own capture would otherwise take the slot's error
def test_an_error_in_a_slot_is_logged_and_shown(qtbot: QtBot, handler: GuiCrashHandler, tmp_path: Path) -> None:
    button = _Button()
    button.pressed.connect(_participant_answer_slot)
    QTimer.singleShot(0, button.pressed.emit)  # raised from a slot, in the event loop
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(), timeout=5000)

    log = tmp_path / "data" / "logs" / "crash.log"
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last):" in text
    assert "in _participant_answer_slot" in text
    assert "ValueError: slot broke (20 characters)" in text
    assert "Sarah Cohen" not in text  # a local variable's value is never written

    dialog = handler.dialog
    assert dialog is not None
    assert "Something went wrong" in dialog.message.text()
    assert str(log) in dialog.where.text()
    assert "ValueError: slot broke (20 characters)" in dialog.details.toPlainText()
    QGuiApplication.clipboard().clear()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert "ValueError: slot broke (20 characters)" in copied and "in _participant_answer_slot" in copied


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_thread_is_shown_on_the_gui_thread(
    qtbot: QtBot, handler: GuiCrashHandler, tmp_path: Path
) -> None:
    def work() -> None:
        raise RuntimeError("worker failed")

    worker = threading.Thread(target=work, name="export-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible(), timeout=5000)
    assert handler.dialog is not None
    assert "RuntimeError: worker failed" in handler.dialog.details.toPlainText()
    text = (tmp_path / "data" / "logs" / "crash.log").read_text(encoding="utf-8")
    assert "thread export-worker" in text and "RuntimeError: worker failed" in text


def test_the_report_is_the_traceback_and_versions_only() -> None:
    try:
        raise KeyError("x")
    except KeyError as exc:
        report = crash_log.format_report(KeyError, exc, exc.__traceback__, when=datetime(2026, 10, 3, 9, 5, tzinfo=UTC))
    lines = report.splitlines()
    assert lines[0].startswith("ICS Desktop ") and " · Python 3." in lines[0]
    assert lines[1] == "2026-10-03 09:05:00 UTC"
    assert lines[2] == ""
    assert lines[3] == "Traceback (most recent call last):"
    assert lines[-1] == "KeyError: 'x'"
    assert str(Path.home()) not in "\n".join(lines[:3])  # no paths, argv or environment in the header


def test_the_log_rotates_and_stays_under_its_cap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crash_log, "MAX_LOG_BYTES", 1000)
    for number in range(40):
        assert crash_log.write_report(f"report {number}\n" + "x" * 200 + "\n", tmp_path) == tmp_path / "crash.log"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["crash.log", "crash.log.1", "crash.log.2", "crash.log.3"]
    assert all(p.stat().st_size <= 1000 for p in tmp_path.iterdir())
    assert "report 39" in (tmp_path / "crash.log").read_text()
    assert "report 0\n" not in "".join(p.read_text() for p in tmp_path.iterdir())  # the oldest went


def test_an_unwritable_folder_still_reports(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert crash_log.write_report("r\n", blocker / "logs") is None


def test_faulthandler_writes_a_hard_crash_to_the_log(tmp_path: Path) -> None:
    """In a real process: after install, faulthandler is on and a fatal error's stack lands in fault.log."""
    code = (
        "import faulthandler, sys\n"
        "from pathlib import Path\n"
        "from ics_desktop import crash_log\n"
        f"crash_log.install(data_folder=Path({str(tmp_path)!r}))\n"
        "print(faulthandler.is_enabled(), flush=True)\n"
        "faulthandler._sigsegv()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert result.stdout.strip() == "True"
    fault = (tmp_path / "logs" / "fault.log").read_text()
    assert "Fatal Python error: Segmentation fault" in fault
    assert 'File "<string>", line 6 in <module>' in fault
