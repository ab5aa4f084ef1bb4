"""One visit request, read in full, and the authoriser's decision on it.

Top: where the request stands (waiting how long, resubmitted) and, plainly, anything that stops
this user approving it now (a permission rule such as going on the visit themselves, or a
problem the request must have put right). Middle: the whole request (`review_html`) beside the
heat-map. Bottom, while it awaits a decision: conditions of approval, a comment, and Approve
and sign… (the signature step, `SignatureDialog`), Send back for changes (comment required),
Refuse (reason required). An authorised visit offers Amend… instead (`AmendDialog`).

The service enforces every rule; a refusal it raises is shown under the buttons and the dialog
stays open. It opens with `show()`, never `exec()`, so the board stays live beside it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock, format_school_time
from hvdesk.errors import HvdeskError
from hvdesk.services.authorisation import Authorisations
from hvdesk.services.authorisation_review import RequestReview
from hvdesk.services.identity import SignedInUser
from hvdesk.ui.authorisation.amend_dialog import AmendDialog
from hvdesk.ui.authorisation.review_html import review_html
from hvdesk.ui.authorisation.signature_dialog import SignatureDialog
from hvdesk.ui.authorisation.waiting import waited
from hvdesk.ui.dialogs.inline_error import InlineError
from hvdesk.ui.risk_matrix.heat_map import HeatMap

log = logging.getLogger(__name__)


def _waited(review: RequestReview) -> str:
    return waited(review.waiting) if review.waiting is not None else ""


class ReviewDialog(QDialog):
    """Read one request and decide; `decided` carries a line saying what was recorded."""

    decided = Signal(str)

    def __init__(
        self,
        service: Authorisations,
        user: SignedInUser,
        visit_id: int,
        clock: Clock,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._service = service
        self._user = user
        self._clock = clock
        self.visit_id = visit_id
        self.review: RequestReview | None = None
        self.signature: SignatureDialog | None = None
        self.amend_dialog: AmendDialog | None = None
        self.setWindowTitle(f"hvdesk: visit request {visit_id}")
        self.resize(1100, 820)

        self.heading = QLabel(f"Visit request {visit_id}")
        self.heading.setObjectName("dialogTitle")
        self.status_label = QLabel()
        self.status_label.setObjectName("pageSummary")
        self.status_label.setWordWrap(True)
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal_label = QLabel()
        self.refusal_label.setObjectName("inlineError")
        self.refusal_label.setWordWrap(True)
        self.refusal_label.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal_label.hide()

        self.browser = QTextBrowser()
        self.browser.setAccessibleName("The visit request")
        self.browser.setOpenLinks(False)
        # The text wraps; a full-width bordered table overhangs by a pixel, not worth a bar.
        self.browser.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.heat_map = HeatMap(self)
        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.browser)
        splitter.addWidget(self.heat_map)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([640, 420])

        self.conditions_edit = QPlainTextEdit()
        self.conditions_edit.setAccessibleName("Conditions of approval (optional)")
        self.conditions_edit.setPlaceholderText(
            "For example: phone in on arrival; doorstep only if the dog is loose"
        )
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setAccessibleName("Comment to the requester")
        self.comment_edit.setPlaceholderText(
            "What to change (send back), or why the visit is refused"
        )
        for edit in (self.conditions_edit, self.comment_edit):
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(64)
            edit.textChanged.connect(self._clear_error)
        conditions_label = QLabel("&Conditions of approval (optional):")
        conditions_label.setBuddy(self.conditions_edit)
        comment_label = QLabel("Co&mment (needed to send back or refuse):")
        comment_label.setBuddy(self.comment_edit)
        self.decision_area = QWidget()
        fields = QHBoxLayout(self.decision_area)
        fields.setContentsMargins(0, 0, 0, 0)
        fields.setSpacing(16)
        for label, edit in (
            (conditions_label, self.conditions_edit),
            (comment_label, self.comment_edit),
        ):
            column = QVBoxLayout()
            column.setSpacing(4)
            column.addWidget(label)
            column.addWidget(edit)
            fields.addLayout(column, 1)

        self.error_label = InlineError()
        self.approve_button = QPushButton("&Approve and sign…")
        self.approve_button.setDefault(True)
        self.send_back_button = QPushButton("Send &back for changes")
        self.refuse_button = QPushButton("&Refuse")
        self.amend_button = QPushButton("A&mend…")
        self.close_button = QPushButton("Close")
        self.approve_button.clicked.connect(self.approve)
        self.send_back_button.clicked.connect(self.send_back)
        self.refuse_button.clicked.connect(self.refuse)
        self.amend_button.clicked.connect(self.amend)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.setSpacing(8)
        for button in (self.approve_button, self.send_back_button, self.refuse_button):
            buttons.addWidget(button)
        buttons.addWidget(self.amend_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 16, 20, 14)
        layout.setSpacing(10)
        layout.addWidget(self.heading)
        layout.addWidget(self.status_label)
        layout.addWidget(self.refusal_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.decision_area)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        self.load()

    @property
    def error_text(self) -> str:
        return self.error_label.message

    def done(self, result: int) -> None:
        """Closing the review closes its signature or amendment dialog too (nothing of the
        request is left on screen, e.g. after the idle lock)."""
        for child in (self.signature, self.amend_dialog):
            if child is not None:
                child.reject()
        super().done(result)

    # -- reading -------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the request again (after a decision or an amendment, or to refresh)."""
        try:
            review = self._service.review(self.visit_id, self._user)
        except HvdeskError as exc:
            self.review = None
            self.status_label.setText(str(exc))
            self.browser.clear()
            for button in (*self._decision_buttons(), self.amend_button):
                button.setEnabled(False)
            self.decision_area.hide()
            return
        self.review = review
        self.heading.setText(f"Visit request {review.visit_id}: {review.pupil}, {review.area}")
        self.status_label.setText(self._status_text(review))
        refusals = review.approval_refusals
        if review.awaiting and refusals:
            self.refusal_label.setText(
                "You cannot approve this request now:\n"
                + "\n".join(f"• {r}" for r in refusals)
                + "\nYou can still send it back with a comment, or refuse it, if you may "
                "decide on it."
            )
            self.refusal_label.show()
        else:
            self.refusal_label.hide()
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(review_html(review, with_heat_map=False))
        self.browser.verticalScrollBar().setValue(scroll)
        self.heat_map.setVisible(review.bands is not None)
        if review.bands is not None:
            self.heat_map.set_rows(review.risk_rows, review.bands)
        self.decision_area.setVisible(review.awaiting)
        for button in self._decision_buttons():
            button.setVisible(review.awaiting)
        self.approve_button.setEnabled(not refusals)
        self.approve_button.setDefault(review.awaiting and not refusals)
        self.close_button.setDefault(not review.awaiting or bool(refusals))
        self.approve_button.setToolTip(
            "\n".join(refusals) if refusals else "Approve, then sign with your password"
        )
        self.amend_button.setVisible(review.amendable)

    def _status_text(self, review: RequestReview) -> str:
        parts = [review.status.label]
        if review.awaiting:
            parts.append(
                f"waiting {_waited(review)} since "
                f"{format_school_time(review.submitted_at, '%a %d %b %H:%M')}"
            )
            last = review.decisions[-1] if review.decisions else None
            if last is not None and last.voided_at is not None and review.amendments:
                parts.append("back for approval again after an amendment: see Amendments")
            elif review.resubmitted:
                parts.append("resubmitted after an earlier decision: see Earlier decisions")
        elif review.amendable:
            parts.append(
                "the approval is current (what was signed has not changed)"
                if review.approval_current
                else "the approval no longer matches the visit"
            )
        return "; ".join(parts) + "."

    def _decision_buttons(self) -> tuple[QPushButton, ...]:
        return (self.approve_button, self.send_back_button, self.refuse_button)

    # -- deciding ------------------------------------------------------------------------------

    def approve(self) -> SignatureDialog | None:
        """The signature step: opens the password dialog (the approval happens there)."""
        review = self.review
        if review is None or not review.awaiting:
            return None
        conditions = self.conditions_edit.toPlainText().strip() or None
        what = (
            f"visit {review.visit_id} for {review.pupil} on "
            f"{format_school_time(review.planned_start, '%a %d %b %Y %H:%M')}"
        )
        dialog = SignatureDialog(self._service, self._user, review.visit_id, what, conditions, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._signed)
        dialog.finished.connect(self._signature_closed)
        self.signature = dialog
        dialog.open()
        return dialog

    def _signature_closed(self, _result: int) -> None:
        self.signature = None

    def _signed(self) -> None:
        self.decided.emit(f"Visit {self.visit_id} approved and signed.")
        self.accept()

    def send_back(self) -> None:
        self._decide(
            self._service.send_back,
            "Say what the requester should change before sending it back.",
            f"Visit {self.visit_id} sent back for changes.",
        )

    def refuse(self) -> None:
        self._decide(
            self._service.refuse,
            "Say why the visit is refused before refusing it.",
            f"Visit {self.visit_id} refused.",
        )

    def _decide(
        self, act: Callable[[int, SignedInUser, str], int], missing: str, done: str
    ) -> None:
        text = self.comment_edit.toPlainText().strip()
        if not text:
            self._show_error(missing)
            self.comment_edit.setFocus()
            return
        try:
            act(self.visit_id, self._user, text)
        except HvdeskError as exc:
            self._show_error(str(exc))
            self.load()
            return
        self.decided.emit(done)
        self.accept()

    def amend(self) -> AmendDialog | None:
        review = self.review
        if review is None or not review.amendable:
            return None
        dialog = AmendDialog(self._service, self._user, review, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.amended.connect(self._amended)
        dialog.finished.connect(self._amend_closed)
        self.amend_dialog = dialog
        dialog.open()
        return dialog

    def _amend_closed(self, _result: int) -> None:
        self.amend_dialog = None

    def _amended(self, message: str) -> None:
        self.load()
        self.decided.emit(message)

    def _show_error(self, message: str) -> None:
        self.error_label.show_message(message)

    def _clear_error(self) -> None:
        if not self.error_label.isHidden():
            self.error_label.hide()
