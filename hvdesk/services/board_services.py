"""The services the board works through, built once and handed to the board page.

The page never holds a session: it asks these, gets frozen read-models back, and an error it
can meet (a locked or full database) comes back as an `HvdeskError` through `known`. (The
application's composition root builds this; tests build it on their own database.)
"""

from __future__ import annotations

from dataclasses import dataclass

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.db.errors import known_error
from hvdesk.errors import HvdeskError
from hvdesk.services.accounts import Accounts
from hvdesk.services.board import BoardService
from hvdesk.services.conduct_calls import ConductCalls
from hvdesk.services.directory import PupilRow, StaffRow, list_pupils, list_staff
from hvdesk.services.documents import DocumentService
from hvdesk.services.door_wait import DoorWait
from hvdesk.services.live_updates import LiveUpdates
from hvdesk.services.monitoring import Monitoring
from hvdesk.services.reachable import Reachability
from hvdesk.services.stand_down import StandDown
from hvdesk.services.visit_log import VisitLog

__all__ = ["BoardServices"]


@dataclass(frozen=True)
class BoardServices:
    """What the board reads and records through."""

    database: Database
    board: BoardService
    visit_log: VisitLog
    documents: DocumentService
    monitoring: Monitoring
    accounts: Accounts
    # Issue 18: calls from the home (a child found alone, no appropriate adult).
    conduct_calls: ConductCalls
    # Issue 13: the wait at the door, the stand-down, who to call is reachable.
    door_wait: DoorWait | None = None
    stand_down: StandDown | None = None
    reachability: Reachability | None = None

    @classmethod
    def build(cls, database: Database, clock: Clock) -> BoardServices:
        return cls(
            database=database,
            board=BoardService(database, clock),
            visit_log=VisitLog(database, clock),
            documents=DocumentService(database, clock),
            monitoring=Monitoring(database, clock),
            accounts=Accounts(database, clock),
            conduct_calls=ConductCalls(database, clock),
            door_wait=DoorWait(database, clock),
            stand_down=StandDown(database, clock),
            reachability=Reachability(database, clock),
        )

    def live_updates(self) -> LiveUpdates | None:
        """Changes pushed by the database server (issue 16); None on a file, where the poll
        alone keeps the board current."""
        return LiveUpdates(self.database) if self.database.is_server else None

    def known(self, exc: BaseException) -> HvdeskError | None:
        """The office's words for an error (a locked or full database...); None for a bug."""
        return known_error(exc, self.database.place)

    def staff_and_pupils(self) -> tuple[list[StaffRow], list[PupilRow]]:
        """Who can be sent on an urgent visit, and to whom (the board's forms)."""
        with self.database.session() as session:
            return list_staff(session), list_pupils(session)
