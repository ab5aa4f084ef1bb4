"""Amending an authorised visit: new times, visitors, doorstep or enter, or the other details,
with the reason.

The dialog says before anything is saved which kind of change it is: a change to what was
signed (times, visitors, doorstep or enter) voids the approval and sends the visit back to the
queue; other details keep it. Everything changed is recorded in one amendment (one unit of
work: `Authorisations.amend_many`), each field with its original value, the new one, the
reason, who and when, and shown in the review. A refusal (a visitor booked elsewhere then, an
end before the start, no reason) is shown under the fields and the dialog stays open.

Changing the household or the risk rows is done from the request's own forms (the matrix), not
here.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QLabel,
    QLineEdit,
    QWidget,
)

from hvdesk.domain.visit_request import MAX_VISITORS
from hvdesk.domain.visits import EntryMode
from hvdesk.errors import HvdeskError
from hvdesk.services.authorisation import SUBSTANCE_FIELDS, Authorisations
from hvdesk.services.authorisation_review import AMENDABLE_LABELS, RequestReview
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.dialogs.form_frame import button_row, dialog_column, growing_form
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.school_time_edit import from_qt, school_time_edit

log = logging.getLogger(__name__)

EXPLANATION = (
    "Changing the time, the visitors, or doorstep or enter changes what was signed: the "
    "approval becomes void and the visit goes back to the authorisation queue, to be approved "
    "and signed again before it starts. Other details keep the approval. Either way the "
    "original, the new value, your reason, your name and the time are kept with the visit."
)
VISITOR_LABELS = ("&Lead visitor:", "&Second visitor:", "Third visitor:", "Fourth visitor:")
NOBODY = "(nobody)"
TEXT_FIELDS = (
    ("purpose", "&Purpose:"),
    ("resources_to_take", "&Resources to take:"),
    ("vehicle", "&Vehicle:"),
    ("safe_word", "Safe &word:"),
    ("responsible_contact_name", "Responsible &contact:"),
    ("responsible_contact_phone", "Contact's p&hone:"),
)


class AmendDialog(QDialog):
    """The amendment form; `amended` carries a line saying what was recorded."""

    amended = Signal(str)

    def __init__(
        self,
        service: Authorisations,
        user: SignedInUser,
        review: RequestReview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._user = user
        self._review = review
        values = review.values
        self.setWindowTitle(f"hvdesk: amend visit {review.visit_id}")
        self.setMinimumWidth(640)

        heading = QLabel(f"Amend visit {review.visit_id}: {review.pupil}")
        heading.setObjectName("dialogTitle")
        explanation = QLabel(EXPLANATION)
        explanation.setWordWrap(True)
        explanation.setObjectName("demoHint")
        explanation.setTextFormat(Qt.TextFormat.PlainText)

        form = growing_form()
        self.start_edit = self._time_edit(values.planned_start, "Start")
        self.end_edit = self._time_edit(values.planned_end, "End")
        form.addRow("S&tart (UK time):", self.start_edit)
        form.addRow("&End (UK time):", self.end_edit)

        staff = service.staff_choices(user)
        self.visitor_boxes: list[QComboBox] = []
        for position, label in enumerate(VISITOR_LABELS[:MAX_VISITORS]):
            box = QComboBox()
            box.setAccessibleName(label.replace("&", "").rstrip(":"))
            box.addItem(NOBODY, None)
            for choice in staff:
                box.addItem(f"{choice.name} ({choice.job_role})", choice.id)
            current = values.visitor_ids[position] if position < len(values.visitor_ids) else None
            box.setCurrentIndex(max(box.findData(current), 0))
            box.currentIndexChanged.connect(self._update_effect)
            form.addRow(label, box)
            self.visitor_boxes.append(box)

        self.entry_box = QComboBox()
        self.entry_box.setAccessibleName("Doorstep or enter")
        for mode in EntryMode:
            self.entry_box.addItem(mode.label, mode.value)
        self.entry_box.setCurrentIndex(self.entry_box.findData(values.entry_mode.value))
        self.entry_box.currentIndexChanged.connect(self._update_effect)
        form.addRow("&Doorstep or enter:", self.entry_box)

        self.text_edits: dict[str, QLineEdit] = {}
        for field, label in TEXT_FIELDS:
            original = self._original_text(field)
            if original is None:  # the safe word, hidden from this user
                continue
            edit = QLineEdit(original)
            edit.setAccessibleName(label.replace("&", "").rstrip(":"))
            edit.textChanged.connect(self._update_effect)
            form.addRow(label, edit)
            self.text_edits[field] = edit

        self.reason_edit = QLineEdit()
        self.reason_edit.setAccessibleName("Reason for the amendment")
        self.reason_edit.setPlaceholderText("Why is the visit changing? (required)")
        self.reason_edit.textChanged.connect(self._clear_error)
        form.addRow("Rea&son:", self.reason_edit)

        self.effect_label = QLabel()
        self.effect_label.setObjectName("pageSummary")
        self.effect_label.setWordWrap(True)
        self.effect_label.setTextFormat(Qt.TextFormat.PlainText)
        self.effect_label.setAccessibleName("What this amendment does to the approval")
        self.error_label = InlineError()

        self.buttons, self.save_button, _ = button_row(
            "&Record amendment", self.save, self.reject, default=False
        )
        dialog_column(
            self, heading, explanation, form, self.effect_label, self.error_label, self.buttons
        )
        self._update_effect()

    # -- what changed --------------------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the visit's, with their new values."""
        values = self._review.values
        found: dict[str, Any] = {}
        start, end = from_qt(self.start_edit.dateTime()), from_qt(self.end_edit.dateTime())
        if start != values.planned_start:
            found["planned_start"] = start
        if end != values.planned_end:
            found["planned_end"] = end
        chosen = [box.currentData() for box in self.visitor_boxes]
        visitors = tuple(int(v) for v in chosen if v is not None)
        if visitors != values.visitor_ids:
            found["visitors"] = list(visitors)
        mode = EntryMode(self.entry_box.currentData())
        if mode is not values.entry_mode:
            found["entry_mode"] = mode
        for field, edit in self.text_edits.items():
            if edit.text().strip() != (self._original_text(field) or "").strip():
                found[field] = edit.text()
        return found

    @property
    def voids_approval(self) -> bool:
        return any(field in SUBSTANCE_FIELDS for field in self.changes())

    @property
    def effect_text(self) -> str:
        return self.effect_label.text()

    @property
    def error_text(self) -> str:
        return self.error_label.message

    def save(self) -> None:
        """Record the amendment; stay open and say why when it is refused."""
        changes = self.changes()
        if not changes:
            self._show_error("Nothing has changed yet: change a field, then record it.", None)
            return
        reason = self.reason_edit.text().strip()
        if not reason:
            self._show_error("Say why the visit is changing.", self.reason_edit)
            return
        voids = self.voids_approval
        try:
            self._service.amend_many(self._review.visit_id, self._user, changes, reason)
        except HvdeskError as exc:
            self._show_error(str(exc), None)
            return
        names = ", ".join(AMENDABLE_LABELS.get(f, f).lower() for f in changes)
        message = f"Visit {self._review.visit_id} amended ({names})" + (
            ": the approval is void and the visit is back in the authorisation queue."
            if voids
            else "; the approval still stands."
        )
        log.info("Visit %s amended by user %s", self._review.visit_id, self._user.user_id)
        self.amended.emit(message)
        self.accept()

    # -- helpers -------------------------------------------------------------------------------

    def _time_edit(self, instant: datetime, name: str) -> QDateTimeEdit:
        edit = school_time_edit(instant, name)
        edit.dateTimeChanged.connect(self._update_effect)
        return edit

    def _original_text(self, field: str) -> str | None:
        value = getattr(self._review.values, field)
        return value if value is None else str(value)

    def _update_effect(self, *_: object) -> None:
        changes = self.changes()
        if not changes:
            text = "Nothing has changed yet."
        elif self.voids_approval:
            text = (
                "This amendment voids the approval: the visit goes back to the authorisation "
                "queue and must be approved again before it starts."
            )
        else:
            text = "This amendment keeps the approval (nothing that was signed changes)."
        self.effect_label.setText(text)
        self._clear_error()

    def _show_error(self, message: str, field: QLineEdit | None) -> None:
        if field is not None:
            self.error_label.show_for(field, message)
        else:
            self.error_label.show_message(message)
        self.adjustSize()

    def _clear_error(self, *_: object) -> None:
        self.error_label.clear_from(())
