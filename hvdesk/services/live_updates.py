"""Live updates across PCs for the board: "has anything changed since I last read?".

A thin service over `hvdesk.db.changes.ChangeFeed` so the window never touches the database:
on a PostgreSQL server a change made on another PC is heard within a second (NOTIFY); on the
encrypted file, or while the server's connection is lost, it is a poll. Run `wait_for_change`
off the UI thread; when it returns True, read the board again.
"""

from __future__ import annotations

from hvdesk.db.changes import ChangeFeed
from hvdesk.db.database import Database


class LiveUpdates:
    """One per board: waits for the next change any PC makes."""

    def __init__(self, database: Database) -> None:
        self._feed = ChangeFeed(database.engine)

    @property
    def live(self) -> bool:
        """True while changes are pushed by the server; False while polled."""
        return self._feed.live

    def wait_for_change(self, timeout: float = 1.0) -> bool:
        """Block up to `timeout` seconds; True if something changed since the last call."""
        return self._feed.wait(timeout)

    def close(self) -> None:
        self._feed.close()
