"""Staff who go on visits, with the checks (safeguarding training, DBS) the office relies on.

"Add…" and "Edit…" (or a double-click) open the staff record; what is editable depends on who
is signed in: the job and checks for the administrator, DSL and headteacher; mobile, emergency
contact and vehicle also for reception and for each colleague on their own record."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QMenu, QPushButton, QWidget
from sqlalchemy.orm import Session

from hvdesk.clock import Clock, SystemClock
from hvdesk.db.database import Database
from hvdesk.errors import HvdeskError
from hvdesk.services.directory import StaffRow, list_staff
from hvdesk.services.identity import SignedInUser
from hvdesk.services.people import PeopleService
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.formatting import show_date, sort_date
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.people.staff_dialog import StaffDialog
from hvdesk.ui.row_table_model import Column

log = logging.getLogger(__name__)

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
    """The staff list, with adding and editing."""

    title = "Staff"
    icon_name = "staff"
    noun = ("member of staff", "staff")
    search_hint = "Type a name or job role"
    empty_text = "No staff are recorded yet."

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        *,
        clock: Clock | None = None,
        current_user: CurrentUser | None = None,
    ) -> None:
        super().__init__(database, COLUMNS, key=lambda r: r.id, parent=parent)
        self.clock = clock or SystemClock()
        self.current_user = current_user
        self.people = PeopleService(database, self.clock)
        self.dialog: StaffDialog | None = None

        self.add_button = QPushButton("&Add member of staff…")
        self.edit_button = QPushButton("&Edit…")
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.add_button)
        actions.addWidget(self.edit_button)
        actions.addStretch(1)
        self.layout_.insertLayout(self.layout_.indexOf(self.table), actions)
        self.add_button.clicked.connect(lambda: self.open_staff(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.table.doubleClicked.connect(self._double_clicked)
        self.selected_row_changed.connect(self._update_actions)
        if current_user is not None:
            current_user.changed.connect(self._update_actions)
        self._update_actions()

    def query(self, session: Session) -> list[StaffRow]:
        return list_staff(session)

    @property
    def user(self) -> SignedInUser | None:
        return self.current_user.user if self.current_user is not None else None

    def _update_actions(self) -> None:
        rights = self.people.rights(self.user)
        self.add_button.setEnabled(rights.add_staff)
        self.add_button.setToolTip(
            "" if rights.add_staff else "Staff are added by the administrator, DSL or head."
        )
        self.edit_button.setEnabled(self.user is not None and self.selected_row() is not None)

    def context_menu(self, position: QPoint) -> QMenu | None:
        if self.user is None or self.selected_row() is None:
            return None
        menu = QMenu(self)
        edit = QAction("&Edit…", menu)
        edit.triggered.connect(self.edit_selected)
        menu.addAction(edit)
        return menu

    def edit_selected(self) -> StaffDialog | None:
        row = self.selected_row()
        return self.open_staff(row.id) if row is not None else None

    def open_staff(self, staff_id: int | None) -> StaffDialog | None:
        """Open a staff record (None: a new one), window-modal; the list follows a save."""
        user = self.user
        if user is None:
            return None
        try:
            dialog = StaffDialog(self.people, user, staff_id, self)
        except HvdeskError as exc:
            self.problem_label.setText(str(exc))
            self.problem_label.show()
            return None
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._saved(dialog.saved_id))
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()
        return dialog

    def _closed(self, dialog: StaffDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _saved(self, staff_id: int | None) -> None:
        log.info("Staff %s saved from the Staff page", staff_id)
        self.refresh()
        if staff_id is not None:
            self.select_row(lambda r: r.id == staff_id)

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_selected()
