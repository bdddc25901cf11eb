"""What every export shares: writing a file whole or not at all, progress with cancel, safe text."""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ics_desktop.errors import UserFacingError

# XML 1.0 forbids most C0 controls and lone surrogates; Word and PDF both choke on them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class ExportCancelled(UserFacingError):
    """The user cancelled an export; nothing was written."""

    def __init__(self) -> None:
        super().__init__("The export was cancelled; no file was written.")


class ExportError(UserFacingError):
    """An export could not be written (a full disk, a folder that is not there, a file open elsewhere)."""


Progress = Callable[[int, str], None]
"""Called with a percentage (0–100) and what is being done; it raises ExportCancelled to stop."""


def no_progress(_percent: int, _what: str) -> None:
    """The default progress callback: does nothing."""


def xml_safe(text: str | None) -> str:
    """The text with only the characters XML cannot hold removed (everything else kept as typed)."""
    if not text:
        return ""
    return _XML_INVALID.sub("", text)


STALE_PART_SECONDS = 15 * 60  # a temporary export file this old is left from a killed export, not a running one


def sweep_stale_parts(target: Path) -> list[Path]:
    """Remove what an export of `target` killed midway left beside it: our own temporary names only
    (".{stem}-XXXXXXXX{suffix}.part", as `atomic_path` makes them), and only when no export could still be
    writing them. Returns what was removed."""
    target = Path(target)
    ours = re.compile(re.escape(f".{target.stem}-") + r"[A-Za-z0-9_]{8}" + re.escape(target.suffix + ".part"))
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        try:
            if not ours.fullmatch(entry.name) or not entry.is_file(follow_symlinks=False):
                continue
            if now - entry.stat(follow_symlinks=False).st_mtime > STALE_PART_SECONDS:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue  # not ours to worry about: the export itself goes on
    return removed


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target`, on any failure it is removed.

    So an interrupted or failed export never leaves a half-written file where the user expects one.
    """
    target = Path(target)
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"The folder {folder} does not exist.")
    sweep_stale_parts(target)
    try:
        fd, temp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix + ".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"Cannot write in {folder}: {exc.strerror or exc}.") from None
    os.close(fd)
    temp = Path(temp_name)
    try:
        yield temp
        with open(temp, "rb+") as fh:
            os.fsync(fh.fileno())
        # mkstemp makes the file private; an exported document gets the user's usual permissions.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        about = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(temp) else ""
        raise ExportError(f"Cannot write {target}: {exc.strerror or exc}{about}.") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@dataclass(frozen=True)
class ExportResult:
    path: Path
    pages: int | None = None  # PDF page count where known
