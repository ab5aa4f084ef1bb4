"""The visit request dialog: a request made in minutes and impossible to get wrong.

The fields are a `RequestForm`; this dialog checks and saves them. Every edit asks the service
what submitting would find now (`VisitRequests.problems_for`), so the list beside the form is
always current, and the fields at fault are outlined and say why to a screen reader. Times are
typed in UK time (Europe/London) and stored as UTC. Submitting saves first and is refused with
the full list while anything blocks it. A request sent back by the authoriser reopens with the
authoriser's comment at the top.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import Clock
from hvdesk.domain.policy import SchoolPolicy
from hvdesk.domain.visit_request import Problem
from hvdesk.errors import HvdeskError
from hvdesk.services.identity import SignedInUser
from hvdesk.services.lookups import Lookups
from hvdesk.services.visit_requests import RequestNotReady, VisitRequests
from hvdesk.ui.formatting import show_date_time, show_time
from hvdesk.ui.visit_request.problem_list import ProblemList
from hvdesk.ui.visit_request.request_form import RequestForm

log = logging.getLogger(__name__)

# Outlines the fields a problem names; the words beside the form say what is wrong.
_STYLE = """
*[problem="blocker"] { border: 2px solid #b3261e; border-radius: 3px; }
*[problem="warning"] { border: 2px solid #8a6d00; border-radius: 3px; }
QLabel#sentBackNote {
    background: #fff8dc; color: #3d2e00; border: 1px solid #8a6d00;
    border-radius: 4px; padding: 8px 10px;
}
QLabel#formHint { color: #4a4a4a; }
"""


class VisitRequestDialog(QDialog):
    """A new request (no `visit_id`) or a draft / sent-back request reopened for editing."""

    saved = Signal(int)
    """The request was saved (as a draft, or before submitting); carries the visit id."""
    submitted = Signal(int)
    """The request went to the authorisers; the dialog then closes."""
    risk_assessment_requested = Signal(int)
    """The user asked for the risk assessment (the draft is saved first); carries the visit id."""

    def __init__(
        self,
        requests: VisitRequests,
        lookups: Lookups,
        clock: Clock,
        user: SignedInUser,
        visit_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("visitRequestDialog")
        self.setStyleSheet(_STYLE)
        self.requests = requests
        self.lookups = lookups
        self.clock = clock
        self.user = user
        self.visit_id = visit_id
        self.policy: SchoolPolicy = lookups.policy()
        self._loading = True
        self._marked: dict[QWidget, str] = {}
        self.unsaved = False

        self.sent_back_label = QLabel()
        self.sent_back_label.setObjectName("sentBackNote")
        self.sent_back_label.setWordWrap(True)
        self.sent_back_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sent_back_label.hide()

        self.form = RequestForm(lookups, clock, self.policy, visit_id)
        self.form_scroll = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.form)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problem_list = ProblemList()
        self.problem_list.setMinimumWidth(320)
        self.problem_list.setMaximumWidth(380)
        self.problem_list.field_chosen.connect(self.focus_field)
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(scroll, 1)
        body.addWidget(self.problem_list)

        self.error_label = QLabel()
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.error_label.setTextFormat(Qt.TextFormat.PlainText)
        self.error_label.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("pageSummary")
        # A long status line never moves the buttons under the pointer (issue 13).
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.risk_button = QPushButton("&Risk assessment…")
        self.risk_button.setToolTip("Save the draft and open its risk assessment")
        self.save_button = QPushButton("&Save draft")
        self.submit_button = QPushButton("Su&bmit for authorisation")
        self.close_button = QPushButton("Close")
        # No default button: Enter chooses in the search boxes and must never submit (or
        # save) a half-filled request; submitting is a deliberate click or Alt+B.
        for button in (self.risk_button, self.save_button, self.submit_button, self.close_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.risk_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.sent_back_label)
        layout.addLayout(body, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

        self.risk_button.clicked.connect(self.ask_for_risk_assessment)
        self.save_button.clicked.connect(self.save_draft)
        self.submit_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.close_asked)
        self._field_widgets: dict[str, QWidget] = {
            **self.form.field_widgets,
            "risk": self.risk_button,
        }
        self.form.changed.connect(self._edited)
        self._load()
        # Issue 13: never bigger than the screen it opens on (1366x768 at 150% is 910x512).
        room = self.screen().availableGeometry() if self.screen() is not None else None
        width, height = 1120, 780
        if room is not None:
            width, height = min(width, room.width() - 40), min(height, room.height() - 40)
        self.resize(width, height)
        self.form.home.search.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- building ------------------------------------------------------------------------------

    # -- loading -------------------------------------------------------------------------------

    def _load(self) -> None:
        if self.visit_id is None:
            self.setWindowTitle("New visit request")
            self.form.start_new()
        else:
            self.setWindowTitle(f"Visit request {self.visit_id}")
            self.form.show_draft(self.requests.draft(self.visit_id))
            note = self.requests.sent_back(self.visit_id)
            if note is not None:
                self.sent_back_label.setText(
                    f"Sent back for changes by {note.by_name} on {show_date_time(note.at)}:\n"
                    f"{note.comment}"
                )
                self.sent_back_label.show()
        self._loading = False
        self.recheck()

    # -- reading the form ----------------------------------------------------------------------

    # -- keeping it current --------------------------------------------------------------------

    def _edited(self) -> None:
        self.unsaved = True
        self.status_label.setText("Not saved yet.")
        self.recheck()

    def recheck(self) -> None:
        """Show or hide the fields that depend on others, and list the problems afresh."""
        if self._loading:
            return
        self.form.update_visibility()
        try:
            problems = self.requests.problems_for(self.form.draft(), self.visit_id)
        except HvdeskError as exc:
            self.show_error(exc)
            return
        self.problem_list.set_problems(problems)
        self._mark_fields(problems)

    def _mark_fields(self, problems: list[Problem]) -> None:
        wanted: dict[QWidget, tuple[str, list[str]]] = {}
        for problem in problems:
            widget = self._field_widgets.get(problem.field)
            if widget is None:
                continue
            level, messages = wanted.get(widget, ("warning", []))
            wanted[widget] = ("blocker" if problem.blocks else level, [*messages, problem.message])
        for widget in set(self._marked) | set(wanted):
            level, messages = wanted.get(widget, ("", []))
            if self._marked.get(widget, "") != level:
                widget.setProperty("problem", level)
                widget.style().unpolish(widget)
                widget.style().polish(widget)
            widget.setAccessibleDescription(" ".join(messages))
            if level:
                self._marked[widget] = level
            else:
                self._marked.pop(widget, None)

    def marked_fields(self) -> dict[str, str]:
        """Field name to "blocker" or "warning", for the fields outlined now."""
        return {
            name: self._marked[widget]
            for name, widget in self._field_widgets.items()
            if widget in self._marked
        }

    # -- the buttons ---------------------------------------------------------------------------

    def save_draft(self) -> bool:
        """Save what is typed as a draft; False (with the reason shown) if it was refused."""
        try:
            self.visit_id = self.requests.save_draft(self.form.draft(), self.user, self.visit_id)
            self.form.visit_id = self.visit_id
        except HvdeskError as exc:
            self.show_error(exc)
            return False
        self.clear_error()
        self.unsaved = False
        self.setWindowTitle(f"Visit request {self.visit_id}")
        self.status_label.setText(f"Draft {self.visit_id} saved at {show_time(self.clock.now())}.")
        log.info("Visit request %s saved from the form", self.visit_id)
        self.saved.emit(self.visit_id)
        self.recheck()
        return True

    def submit(self) -> None:
        """Save, then send to the authorisers; refused with the full list while anything
        blocks it."""
        if not self.save_draft() or self.visit_id is None:
            return
        try:
            self.requests.submit(self.visit_id, self.user)
        except RequestNotReady as exc:
            self.problem_list.set_problems(exc.problems)
            self.error_label.setText(
                "Not submitted. Put these right first:\n"
                + "\n".join(f"• {p.message}" for p in exc.problems)
            )
            self.error_label.show()
            self.focus_field(exc.problems[0].field)
            return
        except HvdeskError as exc:
            self.show_error(exc)
            return
        self.submitted.emit(self.visit_id)
        self.accept()

    def close_asked(self) -> None:
        """Close (the button or Escape): ask first when typing would be lost. Signing out and
        the idle lock call `reject` directly and close without asking, so nothing private
        stays on screen."""
        if self.unsaved:
            answer = QMessageBox.question(
                self,
                "hvdesk: close the request?",
                "This request has changes that are not saved. Close it and lose them?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        self.reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            self.close_asked()
            return
        super().keyPressEvent(event)

    def focus_field(self, field: str) -> None:
        """Put the cursor in the field a problem names."""
        if field == "risk":
            self.risk_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.form.focus_field(field)
        widget = self.form.field_widgets.get(field)
        if widget is not None:
            self.form_scroll.ensureWidgetVisible(widget)

    def ask_for_risk_assessment(self) -> None:
        if self.save_draft() and self.visit_id is not None:
            self.risk_assessment_requested.emit(self.visit_id)

    def show_error(self, error: HvdeskError) -> None:
        self.error_label.setText(str(error))
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
