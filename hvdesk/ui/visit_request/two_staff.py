"""Seed 001's question on the visit request (issue 18): "Consider whether sending two members of
staff may escalate the difficulties." Shown once two or more visitors are chosen (the school
words it in Settings; an empty question is not asked).

The answer is saved with the draft, through `VisitConduct.answer_two_staff`, each time the
request is saved; "yes" needs a note of how, and what is planned instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QBoxLayout, QGroupBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from hvdesk.errors import HvdeskError
from hvdesk.services.visit_conduct import VisitConduct
from hvdesk.ui.visit_record.conduct_section import YesNo

if TYPE_CHECKING:
    from hvdesk.ui.visit_request.dialog import VisitRequestDialog

__all__ = ["TwoStaffQuestion", "attach_two_staff_question"]


class TwoStaffQuestion(QGroupBox):
    """The question, yes or no, and the note."""

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__("Two staff", parent)
        self.setObjectName("twoStaffQuestion")
        label = QLabel(question)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.answer = YesNo(question, "Yes, it may", "No")
        self.note = QLineEdit()
        self.note.setAccessibleName("How sending two staff may escalate matters, and the plan")
        self.note.setPlaceholderText("If yes: how, and what is planned instead (needed)")
        self.answer.changed.connect(self._update)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.answer)
        layout.addWidget(self.note)
        self._update()

    def _update(self) -> None:
        self.note.setEnabled(self.answer.value() is True)

    def set_answer(self, value: bool | None, note: str | None) -> None:
        self.answer.set_value(value)
        self.note.setText(note or "")
        self._update()


def attach_two_staff_question(
    dialog: VisitRequestDialog, conduct: VisitConduct
) -> TwoStaffQuestion | None:
    """Add the question to the request form, load its answer, save it with each draft."""
    question = dialog.policy.two_staff_question.strip()
    if not question:
        return None
    box = TwoStaffQuestion(question)
    layout = dialog.form.layout()
    if isinstance(layout, QBoxLayout):
        layout.insertWidget(max(0, layout.count() - 1), box)  # above the closing stretch
    visitors = dialog.form.visitors

    def show_if_pair() -> None:
        box.setVisible(len(visitors.chosen()) >= 2)

    if dialog.visit_id is not None:
        try:
            box.set_answer(*conduct.two_staff_answer(dialog.visit_id, dialog.user))
        except HvdeskError as refused:
            dialog.show_error(refused)

    def save(visit_id: int) -> None:
        value = box.answer.value()
        if value is None or not box.isVisible():
            return
        try:
            conduct.answer_two_staff(visit_id, value, box.note.text(), dialog.user)
        except HvdeskError as refused:
            dialog.show_error(refused)

    visitors.changed.connect(show_if_pair)
    dialog.saved.connect(save)
    show_if_pair()
    return box
