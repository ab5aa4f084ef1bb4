"""All visits, latest first, with a status filter: the office's register of home visits.

Under the table, the selected visit's documents (Home Visit Form, Record of Home Visit, risk
assessment, authorisation certificate, police sheet), each to preview, print or save as a PDF,
and the blank Home Visit Form for when the system is down; the same on the context menu."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QComboBox, QLabel, QMenu, QWidget
from sqlalchemy.orm import Session

from hvdesk.clock import Clock, SystemClock
from hvdesk.db.database import Database
from hvdesk.domain.visits import VisitStatus
from hvdesk.services.directory import VisitRow, list_visits
from hvdesk.services.documents import DocumentKind, DocumentService
from hvdesk.ui.document_actions import DocumentActions, DocumentBar, DocumentEntry
from hvdesk.ui.formatting import show_date_time, show_time, sort_instant
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.row_table_model import RIGHT, Column

_STATUS_ORDER = {s: i for i, s in enumerate(VisitStatus)}

COLUMNS: list[Column[VisitRow]] = [
    Column("No.", lambda r: str(r.id), align=RIGHT, sort_key=lambda r: r.id, shrink=False),
    Column(
        "Planned",
        lambda r: f"{show_date_time(r.planned_start)}–{show_time(r.planned_end)}",
        sort_key=lambda r: sort_instant(r.planned_start),
        shrink=False,
    ),
    Column(
        "Status", lambda r: r.status_label, sort_key=lambda r: _STATUS_ORDER[r.status], shrink=False
    ),
    Column("Pupil", lambda r: r.pupil_name or ""),
    Column("Area", lambda r: r.area),
    Column("Visitors", lambda r: ", ".join(r.visitors)),
    Column("Reason", lambda r: r.reason, tooltip=lambda r: r.reason, stretch=True),
]

ALL_STATUSES = "All statuses"

DOCUMENTS = (
    DocumentEntry(DocumentKind.VISIT_FORM, "Home &Visit Form"),
    DocumentEntry(DocumentKind.VISIT_RECORD, "&Record of Home Visit"),
    DocumentEntry(DocumentKind.RISK_ASSESSMENT, "Risk &assessment"),
    DocumentEntry(DocumentKind.AUTHORISATION, "A&uthorisation"),
    DocumentEntry(DocumentKind.POLICE_SHEET, "&Police sheet"),
    DocumentEntry(DocumentKind.VISIT_FORM, "&Blank form", blank=True),
)


class VisitsPage(ListPage[VisitRow]):
    """The visits register."""

    title = "Visits"
    icon_name = "visits"
    noun = ("visit", "visits")
    search_hint = "Type a pupil, area, reason, visitor or visit number"
    empty_text = "No visits are recorded yet."

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        document_service: DocumentService | None = None,
    ) -> None:
        super().__init__(database, COLUMNS, key=lambda r: r.id, parent=parent)
        self.status_box = QComboBox()
        self.status_box.setAccessibleName("Show visits with status")
        self.status_box.addItem(ALL_STATUSES, None)
        for status in VisitStatus:
            self.status_box.addItem(status.label, status.value)
        self.status_box.currentIndexChanged.connect(lambda _i: self.refresh())
        status_label = QLabel("S&tatus:")
        status_label.setBuddy(self.status_box)
        self.search_row.addSpacing(16)
        self.search_row.addWidget(status_label)
        self.search_row.addWidget(self.status_box)

        service = document_service or DocumentService(database, clock or SystemClock())
        self.documents = DocumentActions(service, self, database_path=database.path)
        self.document_bar = DocumentBar(self.documents, DOCUMENTS, record_noun="visit")
        self.layout_.addWidget(self.document_bar)
        self.selected_row_changed.connect(self._show_documents)

    @property
    def status_filter(self) -> VisitStatus | None:
        value = self.status_box.currentData()
        return VisitStatus(value) if value else None

    def query(self, session: Session) -> list[VisitRow]:
        return list_visits(session, status=self.status_filter)

    def refresh(self) -> None:
        super().refresh()
        self._show_documents()  # a risk assessment may have been written since

    def context_menu(self, position: QPoint) -> QMenu:
        return self.document_bar.menu(self)

    def _show_documents(self) -> None:
        row = self.selected_row()
        self.document_bar.set_record(row.id if row is not None else None)
