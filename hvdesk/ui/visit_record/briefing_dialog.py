"""The visitors' briefing on screen (issue 18), from the Visits page: the rules of conduct that
apply to the visit's plan, who holds parental responsibility and who does not, what to do about
a child found alone, and, for tutoring, the pupil's SEND, medical and behaviour needs (shown only
to the visit's own staff: the service decides from the account as it is now).

The DSL, deputies and the headteacher record those needs from here ("Pupil's needs…").
"""

from __future__ import annotations

from html import escape
from typing import Any, Protocol

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.visit_conduct import Briefing, PupilNeeds, VisitConduct
from hvdesk.ui.dialogs.error_dialog import ErrorDialog
from hvdesk.ui.dialogs.inline_error import InlineError

__all__ = [
    "BriefingDialog",
    "PupilNeedsDialog",
    "briefing_button",
    "briefing_html",
    "open_briefing",
]


def briefing_html(briefing: Briefing) -> str:
    """The briefing as rich text (every value escaped)."""
    parts = [f"<h3>Visit {briefing.visit_id}: the visitors' briefing</h3>"]
    if briefing.pupil:
        parts.append(f"<p>Pupil: <b>{escape(briefing.pupil)}</b></p>")
    holders = briefing.with_parental_responsibility
    others = briefing.without_parental_responsibility
    parts.append("<p><b>Holds parental responsibility</b> (you may speak to them):<br>")
    parts.append("<br>".join(escape(a) for a in holders) or "Nobody is recorded.")
    parts.append("</p><p><b>Does not</b> (do not discuss the child):<br>")
    parts.append("<br>".join(escape(a) for a in others) or "Nobody else is recorded.")
    parts.append("</p>")
    for group in briefing.groups:
        parts.append(f"<p><b>{escape(group.group.label)}</b></p><ul>")
        parts.extend(f"<li>{escape(rule)}</li>" for rule in group.rules)
        parts.append("</ul>")
    parts.append(
        f"<p><b>A child found alone:</b> {escape(briefing.child_alone_instruction)} "
        "Phone the office.</p>"
    )
    if briefing.two_staff_answer:
        parts.append(
            "<p><b>Could sending two staff escalate the difficulties?</b> "
            f"{escape(briefing.two_staff_answer)}</p>"
        )
    if briefing.needs is not None:
        parts.append("<p><b>The pupil's needs</b> (need-to-know: the visitors only)</p><ul>")
        for label, text in (
            ("SEND", briefing.needs.send),
            ("Medical", briefing.needs.medical),
            ("Behaviour", briefing.needs.behaviour),
        ):
            parts.append(f"<li>{label}: {escape(text or 'None recorded.')}</li>")
        parts.append("</ul>")
    elif briefing.needs_withheld:
        parts.append(f"<p><i>{escape(briefing.needs_withheld)}</i></p>")
    return "".join(parts)


class PupilNeedsDialog(QDialog):
    """Record the pupil's SEND, medical and behaviour needs the visitors must know."""

    def __init__(
        self,
        conduct: VisitConduct,
        pupil_id: int,
        user: SignedInUser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.conduct, self.pupil_id, self.user = conduct, pupil_id, user
        self.setWindowTitle("The pupil's needs, for the visitors")
        needs = conduct.pupil_needs(pupil_id, user)
        self.send = self._box("SEND", needs.send)
        self.medical = self._box("Medical needs", needs.medical)
        self.behaviour = self._box("Behaviour", needs.behaviour)
        form = QFormLayout()
        form.addRow("&SEND:", self.send)
        form.addRow("&Medical:", self.medical)
        form.addRow("&Behaviour:", self.behaviour)
        hint = QLabel(
            "Printed on the visitors' own briefing for tutoring, and shown to them here; "
            "nobody else sees it."
        )
        hint.setWordWrap(True)
        self.error = InlineError()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 420)

    @staticmethod
    def _box(name: str, text: str | None) -> QPlainTextEdit:
        box = QPlainTextEdit(text or "")
        box.setAccessibleName(name)
        box.setTabChangesFocus(True)
        return box

    def save(self) -> None:
        needs = PupilNeeds(
            self.send.toPlainText(), self.medical.toPlainText(), self.behaviour.toPlainText()
        )
        try:
            self.conduct.set_pupil_needs(self.pupil_id, needs, self.user)
        except HvdeskError as refused:
            self.error.show_message(str(refused))
            return
        self.accept()


class BriefingDialog(QDialog):
    """The briefing, read-only, with the needs editor for those who keep them."""

    def __init__(
        self,
        conduct: VisitConduct,
        visit_id: int,
        user: SignedInUser,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.conduct, self.visit_id, self.user = conduct, visit_id, user
        self.setWindowTitle(f"Briefing for visit {visit_id}")
        self.setMinimumSize(560, 420)
        self.resize(820, 760)
        self.text = QLabel()
        self.text.setObjectName("briefingText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.text.setContentsMargins(12, 8, 12, 8)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.text)
        self.needs_button = QPushButton("Pupil's &needs…")
        self.needs_button.clicked.connect(self.edit_needs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.needs_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(buttons)
        self.reload()

    def reload(self) -> None:
        self.briefing = self.conduct.briefing(self.visit_id, self.user)
        self.text.setText(briefing_html(self.briefing))
        self.needs_button.setVisible(
            self.briefing.may_edit_needs and self.briefing.pupil_id is not None
        )

    def edit_needs(self) -> None:
        if self.briefing.pupil_id is None:
            return
        dialog = PupilNeedsDialog(self.conduct, self.briefing.pupil_id, self.user, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.reload()
        finally:
            dialog.deleteLater()


def open_briefing(
    conduct: VisitConduct, visit_id: int, user: SignedInUser, parent: QWidget | None = None
) -> None:
    """Show the briefing modally; a refusal to open it is shown in the error dialog."""
    try:
        dialog = BriefingDialog(conduct, visit_id, user, parent)
    except HvdeskError as refused:
        error = ErrorDialog(refused, parent)
        try:
            error.exec()
        finally:
            error.deleteLater()
        return
    try:
        dialog.exec()
    finally:
        dialog.deleteLater()


class _VisitsPage(Protocol):
    """What of the Visits page the briefing button uses."""

    def selected_row(self) -> Any: ...

    def _user(self) -> SignedInUser | None: ...

    @property
    def selected_row_changed(self) -> SignalInstance: ...


def briefing_button(page: _VisitsPage, conduct: VisitConduct) -> QPushButton:
    """A "Briefing…" button for the Visits page's bar: the selected visit's briefing."""
    button = QPushButton("Briefing…")
    button.setAutoDefault(False)
    button.setToolTip(
        "The rules of conduct for this visit, who may be spoken to, the pupil's needs"
    )

    def update() -> None:
        button.setEnabled(page._user() is not None and page.selected_row() is not None)

    def show() -> None:
        row, user = page.selected_row(), page._user()
        if row is not None and user is not None:
            open_briefing(conduct, row.id, user, button.window())

    button.clicked.connect(show)
    page.selected_row_changed.connect(update)
    update()
    return button
