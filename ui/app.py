"""Starting the GUI: the application object, the database, the main window, and the smoke test."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, QTimer
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox

from ics_desktop.errors import UserFacingError
from ics_desktop.paths import default_db_path, resource_path
from ics_desktop.sample import add_sample_programme
from ics_desktop.storage.instance_lock import IN_USE_MESSAGE, DatabaseLock
from ics_desktop.storage.store import Store
from ui import pyside_import_check
from ui.fit import clipped_widgets, describe
from ui.main_window import MainWindow

# The smoke test's window size unless --size says otherwise (the window's size before it fitted the screen).
SMOKE_SIZE = QSize(1360, 860)


def open_store(db_path: Path | None) -> Store:
    """Open the given database, or the default one (created with the sample programme on first run)."""
    path = Path(db_path) if db_path else default_db_path()
    first_run = db_path is None and not path.exists()
    store = Store.open(path, backup_on_open=True)
    if first_run:
        add_sample_programme(store)
    return store


def _style(app: QApplication) -> None:
    app.setApplicationName("ICS Desktop")
    app.setOrganizationName("ICS Desktop")
    app.setStyle("Fusion")
    style_file = resource_path("styles", "app.qss")
    if style_file.exists():
        app.setStyleSheet(style_file.read_text(encoding="utf-8"))


def _throwaway_settings() -> None:
    """The smoke test starts from no remembered place and leaves the user's settings alone."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="ics-settings-"))


def run_smoke_test(window: MainWindow, started: float, screenshots: Path | None, size: QSize | None = None) -> int:
    """Visit every page and tab in order, then in reverse, counting what falls outside `size`.

    Saves a PNG of each page and tab (first pass) when asked; prints one line; the clipped widgets
    are named on stderr.
    """
    ready_ms = round((time.perf_counter() - started) * 1000)
    if screenshots:
        screenshots.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance()
    assert app is not None
    bounds = size or SMOKE_SIZE
    window.resize(bounds)
    clipped: dict[int, str] = {}  # id → "page: widget", each widget once
    where = [""]

    def save(image: QPixmap, name: str) -> None:
        if screenshots:
            path = screenshots / f"{name}.png"
            if not image.save(str(path)):
                raise OSError(f"could not save {path}")

    def grab() -> QPixmap:
        app.processEvents()
        for widget in clipped_widgets(window, bounds):
            clipped.setdefault(id(widget), f"{where[0]}: {describe(widget)}")
        return window.grab()

    pages = window.pages
    rows = list(range(len(pages)))
    for passing, order in enumerate((rows, rows[::-1])):
        for row in order:
            page = pages[row]
            window.nav.setCurrentRow(row)
            name = f"{row + 1:02d}-" + page.title.lower().replace(" ", "-").replace("&", "and")
            where[0] = name
            image = grab()
            if passing == 0:
                save(image, name)
            for view, image in page.smoke_views(grab):
                if passing == 0:
                    save(image, f"{name}--{view}")
    assessment_id = window.readiness.current_assessment_id()
    if assessment_id:
        from ui.readiness.presentation import PresentationWindow

        presentation = PresentationWindow(window.store, assessment_id)
        presentation.resize(1600, 900)
        presentation.show()
        folder = screenshots / "presentation" if screenshots else Path(tempfile.mkdtemp())
        slides = presentation.grab_slides(folder, limit=None if screenshots else 3)
        presentation.close()
        presentation.deleteLater()  # as the Readiness page does with a closed presentation
        if not slides:
            raise RuntimeError("presentation mode rendered no slides")
    for line in clipped.values():
        sys.stderr.write(f"clipped {line}\n")
    print(f"smoke-test ok ready_ms={ready_ms} pages={window.nav.count()} clipped={len(clipped)}", flush=True)
    return 0


def run(
    db_path: Path | None,
    *,
    smoke_test: bool = False,
    screenshots: Path | None = None,
    size: QSize | None = None,
    started: float | None = None,
) -> int:
    """Open the main window; returns the process exit code.

    One window per database: when another has the file open it is asked to come forward, and this
    launch ends (exit code 0); when a command is writing to it, that is said and this launch ends.
    """
    started = started if started is not None else time.perf_counter()
    pyside_import_check.install()  # before matplotlib and the rest load on first use
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    if not smoke_test:  # the smoke test reports failures itself, on stderr and in its exit code
        from ui.crash_dialog import install_crash_handler

        install_crash_handler()  # a traceback to logs/ in the data folder, and a plain-words dialog
    _style(app)
    if smoke_test:
        _throwaway_settings()
    path = Path(db_path) if db_path else default_db_path()
    lock = DatabaseLock(path)
    if not lock.acquire():
        from ui.single_instance import ask_first_window_to_show  # QtNetwork, for a local socket only

        if not smoke_test and ask_first_window_to_show(path):
            sys.stderr.write(f"ICS Desktop already has {path} open: that window has been brought forward.\n")
            return 0
        message = IN_USE_MESSAGE.format(name=path.name, what="open ICS Desktop")
        if smoke_test:
            sys.stderr.write(f"error: {message}\n")
        else:
            QMessageBox.critical(None, "ICS Desktop", message)
        return 1
    try:
        return _run_with_lock(app, db_path, path, smoke_test, screenshots, started, size)
    finally:
        lock.release()


def _bring_forward(window: MainWindow) -> None:
    window.showNormal() if window.isMinimized() else window.show()
    window.raise_()
    window.activateWindow()


def _run_with_lock(
    app: QApplication,
    db_path: Path | None,
    path: Path,
    smoke_test: bool,
    screenshots: Path | None,
    started: float,
    size: QSize | None = None,
) -> int:
    try:
        store = open_store(db_path)
    except UserFacingError as exc:
        if smoke_test:
            sys.stderr.write(f"error: {exc}\n")
            return 1
        # A damaged file with backups gets the guided restore; anything else (newer version,
        # read-only file or folder, full disk) a clear message. A read-only database is refused:
        # it can't take edits, and the message says how to get a writable copy.
        from ui.restore_dialog import open_after_failure

        path = Path(db_path) if db_path else default_db_path()
        recovered = open_after_failure(path, exc, lambda: open_store(db_path))
        if recovered is None:
            return 1
        store = recovered
    try:
        window = MainWindow(store)
        window.show()
        if not smoke_test:
            from ui.single_instance import ShowRequests  # QtNetwork, for a local socket only

            requests = ShowRequests(path, window)
            requests.show_requested.connect(lambda: _bring_forward(window))
        QTimer.singleShot(300, store.warm_up)  # load what the first edit needs while the user reads
        if smoke_test:
            outcome: list[int] = []

            def go() -> None:
                try:
                    outcome.append(run_smoke_test(window, started, screenshots, size))
                except Exception as exc:  # the smoke test reports any failure as a non-zero exit
                    sys.stderr.write(f"smoke-test failed: {exc!r}\n")
                    outcome.append(1)
                window.close()
                app.quit()

            QTimer.singleShot(0, go)
            app.exec()
            return outcome[0] if outcome else 1
        return app.exec()
    finally:
        store.close()
