"""Starting a drill: a practice visit, marked DRILL everywhere, that walks the whole ladder on a
compressed clock (see `hvdesk.services.drill`). Pick who takes part; not modal."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from hvdesk.services.directory import StaffRow
from hvdesk.ui.board.urgent_departure_dialog import StaffPicker
from hvdesk.ui.dialogs.form_frame import buttons_at_right


class DrillWindow(QDialog):
    """`submitted` carries the chosen staff ids; the page starts the drill and answers."""

    submitted = Signal(object)  # tuple[int, ...]

    def __init__(
        self, staff: Sequence[StaffRow], busy_staff: frozenset[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("drillWindow")
        self.setModal(False)
        self.setWindowTitle("Start a drill")
        intro = QLabel(
            "A DRILL is a practice visit: it goes on the board marked DRILL and walks the whole "
            "escalation ladder in a few minutes (stage 1 after 1 minute, the police step after "
            "4). Nobody leaves the building and no real contact or the police is called. "
            "Drills are left out of the statistics."
        )
        intro.setWordWrap(True)
        self.picker = StaffPicker(staff, busy_staff, "Staff taking part")
        self.error_label = QLabel()
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        buttons, self.start_button, close = buttons_at_right("&Start the drill", "Close")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel("Who takes part:"))
        layout.addWidget(self.picker)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.start_button.clicked.connect(self._submit)
        close.clicked.connect(self.close)
        self.picker.filter.setFocus()

    def _submit(self) -> None:
        chosen = self.picker.chosen()
        if not chosen:
            self.show_error("Tick at least one member of staff to take part.")
            return
        self.error_label.hide()
        self.submitted.emit(chosen)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
