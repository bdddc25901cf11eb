"""Start-up stays fast: heavy libraries load only when first needed, pages when first shown."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from ics_desktop.storage.store import Store
from ui.main_window import PAGES, MainWindow

ROOT = Path(__file__).resolve().parent.parent


def test_window_opens_without_heavy_libraries(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from ui.app import open_store\n"
        "from ui.main_window import MainWindow\n"
        f"window = MainWindow(open_store(__import__('pathlib').Path({str(tmp_path / 'x.sqlite')!r})))\n"
        "window.show(); app.processEvents()\n"
        "names = ('matplotlib', 'numpy', 'docx', 'reportlab', 'openpyxl', 'sqlite_utils')\n"
        "heavy = [m for m in names if m in sys.modules]\n"
        "print(','.join(heavy) or 'none')\n"
    )
    # The window remembers where it was in QSettings: kept in the test's folder, not the user's.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "none"


def test_pages_are_built_when_first_shown(qtbot: QtBot, sample_store: Store) -> None:
    window = MainWindow(sample_store)
    qtbot.addWidget(window)
    assert sorted(window._built) == [0]  # only the Overview
    window.nav.setCurrentRow(6)
    assert sorted(window._built) == [0, 6] and window.stack.currentWidget() is window.roadmap
    assert [page.title for page in window.pages] == [title for title, _ in PAGES]
    assert window.roadmap.model.rowCount() == 14  # a page built late still shows the open programme
