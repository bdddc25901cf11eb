"""Writing a document on a worker thread, with progress and cancel, so the window never freezes.

SQLite connections must not cross threads, so the task opens its own read-only `Store` on the same
database file in the worker thread and closes it there. It reads what is committed: every edit is
committed as it is made, and typed text within the autosave's 300 ms pause (the Export page flushes
the window's pages before it starts a task).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from ics_desktop.errors import UserFacingError
from ics_desktop.exports.common import ExportCancelled
from ics_desktop.exports.registry import ExportOptions, export
from ics_desktop.storage.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportJob:
    """Everything a task needs, as plain values (nothing from the GUI thread's store)."""

    kind: str
    db_path: Path
    programme_id: str
    target: Path
    options: ExportOptions
    create_folder: bool = False  # CSV: create the target folder when only its parent exists


class ExportSignals(QObject):
    """Reports from the worker thread. Create it in the GUI thread with the page as its parent: the
    reports then arrive there, queued, and the object is only ever deleted there (never by whichever
    thread happens to drop the last Python reference)."""

    progress = Signal(int, str)  # percent, what is being done
    succeeded = Signal(object)  # list[Path]: the files written
    failed = Signal(str)  # a message for the user as it stands
    cancelled = Signal()


class ExportTask:
    """One export. Run it with `pool.start(task.run)`; `cancel()` stops it at its next progress step.

    A plain object rather than a QRunnable subclass: the pool wraps the callable in a runnable it
    owns and deletes itself, so the task's lifetime never races the pool thread's last steps.
    """

    def __init__(self, job: ExportJob, signals: ExportSignals) -> None:
        self.job = job
        self.signals = signals
        self._stop = threading.Event()

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelling(self) -> bool:
        return self._stop.is_set()

    def _progress(self, percent: int, what: str) -> None:
        # Called by the export in the worker thread; raising here unwinds it, and the export's
        # temporary files are removed on the way out.
        if self._stop.is_set():
            raise ExportCancelled()
        self.signals.progress.emit(int(percent), what)

    def run(self) -> None:
        job = self.job
        try:
            store = Store.open(job.db_path, read_only=True)
            try:
                paths = export(
                    job.kind, store, job.programme_id, job.target, job.options,
                    progress=self._progress, create_folder=job.create_folder,
                )  # fmt: skip
            finally:
                store.close()
        except ExportCancelled:
            self.signals.cancelled.emit()
        except UserFacingError as exc:
            self.signals.failed.emit(" ".join(str(exc).split()))
        except Exception as exc:  # a bug: one line for the user, the details in the log
            log.exception("export of %s to %s failed", job.kind, job.target)
            detail = " ".join(f"{type(exc).__name__}: {exc}".split()).rstrip(".")
            if len(detail) > 240:
                detail = detail[:239] + "…"
            self.signals.failed.emit(f"The export failed unexpectedly ({detail}).")
        else:
            self.signals.succeeded.emit(paths)
