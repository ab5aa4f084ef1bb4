"""The incident review: the visit's whole timeline on the left, the review form on the right,
and the status actions (start the review, save, sign off and close) under them.

Policies 000 and 003: after an escalation, review the incident, debrief the staff, offer support
and record the improvements to the procedure. Known risks added here go on the household and
appear in its next risk assessment. Who may save or sign off is the service's decision: its
refusal is shown under the form and nothing typed is lost. The window is not modal, so the
board and its alerts stay live while a review is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock, to_school_time
from hvdesk.domain.households import RiskKind
from hvdesk.domain.incidents import IncidentKind, IncidentStatus, ReviewForm
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.incidents import IncidentReview, Incidents, NewKnownRisk
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.formatting import show_date, show_date_time, show_when_by
from hvdesk.ui.incidents.riddor_box import RiddorBox
from hvdesk.ui.incidents.visit_panel import VisitPanel
from hvdesk.ui.school_time_edit import from_qt, school_time_edit, to_qt

log = logging.getLogger(__name__)

NEW_RISK_ROLE = int(Qt.ItemDataRole.UserRole) + 1


def _text_box(name: str, hint: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(name)
    box.setPlaceholderText(hint)
    box.setTabChangesFocus(True)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 18)
    return box


class IncidentReviewDialog(QDialog):
    """One incident's review. `changed` carries the incident id after anything was recorded."""

    changed = Signal(int)

    def __init__(
        self,
        incidents: Incidents,
        user: SignedInUser,
        clock: Clock,
        incident_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("incidentReview")
        self.setModal(False)
        self._incidents = incidents
        self._user = user
        self._clock = clock
        self.incident_id = incident_id
        self.review: IncidentReview = incidents.review(incident_id, user)
        self._pending: list[NewKnownRisk] = []

        self.title_label = QLabel()
        self.title_label.setObjectName("pageTitle")
        self.status_label = QLabel()
        self.status_label.setObjectName("pageSummary")
        self.status_label.setWordWrap(True)

        self.visit_panel = VisitPanel(self.review)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.visit_panel)
        self.splitter.addWidget(self._build_form())
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)

        self.error_label = InlineError()
        self.done_label = QLabel()
        self.done_label.setObjectName("inlineDone")
        self.done_label.setWordWrap(True)
        self.done_label.hide()
        self.start_button = QPushButton("S&tart review")
        self.save_button = QPushButton("&Save")
        self.sign_off_button = QPushButton("Sign off and c&lose review")
        self.sign_off_button.setObjectName("signOffButton")
        close = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.sign_off_button)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(8)
        layout.addWidget(self.title_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.done_label)
        layout.addLayout(buttons)

        # Enter in a field never presses a button here: signing off must be a deliberate click.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.start_button.clicked.connect(self.start_review)
        self.save_button.clicked.connect(self.save)
        self.sign_off_button.clicked.connect(self.sign_off)
        close.clicked.connect(self.close)
        self.add_risk_button.clicked.connect(self.add_risk)
        self.remove_risk_button.clicked.connect(self._remove_pending)
        self.debrief_held.toggled.connect(self._enable_dates)
        self.riddor.currentIndexChanged.connect(self._enable_dates)
        self.reported.toggled.connect(self._enable_dates)
        self._fill(self.review)
        self.resize(1180, 760)

    # -- building ------------------------------------------------------------------------------

    def _build_form(self) -> QWidget:
        now = self._clock.now()
        self.what_happened = _text_box(
            "What happened", "The facts, in order: who, what, when, where (no opinions).", 6
        )
        self.debrief_held = QCheckBox("&Debrief held, on")
        self.debrief_at = school_time_edit(now, "Debrief held on", latest=now)
        debrief_row = QHBoxLayout()
        debrief_row.addWidget(self.debrief_held)
        debrief_row.addWidget(self.debrief_at, 1)
        self.debrief_with = QLineEdit()
        self.debrief_with.setAccessibleName("Debrief held with")
        self.debrief_with.setPlaceholderText("Who took part (the staff involved, their manager…)")
        self.support_offered = _text_box(
            "Support offered", "What support the staff were offered (time out, counselling…)."
        )
        self.lessons = _text_box("Lessons", "What the school learned.")
        self.procedure_changes = _text_box(
            "Changes to the procedure",
            'What changes in the procedure, or "No change" and why.',
        )

        self.riddor_box = RiddorBox(
            now, reported_text="&Reported, on", reportable_label="Reportable?"
        )
        self.riddor = self.riddor_box.reportable
        self.reported = self.riddor_box.reported
        self.reported_at = self.riddor_box.reported_at

        self.risks_box = QGroupBox("The household's known risks")
        self.risk_list = QListWidget()
        self.risk_list.setAccessibleName("Known risks of the household")
        self.risk_list.setMaximumHeight(120)
        self.risk_list.setWordWrap(True)
        self.risk_kind = QComboBox()
        self.risk_kind.setAccessibleName("Kind of new known risk")
        self.risk_text = QLineEdit()
        self.risk_text.setAccessibleName("New known risk")
        self.risk_text.setPlaceholderText("e.g. two large dogs loose in the front garden")
        self.add_risk_button = QPushButton("&Add")
        self.remove_risk_button = QPushButton("Remove")
        add_row = QHBoxLayout()
        add_row.addWidget(self.risk_kind)
        add_row.addWidget(self.risk_text, 1)
        add_row.addWidget(self.add_risk_button)
        add_row.addWidget(self.remove_risk_button)
        self.risks_note = QLabel(
            "New risks are added to the household when the form is saved, and appear in its "
            "next risk assessment."
        )
        self.risks_note.setObjectName("pageSummary")
        self.risks_note.setWordWrap(True)
        risks_layout = QVBoxLayout(self.risks_box)
        risks_layout.addWidget(self.risk_list)
        risks_layout.addLayout(add_row)
        risks_layout.addWidget(self.risks_note)
        self.risk_text.returnPressed.connect(self.add_risk)

        self.gaps_label = QLabel()
        self.gaps_label.setObjectName("pageSummary")
        self.gaps_label.setWordWrap(True)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("&What happened:", self.what_happened)
        form.addRow("Debrief:", debrief_row)
        form.addRow("Debrief &with:", self.debrief_with)
        form.addRow("S&upport offered:", self.support_offered)
        form.addRow("Less&ons:", self.lessons)
        form.addRow("C&hanges to the\nprocedure:", self.procedure_changes)

        heading = QLabel("Review")
        heading.setObjectName("dialogTitle")
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(8, 0, 8, 0)
        body_layout.addWidget(heading)
        body_layout.addLayout(form)
        body_layout.addWidget(self.riddor_box)
        body_layout.addWidget(self.risks_box)
        body_layout.addWidget(self.gaps_label)
        body_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("incidentReviewForm")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        return scroll

    # -- showing -------------------------------------------------------------------------------

    def _fill(self, review: IncidentReview, typed: ReviewForm | None = None) -> None:
        """Show the incident as stored (after opening, and after each recorded action), with
        the form as `typed` instead of as stored if given."""
        self.review = review
        drill = "DRILL · " if review.is_drill else ""
        self.setWindowTitle(f"Incident {review.id} review")
        self.title_label.setText(f"{drill}Incident {review.id}: {review.kind.label}")
        self.status_label.setText(self._status_text(review))
        form = typed or review.form
        self.what_happened.setPlainText(form.what_happened or "")
        self.debrief_held.setChecked(form.debrief_held_at is not None)
        if form.debrief_held_at is not None:
            self.debrief_at.setDateTime(to_qt(form.debrief_held_at))
        self.debrief_with.setText(form.debrief_with or "")
        self.support_offered.setPlainText(form.support_offered or "")
        self.lessons.setPlainText(form.lessons or "")
        self.procedure_changes.setPlainText(form.procedure_changes or "")
        self.riddor_box.setVisible(review.kind is IncidentKind.ACCIDENT)
        self.riddor.setCurrentIndex(max(0, self.riddor.findData(form.riddor_reportable)))
        self.reported.setChecked(form.riddor_reported_at is not None)
        if form.riddor_reported_at is not None:
            self.reported_at.setDateTime(to_qt(form.riddor_reported_at))
        self._fill_risks(review)
        if review.gaps:
            self.gaps_label.setText(
                "Before it can be signed off, the review still needs: " + "; ".join(review.gaps)
            )
        else:
            self.gaps_label.setText("The form is complete.")
        closed = review.closed
        for box in (self.what_happened, self.support_offered, self.lessons, self.procedure_changes):
            box.setReadOnly(closed)
        self.debrief_with.setReadOnly(closed)
        for widget in (self.debrief_held, self.riddor, self.reported):
            widget.setEnabled(not closed)
        self.gaps_label.setVisible(not closed)
        self.start_button.setVisible(review.status is IncidentStatus.OPEN)
        self.save_button.setEnabled(not closed)
        self.sign_off_button.setEnabled(not closed)
        self.save_button.setVisible(not closed)
        self.sign_off_button.setVisible(not closed)
        self.sign_off_button.setToolTip(
            " ".join(review.sign_off_refusals)
            or "Closes the review with your name, date and time: it cannot be edited afterwards."
        )
        self._enable_dates()

    def _status_text(self, review: IncidentReview) -> str:
        parts = [review.status.label]
        if review.closed:
            parts.append(
                f"signed off by {review.signed_off_by or 'unknown'} on "
                f"{show_date_time(review.signed_off_at)}"
            )
        else:
            if review.review_started_at is not None:
                started = show_when_by(review.review_started_at, review.review_started_by)
                parts.append(f"review started {started}")
            if review.review_due_on is not None:
                due = f"review due {show_date(review.review_due_on)}"
                parts.append(f"OVERDUE: {due}" if review.overdue else due)
        if review.sign_off_refusals and not review.closed:
            parts.append("you cannot sign this review off")
        return " · ".join(parts)

    def _fill_risks(self, review: IncidentReview) -> None:
        self.risk_list.clear()
        for risk in review.known_risks:
            text = f"{risk.kind.label}: {risk.description}"
            if risk.ended_at is not None:
                text += f" (ended {show_date(to_school_time(risk.ended_at).date())})"
            if risk.from_this_incident:
                text += "  [added by this review]"
            self.risk_list.addItem(QListWidgetItem(text))
        for position, new in enumerate(self._pending):
            item = QListWidgetItem(
                f"NEW: {new.kind.label}: {new.description}  [saved with the form]"
            )
            item.setData(NEW_RISK_ROLE, position)
            self.risk_list.addItem(item)
        if not self.risk_list.count():
            self.risk_list.addItem(QListWidgetItem("No known risks are recorded."))
        self.risk_kind.clear()
        for kind in RiskKind:
            if kind.is_operational or review.may_add_safeguarding_history:
                self.risk_kind.addItem(kind.label, kind)
        editable = review.may_add_known_risks and not review.closed
        for widget in (self.risk_kind, self.risk_text, self.add_risk_button):
            widget.setEnabled(editable)
        self.remove_risk_button.setEnabled(editable and bool(self._pending))
        if review.visit is None:
            self.risks_note.setText("Not linked to a visit: there is no household to add risks to.")
        elif not review.may_add_known_risks:
            self.risks_note.setText("A drill's household is a placeholder: no risks are added.")

    def _enable_dates(self, *_: object) -> None:
        closed = self.review.closed
        self.debrief_at.setEnabled(not closed and self.debrief_held.isChecked())
        self.riddor_box.enable_dates(editable=not closed)

    # -- the form ------------------------------------------------------------------------------

    def form(self) -> ReviewForm:
        """The review as typed."""
        reportable, reported_at = self.riddor_box.answer(self.review.kind is IncidentKind.ACCIDENT)
        return ReviewForm(
            what_happened=self.what_happened.toPlainText(),
            debrief_held_at=(
                from_qt(self.debrief_at.dateTime()) if self.debrief_held.isChecked() else None
            ),
            debrief_with=self.debrief_with.text(),
            support_offered=self.support_offered.toPlainText(),
            lessons=self.lessons.toPlainText(),
            procedure_changes=self.procedure_changes.toPlainText(),
            riddor_reportable=reportable,
            riddor_reported_at=reported_at,
        )

    def add_risk(self) -> None:
        """Put a new known risk on the list; it is written with the form."""
        text = self.risk_text.text().strip()
        if not text:
            self.error_label.show_for(self.risk_text, "Describe the new known risk first.")
            return
        kind = RiskKind(self.risk_kind.currentData())  # Qt hands the enum back as a str
        self._pending.append(NewKnownRisk(kind, text))
        self.risk_text.clear()
        self._fill_risks(self.review)
        self.error_label.hide()

    def _remove_pending(self) -> None:
        item = self.risk_list.currentItem()
        position = item.data(NEW_RISK_ROLE) if item is not None else None
        if position is None:
            self.error_label.show_message("Choose a new risk (marked NEW) to remove.")
            return
        del self._pending[int(position)]
        self._fill_risks(self.review)

    # -- the status actions --------------------------------------------------------------------

    @property
    def error(self) -> str:
        return self.error_label.message

    @property
    def done_message(self) -> str:
        return self.done_label.text() if not self.done_label.isHidden() else ""

    def start_review(self) -> None:
        self._act(
            lambda: self._incidents.start_review(self.incident_id, self._user),
            "Review started.",
            keep_typed=True,
        )

    def save(self) -> None:
        self._act(
            lambda: self._incidents.save_review(
                self.incident_id, self.form(), self._user, tuple(self._pending)
            ),
            "Review saved.",
        )

    def sign_off(self) -> None:
        self._act(
            lambda: self._incidents.sign_off(
                self.incident_id, self._user, self.form(), tuple(self._pending)
            ),
            "Review signed off and closed.",
        )

    def _act(self, action: Callable[[], None], done: str, *, keep_typed: bool = False) -> None:
        """Run one recorded action; on a refusal keep everything typed and say why. With
        `keep_typed` (an action that does not save the form) what was typed stays shown."""
        self.done_label.hide()
        typed = self.form() if keep_typed else None
        try:
            action()
        except HvdeskError as exc:
            self.error_label.show_message(str(exc))
            return
        self.error_label.hide()
        if not keep_typed:
            self._pending.clear()
        self._fill(self._incidents.review(self.incident_id, self._user), typed)
        self.done_label.setText(done)
        self.done_label.show()
        self.changed.emit(self.incident_id)
