"""One ICS Desktop at a time on a database: the app holds a lock beside the file while it has it open.

An operating-system lock (`flock` on Linux and macOS, `msvcrt.locking` on Windows) on `.<name>.lock`
beside the database: it goes with the process, so a crash or a kill never leaves a stale lock. The app
takes it for as long as the window is open; commands that write (`import-responses`, `bundle import`,
`bundle merge`, `restore`, `live-vote`) take it while they run and refuse when they cannot; commands that
only read (`summary`, `check`, `export`, `backups`) do not need it.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from ics_desktop.errors import StoreError


class DatabaseInUseError(StoreError):
    """Another ICS Desktop (the window, or a command) has the database open for writing."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(f".{db_path.name}.lock")


class DatabaseLock:
    """The lock on one database file; `acquire()` never waits."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path(self.db_path)
        self._file: IO[bytes] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self) -> bool:
        """Take the lock; False when another process holds it. A folder that can't be written: True
        (nothing can be written there, so there is nothing to protect)."""
        if self._file is not None:
            return True
        for _attempt in range(5):
            taken = self._try_once()
            if taken is not None:
                return taken
        return False

    def _try_once(self) -> bool | None:
        """True or False; None when the lock file was replaced meanwhile (then try again)."""
        try:
            handle = open(self.path, "a+b")  # noqa: SIM115 - held open for as long as the lock is
        except OSError:
            return True
        try:
            if sys.platform == "win32":
                import msvcrt

                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.close()
            return False
        # The holder removes the file when it lets go: a lock on a file no longer at this path means nothing.
        try:
            current = os.stat(self.path).st_ino
        except OSError:
            current = None
        if sys.platform != "win32" and current != os.fstat(handle.fileno()).st_ino:
            handle.close()
            return None
        self._file = handle
        return True

    def release(self) -> None:
        if self._file is None:
            return
        with contextlib.suppress(OSError):
            if sys.platform == "win32":
                import msvcrt

                self._file.seek(0)
                msvcrt.locking(self._file.fileno(), msvcrt.LK_UNLCK, 1)
            else:
                import fcntl

                self.path.unlink(missing_ok=True)  # while still locked: nothing is left beside the database
                fcntl.flock(self._file.fileno(), fcntl.LOCK_UN)
        self._file.close()
        self._file = None


def in_use(db_path: Path) -> bool:
    """Whether another process holds the database's lock right now."""
    probe = DatabaseLock(db_path)
    if probe.acquire():
        probe.release()
        return False
    return True


IN_USE_MESSAGE = (
    "ICS Desktop has {name} open (a window, or another command that writes): close it first, then {what} again. "
    "Reading commands (summary, check, export, backups) work meanwhile."
)


@contextlib.contextmanager
def exclusive(db_path: Path, what: str) -> Iterator[None]:
    """Hold the database's lock while a command writes; DatabaseInUseError when someone else has it."""
    lock = DatabaseLock(Path(db_path))
    if not lock.acquire():
        raise DatabaseInUseError(IN_USE_MESSAGE.format(name=Path(db_path).name, what=what))
    try:
        yield
    finally:
        lock.release()
