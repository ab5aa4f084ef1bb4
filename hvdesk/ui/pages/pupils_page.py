"""Pupils on roll: who they are, their year and area, to pick out the right child."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from hvdesk.db.database import Database
from hvdesk.services.directory import PupilRow, list_pupils
from hvdesk.ui.formatting import show_date, sort_date
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.row_table_model import RIGHT, Column

COLUMNS: list[Column[PupilRow]] = [
    Column(
        "Name",
        lambda r: r.full_name,
        sort_key=lambda r: f"{r.last_name}\t{r.first_name}".casefold(),
    ),
    Column(
        "Year",
        lambda r: "" if r.year_group is None else str(r.year_group),
        align=RIGHT,
        sort_key=lambda r: -1 if r.year_group is None else r.year_group,
        shrink=False,
    ),
    Column(
        "Date of birth",
        lambda r: show_date(r.date_of_birth),
        sort_key=lambda r: sort_date(r.date_of_birth),
        shrink=False,
    ),
    Column("Area", lambda r: r.area or ""),
    Column("MIS ID", lambda r: r.mis_id or "", shrink=False),
    Column(
        "Household",
        lambda r: "" if r.household_id is None else f"#{r.household_id}",
        sort_key=lambda r: r.household_id or 0,
        shrink=False,
    ),
]


class PupilsPage(ListPage[PupilRow]):
    """The pupils list."""

    title = "Pupils"
    icon_name = "pupils"
    noun = ("pupil", "pupils")
    search_hint = "Type a first name, surname or MIS ID"
    empty_text = "No pupils are recorded yet."

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(database, COLUMNS, key=lambda r: r.id, parent=parent)

    def query(self, session: Session) -> list[PupilRow]:
        return list_pupils(session)
