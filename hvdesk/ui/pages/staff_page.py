"""Staff who go on visits, with the checks (safeguarding training, DBS) the office relies on.

"Add…" and "Edit…" (or a double-click) open the staff record; what is editable depends on who
is signed in: the job and checks for the administrator, DSL and headteacher; mobile, emergency
contact and vehicle also for reception and for each colleague on their own record."""

from __future__ import annotations

from hvdesk.services.directory import StaffRow
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.formatting import show_date, sort_date
from hvdesk.ui.pages.record_list import RecordListPage
from hvdesk.ui.people.staff_dialog import StaffDialog
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


class StaffPage(RecordListPage[StaffRow, StaffDialog]):
    """The staff list, with adding and editing."""

    title = "Staff"
    icon_name = "staff"
    noun = ("member of staff", "staff")
    search_hint = "Type a name or job role"
    empty_text = "No staff are recorded yet."
    columns = COLUMNS
    add_label = "&Add member of staff…"
    record_word = "Staff"

    def rows(self) -> list[StaffRow]:
        return self.services.directory.staff()

    def make_dialog(self, user: SignedInUser, record_id: int | None) -> StaffDialog:
        return StaffDialog(self.people, user, record_id, self)

    def _update_actions(self) -> None:
        super()._update_actions()
        rights = self.people.rights(self.user)
        self.add_button.setEnabled(rights.add_staff)
        self.add_button.setToolTip(
            "" if rights.add_staff else "Staff are added by the administrator, DSL or head."
        )

    def open_staff(self, staff_id: int | None) -> StaffDialog | None:
        """Open a staff record (None: a new one), window-modal; the list follows a save."""
        return self.open_record(staff_id)
