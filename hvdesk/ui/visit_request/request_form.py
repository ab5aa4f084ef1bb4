"""The fields of the visit request, in the order of the paper form: who and why, when and how,
who goes, safety. Reads and shows a `VisitRequestDraft` (times typed in UK time, held as UTC)
and says when anything is edited; the dialog around it checks and saves.

Fields that only matter for some answers appear with them: the other reason, why unannounced,
why lone (one visitor), and the out-of-hours responsible contact (a time outside working hours).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock, school_time_to_utc, to_school_time
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visit_request import VisitRequestDraft, is_out_of_hours
from hvdesk.domain.visits import EntryMode, VisitReason
from hvdesk.services.lookups import Lookups
from hvdesk.ui.visit_request.form_groups import SafetyGroup, buddy_label, form_group
from hvdesk.ui.visit_request.home_search import HomeSearch
from hvdesk.ui.visit_request.visitor_list import VisitorList

NO_HOUSEHOLD = 0  # the service reports "choose a household" for it (no household has id 0)
DEFAULT_START = time(10, 0)
DEFAULT_LENGTH = timedelta(hours=1)


class RequestForm(QWidget):
    """The request's fields; `changed` after every edit (not while a draft is being shown)."""

    changed = Signal()

    def __init__(
        self,
        lookups: Lookups,
        clock: Clock,
        policy: SchoolPolicy,
        visit_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.lookups = lookups
        self.clock = clock
        self.policy = policy
        self.visit_id = visit_id
        self._loading = True
        self._choice_times: tuple[datetime, datetime] | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 8, 0)
        column.addWidget(self._who_and_why())
        column.addWidget(self._when_and_how())
        column.addWidget(self._who_goes())
        column.addWidget(self._safety())
        column.addStretch(1)
        self.field_widgets = self._fields()
        self._connect_edits()

    def start_new(self) -> None:
        """A new request: the next working day, 10:00 to 11:00, announced, doorstep."""
        self._loading = True
        day = self._next_working_day()
        start = school_time_to_utc(datetime.combine(day, DEFAULT_START))
        self._show_times(start, start + DEFAULT_LENGTH)
        self.announced.setChecked(True)
        self.doorstep.setChecked(True)
        self._refresh_visitor_choices()
        self._refresh_professionals(None)
        self._loading = False

    def update_visibility(self) -> None:
        """Show the fields the answers so far call for."""
        self.reason_other.setVisible(self._is_other())
        self.reason_other_label.setVisible(self._is_other())
        unannounced = self.unannounced.isChecked()
        self.unannounced_reason.setVisible(unannounced)
        self.unannounced_label.setVisible(unannounced)
        lone = len(self.visitors.chosen()) == 1
        self.lone_justification.setVisible(lone)
        self.lone_label.setVisible(lone)
        self.joint_visit.setEnabled(self.social_worker.currentData() is not None)
        if self.social_worker.currentData() is None and self.joint_visit.isChecked():
            self.joint_visit.setChecked(False)
        self.out_of_hours_box.setVisible(self._out_of_hours())

    def _edited(self) -> None:
        if not self._loading:
            self.changed.emit()

    def _safety(self) -> QGroupBox:
        self.safety = SafetyGroup()
        self.resources = self.safety.resources
        self.vehicle = self.safety.vehicle
        self.safe_word = self.safety.safe_word
        self.contact_name = self.safety.contact_name
        self.contact_phone = self.safety.contact_phone
        self.out_of_hours_box = self.safety.out_of_hours_box
        return self.safety

    def _who_and_why(self) -> QGroupBox:
        box, form = form_group("Who and why")
        self.home = HomeSearch(self.lookups)
        self.reason = QComboBox()
        self.reason.setAccessibleName("Reason")
        for reason in VisitReason:
            self.reason.addItem(reason.label, reason.value)
        self.reason_other = QLineEdit()
        self.reason_other.setAccessibleName("Other reason")
        self.reason_other.setPlaceholderText("The reason, in a few words")
        self.purpose = QPlainTextEdit()
        self.purpose.setAccessibleName("Purpose")
        self.purpose.setPlaceholderText("What the visit is for and what the visitors will do")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setFixedHeight(60)
        self.parent_yes = QRadioButton("Yes")
        self.parent_no = QRadioButton("No")
        self.parent_group = QButtonGroup(self)
        self.parent_group.addButton(self.parent_yes)
        self.parent_group.addButton(self.parent_no)
        self.parent_note = QLineEdit()
        self.parent_note.setAccessibleName("Could the parent come in instead: note")
        self.parent_note.setPlaceholderText("Why not, or what was tried (optional)")
        self.parent_answer = QFrame()
        self.parent_answer.setAccessibleName("Could the parent come in instead")
        answer_row = QHBoxLayout(self.parent_answer)
        answer_row.setContentsMargins(4, 2, 4, 2)
        answer_row.addWidget(self.parent_yes)
        answer_row.addWidget(self.parent_no)
        parent_row = QHBoxLayout()
        parent_row.addWidget(self.parent_answer)
        parent_row.addWidget(self.parent_note, 1)
        self.reason_other_label = buddy_label("Other reason:", self.reason_other)
        form.addRow(buddy_label("&Pupil or household:", self.home.search), self.home)
        form.addRow(buddy_label("R&eason:", self.reason), self.reason)
        form.addRow(self.reason_other_label, self.reason_other)
        form.addRow(buddy_label("P&urpose:", self.purpose), self.purpose)
        form.addRow(buddy_label("Could the parent\ncome &in instead?", self.parent_yes), parent_row)
        return box

    def _when_and_how(self) -> QGroupBox:
        box, form = form_group("When and how")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd dd MMM yyyy")
        self.date.setAccessibleName("Planned date")
        self.start = QTimeEdit()
        self.start.setDisplayFormat("HH:mm")
        self.start.setAccessibleName("Start time (UK)")
        self.end = QTimeEdit()
        self.end.setDisplayFormat("HH:mm")
        self.end.setAccessibleName("End time (UK)")
        zone = QLabel("UK time (Europe/London)")
        zone.setObjectName("formHint")
        when_row = QHBoxLayout()
        when_row.addWidget(self.date)
        when_row.addSpacing(8)
        when_row.addWidget(buddy_label("Start", self.start))
        when_row.addWidget(self.start)
        when_row.addWidget(buddy_label("E&nd", self.end))
        when_row.addWidget(self.end)
        when_row.addSpacing(8)
        when_row.addWidget(zone, 1)
        self.announced = QRadioButton("Announced (parents told beforehand)")
        self.unannounced = QRadioButton("Unannounced")
        self.announce_group = QButtonGroup(self)
        self.announce_group.addButton(self.announced)
        self.announce_group.addButton(self.unannounced)
        self.unannounced_reason = QLineEdit()
        self.unannounced_reason.setAccessibleName("Why unannounced")
        self.unannounced_reason.setPlaceholderText(
            "Why unannounced (e.g. absent child not answering, emergency safeguarding)"
        )
        announce_row = QHBoxLayout()
        announce_row.addWidget(self.announced)
        announce_row.addWidget(self.unannounced)
        announce_row.addStretch(1)
        self.doorstep = QRadioButton(EntryMode.DOORSTEP.label)
        self.enter = QRadioButton(EntryMode.ENTER.label)
        self.entry_group = QButtonGroup(self)
        self.entry_group.addButton(self.doorstep)
        self.entry_group.addButton(self.enter)
        entry_row = QHBoxLayout()
        entry_row.addWidget(self.doorstep)
        entry_row.addWidget(self.enter)
        entry_row.addStretch(1)
        form.addRow(buddy_label("Planned &date:", self.date), when_row)
        form.addRow(buddy_label("&Announced?", self.announced), announce_row)
        self.unannounced_label = buddy_label("&Why unannounced:", self.unannounced_reason)
        form.addRow(self.unannounced_label, self.unannounced_reason)
        form.addRow(buddy_label("Doorstep or en&ter:", self.doorstep), entry_row)
        return box

    def _who_goes(self) -> QGroupBox:
        box, form = form_group("Who goes")
        self.visitors = VisitorList()
        self.lone_justification = QLineEdit()
        self.lone_justification.setAccessibleName("Why a lone visit")
        self.lone_justification.setPlaceholderText(
            "Visits are made in pairs: say why this one is lone (a DSL or SLT decision)"
        )
        self.social_worker = QComboBox()
        self.social_worker.setAccessibleName("Allocated social worker")
        self.joint_visit = QCheckBox("&Joint visit with them")
        worker_row = QHBoxLayout()
        worker_row.addWidget(self.social_worker, 1)
        worker_row.addWidget(self.joint_visit)
        form.addRow(buddy_label("&Visitors:", self.visitors.filter), self.visitors)
        self.lone_label = buddy_label("Why &lone:", self.lone_justification)
        form.addRow(self.lone_label, self.lone_justification)
        form.addRow(buddy_label("Social wor&ker:", self.social_worker), worker_row)
        return box

    def _fields(self) -> dict[str, QWidget]:
        """The widget each problem's field names: outlined when wrong, focused when chosen."""
        return {
            "household": self.home.search,
            "reason_other": self.reason_other,
            "purpose": self.purpose,
            "parent_could_come_in": self.parent_answer,
            "unannounced_reason": self.unannounced_reason,
            "planned_start": self.start,
            "planned_end": self.end,
            "visitors": self.visitors.list,
            "lone_visit_justification": self.lone_justification,
            "social_worker_id": self.social_worker,
            "safe_word": self.safe_word,
            "responsible_contact_name": self.contact_name,
            "responsible_contact_phone": self.contact_phone,
        }

    def _connect_edits(self) -> None:
        self.home.chosen_changed.connect(self._home_changed)
        for line in (
            self.reason_other,
            self.parent_note,
            self.unannounced_reason,
            self.lone_justification,
            self.resources,
            self.safe_word,
            self.contact_name,
            self.contact_phone,
        ):
            line.textChanged.connect(self._edited)
        self.vehicle.editTextChanged.connect(self._edited)
        self.purpose.textChanged.connect(self._edited)
        self.reason.currentIndexChanged.connect(self._edited)
        self.social_worker.currentIndexChanged.connect(self._edited)
        self.joint_visit.toggled.connect(self._edited)
        for group in (self.parent_group, self.announce_group, self.entry_group):
            group.buttonToggled.connect(lambda _b, _on: self._edited())
        self.date.dateChanged.connect(self._time_changed)
        self.start.timeChanged.connect(self._time_changed)
        self.end.timeChanged.connect(self._time_changed)
        self.visitors.changed.connect(self._visitors_changed)

    def show_draft(self, draft: VisitRequestDraft) -> None:
        """Fill the form from a saved request."""
        self._loading = True
        self.home.set_chosen(self.lookups.home(draft.household_id, draft.pupil_id))
        self.reason.setCurrentIndex(max(0, self.reason.findData(draft.reason.value)))
        self.reason_other.setText(draft.reason_other or "")
        self.purpose.setPlainText(draft.purpose)
        if draft.parent_could_come_in is not None:
            (self.parent_yes if draft.parent_could_come_in else self.parent_no).setChecked(True)
        self.parent_note.setText(draft.parent_could_come_in_note or "")
        (self.announced if draft.announced else self.unannounced).setChecked(True)
        self.unannounced_reason.setText(draft.unannounced_reason or "")
        (self.doorstep if draft.entry_mode is EntryMode.DOORSTEP else self.enter).setChecked(True)
        self._show_times(draft.planned_start, draft.planned_end)
        self._refresh_visitor_choices()
        self.visitors.set_chosen(draft.visitor_staff_ids)
        self.lone_justification.setText(draft.lone_visit_justification or "")
        self._refresh_professionals(draft.household_id)
        index = self.social_worker.findData(draft.social_worker_id)
        self.social_worker.setCurrentIndex(max(0, index))
        self.joint_visit.setChecked(draft.joint_visit)
        self.resources.setText(draft.resources_to_take or "")
        self._refresh_vehicles()
        self.vehicle.setEditText(draft.vehicle or "")
        self.safe_word.setText(draft.safe_word or "")
        self.contact_name.setText(draft.responsible_contact_name or "")
        self.contact_phone.setText(draft.responsible_contact_phone or "")
        self._loading = False

    def _next_working_day(self) -> date:
        day = to_school_time(self.clock.now()).date() + timedelta(days=1)
        while day.weekday() not in self.policy.working_weekdays:
            day += timedelta(days=1)
        return day

    def _show_times(self, start: datetime, end: datetime) -> None:
        local_start, local_end = to_school_time(start), to_school_time(end)
        self.date.setDate(QDate(local_start.year, local_start.month, local_start.day))
        self.start.setTime(QTime(local_start.hour, local_start.minute))
        self.end.setTime(QTime(local_end.hour, local_end.minute))

    def planned_times(self) -> tuple[datetime, datetime]:
        """Start and end as UTC instants, from the date and the UK clock times typed."""
        day = self.date.date().toPython()
        start = self.start.time().toPython()
        end = self.end.time().toPython()
        assert isinstance(day, date) and isinstance(start, time) and isinstance(end, time)
        return (
            school_time_to_utc(datetime.combine(day, start)),
            school_time_to_utc(datetime.combine(day, end)),
        )

    def draft(self) -> VisitRequestDraft:
        """The request as the form shows it now."""
        start, end = self.planned_times()
        chosen = self.home.chosen
        parent: bool | None = None
        if self.parent_yes.isChecked() or self.parent_no.isChecked():
            parent = self.parent_yes.isChecked()
        worker = self.social_worker.currentData()
        return VisitRequestDraft(
            household_id=chosen.household_id if chosen is not None else NO_HOUSEHOLD,
            pupil_id=chosen.pupil_id if chosen is not None else None,
            planned_start=start,
            planned_end=end,
            reason=VisitReason(self.reason.currentData()),
            reason_other=self.reason_other.text() if self._is_other() else None,
            purpose=self.purpose.toPlainText(),
            parent_could_come_in=parent,
            parent_could_come_in_note=self.parent_note.text(),
            announced=not self.unannounced.isChecked(),
            unannounced_reason=(
                self.unannounced_reason.text() if self.unannounced.isChecked() else None
            ),
            entry_mode=EntryMode.ENTER if self.enter.isChecked() else EntryMode.DOORSTEP,
            visitor_staff_ids=self.visitors.chosen(),
            lone_visit_justification=(
                self.lone_justification.text() if len(self.visitors.chosen()) == 1 else None
            ),
            safe_word=self.safe_word.text(),
            responsible_contact_name=self.contact_name.text() if self._out_of_hours() else None,
            responsible_contact_phone=self.contact_phone.text() if self._out_of_hours() else None,
            social_worker_id=int(worker) if worker is not None else None,
            joint_visit=self.joint_visit.isChecked(),
            resources_to_take=self.resources.text(),
            vehicle=self.vehicle.currentText(),
        )

    def _is_other(self) -> bool:
        return bool(self.reason.currentData() == VisitReason.OTHER.value)

    def _out_of_hours(self) -> bool:
        start, end = self.planned_times()
        return start < end and is_out_of_hours(start, end, self.policy)

    def _home_changed(self) -> None:
        chosen = self.home.chosen
        self._refresh_professionals(chosen.household_id if chosen is not None else None)
        self._edited()

    def _time_changed(self) -> None:
        if self._loading:
            return
        self._refresh_visitor_choices()
        self._edited()

    def _visitors_changed(self) -> None:
        self._refresh_vehicles()
        self._edited()

    def _refresh_visitor_choices(self) -> None:
        times = self.planned_times()
        if times == self._choice_times:
            return
        self._choice_times = times
        start, end = times
        if end <= start:
            end = start + timedelta(minutes=1)  # the clash check needs a span; the end is flagged
        self.visitors.set_choices(self.lookups.visitor_choices(start, end, visit_id=self.visit_id))

    def _refresh_professionals(self, household_id: int | None) -> None:
        keep = self.social_worker.currentData()
        self.social_worker.blockSignals(True)
        self.social_worker.clear()
        professionals = self.lookups.professionals(household_id) if household_id else []
        none_text = (
            "None allocated" if household_id and not professionals else "None / not involved"
        )
        self.social_worker.addItem(none_text, None)
        for professional in professionals:
            self.social_worker.addItem(professional.label, professional.id)
        self.social_worker.setCurrentIndex(max(0, self.social_worker.findData(keep)))
        self.social_worker.blockSignals(False)

    def _refresh_vehicles(self) -> None:
        text = self.vehicle.currentText()
        self.vehicle.blockSignals(True)
        self.vehicle.clear()
        for choice in self.visitors.chosen_choices():
            if choice.vehicle:
                self.vehicle.addItem(f"{choice.vehicle} ({choice.name})")
        self.vehicle.setEditText(text)
        self.vehicle.blockSignals(False)

    def focus_field(self, field: str) -> None:
        widget = self.field_widgets.get(field)
        if widget is self.parent_answer:
            widget = self.parent_yes
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
