"""Recording an urgent unplanned departure in under 30 seconds, from the keyboard alone.

Type a few letters of the pupil (or the area) and press Enter; type a few letters of each
colleague going and press Enter; type why; set when they expect to be back; Enter. The visit is
created out now and flagged on the board for retrospective authorisation. The window is not
modal: the board and its alerts stay live while it is open.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock, format_school_time
from hvdesk.services.directory import PupilRow, StaffRow
from hvdesk.ui.dialogs.form_frame import buttons_at_right
from hvdesk.ui.finder_parts import finder_column, search_box
from hvdesk.ui.tick_list import ID_ROLE, follow_tick, tick_first_shown

DEFAULT_MINUTES = 60


@dataclass(frozen=True)
class UrgentRequest:
    """What the form collected; the board page records it through the visit log."""

    household_id: int
    pupil_id: int | None
    staff_ids: tuple[int, ...]
    purpose: str
    expected_back: datetime


def _matches(terms: list[str], *fields: str | None) -> bool:
    haystack = " ".join(f for f in fields if f).casefold()
    return all(term in haystack for term in terms)


class StaffPicker(QWidget):
    """Type to find a colleague, Enter (or Space) to tick them; the ticked ones are who go."""

    changed = Signal()

    def __init__(self, staff: Sequence[StaffRow], busy: frozenset[int], label: str) -> None:
        super().__init__()
        self.filter = search_box("Type a name, then Enter to tick", f"{label}: search")
        self.list = QListWidget()
        self.list.setAccessibleName(label)
        self.list.setMaximumHeight(150)
        for person in staff:
            text = f"{person.full_name} ({person.job_role})"
            if person.id in busy:
                text += ": out on a visit now"
            item = QListWidgetItem(text)
            item.setData(ID_ROLE, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.chosen_label = QLabel("Nobody chosen yet.")
        self.chosen_label.setObjectName("pageSummary")
        self.chosen_label.setWordWrap(True)
        finder_column(self, self.filter, self.list, self.chosen_label)
        self.filter.textChanged.connect(self._filter)
        self.filter.returnPressed.connect(self._tick_first)
        self.list.itemChanged.connect(self._changed)
        self._order: list[int] = []

    def _filter(self, text: str) -> None:
        terms = text.casefold().split()
        for i in range(self.list.count()):
            item = self.list.item(i)
            item.setHidden(bool(terms) and not _matches(terms, item.text()))

    def _tick_first(self) -> None:
        tick_first_shown(self.list)
        self.filter.clear()

    def _changed(self, item: QListWidgetItem) -> None:
        follow_tick(self._order, item)
        names = [self._name(i) for i in self._order]
        self.chosen_label.setText("Going: " + ", ".join(names) if names else "Nobody chosen yet.")
        self.changed.emit()

    def _name(self, staff_id: int) -> str:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if int(item.data(ID_ROLE)) == staff_id:
                return item.text().split(" (")[0]
        return str(staff_id)

    def chosen(self) -> tuple[int, ...]:
        """The ticked colleagues, in the order they were ticked (the first leads)."""
        return tuple(self._order)


class UrgentDepartureWindow(QDialog):
    """The compact form. `submitted` carries an `UrgentRequest`; the page answers with
    `show_error` or closes it."""

    submitted = Signal(object)

    def __init__(
        self,
        pupils: Sequence[PupilRow],
        staff: Sequence[StaffRow],
        busy_staff: frozenset[int],
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("urgentDeparture")
        self.setModal(False)
        self.setWindowTitle("Urgent unplanned departure")
        self.clock = clock
        self.pupils = list(pupils)

        intro = QLabel(
            "Staff leaving now for an emergency visit that was not planned. It goes on the board "
            "at once, flagged for retrospective authorisation by the DSL."
        )
        intro.setWordWrap(True)
        self.search = search_box(
            "Pupil's name, MIS id or area; Enter picks the first", "Find the pupil or household"
        )
        self.results = QListWidget()
        self.results.setAccessibleName("Pupils found")
        self.results.setMaximumHeight(130)
        self.picked_label = QLabel("No household chosen yet.")
        self.picked_label.setObjectName("pageSummary")
        self.staff_picker = StaffPicker(staff, busy_staff, "Staff going")
        self.purpose = QLineEdit()
        self.purpose.setPlaceholderText("Why they are going (e.g. child reported alone at home)")
        self.purpose.setAccessibleName("Purpose")
        self.minutes = QSpinBox()
        self.minutes.setRange(5, 12 * 60)
        self.minutes.setSingleStep(15)
        self.minutes.setValue(DEFAULT_MINUTES)
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName("Expected back in (minutes)")
        self.back_by = QLabel()
        self.back_by.setObjectName("pageSummary")
        minutes_row = QHBoxLayout()
        minutes_row.addWidget(self.minutes)
        minutes_row.addWidget(self.back_by, 1)

        form = QFormLayout()
        form.addRow("&Pupil or household:", self.search)
        form.addRow("", self.results)
        form.addRow("", self.picked_label)
        form.addRow("&Staff going:", self.staff_picker)
        form.addRow("P&urpose:", self.purpose)
        form.addRow("&Expected back in:", minutes_row)

        self.error_label = QLabel()
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons, self.record_button, close = buttons_at_right("&Record departure", "Close")

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.search.textChanged.connect(self._search)
        self.search.returnPressed.connect(self._pick_first)
        self.results.currentItemChanged.connect(self._picked)
        self.minutes.valueChanged.connect(self._update_back_by)
        self.purpose.returnPressed.connect(self._submit)
        self.record_button.clicked.connect(self._submit)
        close.clicked.connect(self.close)
        self._search("")
        self._update_back_by()
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)

    def _search(self, text: str) -> None:
        terms = text.casefold().split()
        self.results.clear()
        shown = 0
        for pupil in self.pupils:
            if pupil.household_id is None:
                continue
            if terms and not _matches(
                terms, pupil.first_name, pupil.last_name, pupil.mis_id, pupil.area
            ):
                continue
            year = f", Y{pupil.year_group}" if pupil.year_group is not None else ""
            item = QListWidgetItem(f"{pupil.full_name}{year}: {pupil.area or 'no area'}")
            item.setData(ID_ROLE, pupil.id)
            self.results.addItem(item)
            shown += 1
            if shown >= 50:
                break

    def _pick_first(self) -> None:
        if self.results.count():
            self.results.setCurrentRow(0)
            self.staff_picker.filter.setFocus(Qt.FocusReason.OtherFocusReason)

    def _picked(self, item: QListWidgetItem | None) -> None:
        pupil = self.chosen_pupil()
        if pupil is None:
            self.picked_label.setText("No household chosen yet.")
        else:
            self.picked_label.setText(f"Going to the home of {pupil.full_name} ({pupil.area}).")

    def chosen_pupil(self) -> PupilRow | None:
        item = self.results.currentItem()
        if item is None:
            return None
        pupil_id = int(item.data(ID_ROLE))
        return next((p for p in self.pupils if p.id == pupil_id), None)

    def _update_back_by(self) -> None:
        back = self.clock.now() + timedelta(minutes=self.minutes.value())
        self.back_by.setText(f"back by {format_school_time(back, '%H:%M')}")

    def _submit(self) -> None:
        pupil = self.chosen_pupil()
        problems = []
        if pupil is None or pupil.household_id is None:
            problems.append("choose the pupil or household")
        staff = self.staff_picker.chosen()
        if not staff:
            problems.append("tick who is going")
        purpose = self.purpose.text().strip()
        if not purpose:
            problems.append("say why they are going")
        if problems or pupil is None or pupil.household_id is None:
            self.show_error("Before recording: " + "; ".join(problems) + ".")
            return
        self.clear_error()
        self.submitted.emit(
            UrgentRequest(
                household_id=pupil.household_id,
                pupil_id=pupil.id,
                staff_ids=staff,
                purpose=purpose,
                expected_back=self.clock.now() + timedelta(minutes=self.minutes.value()),
            )
        )

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
