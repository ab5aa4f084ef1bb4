"""Pupils on roll: who they are, their year and area, to pick out the right child.

"Add pupil…", "Edit…" (or a double-click) open the pupil's record with their home, adults and
the known risks this user may see; "Import from MIS…" reads the school's CSV export. Which
buttons work depends on who is signed in (the service enforces it whatever the buttons say)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QModelIndex, QPoint
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QMenu, QPushButton, QWidget
from sqlalchemy.orm import Session

from hvdesk.clock import Clock, SystemClock
from hvdesk.db.database import Database
from hvdesk.domain.uk_formats import year_group_label
from hvdesk.errors import HvdeskError
from hvdesk.services.directory import PupilRow, list_pupils
from hvdesk.services.identity import SignedInUser
from hvdesk.services.mis_import import MisImport
from hvdesk.services.people import PeopleService
from hvdesk.ui.current_user import CurrentUser
from hvdesk.ui.formatting import show_date, sort_date
from hvdesk.ui.pages.base import ListPage
from hvdesk.ui.people.import_dialog import ImportDialog
from hvdesk.ui.people.pupil_dialog import PupilDialog
from hvdesk.ui.row_table_model import RIGHT, Column

log = logging.getLogger(__name__)

COLUMNS: list[Column[PupilRow]] = [
    Column(
        "Name",
        lambda r: r.full_name,
        sort_key=lambda r: f"{r.last_name}\t{r.first_name}".casefold(),
    ),
    Column(
        "Year",
        lambda r: year_group_label(r.year_group),
        align=RIGHT,
        sort_key=lambda r: -2 if r.year_group is None else r.year_group,
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
    """The pupils list, with adding, editing and the MIS import."""

    title = "Pupils"
    icon_name = "pupils"
    noun = ("pupil", "pupils")
    search_hint = "Type a first name, surname or MIS ID"
    empty_text = "No pupils are recorded yet."

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
        self.importer = MisImport(database, self.clock)
        self.dialog: QDialog | None = None

        self.add_button = QPushButton("&Add pupil…")
        self.edit_button = QPushButton("&Edit…")
        self.import_button = QPushButton("&Import from MIS…")
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for button in (self.add_button, self.edit_button, self.import_button):
            actions.addWidget(button)
        actions.addStretch(1)
        self.layout_.insertLayout(self.layout_.indexOf(self.table), actions)
        self.add_button.clicked.connect(lambda: self.open_pupil(None))
        self.edit_button.clicked.connect(self.edit_selected)
        self.import_button.clicked.connect(self.open_import)
        self.table.doubleClicked.connect(self._double_clicked)
        self.selected_row_changed.connect(self._update_actions)
        if current_user is not None:
            current_user.changed.connect(self._update_actions)
        self._update_actions()

    def query(self, session: Session) -> list[PupilRow]:
        return list_pupils(session)

    @property
    def user(self) -> SignedInUser | None:
        return self.current_user.user if self.current_user is not None else None

    def _update_actions(self) -> None:
        rights = self.people.rights(self.user)
        self.add_button.setEnabled(rights.edit_family_details)
        self.import_button.setEnabled(rights.import_from_mis)
        self.edit_button.setEnabled(self.user is not None and self.selected_row() is not None)
        self.add_button.setToolTip(
            "" if rights.edit_family_details else "Pupils are added by the administrator or DSL."
        )
        self.import_button.setToolTip(
            "" if rights.import_from_mis else "The administrator or the DSL imports from the MIS."
        )

    def context_menu(self, position: QPoint) -> QMenu | None:
        if self.user is None or self.selected_row() is None:
            return None
        menu = QMenu(self)
        edit = QAction("&Edit…", menu)
        edit.triggered.connect(self.edit_selected)
        menu.addAction(edit)
        return menu

    def edit_selected(self) -> PupilDialog | None:
        row = self.selected_row()
        return self.open_pupil(row.id) if row is not None else None

    def open_pupil(self, pupil_id: int | None) -> PupilDialog | None:
        """Open a pupil's record (None: a new pupil), window-modal; the list follows a save."""
        user = self.user
        if user is None:
            return None
        try:
            dialog = PupilDialog(self.people, user, pupil_id, self)
        except HvdeskError as exc:
            self._show_problem(exc)
            return None
        dialog.accepted.connect(lambda: self._saved(dialog.saved_id))
        self._open(dialog)
        return dialog

    def open_import(self) -> ImportDialog | None:
        user = self.user
        if user is None or not self.people.rights(user).import_from_mis:
            return None
        dialog = ImportDialog(self.importer, user, self)
        dialog.finished.connect(lambda _result: self.refresh())
        self._open(dialog)
        return dialog

    def _open(self, dialog: QDialog) -> None:
        if self.dialog is not None:
            self.dialog.close()
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def _saved(self, pupil_id: int | None) -> None:
        log.info("Pupil %s saved from the Pupils page", pupil_id)
        self.refresh()
        if pupil_id is not None:
            self.select_row(lambda r: r.id == pupil_id)

    def _show_problem(self, exc: HvdeskError) -> None:
        self.problem_label.setText(str(exc))
        self.problem_label.show()

    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.edit_selected()
