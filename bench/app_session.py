"""Peak memory of one working session at scale: the window, every page and chart visited (the smoke
test's walk, presentation slides included), then the Word roadmap and the PDF summary exported from
the Export page on its worker thread. Prints `peak_mb=…` (the process's own peak resident memory).

Usage: python bench/app_session.py DATABASE OUTPUT_FOLDER
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication


def _export(window: object, kind: str, target: Path) -> None:
    from ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    page = window.export
    window.nav.setCurrentRow(window.nav.count() - 1)
    page.select_kind(kind)
    target.unlink(missing_ok=True)  # (an existing file would be confirmed with the user first)
    page.target.setText(str(target))
    page.start_export()
    if not page.running:
        raise RuntimeError(f"the {kind} export did not start")
    loop = QEventLoop()
    timer = QTimer()
    timer.timeout.connect(lambda: loop.quit() if not page.running else None)
    timer.start(20)
    loop.exec()
    timer.stop()
    if not target.exists():
        raise RuntimeError(f"the {kind} export wrote nothing")


def main() -> int:
    started = time.perf_counter()
    from ics_desktop.allocator import return_large_blocks_to_system

    return_large_blocks_to_system()  # as main.py does
    database, folder = Path(sys.argv[1]), Path(sys.argv[2])
    app = QApplication(sys.argv[:1])
    from ui import pyside_import_check
    from ui.app import _style, _throwaway_settings, open_store, run_smoke_test
    from ui.main_window import MainWindow

    pyside_import_check.install()
    _style(app)
    _throwaway_settings()  # a measured session neither reads nor changes the user's remembered place
    store = open_store(database)
    window = MainWindow(store)
    window.show()
    app.processEvents()
    if run_smoke_test(window, started, None) != 0:
        return 1
    _export(window, "roadmap", folder / "session.docx")
    _export(window, "summary", folder / "session.pdf")
    window.close()
    store.close()
    print(f"peak_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
