"""Incidents to review: what happened, when, and where each one stands."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from hvdesk.db.database import Database
from hvdesk.domain.incidents import IncidentStatus
from hvdesk.services.directory import IncidentRow, list_incidents
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


class IncidentsPage(ListPage[IncidentRow]):
    """The incidents list, most recent first."""

    title = "Incidents"
    icon_name = "incidents"
    noun = ("incident", "incidents")
    search_hint = "Type a word from the kind, status or summary"
    empty_text = "No incidents are recorded."

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, COLUMNS, key=lambda r: r.id, parent=parent)

    def query(self, session: Session) -> list[IncidentRow]:
        return list_incidents(session)
