"""Raising an incident by hand, during or after a visit or with no visit: what happened, when,
a short summary, and for an accident or injury whether it is reportable under RIDDOR.

The form checks only what it can see (a summary written); the service decides the rest and its
refusal is shown under the fields, with the form left as typed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock
from hvdesk.domain.incidents import RAISED_BY_HAND, IncidentKind
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.incidents import Incidents
from hvdesk.ui.dialogs.form_frame import buttons_at_right
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.incidents.riddor_box import RiddorBox
from hvdesk.ui.school_time_edit import from_qt, school_time_edit

log = logging.getLogger(__name__)

NO_VISIT = "Not linked to a visit"
ALLEGATION_NOTE = (
    "An allegation against staff goes to the headteacher today (001); the DSL decides on "
    "contacting the LADO. Write facts only: who said what, when."
)


class RaiseIncidentDialog(QDialog):
    """The form; `raised` carries the new incident's id once the service has recorded it."""

    raised = Signal(int)

    def __init__(
        self,
        incidents: Incidents,
        user: SignedInUser,
        clock: Clock,
        parent: QWidget | None = None,
        *,
        visit_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("raiseIncident")
        self.setWindowTitle("Raise an incident")
        self._incidents = incidents
        self._user = user
        self.raised_id: int | None = None
        now = clock.now()

        heading = QLabel("Raise an incident")
        heading.setObjectName("dialogTitle")
        intro = QLabel(
            "Write it up as soon as possible (001), during or after a visit. The DSL reviews "
            "every incident: the debrief, the support offered and what changes."
        )
        intro.setWordWrap(True)

        self.kind = QComboBox()
        self.kind.setAccessibleName("What happened")
        for kind in RAISED_BY_HAND:
            self.kind.addItem(kind.label, kind)
        self.visit = QComboBox()
        self.visit.setAccessibleName("Visit")
        self.visit.addItem(NO_VISIT, None)
        for choice in incidents.visits_to_link():
            self.visit.addItem(choice.label, choice.visit_id)
        if visit_id is not None:
            found = self.visit.findData(visit_id)
            if found >= 0:
                self.visit.setCurrentIndex(found)
        self.visit.setMaximumWidth(520)
        self.occurred = school_time_edit(now, "When it happened", latest=now)
        self.summary = QPlainTextEdit()
        self.summary.setAccessibleName("Summary")
        self.summary.setPlaceholderText("What happened, in a few sentences: facts, not opinions.")
        self.summary.setTabChangesFocus(True)
        self.summary.setMinimumHeight(110)

        self.allegation_note = QLabel(ALLEGATION_NOTE)
        self.allegation_note.setObjectName("pageSummary")
        self.allegation_note.setWordWrap(True)

        self.riddor_box = RiddorBox(
            now, reported_text="Already &reported, on", reportable_label="Re&portable?"
        )
        self.riddor = self.riddor_box.reportable
        self.reported = self.riddor_box.reported
        self.reported_at = self.riddor_box.reported_at

        form = QFormLayout()
        form.addRow("&What happened:", self.kind)
        form.addRow("&Visit:", self.visit)
        form.addRow("W&hen (UK time):", self.occurred)
        form.addRow("&Summary:", self.summary)

        self.error_label = InlineError()
        buttons, self.raise_button, cancel = buttons_at_right("&Raise incident", "Cancel")

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.allegation_note)
        layout.addWidget(self.riddor_box)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.riddor.currentIndexChanged.connect(self._riddor_changed)
        self.reported.toggled.connect(self._riddor_changed)
        self.raise_button.clicked.connect(self.submit)
        cancel.clicked.connect(self.reject)
        self._kind_changed()
        self.resize(620, self.sizeHint().height())
        self.kind.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def chosen_kind(self) -> IncidentKind:
        return IncidentKind(self.kind.currentData())  # Qt hands the enum back as a str

    def choose_kind(self, kind: IncidentKind) -> None:
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def submit(self) -> None:
        """Ask the service to record it; on a refusal keep the form and say why."""
        summary = self.summary.toPlainText().strip()
        if not summary:
            self._show_error("Write a short summary of what happened.")
            self.summary.setFocus()
            return
        kind = self.chosen_kind
        reportable, reported_at = self.riddor_box.answer(kind is IncidentKind.ACCIDENT)
        try:
            incident_id = self._incidents.raise_incident(
                self._user,
                kind,
                from_qt(self.occurred.dateTime()),
                summary,
                visit_id=self.visit.currentData(),
                riddor_reportable=reportable,
                riddor_reported_at=reported_at,
            )
        except HvdeskError as exc:
            self._show_error(str(exc))
            return
        self.raised_id = incident_id
        self.raised.emit(incident_id)
        self.accept()

    @property
    def error(self) -> str:
        return self.error_label.message

    def _show_error(self, message: str) -> None:
        self.error_label.show_message(message)

    def _kind_changed(self, *_: object) -> None:
        kind = self.chosen_kind
        self.riddor_box.setVisible(kind is IncidentKind.ACCIDENT)
        self.allegation_note.setVisible(kind is IncidentKind.ALLEGATION)
        self._riddor_changed()
        self.error_label.hide()

    def _riddor_changed(self, *_: object) -> None:
        self.riddor_box.enable_dates()
