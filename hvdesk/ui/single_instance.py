"""One hvdesk per user: a second start brings the open window forward and quits.

Two copies of the board would each run the escalation and could both write to the database;
a receptionist double-clicking the icon just wants the window back. A `QLockFile` decides who
is first (it notices a lock left by a crashed process), and a `QLocalServer` lets a later start
say "raise your window".
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE_MESSAGE = b"raise\n"
LOCK_WAIT_MS = 200
SEND_TIMEOUT_MS = 2000


def instance_name(user: str | None = None) -> str:
    """A server name unique to this user (named pipes on Windows are machine-wide)."""
    if user is None:
        try:
            user = getpass.getuser()
        except (OSError, KeyError):
            user = "user"
    digest = hashlib.sha256(f"hvdesk\0{user}".encode()).hexdigest()[:16]
    return f"hvdesk-{digest}"


class SingleInstance(QObject):
    """The lock of the first instance and the channel later starts use to reach it."""

    raise_requested = Signal()

    def __init__(self, name: str, lock_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.lock_path = lock_dir / f"{name}.lock"
        self._lock: QLockFile | None = None
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if this is the first instance (now listening); False if another one runs."""
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            log.warning("Cannot create the instance lock folder; not enforcing one instance")
            return True
        lock = QLockFile(str(self.lock_path))
        lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
        if not lock.tryLock(LOCK_WAIT_MS):
            if lock.error() == QLockFile.LockError.LockFailedError:
                return False
            log.warning(
                "Cannot write the instance lock (%s); not enforcing one instance", lock.error().name
            )
            return True
        self._lock = lock
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # A socket left by a crash: we hold the lock, so it is safe to remove.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                log.warning("Cannot listen for a second start: %s", server.errorString())
                return True
        server.newConnection.connect(self._on_connection)
        self._server = server
        return True

    def notify_running(self, timeout_ms: int = SEND_TIMEOUT_MS) -> bool:
        """Ask the running instance to raise its window; False if it could not be reached."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            log.warning("The running hvdesk did not answer: %s", socket.errorString())
            return False
        socket.write(QByteArray(RAISE_MESSAGE))
        sent = socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return sent

    def release(self) -> None:
        """Stop listening and drop the lock (at exit; safe to call twice)."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def _on_connection(self) -> None:
        # Slots are bound methods of this QObject (not lambdas), so Qt drops the connections
        # when it is deleted; a late signal can never reach a half-destroyed instance.
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(self._read_ready)
            socket.disconnected.connect(socket.deleteLater)
            if socket.canReadLine():
                self._read(socket)

    def _read_ready(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket):
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine(64).data())
            if line == RAISE_MESSAGE:
                self.raise_requested.emit()
