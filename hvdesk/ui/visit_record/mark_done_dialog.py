"""Marking a follow-up done: the action is shown, a note of what was done is asked for, and
the service's refusal (no note, already done, not permitted) is shown in the dialog, which
stays open."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QWidget

from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_records import FollowUpRow, VisitRecords
from hvdesk.ui.dialogs.form_frame import button_row, dialog_column
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.formatting import show_date


class MarkDoneDialog(QDialog):
    """Asks what was done, then marks the follow-up done through `VisitRecords`."""

    def __init__(
        self,
        records: VisitRecords,
        row: FollowUpRow,
        user: SignedInUser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.records = records
        self.row = row
        self.user = user
        self.setObjectName("markDoneDialog")
        self.setWindowTitle(f"Mark follow-up done (visit {row.visit_id})")
        self.setMinimumWidth(520)
        action = QLabel(
            f"{row.action}\nOwner: {row.owner}. Due {show_date(row.due_on)}."
            + (f" Pupil: {row.pupil}." if row.pupil else "")
        )
        action.setWordWrap(True)
        action.setTextFormat(Qt.TextFormat.PlainText)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName("What was done")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText("What was done, e.g. Register checked: in school all week.")
        self.note.setFixedHeight(self.note.fontMetrics().lineSpacing() * 4 + 18)
        note_label = QLabel("&What was done:")
        note_label.setBuddy(self.note)
        self.error = InlineError()
        buttons, self.done_button, _ = button_row("Mark &done", self.mark_done, self.reject)
        dialog_column(self, action, note_label, self.note, self.error, buttons)
        self.note.setFocus()

    def mark_done(self) -> None:
        try:
            self.records.mark_follow_up_done(self.row.id, self.note.toPlainText(), self.user)
        except HvdeskError as refused:
            self.error.show_message(str(refused))
            self.note.setAccessibleDescription(refused.what)
            self.note.setFocus()
            return
        self.accept()
