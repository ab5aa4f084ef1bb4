"""A staff record in two parts: the job and its checks (safeguarding training, DBS), kept by the
administrator, DSL and headteacher; and what the office needs if the colleague goes missing
(work mobile, emergency contact, vehicle, description), which reception and the colleague
themselves may also keep current. The part a user may not change is shown read-only."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hvdesk.domain.people import DbsLevel, JobRole
from hvdesk.domain.people_records import (
    FieldProblem,
    StaffDraft,
    StaffPart,
    check_staff,
    tidy_staff,
)
from hvdesk.services.identity import SignedInUser
from hvdesk.services.people import PeopleService, StaffRecord
from hvdesk.ui.people.form_parts import DateField, PersonDialog, text_line

NO_SUPERVISOR = "Nobody chosen"


class StaffDialog(PersonDialog):
    """Add (no `staff_id`) or edit a member of staff. `saved_id` holds their id once saved."""

    def __init__(
        self,
        people: PeopleService,
        user: SignedInUser,
        staff_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(people, user, "staffDialog", parent)
        self.staff_id = staff_id
        self.record: StaffRecord | None = (
            people.staff_member(staff_id, user) if staff_id is not None else None
        )
        name = (
            f"{self.record.draft.first_name} {self.record.draft.last_name}"
            if self.record is not None
            else "New member of staff"
        )
        self.setWindowTitle(f"Staff: {name}")
        self.resize(920, 640)

        heading = QLabel(name)
        heading.setObjectName("dialogTitle")
        parts = QHBoxLayout()
        parts.addWidget(self._build_job(), 1)
        parts.addWidget(self._build_if_missing(), 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(parts, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self._fill()
        self._apply_rights()

    def _build_job(self) -> QGroupBox:
        self.job_box = QGroupBox("Job and checks")
        self.first_name = text_line("First name")
        self.last_name = text_line("Surname")
        self.job_role = QComboBox()
        self.job_role.setAccessibleName("Job role")
        for role in JobRole:
            self.job_role.addItem(role.label, role.value)
        self.email = text_line("Email", 200)
        self.supervisor = QComboBox()
        self.supervisor.setAccessibleName("Supervisor")
        self.supervisor.addItem(NO_SUPERVISOR, None)
        keeping = self.record.draft.supervisor_id if self.record is not None else None
        for choice in self.people.staff_choices(excluding=self.staff_id, keeping=keeping):
            self.supervisor.addItem(choice.name, choice.id)
        self.trained_on = DateField("Safeguarding training date")
        self.dbs_level = QComboBox()
        self.dbs_level.setAccessibleName("DBS check level")
        for level in DbsLevel:
            self.dbs_level.addItem(level.label, level.value)
        self.dbs_checked_on = DateField("DBS check date")
        self.left_on = DateField("Left on")
        form = QFormLayout(self.job_box)
        form.addRow("&First name:", self.first_name)
        form.addRow("&Surname:", self.last_name)
        form.addRow("&Job role:", self.job_role)
        form.addRow("&Email:", self.email)
        form.addRow("Su&pervisor:", self.supervisor)
        form.addRow("Safeguarding &training:", self.trained_on)
        form.addRow("&DBS check:", self.dbs_level)
        form.addRow("DBS check &date:", self.dbs_checked_on)
        form.addRow("&Left on:", self.left_on)
        return self.job_box

    def _build_if_missing(self) -> QGroupBox:
        self.missing_box = QGroupBox("If they go missing on a visit")
        self.work_mobile = text_line("Work mobile", 40)
        self.work_mobile.setPlaceholderText("07700 900123")
        self.emergency_name = text_line("Emergency contact", 160)
        self.emergency_relationship = text_line("Emergency contact's relationship", 80)
        self.emergency_phone = text_line("Emergency contact's phone", 40)
        self.vehicle_make = text_line("Vehicle make", 60)
        self.vehicle_model = text_line("Vehicle model", 60)
        self.vehicle_colour = text_line("Vehicle colour", 40)
        self.vehicle_registration = text_line("Vehicle registration", 16)
        self.vehicle_registration.setMaximumWidth(140)
        self.description = QPlainTextEdit()
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText("How the police would recognise them")
        self.description.setMaximumHeight(100)
        self.description.setTabChangesFocus(True)
        form = QFormLayout(self.missing_box)
        form.addRow("Work &mobile:", self.work_mobile)
        form.addRow("Emergency &contact:", self.emergency_name)
        form.addRow("Relations&hip:", self.emergency_relationship)
        form.addRow("Their ph&one:", self.emergency_phone)
        form.addRow("&Vehicle make:", self.vehicle_make)
        form.addRow("M&odel:", self.vehicle_model)
        form.addRow("Colo&ur:", self.vehicle_colour)
        form.addRow("&Registration:", self.vehicle_registration)
        form.addRow("Descr&iption:", self.description)
        return self.missing_box

    def _fill(self) -> None:
        if self.record is None:
            return
        d = self.record.draft
        self.first_name.setText(d.first_name)
        self.last_name.setText(d.last_name)
        self.job_role.setCurrentIndex(self.job_role.findData(d.job_role.value))
        self.email.setText(d.email or "")
        self.supervisor.setCurrentIndex(max(0, self.supervisor.findData(d.supervisor_id)))
        self.trained_on.set_date(d.safeguarding_trained_on)
        self.dbs_level.setCurrentIndex(self.dbs_level.findData(d.dbs_level.value))
        self.dbs_checked_on.set_date(d.dbs_checked_on)
        self.left_on.set_date(d.left_on)
        self.work_mobile.setText(d.work_mobile or "")
        self.emergency_name.setText(d.emergency_contact_name or "")
        self.emergency_relationship.setText(d.emergency_contact_relationship or "")
        self.emergency_phone.setText(d.emergency_contact_phone or "")
        self.vehicle_make.setText(d.vehicle_make or "")
        self.vehicle_model.setText(d.vehicle_model or "")
        self.vehicle_colour.setText(d.vehicle_colour or "")
        self.vehicle_registration.setText(d.vehicle_registration or "")
        self.description.setPlainText(d.description or "")

    def _apply_rights(self) -> None:
        new = self.record is None
        job = self.rights.add_staff if new else self.rights.edit_staff_job_and_checks
        missing = (
            self.rights.add_staff
            if new
            else (self.rights.may_edit_staff(self.staff_id, StaffPart.IF_MISSING))
        )
        for line in (
            self.first_name,
            self.last_name,
            self.email,
            self.trained_on,
            self.dbs_checked_on,
            self.left_on,
        ):
            line.setReadOnly(not job)
        for box in (self.job_role, self.supervisor, self.dbs_level):
            box.setEnabled(job)
        for line in (
            self.work_mobile,
            self.emergency_name,
            self.emergency_relationship,
            self.emergency_phone,
            self.vehicle_make,
            self.vehicle_model,
            self.vehicle_colour,
            self.vehicle_registration,
        ):
            line.setReadOnly(not missing)
        self.description.setReadOnly(not missing)
        if not job:
            self.job_box.setTitle("Job and checks (kept by the administrator, DSL or head)")
        if not missing:
            self.missing_box.setTitle("If they go missing on a visit (read only)")
        self.save_button.setEnabled(job or missing)

    def draft(self) -> tuple[StaffDraft, list[FieldProblem]]:
        typed = [
            p
            for p in (
                self.trained_on.problem("safeguarding_trained_on", "Safeguarding training"),
                self.dbs_checked_on.problem("dbs_checked_on", "DBS check date"),
                self.left_on.problem("left_on", "Left on"),
            )
            if p is not None
        ]
        draft = StaffDraft(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            job_role=JobRole(self.job_role.currentData()),
            email=self.email.text() or None,
            supervisor_id=self.supervisor.currentData(),
            left_on=self.left_on.date(),
            safeguarding_trained_on=self.trained_on.date(),
            dbs_level=DbsLevel(self.dbs_level.currentData()),
            dbs_checked_on=self.dbs_checked_on.date(),
            work_mobile=self.work_mobile.text() or None,
            emergency_contact_name=self.emergency_name.text() or None,
            emergency_contact_relationship=self.emergency_relationship.text() or None,
            emergency_contact_phone=self.emergency_phone.text() or None,
            vehicle_make=self.vehicle_make.text() or None,
            vehicle_model=self.vehicle_model.text() or None,
            vehicle_colour=self.vehicle_colour.text() or None,
            vehicle_registration=self.vehicle_registration.text() or None,
            description=self.description.toPlainText() or None,
        )
        return draft, typed

    def _widgets(self) -> dict[str, QWidget]:
        return {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "supervisor_id": self.supervisor,
            "safeguarding_trained_on": self.trained_on,
            "dbs_level": self.dbs_level,
            "dbs_checked_on": self.dbs_checked_on,
            "left_on": self.left_on,
            "work_mobile": self.work_mobile,
            "emergency_contact_name": self.emergency_name,
            "emergency_contact_phone": self.emergency_phone,
            "vehicle_registration": self.vehicle_registration,
        }

    def save(self) -> None:
        draft, typed = self.draft()
        typed_fields = {p.field for p in typed}
        checked = [
            p
            for p in check_staff(tidy_staff(draft), self.people.today(), staff_id=self.staff_id)
            if p.field not in typed_fields
        ]
        self.save_or_show(
            typed + checked, lambda: self.people.save_staff(draft, self.user, self.staff_id)
        )
