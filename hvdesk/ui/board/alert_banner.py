"""The alert banner: a card per prompt across the top of the board, never a modal dialog.

Several colleagues can be overdue at once, so every prompt gets its own card and the board
stays usable underneath. A card says what the policy says to do now, shows the numbers to call
(signed in only), who has claimed it, and has one-click buttons that record the outcome. Inputs
a button needs (a supervisor's name, a police reference, a resolution, minutes to extend) open
inline in the card; errors from the services show inline in the card too.

Cards never act themselves: each button emits a `CardRequest`, which the board page carries
out through the visit log (so the permission and sign-in checks live in one place).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from html import escape

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import format_school_time
from hvdesk.domain.escalation import DeadlineKind, EscalationStage, VisitState
from hvdesk.domain.visits import EscalationAction
from hvdesk.ui.board.alerts import Alert, AlertKey, AlertKind
from hvdesk.ui.board.board_model import BoardRow, board_countdown, look
from hvdesk.ui.board.flow_layout import FlowLayout, flow_policy
from hvdesk.ui.icons import icon

POLICE_NUMBER = "999"
DEFAULT_EXTEND_MINUTES = 20


class CardCommand(StrEnum):
    """What a card's button asks the board to do."""

    CLAIM = "claim"
    NO_ANSWER = "called_no_answer"
    SAFE_EXTEND = "called_safe_extend"
    SUPERVISOR_INFORMED = "supervisor_informed"
    CONTACT_REACHED = "emergency_contact_reached"
    CONTACT_NO_ANSWER = "emergency_contact_no_answer"
    POLICE_INFORMED = "police_informed"
    RESOLVE = "resolve"
    SIGN_OUT = "sign_out"
    CANCEL = "cancel"
    HEADTEACHER_TOLD = "headteacher_told"
    RETURNED = "returned"
    POLICE_SHEET = "police_sheet"
    SHOW = "show"


BUTTON_TEXT: dict[CardCommand, str] = {
    CardCommand.NO_ANSWER: "Called: no answer",
    CardCommand.SAFE_EXTEND: "Called: safe — extend…",
    CardCommand.SUPERVISOR_INFORMED: "Supervisor informed…",
    CardCommand.CONTACT_REACHED: "Emergency contact reached",
    CardCommand.CONTACT_NO_ANSWER: "Emergency contact: no answer",
    CardCommand.POLICE_INFORMED: "Police informed…",
    CardCommand.POLICE_SHEET: "Police sheet",
    CardCommand.RESOLVE: "Resolve…",
    CardCommand.SIGN_OUT: "Sign out now",
    CardCommand.CANCEL: "Cancel visit…",
    CardCommand.HEADTEACHER_TOLD: "Headteacher told",
    CardCommand.RETURNED: "Back at base: record return",
}

_OUTSTANDING: dict[CardCommand, EscalationAction] = {
    CardCommand.NO_ANSWER: EscalationAction.CALLED_STAFF,
    CardCommand.SAFE_EXTEND: EscalationAction.CALLED_STAFF,
    CardCommand.SUPERVISOR_INFORMED: EscalationAction.INFORMED_SUPERVISOR,
    CardCommand.CONTACT_REACHED: EscalationAction.CALLED_EMERGENCY_CONTACT,
    CardCommand.CONTACT_NO_ANSWER: EscalationAction.CALLED_EMERGENCY_CONTACT,
    CardCommand.POLICE_INFORMED: EscalationAction.INFORMED_POLICE,
}


_ALWAYS_SHOWN = frozenset(
    {
        CardCommand.SAFE_EXTEND,
        CardCommand.RESOLVE,
        CardCommand.POLICE_SHEET,
        CardCommand.SIGN_OUT,
        CardCommand.CANCEL,
        CardCommand.HEADTEACHER_TOLD,
        CardCommand.RETURNED,
    }
)
"""Outcomes that stay one click at every stage (reaching the staff safe is always possible)."""


@dataclass(frozen=True)
class CardRequest:
    """A button pressed on a card (with what was typed inline, if anything)."""

    visit_id: int
    command: CardCommand
    text: str | None = None
    minutes: int | None = None
    kind: AlertKind | None = None
    """Which card asked (None: from elsewhere, such as the table's context menu)."""


@dataclass(frozen=True)
class _Ask:
    """An inline question: what to type before the outcome is recorded."""

    prompt: str
    placeholder: str
    record: str
    numeric: bool = False


_ASKS: dict[CardCommand, _Ask] = {
    CardCommand.SAFE_EXTEND: _Ask(
        "Extend the time by (minutes):", "", "Record: safe, extended", numeric=True
    ),
    CardCommand.SUPERVISOR_INFORMED: _Ask(
        "Name of the supervisor or senior informed:", "Name", "Record: supervisor informed"
    ),
    CardCommand.POLICE_INFORMED: _Ask(
        "Police reference (incident or CAD number):", "Reference", "Record: police informed"
    ),
    CardCommand.RESOLVE: _Ask(
        "How was it resolved?",
        "e.g. Staff safe, spoke to them at 15:42",
        "Record the resolution",
    ),
}


def _buttons_for(alert: Alert) -> list[CardCommand]:
    """The one-click outcomes a prompt offers, in ladder order."""
    if alert.kind is AlertKind.NOT_SIGNED_OUT:
        return [CardCommand.SIGN_OUT, CardCommand.CANCEL]
    if alert.kind is AlertKind.HEADTEACHER:
        return [CardCommand.HEADTEACHER_TOLD]
    if alert.kind is AlertKind.RETURN:
        return [CardCommand.RETURNED]
    if alert.kind is not AlertKind.ESCALATION or alert.row is None:
        return []
    stage = alert.row.state.stage
    if stage is EscalationStage.EMERGENCY:
        return [
            CardCommand.POLICE_INFORMED,
            CardCommand.POLICE_SHEET,
            CardCommand.SUPERVISOR_INFORMED,
            CardCommand.RESOLVE,
        ]
    commands: list[CardCommand] = []
    if stage.number >= 1:
        commands += [CardCommand.NO_ANSWER, CardCommand.SAFE_EXTEND]
    if stage.number >= 2:
        commands.append(CardCommand.SUPERVISOR_INFORMED)
    if stage.number >= 3:
        commands += [CardCommand.CONTACT_REACHED, CardCommand.CONTACT_NO_ANSWER]
    if stage.number >= 4:
        commands += [CardCommand.POLICE_INFORMED, CardCommand.POLICE_SHEET]
    commands.append(CardCommand.RESOLVE)
    return commands


def _deadline_words(kind: DeadlineKind | None) -> str:
    return kind.label if kind is not None else "Call"


def _time_line(state: VisitState, now: datetime) -> str:
    """The card's clock: how late (or how long ago contact came back)."""
    escalated = state.stage.is_escalated and state.stage is not EscalationStage.EMERGENCY
    if escalated and state.deadline is not None:
        late = board_countdown(now - state.deadline)
        return f"{_deadline_words(state.deadline_kind)} overdue by {late}"
    if state.stage is EscalationStage.EMERGENCY and state.escalation_began_at is not None:
        return f"Since {format_school_time(state.escalation_began_at, '%H:%M')}"
    if state.contact_restored_at is not None:
        return f"Contact restored at {format_school_time(state.contact_restored_at, '%H:%M')}"
    if state.deadline is not None and state.deadline <= now:
        return f"{_deadline_words(state.deadline_kind)} overdue by " + board_countdown(
            now - state.deadline
        )
    return ""


def _numbers(row: BoardRow, stage: EscalationStage) -> list[tuple[str, str, str]]:
    """The numbers to call at this stage as (who, name, number), most immediate first."""
    missing = "no number recorded"
    visitors = row.entry.visitors
    lines = [("Call", v.name, v.work_mobile or missing) for v in visitors]
    if stage.number >= 2 or stage is EscalationStage.EMERGENCY:
        supervisors: list[tuple[str, str, str]] = []
        for v in visitors:
            if v.supervisor_name is None:
                continue
            line = ("Supervisor", v.supervisor_name, v.supervisor_phone or missing)
            if line not in supervisors:
                supervisors.append(line)
        lines += supervisors or [("Supervisor", "none recorded: tell the DSL", "")]
    if stage.number >= 3 and stage is not EscalationStage.EMERGENCY:
        for v in visitors:
            if v.emergency_contact_name is None:
                lines.append(("Emergency contact", f"none recorded for {v.name}", ""))
                continue
            whose = v.name.split()[0] if len(visitors) > 1 else ""
            relation = v.emergency_contact_relationship or ""
            if relation and whose:
                relation = f" ({relation.lower()} of {whose})"
            elif relation:
                relation = f" ({relation.lower()})"
            elif whose:
                relation = f" (for {whose})"
            lines.append(
                (
                    "Emergency contact",
                    f"{v.emergency_contact_name}{relation}",
                    v.emergency_contact_phone or missing,
                )
            )
    if stage.number >= 4:
        lines.append(("Police", "emergency call", POLICE_NUMBER))
    return lines


def numbers_html(lines: list[tuple[str, str, str]]) -> str:
    """The numbers as a compact table: who, name, and the number in bold."""
    rows = "".join(
        f"<tr><td>{escape(who)}</td><td>{escape(name)}</td>"
        f'<td style="white-space:nowrap"><b>{escape(number)}</b></td></tr>'
        for who, name, number in lines
    )
    return f'<table cellspacing="0" cellpadding="1" style="margin:0">{rows}</table>'


def numbers_text(lines: list[tuple[str, str, str]]) -> str:
    """The same, as plain text (for the accessible description and for tests)."""
    return "\n".join(f"{who}: {name} {number}".rstrip() for who, name, number in lines)


def _signature(alert: Alert, private: bool, names: dict[int, str] | None) -> object:
    """Everything a card shows apart from its clock."""
    row = alert.row
    if row is None:
        return (
            alert.kind,
            alert.level,
            alert.visit_ids,
            private,
            tuple(sorted((names or {}).items())),
        )
    state = row.state
    return (
        alert.kind,
        alert.level,
        alert.acknowledged,
        private,
        row.entry,
        state.stage,
        state.phase,
        state.awaiting_resolution,
        state.outstanding,
        state.deadline,
        state.contact_restored_at,
    )


class AlertCard(QFrame):
    """One prompt: what happened, what to do now, whom to call, and the outcome buttons."""

    requested = Signal(object)  # CardRequest

    def __init__(self, alert: Alert, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.alert = alert
        self.private = True
        self.setObjectName("alertCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self._asking: CardCommand | None = None

        self.icon_label = QLabel()
        self.icon_label.setFixedSize(QSize(28, 28))
        self.title_label = QLabel()
        self.title_label.setObjectName("alertTitle")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setWordWrap(True)
        self.who_label = QLabel()
        self.who_label.setObjectName("alertWho")
        self.who_label.setTextFormat(Qt.TextFormat.PlainText)
        self.who_label.setWordWrap(True)
        self.time_label = QLabel()
        self.time_label.setObjectName("alertTime")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.claim_label = QLabel()
        self.claim_label.setObjectName("alertClaim")
        self.claim_label.setTextFormat(Qt.TextFormat.PlainText)
        self.claim_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title_label)
        titles.addWidget(self.who_label)
        corner = QVBoxLayout()
        corner.setSpacing(2)
        corner.addWidget(self.time_label, 0, Qt.AlignmentFlag.AlignRight)
        corner.addWidget(self.claim_label, 0, Qt.AlignmentFlag.AlignRight)
        header = QHBoxLayout()
        header.setSpacing(10)
        header.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        header.addLayout(titles, 1)
        header.addLayout(corner)

        self.instruction_label = QLabel()
        self.instruction_label.setObjectName("alertInstruction")
        self.instruction_label.setWordWrap(True)
        self.instruction_label.setTextFormat(Qt.TextFormat.PlainText)
        self.numbers_label = QLabel()
        self.numbers_label.setObjectName("alertNumbers")
        self.numbers_label.setWordWrap(True)
        self.numbers_label.setTextFormat(Qt.TextFormat.RichText)
        self.numbers = ""
        self.numbers_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.end_of_day_box = QWidget()
        self.end_of_day_layout = QVBoxLayout(self.end_of_day_box)
        self.end_of_day_layout.setContentsMargins(0, 0, 0, 0)
        self.end_of_day_layout.setSpacing(2)
        self.end_of_day_box.hide()
        self._end_of_day_rows: dict[int, tuple[QLabel, QPushButton]] = {}
        body = QHBoxLayout()
        body.setSpacing(16)
        body.addWidget(self.instruction_label, 1)
        body.addWidget(self.numbers_label, 1)
        body.addWidget(self.end_of_day_box, 1)

        self.claim_button = QPushButton("Claim: I am dealing with this")
        self.claim_button.setObjectName("claimButton")
        self.claim_button.clicked.connect(lambda: self._emit(CardCommand.CLAIM))
        self.buttons: dict[CardCommand, QPushButton] = {}
        button_box = QWidget()
        button_box.setSizePolicy(flow_policy())
        self.button_flow = FlowLayout(button_box, spacing=6)
        self.button_flow.addWidget(self.claim_button)
        for command, text in BUTTON_TEXT.items():
            button = QPushButton(text)
            button.setObjectName("alertAction")
            button.setProperty("command", command.value)
            button.clicked.connect(lambda _=False, c=command: self._pressed(c))
            button.hide()
            self.button_flow.addWidget(button)
            self.buttons[command] = button
        self.more_menu = QMenu(self)
        self.more_actions: dict[CardCommand, QAction] = {}
        for command in BUTTON_TEXT:
            action = self.more_menu.addAction(BUTTON_TEXT[command])
            action.triggered.connect(lambda _=False, c=command: self._pressed(c))
            self.more_actions[command] = action
        self.more_button = QPushButton("More outcomes ▾")
        self.more_button.setObjectName("alertMore")
        self.more_button.setAccessibleName("More outcomes to record")
        self.more_button.setMenu(self.more_menu)
        self.button_flow.addWidget(self.more_button)

        self.input_box = QWidget()
        self.input_box.setObjectName("alertInput")
        self.input_label = QLabel()
        self.input_text = QLineEdit()
        self.input_minutes = QSpinBox()
        self.input_minutes.setRange(1, 480)
        self.input_minutes.setValue(DEFAULT_EXTEND_MINUTES)
        self.input_minutes.setSuffix(" min")
        self.input_note = QLineEdit()
        self.input_note.setPlaceholderText("Note (optional)")
        self.input_note.setAccessibleName("Note for the extension")
        self.input_record = QPushButton()
        self.input_record.setObjectName("alertRecord")
        self.input_record.setAutoDefault(True)
        self.input_cancel = QPushButton("Back")
        self.input_cancel.setAccessibleName("Close this question without recording")
        input_row = QHBoxLayout(self.input_box)
        input_row.setContentsMargins(0, 0, 0, 0)
        input_row.setSpacing(6)
        input_row.addWidget(self.input_label)
        input_row.addWidget(self.input_text, 1)
        input_row.addWidget(self.input_minutes)
        input_row.addWidget(self.input_note, 1)
        input_row.addWidget(self.input_record)
        input_row.addWidget(self.input_cancel)
        self.input_box.hide()
        self.input_text.returnPressed.connect(self._record_input)
        self.input_note.returnPressed.connect(self._record_input)
        self.input_record.clicked.connect(self._record_input)
        self.input_cancel.clicked.connect(self.close_input)

        self.error_label = QLabel()
        self.error_label.setObjectName("inlineError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(5)
        layout.addLayout(header)
        layout.addLayout(body)
        layout.addWidget(button_box)
        layout.addWidget(self.input_box)
        layout.addWidget(self.error_label)
        self._level = ""
        self._signature: object = None

    # -- updating ------------------------------------------------------------------------------

    @property
    def visit_id(self) -> int:
        return self.alert.visit_id

    def update_alert(
        self, alert: Alert, *, private: bool, now: datetime, names: dict[int, str] | None = None
    ) -> None:
        """Show the alert as it stands now; what is being typed inline is kept. Nothing is
        redone when nothing it shows has changed (the countdown moves in `tick`)."""
        signature = _signature(alert, private, names)
        self.alert = alert
        if signature == self._signature:
            self.tick(now)
            return
        self._signature = signature
        self.private = private
        row = alert.row
        level = "drill" if row is not None and row.entry.is_drill else alert.level
        if row is None:
            style_level = alert.kind.value
        elif alert.kind in (AlertKind.HEADTEACHER, AlertKind.RETURN):
            style_level = alert.level
        else:
            style_level = look(row.entry, row.state).level
        if style_level != self._level:
            self._level = style_level
            self.setProperty("level", style_level)
            self.setProperty("drill", level == "drill")
            self.style().unpolish(self)
            self.style().polish(self)
        if alert.kind is AlertKind.END_OF_DAY:
            self._update_end_of_day(alert, names or {})
        elif row is not None:
            self._update_visit(alert, row, now)
        self._update_buttons(alert)
        self.setAccessibleName(self.title_label.text())

    def _update_visit(self, alert: Alert, row: BoardRow, now: datetime) -> None:
        entry, state = row.entry, row.state
        seen = look(entry, state)
        if alert.kind is AlertKind.HEADTEACHER:
            title, icon_name = "Cancelled for safety: tell the headteacher", "headteacher"
        elif alert.kind is AlertKind.RETURN:
            title, icon_name = "Cancelled after setting out: confirm back at base", "not-signed-out"
        else:
            title, icon_name = seen.text, seen.icon_name
        if entry.is_drill:
            title = f"DRILL: {title}"
        self._set_text(self.title_label, title)
        self.icon_label.setPixmap(icon(icon_name).pixmap(QSize(28, 28)))
        self.icon_label.setAccessibleName(title)
        who = row.names
        if not self.private:
            who = f"{who} · {entry.area}"
        self._set_text(self.who_label, who)
        self._set_text(self.instruction_label, row.instruction())
        if self.private:
            self.numbers = "Sign in to see the numbers to call."
            self._set_text(self.numbers_label, "")
            self._set_text(self.instruction_label, f"{row.instruction()} ({self.numbers})")
        else:
            stage = state.stage if alert.kind is AlertKind.ESCALATION else EscalationStage.NONE
            lines = _numbers(row, stage)
            self.numbers = numbers_text(lines)
            self._set_text(self.numbers_label, numbers_html(lines))
            self.numbers_label.setAccessibleDescription(self.numbers)
        self.end_of_day_box.hide()
        self.tick(now)
        self._update_claim(alert, row)

    def _update_claim(self, alert: Alert, row: BoardRow) -> None:
        if not alert.kind.claimable:
            self.claim_button.hide()
            self._set_claim("Stays until recorded", unclaimed=False)
            return
        entry = row.entry
        who, when = entry.claimed_by, entry.claimed_at
        when_text = format_school_time(when, "%H:%M") if when is not None else ""
        if alert.acknowledged:
            self.claim_button.hide()
            self._set_claim(f"Claimed by {who} at {when_text}", unclaimed=False)
            return
        self.claim_button.show()
        if who is not None:
            self.claim_button.setText("Claim again: I am still on it")
            self._set_claim(f"Claimed by {who} at {when_text}: new stage", unclaimed=True)
        else:
            self.claim_button.setText("Claim: I am dealing with this")
            self._set_claim("NOT CLAIMED: sound repeats", unclaimed=True)
        self.claim_button.setToolTip(
            "Claiming says you are dealing with it; the alert sound repeats every ten seconds "
            "until someone signed in claims it."
        )

    def _set_claim(self, text: str, *, unclaimed: bool) -> None:
        self._set_text(self.claim_label, text)
        if bool(self.claim_label.property("unclaimed")) != unclaimed:
            self.claim_label.setProperty("unclaimed", unclaimed)
            self.claim_label.style().unpolish(self.claim_label)
            self.claim_label.style().polish(self.claim_label)

    def _update_end_of_day(self, alert: Alert, names: dict[int, str]) -> None:
        self._set_text(self.title_label, "End of day: still out or not confirmed home safe")
        self.icon_label.setPixmap(icon("end-of-day").pixmap(QSize(28, 28)))
        self._set_text(self.time_label, "")
        self._set_text(self.who_label, "")
        self._set_text(
            self.instruction_label,
            "The end-of-day check time has passed. Confirm that each colleague listed is back "
            "at base or home safe (or cancel the visit that did not go ahead). This prompt "
            "stays until every one is recorded.",
        )
        self.numbers_label.hide()
        self.claim_button.hide()
        self._set_claim("Stays until each is recorded", unclaimed=False)
        wanted = list(alert.visit_ids)
        for visit_id in list(self._end_of_day_rows):
            if visit_id not in wanted:
                label, _button = self._end_of_day_rows.pop(visit_id)
                line = label.parentWidget()
                if line is not None:
                    line.deleteLater()
        for visit_id in wanted:
            if visit_id not in self._end_of_day_rows:
                line = QWidget()
                row_layout = QHBoxLayout(line)
                row_layout.setContentsMargins(0, 0, 0, 0)
                label = QLabel()
                label.setTextFormat(Qt.TextFormat.PlainText)
                button = QPushButton("Show on the board")
                button.clicked.connect(
                    lambda _=False, v=visit_id: self.requested.emit(
                        CardRequest(v, CardCommand.SHOW)
                    )
                )
                row_layout.addWidget(label, 1)
                row_layout.addWidget(button)
                self.end_of_day_layout.addWidget(line)
                self._end_of_day_rows[visit_id] = (label, button)
            label, button = self._end_of_day_rows[visit_id]
            text = names.get(visit_id, f"Visit {visit_id}")
            self._set_text(label, text)
            button.setAccessibleName(f"Show {text} on the board")
        self.end_of_day_box.show()

    def _update_buttons(self, alert: Alert) -> None:
        """What the policy asks for now (and the always-needed ones) as buttons; the other
        outcomes of the stage under "More outcomes"."""
        wanted = _buttons_for(alert)
        outstanding: tuple[EscalationAction, ...] = ()
        if alert.row is not None:
            outstanding = alert.row.state.outstanding
        awaiting_only = (
            alert.row is not None
            and alert.kind is AlertKind.ESCALATION
            and not alert.row.state.stage.is_escalated
        )
        if awaiting_only:
            wanted = [CardCommand.RESOLVE]
        due = {c for c, action in _OUTSTANDING.items() if action in outstanding}
        if awaiting_only:
            due.add(CardCommand.RESOLVE)
        primary = [c for c in wanted if c in _ALWAYS_SHOWN or c in due]
        secondary = [c for c in wanted if c not in primary]
        for command, button in self.buttons.items():
            button.setVisible(command in primary)
            self.more_actions[command].setVisible(command in secondary)
            outstanding_now = command in due
            if bool(button.property("outstanding")) != outstanding_now:
                button.setProperty("outstanding", outstanding_now)
                button.style().unpolish(button)
                button.style().polish(button)
        self.more_button.setVisible(bool(secondary))
        if self._asking is not None and self._asking not in wanted:
            self.close_input()

    def press(self, command: CardCommand) -> None:
        """Press an outcome as the office would (a button, or the More menu's entry)."""
        if self.buttons[command].isVisibleTo(self):
            self.buttons[command].click()
        elif self.more_actions[command].isVisible():
            self.more_actions[command].trigger()
        else:
            raise LookupError(f"{command} is not offered on this card now")

    def tick(self, now: datetime) -> None:
        """Move the card's clock on ("check-in call overdue by 07:12")."""
        row = self.alert.row
        if row is not None and self.alert.kind in (AlertKind.ESCALATION, AlertKind.NOT_SIGNED_OUT):
            self._set_text(self.time_label, _time_line(row.state, now))

    @staticmethod
    def _set_text(label: QLabel, text: str) -> None:
        if label.text() != text:
            label.setText(text)
        label.setVisible(bool(text))

    # -- acting --------------------------------------------------------------------------------

    def _pressed(self, command: CardCommand) -> None:
        ask = _ASKS.get(command)
        if ask is None:
            self._emit(command)
            return
        self._asking = command
        self.input_label.setText(ask.prompt)
        self.input_record.setText(ask.record)
        self.input_record.setAccessibleName(ask.record)
        self.input_text.setVisible(not ask.numeric)
        self.input_minutes.setVisible(ask.numeric)
        self.input_note.setVisible(ask.numeric)
        self.input_text.setPlaceholderText(ask.placeholder)
        self.input_text.setAccessibleName(ask.prompt)
        self.input_minutes.setAccessibleName(ask.prompt)
        self.input_text.clear()
        self.input_note.clear()
        if command is CardCommand.SUPERVISOR_INFORMED and self.alert.row is not None:
            supervisors = [v.supervisor_name for v in self.alert.row.entry.visitors]
            first = next((s for s in supervisors if s), None)
            if first is not None and not self.private:
                self.input_text.setText(first)
                self.input_text.selectAll()
        self.input_label.setBuddy(self.input_minutes if ask.numeric else self.input_text)
        self.input_box.show()
        (self.input_minutes if ask.numeric else self.input_text).setFocus(
            Qt.FocusReason.OtherFocusReason
        )

    def _record_input(self) -> None:
        command = self._asking
        if command is None:
            return
        ask = _ASKS[command]
        if ask.numeric:
            note = self.input_note.text().strip() or None
            self._emit(command, text=note, minutes=self.input_minutes.value())
            return
        text = self.input_text.text().strip()
        if not text:
            self.show_error(f"{ask.prompt} Type it in, then press {ask.record}.")
            self.input_text.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self._emit(command, text=text)

    def _emit(
        self, command: CardCommand, text: str | None = None, minutes: int | None = None
    ) -> None:
        self.clear_error()
        self.requested.emit(
            CardRequest(self.alert.visit_id, command, text, minutes, self.alert.kind)
        )

    def close_input(self) -> None:
        self._asking = None
        self.input_box.hide()

    @property
    def asking(self) -> CardCommand | None:
        return self._asking

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()


class AlertPanel(QFrame):
    """Every card, most urgent first, across the window; hidden when nothing needs action."""

    requested = Signal(object)  # CardRequest, from any card

    COLUMNS = 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertPanel")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("alertSummary")
        self.summary_label.setWordWrap(True)
        self.cards: dict[AlertKey, AlertCard] = {}
        self._order: list[AlertKey] = []

        self.grid_host = QWidget()
        self.grid_host.setObjectName("alertGrid")
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(10)
        for column in range(self.COLUMNS):
            self.grid.setColumnStretch(column, 1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("alertScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.grid_host)
        self.scroll_area.setAccessibleName("Alerts")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.scroll_area, 1)
        self.hide()

    def set_alerts(
        self,
        alerts: list[Alert],
        *,
        private: bool,
        now: datetime,
        names: dict[int, str] | None = None,
    ) -> None:
        order = [a.key for a in alerts]
        for key in list(self.cards):
            if key not in order:
                card = self.cards.pop(key)
                self.grid.removeWidget(card)
                card.hide()
                card.deleteLater()
        for alert in alerts:
            found = self.cards.get(alert.key)
            if found is None:
                found = AlertCard(alert, self.grid_host)
                found.requested.connect(self.requested.emit)
                self.cards[alert.key] = found
            found.update_alert(alert, private=private, now=now, names=names)
        if order != self._order:
            self._order = order
            for position, key in enumerate(order):
                self.grid.addWidget(
                    self.cards[key], position // self.COLUMNS, position % self.COLUMNS
                )
        unclaimed = sum(1 for a in alerts if a.needs_claim)
        self._update_summary(len(alerts), unclaimed)
        self.setVisible(bool(alerts))

    def tick(self, now: datetime) -> None:
        """Move the clocks of the cards on screen (the others catch up when scrolled to)."""
        for card in self.cards.values():
            if not card.visibleRegion().isEmpty():
                card.tick(now)

    def card(self, kind: AlertKind, visit_id: int) -> AlertCard | None:
        return self.cards.get((kind, visit_id))

    def _update_summary(self, total: int, unclaimed: int) -> None:
        if total == 0:
            text = ""
        else:
            prompts = "1 prompt needs action" if total == 1 else f"{total} prompts need action"
            if unclaimed:
                waiting = "1 is not claimed" if unclaimed == 1 else f"{unclaimed} are not claimed"
                text = f"{prompts}; {waiting}: the alert sound repeats until each is claimed."
            else:
                text = f"{prompts}; every alert is claimed."
        self.summary_label.setText(text)
        self.summary_label.setProperty("unclaimed", unclaimed > 0)
        self.summary_label.style().unpolish(self.summary_label)
        self.summary_label.style().polish(self.summary_label)

    def wanted_height(self) -> int:
        """The height that shows every card whole (the page gives at most about half)."""
        return self.summary_label.sizeHint().height() + self.grid_host.sizeHint().height() + 12
