"""Run a slow read off the UI thread and hand its answer back on it (after anki's `QueryOp`).

The window must never stall on the database: a read of the board at 5,000 visits out takes
longer than a frame. `QueryOp` runs a callable on a worker thread and delivers its result, or
the exception it raised, to callbacks on the UI thread. If the widget that asked is gone by
then (the window closed), nothing is delivered. The callable must not touch widgets: it talks
to services only, which open their own session on whatever thread they run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")


class _Relay(QObject):
    """Lives on the UI thread; a signal emitted to it from the worker is queued there."""

    finished = Signal(object, object)  # result, exception (one of them is None)

    def __init__(self, deliver: Callable[[object, object], None]) -> None:
        super().__init__()
        self._deliver = deliver
        self.finished.connect(self._arrived, Qt.ConnectionType.QueuedConnection)

    @Slot(object, object)
    def _arrived(self, result: object, error: object) -> None:
        self._deliver(result, error)


class _Job(QRunnable):
    def __init__(self, op: Callable[[], object], relay: _Relay) -> None:
        super().__init__()
        self._op = op
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._op()
        except BaseException as exc:  # delivered to the UI thread, which decides
            self._relay.finished.emit(None, exc)
            return
        self._relay.finished.emit(result, None)


class QueryOp(Generic[T]):
    """A read on a worker thread: `success(result)` or `failure(exception)` on the UI thread.

    `parent` is the widget that asked: when it has been deleted before the answer comes, the
    answer is dropped. Without `failure`, an exception is re-raised on the UI thread (a bug).
    """

    _running: ClassVar[set[QueryOp[object]]] = set()
    """Operations not yet delivered (kept alive until then)."""

    def __init__(
        self,
        parent: QObject,
        op: Callable[[], T],
        success: Callable[[T], None],
        failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        self._parent = parent
        self._op = op
        self._success = success
        self._failure = failure
        self._relay = _Relay(self._deliver)

    def run_in_background(self, pool: QThreadPool | None = None) -> None:
        QueryOp._running.add(self)  # type: ignore[arg-type]
        (pool or QThreadPool.globalInstance()).start(_Job(self._op, self._relay))

    @staticmethod
    def wait_for_all(timeout_ms: int = 3000) -> bool:
        """Let the reads still running finish (the window is closing: a worker thread still
        in Python when the interpreter shuts down can take the process with it)."""
        return QThreadPool.globalInstance().waitForDone(timeout_ms)

    def _deliver(self, result: object, error: object) -> None:
        QueryOp._running.discard(self)
        if not shiboken6.isValid(self._parent):
            log.debug("A background read finished after its window closed: dropped")
            return
        if isinstance(error, BaseException):
            if self._failure is None:
                raise error
            self._failure(error)
            return
        self._success(result)  # type: ignore[arg-type]
