"""What an unexpected error leaves behind: a report in a log file in the user data folder.

The packaged app has no console, so an error nobody catches would otherwise vanish. Installed by the
GUI's start-up: `sys.excepthook` and `threading.excepthook` write the traceback (and nothing else the
user typed) to `logs/crash.log`, kept under a size cap by rotation, then call the GUI back so it can
tell the user; `faulthandler` writes a hard crash's stack (a segfault in Qt, say) to `logs/fault.log`.
"""

from __future__ import annotations

import faulthandler
import platform
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from ics_desktop import __version__

LOG_FOLDER = "logs"
CRASH_LOG = "crash.log"
FAULT_LOG = "fault.log"
MAX_LOG_BYTES = 256 * 1024  # one file's cap; with KEEP old files, the logs never pass about 1 MB
KEEP = 3

OnCrash = Callable[[str, Path | None], None]  # the report and where it was written (None: it could not be)


def log_folder(data_folder: Path | None = None) -> Path:
    """The logs folder inside the user data folder (the real one unless another is given)."""
    if data_folder is None:
        from ics_desktop.paths import user_data_dir

        data_folder = user_data_dir()
    return data_folder / LOG_FOLDER


def format_report(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    *,
    thread: str | None = None,
    when: datetime | None = None,
) -> str:
    """The report: app and system versions, time, thread, then the traceback (no argv, environment or locals)."""
    when = when or datetime.now(UTC)
    lines = [
        f"ICS Desktop {__version__} · Python {platform.python_version()} · {platform.platform(terse=True)}",
        f"{when.strftime('%Y-%m-%d %H:%M:%S')} UTC" + (f" · thread {thread}" if thread else ""),
        "",
        "".join(traceback.format_exception(exc_type, exc, tb)).rstrip("\n"),
    ]
    return "\n".join(lines) + "\n"


def rotate(path: Path, incoming: int = 0, *, limit: int | None = None) -> None:
    """Shift `path` to `path.1` (… up to `path.{KEEP}`) when `incoming` more bytes would pass the limit."""
    limit = MAX_LOG_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size + incoming <= limit:
        return
    for number in range(KEEP, 0, -1):
        older = path.with_name(f"{path.name}.{number}")
        newer = path if number == 1 else path.with_name(f"{path.name}.{number - 1}")
        if newer.exists():
            newer.replace(older)


def write_report(report: str, folder: Path) -> Path | None:
    """Append the report to the crash log (rotated first if needed); its path, or None if it cannot be written."""
    path = folder / CRASH_LOG
    data = ("=" * 72 + "\n" + report).encode("utf-8", "replace")
    data = data[-MAX_LOG_BYTES:]  # one enormous report still fits the cap
    try:
        folder.mkdir(parents=True, exist_ok=True)
        rotate(path, len(data))
        with open(path, "ab") as fh:
            fh.write(data)
    except OSError:
        return None
    return path


@dataclass
class CrashHandler:
    """The installed hooks; `uninstall()` puts back what was there (tests use it)."""

    folder: Path
    on_crash: OnCrash | None = None
    _previous: tuple[Any, Any] = field(default=(None, None), init=False, repr=False)
    _fault_file: IO[bytes] | None = field(default=None, init=False, repr=False)

    def handle(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        thread: str | None = None,
    ) -> None:
        """Write the report and tell the GUI; never raises (an error in here would be lost anyway)."""
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return
        try:
            report = format_report(exc_type, exc, tb, thread=thread)
            path = write_report(report, self.folder)
            sys.stderr.write(report)
            if self.on_crash is not None:
                self.on_crash(report, path)
        except Exception:  # the last resort must not fail in turn
            traceback.print_exc()

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else None
        self.handle(args.exc_type, args.exc_value, args.exc_traceback, thread=name)

    def install(self) -> CrashHandler:
        """Set the hooks and enable faulthandler to `fault.log` (rotated at start-up)."""
        self._previous = (sys.excepthook, threading.excepthook)
        sys.excepthook = self.handle
        threading.excepthook = self._thread_hook
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fault = self.folder / FAULT_LOG
            rotate(fault, limit=MAX_LOG_BYTES // 4)
            self._fault_file = open(fault, "ab")  # noqa: SIM115 - kept open: faulthandler writes to its descriptor
            faulthandler.enable(file=self._fault_file, all_threads=True)
        except OSError:
            self._fault_file = None
        return self

    def uninstall(self) -> None:
        """Restore the hooks found at install and stop faulthandler writing to the log."""
        previous_hook, previous_thread_hook = self._previous
        if previous_hook is not None:
            sys.excepthook = previous_hook
            threading.excepthook = previous_thread_hook
        if self._fault_file is not None:
            faulthandler.disable()
            self._fault_file.close()
            self._fault_file = None


def install(on_crash: OnCrash | None = None, data_folder: Path | None = None) -> CrashHandler:
    """Install the crash handler writing to the logs folder of `data_folder` (the user data folder by default)."""
    return CrashHandler(log_folder(data_folder), on_crash).install()
