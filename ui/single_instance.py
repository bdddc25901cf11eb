"""One window per database: a second launch on the same file brings the first window forward and exits.

The lock (ics_desktop.storage.instance_lock) says whether the file is taken; a local socket named after the
file lets the second launch ask the first to show itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

SHOW = b"show\n"


def server_name(db_path: Path) -> str:
    """A name for the database's local socket (the same for every spelling of its path)."""
    try:
        resolved = str(Path(db_path).resolve())
    except OSError:
        resolved = str(Path(db_path).absolute())
    return "ics-desktop-" + hashlib.sha256(resolved.encode("utf-8", "surrogatepass")).hexdigest()[:24]


def ask_first_window_to_show(db_path: Path, timeout_ms: int = 2000) -> bool:
    """Tell the window that has `db_path` open to come forward; False when none answers."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(db_path))
    if not socket.waitForConnected(timeout_ms):
        return False
    socket.write(SHOW)
    written = socket.waitForBytesWritten(timeout_ms)
    socket.disconnectFromServer()
    return written


class ShowRequests(QObject):
    """Listens for later launches on the same database; `show_requested` asks the window to come forward."""

    show_requested = Signal()

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._server = QLocalServer(self)
        name = server_name(db_path)
        QLocalServer.removeServer(name)  # a socket file left by a crash (the lock proves nobody uses it)
        self.listening = self._server.listen(name)
        self._server.newConnection.connect(self._connected)

    def _connected(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)

    def _read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket) and bytes(socket.readAll().data()).startswith(SHOW.strip()):
            self.show_requested.emit()
