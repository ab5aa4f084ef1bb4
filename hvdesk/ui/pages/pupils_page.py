"""Pupils on roll: who they are, their year and area, to pick out the right child.

"Add pupil…", "Edit…" (or a double-click) open the pupil's record with their home, adults and
the known risks this user may see; "Import from MIS…" reads the school's CSV export. Which
buttons work depends on who is signed in (the service enforces it whatever the buttons say)."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton

from hvdesk.domain.uk_formats import year_group_label
from hvdesk.services.directory import PupilRow
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.formatting import show_date, sort_date
from hvdesk.ui.pages.record_list import RecordListPage
from hvdesk.ui.people.import_dialog import ImportDialog
from hvdesk.ui.people.pupil_dialog import PupilDialog
from hvdesk.ui.row_table_model import RIGHT, Column

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


class PupilsPage(RecordListPage[PupilRow, PupilDialog]):
    """The pupils list, with adding, editing and the MIS import."""

    title = "Pupils"
    icon_name = "pupils"
    noun = ("pupil", "pupils")
    search_hint = "Type a first name, surname or MIS ID"
    empty_text = "No pupils are recorded yet."
    columns = COLUMNS
    add_label = "&Add pupil…"
    record_word = "Pupil"

    def extra_actions(self) -> list[QPushButton]:
        self.import_button = QPushButton("&Import from MIS…")
        self.import_button.clicked.connect(self.open_import)
        return [self.import_button]

    def rows(self) -> list[PupilRow]:
        return self.services.directory.pupils()

    def make_dialog(self, user: SignedInUser, record_id: int | None) -> PupilDialog:
        return PupilDialog(self.people, user, record_id, self)

    def _update_actions(self) -> None:
        super()._update_actions()
        rights = self.people.rights(self.user)
        self.add_button.setEnabled(rights.edit_family_details)
        self.import_button.setEnabled(rights.import_from_mis)
        self.add_button.setToolTip(
            "" if rights.edit_family_details else "Pupils are added by the administrator or DSL."
        )
        self.import_button.setToolTip(
            "" if rights.import_from_mis else "The administrator or the DSL imports from the MIS."
        )

    def open_pupil(self, pupil_id: int | None) -> PupilDialog | None:
        """Open a pupil's record (None: a new pupil), window-modal; the list follows a save."""
        return self.open_record(pupil_id)

    def open_import(self) -> ImportDialog | None:
        user = self.user
        if user is None or not self.people.rights(user).import_from_mis:
            return None
        dialog = ImportDialog(self.services.mis_import, user, self)
        dialog.finished.connect(lambda _result: self.refresh())
        self.open_dialog(dialog)
        return dialog
