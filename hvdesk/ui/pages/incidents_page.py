"""Incidents to review: what happened, when, and where each one stands; the selected
incident's report to preview, print or save as a PDF (under the table, or its context menu)."""

from __future__ import annotations

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QMenu, QWidget
from sqlalchemy.orm import Session

from hvdesk.clock import Clock, SystemClock
from hvdesk.db.database import Database
from hvdesk.domain.incidents import IncidentStatus
from hvdesk.services.directory import IncidentRow, list_incidents
from hvdesk.services.documents import DocumentKind, DocumentService
from hvdesk.ui.document_actions import DocumentActions, DocumentBar, DocumentEntry
from hvdesk.ui.formatting import show_date_time, sort_instant
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.row_table_model import RIGHT, Column

_STATUS_ORDER = {s: i for i, s in enumerate(IncidentStatus)}

COLUMNS: list[Column[IncidentRow]] = [
    Column("No.", lambda r: str(r.id), align=RIGHT, sort_key=lambda r: r.id, shrink=False),
    Column(
        "Occurred",
        lambda r: show_date_time(r.occurred_at),
        sort_key=lambda r: sort_instant(r.occurred_at),
        shrink=False,
    ),
    Column("Kind", lambda r: r.kind),
    Column(
        "Status",
        lambda r: r.status_label,
        sort_key=lambda r: _STATUS_ORDER[r.status],
        bold=lambda r: r.status is IncidentStatus.OPEN,
        shrink=False,
    ),
    Column(
        "Visit",
        lambda r: "" if r.visit_id is None else f"#{r.visit_id}",
        sort_key=lambda r: r.visit_id or 0,
        shrink=False,
    ),
    Column("Summary", lambda r: r.summary, tooltip=lambda r: r.summary, stretch=True),
]

DOCUMENTS = (DocumentEntry(DocumentKind.INCIDENT, "&Incident report"),)


class IncidentsPage(ListPage[IncidentRow]):
    """The incidents list, most recent first."""

    title = "Incidents"
    icon_name = "incidents"
    noun = ("incident", "incidents")
    search_hint = "Type a word from the kind, status or summary"
    empty_text = "No incidents are recorded."

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        document_service: DocumentService | None = None,
    ) -> None:
        super().__init__(database, COLUMNS, key=lambda r: r.id, parent=parent)
        service = document_service or DocumentService(database, clock or SystemClock())
        self.documents = DocumentActions(service, self, database_path=database.path)
        self.document_bar = DocumentBar(self.documents, DOCUMENTS, record_noun="incident")
        self.layout_.addWidget(self.document_bar)
        self.selected_row_changed.connect(self._show_documents)

    def query(self, session: Session) -> list[IncidentRow]:
        return list_incidents(session)

    def refresh(self) -> None:
        super().refresh()
        self._show_documents()

    def context_menu(self, position: QPoint) -> QMenu:
        return self.document_bar.menu(self)

    def _show_documents(self) -> None:
        row = self.selected_row()
        self.document_bar.set_record(row.id if row is not None else None)
