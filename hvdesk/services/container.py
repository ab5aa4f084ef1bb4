"""Every service of the app, built once over one database and one clock.

`app.py` (the composition root) builds a `Services` and hands it to the main window, which
passes each page and dialog the services it needs. Nothing under `hvdesk/ui` builds a service
or sees the database: the window asks a service and gets frozen read-models back, so the
database beneath (a SQLCipher file today, a server later) can change without touching a widget.
Tests build one with `Services.build(database, clock)` over a real encrypted database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hvdesk.clock import Clock
from hvdesk.db.database import Database
from hvdesk.services.accounts import Accounts
from hvdesk.services.audit import AuditTrail
from hvdesk.services.authorisation import Authorisations
from hvdesk.services.backups import Backups
from hvdesk.services.board import BoardService
from hvdesk.services.board_services import BoardServices
from hvdesk.services.directory import Directory
from hvdesk.services.documents import DocumentService
from hvdesk.services.incidents import Incidents
from hvdesk.services.lookups import Lookups
from hvdesk.services.mis_import import MisImport
from hvdesk.services.monitoring import Monitoring
from hvdesk.services.people import PeopleService
from hvdesk.services.retention import Retention
from hvdesk.services.risk_assessments import RiskAssessments
from hvdesk.services.statistics import Statistics
from hvdesk.services.subject_access import SubjectAccess
from hvdesk.services.visit_log import VisitLog
from hvdesk.services.visit_records import VisitRecords
from hvdesk.services.visit_requests import VisitRequests


@dataclass(frozen=True)
class Services:
    """The app's services, each built once; pages receive the ones they use."""

    clock: Clock
    database_path: Path
    """Where the school's data lives, for the status bar and the About box (shown, not opened)."""
    accounts: Accounts
    audit_trail: AuditTrail
    authorisations: Authorisations
    backups: Backups
    board: BoardService
    board_services: BoardServices
    """The board page's view of the services below (the same instances)."""
    directory: Directory
    documents: DocumentService
    incidents: Incidents
    lookups: Lookups
    mis_import: MisImport
    monitoring: Monitoring
    people: PeopleService
    retention: Retention
    risk_assessments: RiskAssessments
    statistics: Statistics
    subject_access: SubjectAccess
    visit_log: VisitLog
    visit_records: VisitRecords
    visit_requests: VisitRequests
    database: Database
    """Only for the settings page until it is rebuilt on services (engineer settings); nothing
    else under hvdesk/ui may touch it."""

    @classmethod
    def build(cls, database: Database, clock: Clock) -> Services:
        """Every service over `database`, all on the same clock."""
        accounts = Accounts(database, clock)
        board = BoardService(database, clock)
        documents = DocumentService(database, clock)
        monitoring = Monitoring(database, clock)
        visit_log = VisitLog(database, clock)
        return cls(
            clock=clock,
            database_path=database.path,
            accounts=accounts,
            audit_trail=AuditTrail(database, clock),
            authorisations=Authorisations(database, clock, accounts),
            backups=Backups(database, clock),
            board=board,
            board_services=BoardServices(
                database, board, visit_log, documents, monitoring, accounts
            ),
            directory=Directory(database),
            documents=documents,
            incidents=Incidents(database, clock),
            lookups=Lookups(database, clock),
            mis_import=MisImport(database, clock),
            monitoring=monitoring,
            people=PeopleService(database, clock),
            retention=Retention(database, clock),
            risk_assessments=RiskAssessments(database, clock),
            statistics=Statistics(database, clock),
            subject_access=SubjectAccess(database, clock),
            visit_log=visit_log,
            visit_records=VisitRecords(database, clock),
            visit_requests=VisitRequests(database, clock),
            database=database,
        )
