"""A pupil's record: who they are, the home they live at, the adults around them, and the
known risks staff must be told of before a visit.

What the signed-in user may change decides what is editable (the service enforces it anyway):
reception may correct phone numbers, anyone may record an operational risk, only the DSL and
deputies see, record or end safeguarding history. The known risks shown are the ones the
service lets this user see (need-to-know); the dialog never asks for more.
Risk changes are saved with the rest of the form, in one transaction.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hvdesk.domain.households import Relationship
from hvdesk.domain.people_records import (
    AdultDraft,
    FieldProblem,
    HouseholdDraft,
    PupilDraft,
    check_pupil,
    tidy_pupil,
)
from hvdesk.domain.uk_formats import YEAR_GROUPS
from hvdesk.services.identity import SignedInUser
from hvdesk.services.people import PeopleService, PupilRecord
from hvdesk.ui.people.form_parts import DateField, PersonDialog, text_line
from hvdesk.ui.people.known_risks_box import ID_ROLE, KnownRisksBox, fixed_widths

ADULT_COLUMNS = (
    "First name",
    "Surname",
    "Relationship",
    "Parental\nresp.",
    "Phone",
    "Lives\nwith pupil",
)
FIRST, LAST, RELATIONSHIP, PR, PHONE, LIVES = range(6)


def year_group_choices() -> list[tuple[str, int | None]]:
    named = {-1: "Nursery", 0: "Reception"}
    return [("Not known", None)] + [(named.get(y, f"Year {y}"), y) for y in YEAR_GROUPS]


class PupilDialog(PersonDialog):
    """Add (no `pupil_id`) or edit a pupil. `saved_id` holds the pupil's id once saved."""

    def __init__(
        self,
        people: PeopleService,
        user: SignedInUser,
        pupil_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(people, user, "pupilDialog", parent)
        self.pupil_id = pupil_id
        self.record: PupilRecord | None = (
            people.pupil(pupil_id, user) if pupil_id is not None else None
        )
        self.setWindowTitle("Pupil" if self.record is None else f"Pupil: {self._name()}")
        self.resize(1240, 760)

        body = QWidget()
        # Who and where on the left; what a visitor must know (risks, who may be spoken to)
        # on the right, in view without scrolling.
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self._build_pupil())
        left.addWidget(self._build_home())
        left.addStretch(1)
        left_side = QWidget()
        left_side.setLayout(left)
        left_side.setMaximumWidth(520)
        self.risk_box = KnownRisksBox(self.rights.manage_safeguarding_history, self.problems)
        self.risks = self.risk_box.risks
        self.risk_kind = self.risk_box.risk_kind
        self.risk_text = self.risk_box.risk_text
        self.add_risk_button = self.risk_box.add_risk_button
        self.end_risk_button = self.risk_box.end_risk_button
        right.addWidget(self.risk_box, 3)
        right.addWidget(self._build_adults(), 2)
        columns = QHBoxLayout(body)
        columns.addWidget(left_side, 5)
        columns.addLayout(right, 7)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)

        layout = QVBoxLayout(self)
        heading = QLabel("New pupil" if self.record is None else self._name())
        heading.setObjectName("dialogTitle")
        layout.addWidget(heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self._fill()
        self._apply_rights()

    # -- building ------------------------------------------------------------------------------

    def _name(self) -> str:
        assert self.record is not None
        return f"{self.record.draft.first_name} {self.record.draft.last_name}"

    def _build_pupil(self) -> QGroupBox:
        box = QGroupBox("Pupil")
        self.first_name = text_line("First name")
        self.last_name = text_line("Surname")
        self.date_of_birth = DateField("Date of birth")
        self.year_group = QComboBox()
        self.year_group.setAccessibleName("Year group")
        self.year_group.setMaximumWidth(200)
        for label, value in year_group_choices():
            self.year_group.addItem(label, value)
        self.mis_id = text_line("MIS ID", 40)
        self.on_roll = QCheckBox("On roll (untick when the pupil has left the school)")
        form = QFormLayout(box)
        form.addRow("&First name:", self.first_name)
        form.addRow("&Surname:", self.last_name)
        form.addRow("Date of &birth:", self.date_of_birth)
        form.addRow("&Year group:", self.year_group)
        form.addRow("&MIS ID / UPN:", self.mis_id)
        form.addRow("", self.on_roll)
        return box

    def _build_home(self) -> QGroupBox:
        box = QGroupBox("Home")
        self.address_line1 = text_line("Address line 1", 200)
        self.address_line2 = text_line("Address line 2", 200)
        self.town = text_line("Town", 100)
        self.postcode = text_line("Postcode", 10)
        self.postcode.setMaximumWidth(140)
        self.area = text_line("Area", 100)
        self.area.setPlaceholderText("Neighbourhood: shown on the board instead of the address")
        self.home_phone = text_line("Home phone", 40)
        self.location_notes = text_line("Finding the home", 500)
        self.location_notes.setPlaceholderText("Entrance, parking, buzzer…")
        self.others_label = QLabel()
        self.others_label.setObjectName("pageSummary")
        self.others_label.setWordWrap(True)
        self.moved_alone = QCheckBox(
            "This pupil has moved on their own: a new home for them, the others stay"
        )
        form = QFormLayout(box)
        form.addRow("&Address:", self.address_line1)
        form.addRow("", self.address_line2)
        form.addRow("&Town:", self.town)
        form.addRow("&Postcode:", self.postcode)
        form.addRow("A&rea:", self.area)
        form.addRow("&Home phone:", self.home_phone)
        form.addRow("Finding it:", self.location_notes)
        form.addRow("", self.others_label)
        form.addRow("", self.moved_alone)
        return box

    def _build_adults(self) -> QGroupBox:
        box = QGroupBox("Adults (only those with parental responsibility may be spoken to)")
        self.adults = QTableWidget(0, len(ADULT_COLUMNS))
        self.adults.setAccessibleName("Adults")
        self.adults.setHorizontalHeaderLabels(list(ADULT_COLUMNS))
        self.adults.verticalHeader().hide()
        self.adults.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.adults.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.adults.horizontalHeader()
        fixed_widths(header, {RELATIONSHIP: 150, PR: 80, PHONE: 125, LIVES: 90})
        self.adults.verticalHeader().setDefaultSectionSize(36)
        header.setToolTip("Parental resp.: holds parental responsibility")
        self.adults.setMinimumHeight(130)
        self.add_adult_button = QPushButton("Add &adult")
        self.remove_adult_button = QPushButton("Remove adult from this pupil")
        self.add_adult_button.clicked.connect(lambda: self._add_adult_row(None))
        self.remove_adult_button.clicked.connect(self._remove_adult)
        self.pr_note = QLabel()
        self.pr_note.setObjectName("pageSummary")
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_adult_button)
        buttons.addWidget(self.remove_adult_button)
        buttons.addStretch(1)
        buttons.addWidget(self.pr_note)
        layout = QVBoxLayout(box)
        layout.addWidget(self.adults)
        layout.addLayout(buttons)
        self.adults.itemChanged.connect(lambda _item: self._update_pr_note())
        return box

    # -- filling -------------------------------------------------------------------------------

    def _fill(self) -> None:
        record = self.record
        if record is None:
            self.on_roll.setChecked(True)
            self.moved_alone.hide()
            self.others_label.hide()
            self._update_pr_note()
            return
        draft = record.draft
        self.first_name.setText(draft.first_name)
        self.last_name.setText(draft.last_name)
        self.date_of_birth.set_date(draft.date_of_birth)
        self.year_group.setCurrentIndex(max(0, self.year_group.findData(draft.year_group)))
        self.mis_id.setText(draft.mis_id or "")
        self.on_roll.setChecked(draft.on_roll)
        home = draft.household
        self.address_line1.setText(home.address_line1)
        self.address_line2.setText(home.address_line2 or "")
        self.town.setText(home.town)
        self.postcode.setText(home.postcode)
        self.area.setText(home.area)
        self.home_phone.setText(home.home_phone or "")
        self.location_notes.setText(home.location_notes or "")
        if record.household_pupils:
            self.others_label.setText(
                "Also lives here: "
                + ", ".join(record.household_pupils)
                + ". Changes to the home apply to them too."
            )
        else:
            self.others_label.hide()
        self.moved_alone.setVisible(draft.household_id is not None)
        for adult in draft.adults:
            self._add_adult_row(adult)
        self.risk_box.show_risks(self.record.risks if self.record is not None else ())
        self._update_pr_note()

    def _add_adult_row(self, adult: AdultDraft | None) -> None:
        table = self.adults
        table.blockSignals(True)
        row = table.rowCount()
        table.insertRow(row)
        first = QTableWidgetItem(adult.first_name if adult else "")
        first.setData(ID_ROLE, adult.adult_id if adult else None)
        table.setItem(row, FIRST, first)
        table.setItem(row, LAST, QTableWidgetItem(adult.last_name if adult else ""))
        relationship = QComboBox()
        relationship.setAccessibleName("Relationship")
        for kind in Relationship:
            relationship.addItem(kind.label, kind.value)
        if adult is not None:
            relationship.setCurrentIndex(relationship.findData(adult.relationship.value))
        relationship.setEnabled(self.rights.edit_family_details)
        table.setCellWidget(row, RELATIONSHIP, relationship)
        for column, checked in (
            (PR, adult.parental_responsibility if adult else False),
            (LIVES, adult.lives_with_pupil if adult else True),
        ):
            item = QTableWidgetItem("Yes" if checked else "No")
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            if self.rights.edit_family_details:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            table.setItem(row, column, item)
        table.setItem(row, PHONE, QTableWidgetItem(adult.phone or "" if adult else ""))
        for column in (FIRST, LAST):
            if not self.rights.edit_family_details:
                self._read_only(self._cell(row, column))
        if not self.rights.edit_family_phones:
            self._read_only(self._cell(row, PHONE))
        table.blockSignals(False)
        if adult is None:
            table.setCurrentCell(row, FIRST)
            table.editItem(self._cell(row, FIRST))
        self._update_pr_note()

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.adults.item(row, column)
        assert item is not None  # every cell but the relationship's holds an item
        return item

    @staticmethod
    def _read_only(item: QTableWidgetItem) -> None:
        item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)

    def _remove_adult(self) -> None:
        row = self.adults.currentRow()
        if row >= 0:
            self.adults.removeRow(row)
            self._update_pr_note()

    def _update_pr_note(self) -> None:
        has_pr = any(self._checked(r, PR) for r in range(self.adults.rowCount()))
        self.pr_note.setText("" if has_pr else "No adult with parental responsibility recorded.")
        for row in range(self.adults.rowCount()):
            for column in (PR, LIVES):
                item = self.adults.item(row, column)
                if item is not None:
                    checked = item.checkState() is Qt.CheckState.Checked
                    text = "Yes" if checked else "No"
                    if item.text() != text:
                        self.adults.blockSignals(True)
                        item.setText(text)
                        self.adults.blockSignals(False)

    def _apply_rights(self) -> None:
        details = self.rights.edit_family_details
        for field in (
            self.first_name,
            self.last_name,
            self.date_of_birth,
            self.mis_id,
            self.address_line1,
            self.address_line2,
            self.town,
            self.postcode,
            self.area,
            self.location_notes,
        ):
            field.setReadOnly(not details)
        for widget in (
            self.year_group,
            self.on_roll,
            self.moved_alone,
            self.add_adult_button,
            self.remove_adult_button,
        ):
            widget.setEnabled(details)
        self.home_phone.setReadOnly(not self.rights.edit_family_phones)
        self.end_risk_button.setVisible(self.rights.end_risks)
        adding = self.rights.add_operational_risks
        for adder in (self.risk_kind, self.risk_text, self.add_risk_button):
            adder.setEnabled(adding)
        if not (details or self.rights.edit_family_phones or adding):
            self.save_button.setEnabled(False)

    # -- saving --------------------------------------------------------------------------------

    def draft(self) -> tuple[PupilDraft, list[FieldProblem]]:
        """The form as a draft, with any date typed that is not a date."""
        typed: list[FieldProblem] = []
        if (problem := self.date_of_birth.problem("date_of_birth", "Date of birth")) is not None:
            typed.append(problem)
        record = self.record
        household_id = record.draft.household_id if record is not None else None
        if self.moved_alone.isChecked():
            household_id = None
        adults = []
        for row in range(self.adults.rowCount()):
            relationship = self.adults.cellWidget(row, RELATIONSHIP)
            assert isinstance(relationship, QComboBox)
            adult_id = self._cell(row, FIRST).data(ID_ROLE)
            adults.append(
                AdultDraft(
                    first_name=self._cell(row, FIRST).text(),
                    last_name=self._cell(row, LAST).text(),
                    relationship=Relationship(relationship.currentData()),
                    parental_responsibility=self._checked(row, PR),
                    phone=self._cell(row, PHONE).text() or None,
                    lives_with_pupil=self._checked(row, LIVES),
                    adult_id=int(adult_id) if adult_id is not None else None,
                )
            )
        draft = PupilDraft(
            first_name=self.first_name.text(),
            last_name=self.last_name.text(),
            date_of_birth=self.date_of_birth.date(),
            year_group=self.year_group.currentData(),
            mis_id=self.mis_id.text() or None,
            on_roll=self.on_roll.isChecked(),
            household_id=household_id,
            household=HouseholdDraft(
                address_line1=self.address_line1.text(),
                address_line2=self.address_line2.text() or None,
                town=self.town.text(),
                postcode=self.postcode.text(),
                area=self.area.text(),
                home_phone=self.home_phone.text() or None,
                location_notes=self.location_notes.text() or None,
            ),
            adults=tuple(adults),
            new_risks=tuple(self.risk_box.pending),
            ended_risk_ids=tuple(self.risk_box.ended),
        )
        return draft, typed

    def _checked(self, row: int, column: int) -> bool:
        item = self.adults.item(row, column)
        return item is not None and item.checkState() is Qt.CheckState.Checked

    def _widgets(self) -> dict[str, QWidget]:
        widgets: dict[str, QWidget] = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "date_of_birth": self.date_of_birth,
            "year_group": self.year_group,
            "mis_id": self.mis_id,
            "address_line1": self.address_line1,
            "town": self.town,
            "postcode": self.postcode,
            "area": self.area,
            "home_phone": self.home_phone,
            "risks": self.risks,
            "risk_text": self.risk_text,
        }
        for number in range(1, self.adults.rowCount() + 1):
            widgets[f"adult_{number}"] = self.adults
        return widgets

    def save(self) -> None:
        draft, typed = self.draft()
        checked = check_pupil(tidy_pupil(draft), self.people.today())
        # Saying what was typed is not a date beats "type it", in the same place in the list.
        better = {p.field: p for p in typed}
        self.save_or_show(
            [better.get(p.field, p) for p in checked],
            lambda: self.people.save_pupil(draft, self.user, self.pupil_id),
        )
