"""Quick actions on the selected row: a bar of buttons, the same actions on a context menu, and
single-key shortcuts while the table has the focus.

A arrived · C call received (optionally extending by N minutes, with a reason) · S safe word
used (confirmed inline first) · L left · R returned · X cancel visit (with its cause) · O sign
out now · P police sheet.

Actions that need something typed or confirmed open a small form inline under the bar, never a
modal dialog: the board and its alerts stay live while it is open. The bar does not record
anything itself; it emits a `QuickRequest` that the board page carries out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from hvdesk.domain.escalation import VisitPhase
from hvdesk.domain.visits import CancellationCause, VisitStatus
from hvdesk.services.board_rows import BoardRow
from hvdesk.ui.flow_layout import FlowLayout, flow_policy

CANCEL_CAUSES: tuple[CancellationCause, ...] = (
    CancellationCause.PARENT_NOT_PRESENT,
    CancellationCause.ANIMAL_NOT_SECURED,
    CancellationCause.FELT_UNSAFE,
    CancellationCause.PARENT_CANCELLED,
    CancellationCause.STAFF_UNAVAILABLE,
    CancellationCause.OTHER,
)


HEADING_WIDTH = 240


class QuickCommand(StrEnum):
    SIGN_OUT = "sign_out"
    ARRIVED = "arrived"
    CALL_RECEIVED = "call_received"
    SAFE_WORD = "safe_word"
    LEFT = "left"
    RETURNED = "returned"
    CANCEL = "cancel"
    POLICE_SHEET = "police_sheet"


@dataclass(frozen=True)
class QuickSpec:
    text: str
    key: str
    needs_form: bool = False


SPECS: dict[QuickCommand, QuickSpec] = {
    QuickCommand.SIGN_OUT: QuickSpec("Sign out", "O"),
    QuickCommand.ARRIVED: QuickSpec("Arrived", "A"),
    QuickCommand.CALL_RECEIVED: QuickSpec("Call received…", "C", needs_form=True),
    QuickCommand.SAFE_WORD: QuickSpec("Safe word…", "S", needs_form=True),
    QuickCommand.LEFT: QuickSpec("Left", "L"),
    QuickCommand.RETURNED: QuickSpec("Returned", "R"),
    QuickCommand.CANCEL: QuickSpec("Cancel…", "X", needs_form=True),
    QuickCommand.POLICE_SHEET: QuickSpec("Police sheet", "P"),
}

LONG_NAMES: dict[QuickCommand, str] = {
    QuickCommand.SIGN_OUT: "Sign out now (the staff have left)",
    QuickCommand.ARRIVED: "Arrived: the staff phoned in on arrival",
    QuickCommand.CALL_RECEIVED: "Call received from the staff (optionally extend the time)",
    QuickCommand.SAFE_WORD: "Safe word used on a call: start the emergency",
    QuickCommand.LEFT: "Left the home: the staff phoned in on leaving",
    QuickCommand.RETURNED: "Returned: back at base or home safe",
    QuickCommand.CANCEL: "Cancel the visit, with its cause",
    QuickCommand.POLICE_SHEET: "Open the police information sheet",
}


@dataclass(frozen=True)
class QuickRequest:
    """An action on one visit, with what was typed in its form."""

    visit_id: int
    command: QuickCommand
    minutes: int | None = None
    text: str | None = None
    cause: CancellationCause | None = None


def available(command: QuickCommand, row: BoardRow) -> bool:
    """Whether the action makes sense for the visit as the board sees it now (the visit log
    checks again when it records)."""
    state, entry = row.state, row.entry
    phase = state.phase
    if command is QuickCommand.SIGN_OUT:
        return entry.status is VisitStatus.AUTHORISED and phase in (
            VisitPhase.AWAITING_DEPARTURE,
            VisitPhase.NOT_SIGNED_OUT,
        )
    if command is QuickCommand.ARRIVED:
        return phase is VisitPhase.TRAVELLING
    if command in (QuickCommand.CALL_RECEIVED, QuickCommand.SAFE_WORD):
        return phase.is_out
    if command is QuickCommand.LEFT:
        return phase in (VisitPhase.TRAVELLING, VisitPhase.ON_VISIT)
    if command is QuickCommand.RETURNED:
        return phase.is_out or entry.awaiting_return
    if command is QuickCommand.CANCEL:
        return not phase.is_finished and entry.status in (VisitStatus.AUTHORISED, VisitStatus.OUT)
    return True  # the police sheet, at any time


class QuickActionBar(QFrame):
    """The bar under the board's table, and the inline forms of its actions."""

    requested = Signal(object)  # QuickRequest

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quickActions")
        self.row: BoardRow | None = None
        self._form_visit: int | None = None

        self.actions_: dict[QuickCommand, QAction] = {}
        self.buttons: dict[QuickCommand, QPushButton] = {}
        self.heading = QLabel("Selected visit:")
        self.heading.setObjectName("quickHeading")
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        bar_host = QWidget()
        bar_host.setSizePolicy(flow_policy())
        bar = FlowLayout(bar_host, spacing=6)
        bar.addWidget(self.heading)
        for command, spec in SPECS.items():
            action = QAction(f"{LONG_NAMES[command]} ({spec.key})", self)
            action.setShortcut(QKeySequence(spec.key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            action.triggered.connect(lambda _=False, c=command: self.trigger(c))
            self.actions_[command] = action
            button = QPushButton(f"{spec.text} ({spec.key})")
            button.setObjectName("quickButton")
            button.setAccessibleName(f"{LONG_NAMES[command]} (shortcut {spec.key})")
            button.setToolTip(f"{LONG_NAMES[command]}: or press {spec.key} on the selected row")
            button.clicked.connect(lambda _=False, c=command: self.trigger(c))
            self.buttons[command] = button
            bar.addWidget(button)

        self.forms = QStackedWidget()
        self.forms.setObjectName("quickForm")
        self.forms.addWidget(QWidget())  # 0: nothing open
        self.forms.addWidget(self._call_form())
        self.forms.addWidget(self._safe_word_form())
        self.forms.addWidget(self._cancel_form())
        self.forms.hide()

        self.message = QLabel()
        self.message.setObjectName("quickMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(bar_host)
        layout.addWidget(self.forms)
        layout.addWidget(self.message)
        self.set_row(None)

    # -- forms ---------------------------------------------------------------------------------

    def _call_form(self) -> QWidget:
        form = QWidget()
        self.call_title = QLabel()
        self.call_minutes = QSpinBox()
        self.call_minutes.setRange(0, 480)
        self.call_minutes.setSpecialValueText("no change")
        self.call_minutes.setSuffix(" min")
        self.call_minutes.setAccessibleName("Extend the time by (minutes)")
        minutes_label = QLabel("&Extend by:")
        minutes_label.setBuddy(self.call_minutes)
        self.call_reason = QLineEdit()
        self.call_reason.setPlaceholderText("Reason, needed to extend (e.g. meeting running over)")
        self.call_reason.setAccessibleName("Reason for extending")
        reason_label = QLabel("Rea&son:")
        reason_label.setBuddy(self.call_reason)
        self.call_record = QPushButton("Record the call")
        self.call_record.setDefault(True)
        back = QPushButton("Back")
        back.setAccessibleName("Close the form without recording")
        self.call_reason.returnPressed.connect(self._record_call)
        self.call_record.clicked.connect(self._record_call)
        back.clicked.connect(self.close_form)
        row = QHBoxLayout(form)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for widget in (self.call_title, minutes_label, self.call_minutes, reason_label):
            row.addWidget(widget)
        row.addWidget(self.call_reason, 1)
        row.addWidget(self.call_record)
        row.addWidget(back)
        return form

    def _safe_word_form(self) -> QWidget:
        form = QWidget()
        self.safe_title = QLabel()
        self.safe_title.setObjectName("safeWordQuestion")
        self.safe_title.setWordWrap(True)
        self.safe_confirm = QPushButton("Yes: the safe word was used")
        self.safe_confirm.setObjectName("dangerButton")
        back = QPushButton("No, go back")
        self.safe_confirm.clicked.connect(self._record_safe_word)
        back.clicked.connect(self.close_form)
        row = QHBoxLayout(form)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(self.safe_title, 1)
        row.addWidget(self.safe_confirm)
        row.addWidget(back)
        return form

    def _cancel_form(self) -> QWidget:
        form = QWidget()
        self.cancel_title = QLabel()
        self.cancel_cause = QComboBox()
        for cause in CANCEL_CAUSES:
            self.cancel_cause.addItem(cause.label, cause.value)
        self.cancel_cause.setAccessibleName("Why the visit is cancelled")
        cause_label = QLabel("C&ause:")
        cause_label.setBuddy(self.cancel_cause)
        self.cancel_note = QLineEdit()
        self.cancel_note.setPlaceholderText("Note (needed for Other)")
        self.cancel_note.setAccessibleName("Note on the cancellation")
        self.cancel_hint = QLabel()
        self.cancel_hint.setObjectName("pageSummary")
        self.cancel_record = QPushButton("Cancel the visit")
        back = QPushButton("Back")
        back.setAccessibleName("Close the form without cancelling")
        self.cancel_cause.currentIndexChanged.connect(self._cause_changed)
        self.cancel_note.returnPressed.connect(self._record_cancel)
        self.cancel_record.clicked.connect(self._record_cancel)
        back.clicked.connect(self.close_form)
        outer = QVBoxLayout(form)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(6)
        for widget in (self.cancel_title, cause_label, self.cancel_cause):
            row.addWidget(widget)
        row.addWidget(self.cancel_note, 1)
        row.addWidget(self.cancel_record)
        row.addWidget(back)
        outer.addLayout(row)
        outer.addWidget(self.cancel_hint)
        self._cause_changed()
        return form

    def _cause_changed(self) -> None:
        cause = CancellationCause(self.cancel_cause.currentData())
        self.cancel_hint.setText(
            "A safety cancellation puts “tell the headteacher” on the board until it is logged."
            if cause.is_safety
            else ""
        )
        self.cancel_hint.setVisible(cause.is_safety)

    # -- state ---------------------------------------------------------------------------------

    def set_row(self, row: BoardRow | None) -> None:
        """The selected row changed (or was refreshed): enable what fits it."""
        self.row = row
        text = "" if row is None else f"{row.names}:"
        self.heading.setVisible(row is not None)
        self.heading.setToolTip(text)
        elided = self.heading.fontMetrics().elidedText(
            text, Qt.TextElideMode.ElideRight, HEADING_WIDTH
        )
        if self.heading.text() != elided:
            self.heading.setText(elided)
            self.heading.adjustSize()
        for command, button in self.buttons.items():
            enabled = row is not None and available(command, row)
            button.setEnabled(enabled)
            self.actions_[command].setEnabled(enabled)
        if self._form_visit is not None and (row is None or row.visit_id != self._form_visit):
            self.close_form()

    def trigger(self, command: QuickCommand) -> None:
        row = self.row
        if row is None:
            self.show_error("Select a visit on the board first.")
            return
        self.clear_message()
        spec = SPECS[command]
        if not spec.needs_form:
            self.requested.emit(QuickRequest(row.visit_id, command))
            return
        self._form_visit = row.visit_id
        self.forms.show()
        if command is QuickCommand.CALL_RECEIVED:
            self.call_title.setText(f"Call received from {row.names}.")
            self.call_minutes.setValue(0)
            self.call_reason.clear()
            self.forms.setCurrentIndex(1)
            self.call_minutes.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif command is QuickCommand.SAFE_WORD:
            self.safe_title.setText(
                f"Did {row.names} use the safe word on the call? This starts the EMERGENCY "
                "procedure at once: call the police (999)."
            )
            self.forms.setCurrentIndex(2)
            self.safe_confirm.setFocus(Qt.FocusReason.ShortcutFocusReason)
        else:
            self.cancel_title.setText(f"Cancel the visit of {row.names}.")
            self.cancel_cause.setCurrentIndex(0)
            self.cancel_note.clear()
            self.forms.setCurrentIndex(3)
            self.cancel_cause.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _record_call(self) -> None:
        if self._form_visit is None:
            return
        minutes = self.call_minutes.value() or None
        reason = self.call_reason.text().strip() or None
        self.requested.emit(
            QuickRequest(self._form_visit, QuickCommand.CALL_RECEIVED, minutes, reason)
        )

    def _record_safe_word(self) -> None:
        if self._form_visit is not None:
            self.requested.emit(QuickRequest(self._form_visit, QuickCommand.SAFE_WORD))

    def _record_cancel(self) -> None:
        if self._form_visit is None:
            return
        cause = CancellationCause(self.cancel_cause.currentData())
        note = self.cancel_note.text().strip() or None
        self.requested.emit(
            QuickRequest(self._form_visit, QuickCommand.CANCEL, text=note, cause=cause)
        )

    def close_form(self) -> None:
        self._form_visit = None
        self.forms.setCurrentIndex(0)
        self.forms.hide()

    @property
    def form_open(self) -> bool:
        return self.forms.isVisible() and self.forms.currentIndex() != 0

    # -- feedback ------------------------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.message.setObjectName("inlineError")
        self._show(text)

    def show_done(self, text: str) -> None:
        self.message.setObjectName("inlineDone")
        self._show(text)

    def _show(self, text: str) -> None:
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        self.message.setText(text)
        self.message.show()

    def clear_message(self) -> None:
        self.message.clear()
        self.message.hide()
