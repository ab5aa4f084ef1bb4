"""Staff who go on visits, with the checks (safeguarding training, DBS) the office relies on."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from hvdesk.db.database import Database
from hvdesk.services.directory import StaffRow, list_staff
from hvdesk.ui.formatting import show_date, sort_date
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.row_table_model import Column

COLUMNS: list[Column[StaffRow]] = [
    Column(
        "Name",
        lambda r: r.full_name,
        sort_key=lambda r: f"{r.last_name}\t{r.first_name}".casefold(),
    ),
    Column("Job role", lambda r: r.job_role),
    Column("Work mobile", lambda r: r.work_mobile or "", shrink=False),
    Column(
        "Safeguarding\ntrained",
        lambda r: show_date(r.safeguarding_trained_on) or "Not recorded",
        sort_key=lambda r: sort_date(r.safeguarding_trained_on),
        shrink=False,
    ),
    Column("DBS check", lambda r: r.dbs_level),
    Column(
        "DBS date",
        lambda r: show_date(r.dbs_checked_on),
        sort_key=lambda r: sort_date(r.dbs_checked_on),
        shrink=False,
    ),
    Column("Vehicle", lambda r: "Yes" if r.has_vehicle else "No", shrink=False),
]


class StaffPage(ListPage[StaffRow]):
    """The staff list."""

    title = "Staff"
    icon_name = "staff"
    noun = ("member of staff", "staff")
    search_hint = "Type a name or job role"
    empty_text = "No staff are recorded yet."

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, COLUMNS, key=lambda r: r.id, parent=parent)

    def query(self, session: Session) -> list[StaffRow]:
        return list_staff(session)
