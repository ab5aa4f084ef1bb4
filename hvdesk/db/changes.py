"""Hearing that another PC changed something, so a board can refresh at once.

Every change the services make writes the audit trail, so "the newest audit entry" is the
database's change counter. On a PostgreSQL server, migration 0011 sends NOTIFY hvdesk_changes
when such a transaction commits; `ChangeFeed.wait` listens on its own connection and returns
as soon as one arrives. On SQLCipher (or when the listening connection was lost) it falls back
to reading the newest entry's id, the poll the board always had.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import sqlalchemy as sa

from hvdesk.db.models import AuditEntry
from hvdesk.errors import HvdeskError

log = logging.getLogger(__name__)

CHANNEL = "hvdesk_changes"


class ChangeFeed:
    """The newest change this PC knows of, and a wait for the next one (any PC's)."""

    def __init__(self, engine: sa.Engine) -> None:
        self._engine = engine
        self._listener: Any = None
        self.last_seen = self.newest()

    @property
    def live(self) -> bool:
        """True while changes arrive by NOTIFY (a server), False when polled."""
        return self._listener is not None

    def newest(self) -> int:
        """The id of the newest audit entry (0 for none)."""
        with self._engine.connect() as connection:
            return int(connection.execute(sa.select(sa.func.max(AuditEntry.id))).scalar() or 0)

    def wait(self, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a change since the last one seen; True if there
        was one. Never raises for a lost connection: it says False and tries again next time
        (the caller's stale-data warning covers the gap)."""
        if self._engine.dialect.name == "postgresql" and self._ensure_listening():
            try:
                for _notify in self._listener.notifies(timeout=timeout, stop_after=1):
                    break
            except Exception:  # the server went away: poll until it is back
                log.warning("Lost the change feed's connection; falling back to polling")
                self.close()
        else:
            time.sleep(timeout)
        try:
            newest = self.newest()
        except (HvdeskError, sa.exc.DBAPIError):  # unreachable or busy: the caller warns
            return False
        changed = newest != self.last_seen
        self.last_seen = newest
        return changed

    def _ensure_listening(self) -> bool:
        if self._listener is not None:
            return True
        try:
            raw = self._engine.raw_connection()
        except Exception:
            return False
        try:
            driver = raw.driver_connection
            if driver is None:
                raw.close()
                return False
            raw.detach()  # this connection stays outside the pool, listening, until closed
            driver.autocommit = True
            driver.execute(f"LISTEN {CHANNEL}")
        except Exception:
            raw.close()
            return False
        self._listener = driver
        return True

    def close(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception:  # already gone
                log.debug("Change feed connection was already closed")
            self._listener = None
