"""Every service of the app over one database and one clock, each built once, when first asked.

`app.py` (the composition root) builds a `Services` and hands it to the main window, which
passes each page and dialog the services it needs. Nothing under `hvdesk/ui` builds a service
or sees the database: the window asks a service and gets frozen read-models back, so the
database beneath (a SQLCipher file today, a server later) can change without touching a widget.

A service is built (and its module imported) the first time it is asked for, then kept: at
start-up only the board's, the status bar's and the sign-in's are needed, and importing the
rest (statistics, subject access, the MIS import...) would slow the first paint for pages that
may never be opened. Tests build one with `Services.build(database, clock)` over a real
encrypted database.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from hvdesk.clock import Clock
from hvdesk.db.database import Database

if TYPE_CHECKING:
    from hvdesk.services.accounts import Accounts
    from hvdesk.services.audit import AuditTrail
    from hvdesk.services.authorisation import Authorisations
    from hvdesk.services.backups import Backups
    from hvdesk.services.board import BoardService
    from hvdesk.services.board_services import BoardServices
    from hvdesk.services.conduct_calls import ConductCalls
    from hvdesk.services.directory import Directory
    from hvdesk.services.documents import DocumentService
    from hvdesk.services.first_run import FirstRun
    from hvdesk.services.incidents import Incidents
    from hvdesk.services.lookups import Lookups
    from hvdesk.services.mis_import import MisImport
    from hvdesk.services.monitoring import Monitoring
    from hvdesk.services.people import PeopleService
    from hvdesk.services.retention import Retention
    from hvdesk.services.risk_assessments import RiskAssessments
    from hvdesk.services.screen_lock import ScreenLock
    from hvdesk.services.settings import SchoolSettings
    from hvdesk.services.statistics import Statistics
    from hvdesk.services.subject_access import SubjectAccess
    from hvdesk.services.visit_conduct import VisitConduct
    from hvdesk.services.visit_log import VisitLog
    from hvdesk.services.visit_records import VisitRecords
    from hvdesk.services.visit_requests import VisitRequests


class Services:
    """The app's services, each built once; pages receive the ones they use."""

    def __init__(self, database: Database, clock: Clock) -> None:
        self._database = database
        self.clock = clock
        self.database_where: str = database.where
        """Where the school's data lives, for the status bar (shown, not opened): its data
        folder, or the database server (issue 16)."""
        self.is_server: bool = database.is_server
        self.database_path: Path | None = None if database.is_server else database.path

    @classmethod
    def build(cls, database: Database, clock: Clock) -> Services:
        """The services over `database`, all on the same clock."""
        return cls(database, clock)

    @cached_property
    def screen_lock(self) -> ScreenLock:
        from hvdesk.services.screen_lock import ScreenLock

        return ScreenLock(self._database, self.clock)

    @cached_property
    def first_run(self) -> FirstRun:
        from hvdesk.services.first_run import FirstRun

        return FirstRun(self._database, self.clock)

    @cached_property
    def school_settings(self) -> SchoolSettings:
        from hvdesk.services.settings import SchoolSettings

        return SchoolSettings(self._database, self.clock)

    @cached_property
    def accounts(self) -> Accounts:
        from hvdesk.services.accounts import Accounts

        return Accounts(self._database, self.clock)

    @cached_property
    def audit_trail(self) -> AuditTrail:
        from hvdesk.services.audit import AuditTrail

        return AuditTrail(self._database, self.clock)

    @cached_property
    def authorisations(self) -> Authorisations:
        from hvdesk.services.authorisation import Authorisations

        return Authorisations(self._database, self.clock, self.accounts)

    @cached_property
    def backups(self) -> Backups:
        from hvdesk.services.backups import Backups

        return Backups(self._database, self.clock)

    @cached_property
    def board(self) -> BoardService:
        from hvdesk.services.board import BoardService

        return BoardService(self._database, self.clock)

    @cached_property
    def board_services(self) -> BoardServices:
        """The board page's view of the services (the same instances as here)."""
        from hvdesk.services.board_services import BoardServices
        from hvdesk.services.door_wait import DoorWait
        from hvdesk.services.reachable import Reachability
        from hvdesk.services.stand_down import StandDown

        return BoardServices(
            self._database,
            self.board,
            self.visit_log,
            self.documents,
            self.monitoring,
            self.accounts,
            conduct_calls=self.conduct_calls,
            # Issue 13: the wait at the door, the stand-down, who to call is reachable.
            door_wait=DoorWait(self._database, self.clock),
            stand_down=StandDown(self._database, self.clock),
            reachability=Reachability(self._database, self.clock),
        )

    @cached_property
    def directory(self) -> Directory:
        from hvdesk.services.directory import Directory

        return Directory(self._database)

    @cached_property
    def documents(self) -> DocumentService:
        from hvdesk.services.documents import DocumentService

        return DocumentService(self._database, self.clock)

    @cached_property
    def incidents(self) -> Incidents:
        from hvdesk.services.incidents import Incidents

        return Incidents(self._database, self.clock)

    @cached_property
    def lookups(self) -> Lookups:
        from hvdesk.services.lookups import Lookups

        return Lookups(self._database, self.clock)

    @cached_property
    def mis_import(self) -> MisImport:
        from hvdesk.services.mis_import import MisImport

        return MisImport(self._database, self.clock)

    @cached_property
    def monitoring(self) -> Monitoring:
        from hvdesk.services.monitoring import Monitoring

        return Monitoring(self._database, self.clock)

    @cached_property
    def people(self) -> PeopleService:
        from hvdesk.services.people import PeopleService

        return PeopleService(self._database, self.clock)

    @cached_property
    def retention(self) -> Retention:
        from hvdesk.services.retention import Retention

        return Retention(self._database, self.clock)

    @cached_property
    def risk_assessments(self) -> RiskAssessments:
        from hvdesk.services.risk_assessments import RiskAssessments

        return RiskAssessments(self._database, self.clock)

    @cached_property
    def statistics(self) -> Statistics:
        from hvdesk.services.statistics import Statistics

        return Statistics(self._database, self.clock)

    @cached_property
    def subject_access(self) -> SubjectAccess:
        from hvdesk.services.subject_access import SubjectAccess

        return SubjectAccess(self._database, self.clock)

    @cached_property
    def visit_log(self) -> VisitLog:
        from hvdesk.services.visit_log import VisitLog

        return VisitLog(self._database, self.clock)

    @cached_property
    def visit_records(self) -> VisitRecords:
        from hvdesk.services.visit_records import VisitRecords

        return VisitRecords(self._database, self.clock)

    @cached_property
    def visit_requests(self) -> VisitRequests:
        from hvdesk.services.visit_requests import VisitRequests

        return VisitRequests(self._database, self.clock)

    # In the home (issue 18): the briefing, the DSL's review, pupils' needs, the calls.
    @cached_property
    def visit_conduct(self) -> VisitConduct:
        from hvdesk.services.visit_conduct import VisitConduct

        return VisitConduct(self._database, self.clock)

    @cached_property
    def conduct_calls(self) -> ConductCalls:
        from hvdesk.services.conduct_calls import ConductCalls

        return ConductCalls(self._database, self.clock)
