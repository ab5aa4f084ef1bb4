"""The alert banner: a card per prompt across the top of the board, never a modal dialog.

Several colleagues can be overdue at once, so every prompt gets its own card and the board
stays usable underneath. A card says what the policy says to do now, shows the numbers to call
(signed in only), who has claimed it, and has one-click buttons that record the outcome. Inputs
a button needs (a supervisor's name, a police reference, a resolution, minutes to extend) open
inline in the card; errors from the services show inline in the card too.

The banner scales with the number of prompts (`AlertPanel`): the most urgent unclaimed ones
(up to two, as the height allows) show whole, every other prompt as a one-line row that opens
in place, a claimed prompt folds to its row, and whatever is scrolled out of view is counted
("+4 more alerts"). Which prompts sound, and what a claim covers, is not the banner's business.

Cards never act themselves: each button emits a `CardRequest`, which the board page carries
out through the visit log (so the permission and sign-in checks live in one place).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from html import escape

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
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
from hvdesk.ui.board.board_model import SHORT_STAGE_WORDS, BoardRow, board_countdown, look
from hvdesk.ui.flow_layout import FlowLayout, flow_policy
from hvdesk.ui.icons import icon
from hvdesk.ui.restyle import set_style_properties

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
        f'<tr><td style="padding-right:8px">{escape(who)}</td>'
        f'<td style="padding-right:8px">{escape(name)}</td>'
        f'<td style="white-space:nowrap"><b>{escape(number)}</b></td></tr>'
        for who, name, number in lines
    )
    return f'<table cellspacing="0" cellpadding="0" style="margin:0">{rows}</table>'


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


class ElidedLabel(QLabel):
    """One line that ends in "…" when the space is short (its text stays whole, so screen
    readers and tests read all of it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter = QPainter(self)
        self.style().drawItemText(
            painter, rect, int(self.alignment()), self.palette(), True, text, self.foregroundRole()
        )


_KIND_HEADINGS: dict[AlertKind, tuple[str, str]] = {
    AlertKind.HEADTEACHER: ("Cancelled for safety: tell the headteacher", "headteacher"),
    AlertKind.RETURN: ("Cancelled after setting out: confirm back at base", "not-signed-out"),
}


def alert_heading(alert: Alert, row: BoardRow) -> tuple[str, str]:
    """What a visit's prompt is about, and its icon: the card's heading (without the DRILL
    mark) and the words the window is brought forward with."""
    heading = _KIND_HEADINGS.get(alert.kind)
    if heading is not None:
        return heading
    seen = look(row.entry, row.state)
    return seen.text, seen.icon_name


def _compact_words(alert: Alert) -> str:
    """The stage words of a compact row: the table's short words for an escalation."""
    row = alert.row
    if row is None:
        return "End of day: still out"
    if alert.kind is AlertKind.HEADTEACHER:
        text = "Cancelled for safety: tell the headteacher"
    elif alert.kind is AlertKind.RETURN:
        text = "Cancelled after setting out: confirm return"
    else:
        text = SHORT_STAGE_WORDS.get(row.state.stage) or look(row.entry, row.state).text
    return f"DRILL: {text}" if row.entry.is_drill else text


class AlertCard(QFrame):
    """One prompt: what happened, what to do now, whom to call, and the outcome buttons.

    Folded (`compact`), the card is one line: icon, stage words, staff, how late, who claimed
    it (or NOT CLAIMED), and an Expand button; the panel decides which cards are folded."""

    requested = Signal(object)  # CardRequest
    expand_requested = Signal(bool)  # True: show the whole card; False: fold it to one line

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
        self.who_label = QLabel()
        self.who_label.setObjectName("alertWho")
        self.who_label.setTextFormat(Qt.TextFormat.PlainText)
        self.time_label = QLabel()
        self.time_label.setObjectName("alertTime")
        self.time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.claim_label = QLabel()
        self.claim_label.setObjectName("alertClaim")
        self.claim_label.setTextFormat(Qt.TextFormat.PlainText)
        self.claim_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The heading is one line where the width allows (what happened, then who), so the
        # card keeps its height for the buttons and the numbers.
        titles_box = QWidget()
        titles_box.setSizePolicy(flow_policy())
        titles = FlowLayout(titles_box, spacing=12)
        titles.addWidget(self.title_label)
        titles.addWidget(self.who_label)
        self.collapse_button = QPushButton("Collapse ▴")
        self.collapse_button.setObjectName("alertFold")
        self.collapse_button.setToolTip("Fold this alert to one line (it stays on the board)")
        self.collapse_button.clicked.connect(lambda: self.expand_requested.emit(False))
        header = QHBoxLayout()
        header.setSpacing(10)
        header.addWidget(self.icon_label, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(titles_box, 1)
        header.addWidget(self.time_label, 0, Qt.AlignmentFlag.AlignTop)
        header.addWidget(self.collapse_button, 0, Qt.AlignmentFlag.AlignTop)

        self.instruction_label = QLabel()
        self.instruction_label.setObjectName("alertInstruction")
        self.instruction_label.setWordWrap(True)
        self.instruction_label.setTextFormat(Qt.TextFormat.PlainText)
        self.instruction_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.numbers_label = QLabel()
        self.numbers_label.setObjectName("alertNumbers")
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
        body.addWidget(self.numbers_label)
        body.addWidget(self.end_of_day_box, 1)

        self.claim_button = QPushButton("Claim: I am dealing with this")
        self.claim_button.setObjectName("claimButton")
        self.claim_button.clicked.connect(lambda: self._emit(CardCommand.CLAIM))
        self.buttons: dict[CardCommand, QPushButton] = {}
        button_box = QWidget()
        button_box.setSizePolicy(flow_policy())
        self.button_flow = FlowLayout(button_box, spacing=5)
        self.button_flow.addWidget(self.claim_label)  # NOT CLAIMED, then the claim button
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
        self.more_button = QPushButton("More")
        self.more_button.setObjectName("alertMore")
        self.more_button.setToolTip("The other outcomes of this stage")
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

        self.full_box = QWidget()
        full = QVBoxLayout(self.full_box)
        full.setContentsMargins(0, 0, 0, 0)
        full.setSpacing(5)
        # The claim and the outcomes come straight under the heading: when the prompts have
        # less room than this card needs, what is cut off is the reading, not the buttons.
        full.addLayout(header)
        full.addWidget(button_box)
        full.addWidget(self.input_box)
        full.addWidget(self.error_label)
        full.addLayout(body)

        self.compact_bar = self._build_compact_bar()
        self.compact_bar.hide()
        self.compact = False
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 8, 12, 8)
        self.layout_.setSpacing(0)
        self.layout_.addWidget(self.compact_bar)
        self.layout_.addWidget(self.full_box)
        self._icon_name = "end-of-day"
        self._signature: object = None

    def _build_compact_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("alertCompact")
        self.compact_icon = QLabel()
        self.compact_icon.setFixedSize(QSize(20, 20))
        self.compact_stage = QLabel()
        self.compact_stage.setObjectName("alertCompactStage")
        self.compact_stage.setTextFormat(Qt.TextFormat.PlainText)
        self.compact_who = ElidedLabel()
        self.compact_who.setObjectName("alertCompactWho")
        self.compact_time = QLabel()
        self.compact_time.setObjectName("alertTime")
        self.compact_time.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.compact_claim = QLabel()
        self.compact_claim.setObjectName("alertClaim")
        self.compact_claim.setTextFormat(Qt.TextFormat.PlainText)
        self.expand_button = QPushButton("Expand ▾")
        self.expand_button.setObjectName("alertFold")
        self.expand_button.setToolTip(
            "Show the whole alert: what to do now, the numbers to call and the outcome buttons"
        )
        self.expand_button.clicked.connect(lambda: self.expand_requested.emit(True))
        row = QHBoxLayout(bar)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addWidget(self.compact_icon)
        row.addWidget(self.compact_stage)
        row.addWidget(self.compact_who, 1)
        row.addWidget(self.compact_time)
        row.addWidget(self.compact_claim)
        row.addWidget(self.expand_button)
        return bar

    def set_compact(self, compact: bool) -> None:
        """Fold the card to its one line, or show it whole. A folded card keeps the keyboard
        focus on its line (the Expand button) if the focus was inside it."""
        if compact == self.compact:
            return
        focus = QApplication.focusWidget()
        had_focus = focus is not None and self.isAncestorOf(focus)
        self.compact = compact
        if compact:
            self.close_input()
        self.compact_bar.setVisible(compact)
        self.full_box.setVisible(not compact)
        self.layout_.setContentsMargins(*((10, 4, 10, 4) if compact else (12, 8, 12, 8)))
        if had_focus:
            target = self.expand_button if compact else self.first_control()
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_control(self) -> QWidget:
        """Where the keyboard lands when the card opens: the claim, else the first outcome."""
        if not self.claim_button.isHidden():
            return self.claim_button
        for button in self.buttons.values():
            if not button.isHidden():
                return button
        return self.collapse_button

    # -- updating ------------------------------------------------------------------------------

    @property
    def visit_id(self) -> int:
        return self.alert.visit_id

    @property
    def shown(self) -> object:
        """What decides the card's height: its words, numbers and buttons (not its clock)."""
        return (
            self.title_label.text(),
            self.who_label.text(),
            self.instruction_label.text(),
            self.numbers,
            tuple(command for command, button in self.buttons.items() if not button.isHidden()),
            self.claim_button.isHidden(),
            self.more_button.isHidden(),
            self.claim_label.text(),
            tuple(self._end_of_day_rows),
        )

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
        set_style_properties(self, level=style_level, drill=level == "drill")
        if alert.kind is AlertKind.END_OF_DAY:
            self._update_end_of_day(alert, names or {})
        elif row is not None:
            self._update_visit(alert, row, now)
        self._update_buttons(alert)
        self._update_compact(alert)
        self.setAccessibleName(self.title_label.text())

    def _update_compact(self, alert: Alert) -> None:
        """The one-line form: the same facts as the card's heading, in the same words."""
        words = _compact_words(alert)
        if alert.row is not None:
            who = alert.row.names
        else:
            count = len(alert.visit_ids)
            who = "1 colleague to confirm" if count == 1 else f"{count} colleagues to confirm"
        self._set_text(self.compact_stage, words)
        self.compact_who.setText(who)
        self.compact_who.setToolTip(who)
        self.compact_icon.setPixmap(icon(self._icon_name).pixmap(QSize(20, 20)))
        self.compact_icon.setAccessibleName(words)
        entry = alert.row.entry if alert.row is not None else None
        if alert.needs_claim:
            claim = "NOT CLAIMED"
        elif alert.kind.claimable and entry is not None and entry.claimed_by is not None:
            when = entry.claimed_at
            claim = f"Claimed: {entry.claimed_by}"
            if when is not None:
                claim += f" {format_school_time(when, '%H:%M')}"
        else:
            claim = self.claim_label.text()
        self._set_text(self.compact_claim, claim)
        set_style_properties(self.compact_claim, unclaimed=alert.needs_claim)
        self.expand_button.setAccessibleName(f"Expand the alert: {words}, {who}")
        self.collapse_button.setAccessibleName(f"Collapse the alert: {words}, {who}")
        self.compact_bar.setAccessibleName(f"{words}: {who}. {claim}")

    def _update_visit(self, alert: Alert, row: BoardRow, now: datetime) -> None:
        entry, state = row.entry, row.state
        title, icon_name = alert_heading(alert, row)
        if entry.is_drill:
            title = f"DRILL: {title}"
        self._set_text(self.title_label, title)
        self.icon_label.setPixmap(icon(icon_name).pixmap(QSize(28, 28)))
        self.icon_label.setAccessibleName(title)
        self._icon_name = icon_name
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
        set_style_properties(self.claim_label, unclaimed=unclaimed)

    def _update_end_of_day(self, alert: Alert, names: dict[int, str]) -> None:
        self._set_text(self.title_label, "End of day: still out or not confirmed home safe")
        self.icon_label.setPixmap(icon("end-of-day").pixmap(QSize(28, 28)))
        self._icon_name = "end-of-day"
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
            set_style_properties(button, outstanding=command in due)
        self.more_button.setVisible(bool(secondary))
        if self._asking is not None and self._asking not in wanted:
            self.close_input()

    def press(self, command: CardCommand) -> None:
        """Press an outcome as the office would (a button, or the More menu's entry), opening
        the card first if it is folded."""
        if self.compact:
            self.expand_requested.emit(True)
        if self.buttons[command].isVisibleTo(self.full_box):
            self.buttons[command].click()
        elif self.more_actions[command].isVisible():
            self.more_actions[command].trigger()
        else:
            raise LookupError(f"{command} is not offered on this card now")

    def tick(self, now: datetime) -> None:
        """Move the card's clock on ("check-in call overdue by 07:12")."""
        row = self.alert.row
        if row is not None and self.alert.kind in (AlertKind.ESCALATION, AlertKind.NOT_SIGNED_OUT):
            line = _time_line(row.state, now)
            self._set_text(self.time_label, line)
            # The one-line form says how late without naming the call ("Overdue by 45:00").
            _call, found, late = line.rpartition(" overdue by ")
            self._set_text(self.compact_time, f"Overdue by {late}" if found else line)

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
        if self.compact:
            self.expand_requested.emit(True)

    @property
    def holds_input(self) -> bool:
        """Something typed or said in the card that folding would hide (a question, an error)."""
        return self._asking is not None or not self.error_label.isHidden()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()


class AlertPanel(QFrame):
    """Every prompt, most urgent first, in one column; hidden when nothing needs action.

    It scales with the number of prompts: the first `max_full` that are not claimed show as
    whole cards, every other prompt as a one-line row (a claimed prompt folds to its row), and
    any row can be opened in place. Nothing is out of sight without a count: when some prompts
    are scrolled out of view, "+4 more alerts" says so and brings the next one into view. The
    sound and the claims do not depend on any of this (the page decides them from the alerts).
    """

    requested = Signal(object)  # CardRequest, from any card
    shape_changed = Signal()
    """The height the prompts want changed (one added, gone, opened or folded)."""

    HEADING_SEEN = 24
    """A prompt counts as in view when this much of its top (its heading line) is on screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertPanel")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("alertSummary")
        self.summary_label.setWordWrap(True)
        self.cards: dict[AlertKey, AlertCard] = {}
        self.max_full = 2
        self._alerts: list[Alert] = []
        self._order: list[AlertKey] = []
        self._chosen: dict[AlertKey, tuple[str, bool]] = {}
        """An Expand or Collapse pressed by the office, for the prompt's level it was pressed
        at: a prompt that steps up shows as the defaults say again."""
        self._shape: object = None
        self.worked_on: AlertKey | None = None
        """Issue 13: the card the office last acted on stays whole (claiming it by logging a
        step does not fold it away from the keyboard) until its prompt goes."""

        self.list_host = QWidget()
        self.list_host.setObjectName("alertList")
        self.list_layout = QVBoxLayout(self.list_host)
        self.list_layout.setContentsMargins(0, 0, 0, 0)
        self.list_layout.setSpacing(6)
        self.list_layout.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("alertScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setWidget(self.list_host)
        self.scroll_area.setAccessibleName("Alerts")
        bar = self.scroll_area.verticalScrollBar()
        bar.valueChanged.connect(self._update_more)
        bar.rangeChanged.connect(self._update_more)
        self.scroll_area.viewport().installEventFilter(self)

        self.more_button = QPushButton()
        self.more_button.setObjectName("alertMoreBelow")
        self.more_button.setToolTip("Scroll the alerts to the next one out of view")
        self.more_button.clicked.connect(self.show_next_hidden)
        self.more_button.hide()
        self.hidden_keys: list[AlertKey] = []

        strip = QHBoxLayout()
        strip.setSpacing(8)
        strip.addWidget(self.summary_label, 1)
        strip.addWidget(self.more_button)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(6)
        self.layout_.addLayout(strip)
        self.layout_.addWidget(self.scroll_area, 1)
        self.hide()

    def set_alerts(
        self,
        alerts: list[Alert],
        *,
        private: bool,
        now: datetime,
        names: dict[int, str] | None = None,
    ) -> None:
        # What still needs someone first (most urgent first), then what is being dealt with:
        # the prompts shown whole are at the top, never scrolled out of view by claimed ones.
        alerts = [a for a in alerts if not a.acknowledged] + [a for a in alerts if a.acknowledged]
        order = [a.key for a in alerts]
        for key in list(self.cards):
            if key not in order:
                card = self.cards.pop(key)
                self.list_layout.removeWidget(card)
                card.hide()
                card.deleteLater()
                self._chosen.pop(key, None)
        for alert in alerts:
            found = self.cards.get(alert.key)
            if found is None:
                found = AlertCard(alert, self.list_host)
                found.requested.connect(lambda r, key=alert.key: self._worked(key, r))
                found.requested.connect(self.requested.emit)
                found.expand_requested.connect(
                    lambda expand, key=alert.key: self.expand(key, expand)
                )
                self.cards[alert.key] = found
            found.update_alert(alert, private=private, now=now, names=names)
        self._alerts = list(alerts)
        if order != self._order:
            self._order = order
            for key in order:
                self.list_layout.removeWidget(self.cards[key])
            for position, key in enumerate(order):
                self.list_layout.insertWidget(position, self.cards[key])
        unclaimed = sum(1 for a in alerts if a.needs_claim)
        self._update_summary(len(alerts), unclaimed)
        self.setVisible(bool(alerts))
        self._apply_folding()

    def _apply_folding(self) -> None:
        """Whole cards for the first `max_full` prompts not yet claimed, one line for the rest,
        unless the office chose otherwise at this level or a card holds a question or an
        error."""
        wanted = [a.key for a in self._alerts if not a.acknowledged][: self.max_full]
        if self.worked_on in self.cards:
            wanted.append(self.worked_on)
        for alert in self._alerts:
            card = self.cards[alert.key]
            chosen = self._chosen.get(alert.key)
            if chosen is not None and chosen[0] != alert.level:
                del self._chosen[alert.key]
                chosen = None
            full = chosen[1] if chosen is not None else alert.key in wanted
            card.set_compact(not (full or card.holds_input))
        self._align_rows()
        # What changes the prompts' heights: which are folded, and what each card shows.
        shape = tuple((key, self.cards[key].compact, self.cards[key].shown) for key in self._order)
        if self.isVisible():
            self.list_layout.activate()
        self._update_more()
        if shape != self._shape:
            self._shape = shape
            self.shape_changed.emit()

    def _align_rows(self) -> None:
        """The one-line rows' stage words and times in columns, so they read as a list."""
        compact = [c for c in self.cards.values() if c.compact]
        for attribute in ("compact_stage", "compact_time"):
            labels: list[QLabel] = [getattr(c, attribute) for c in compact]
            width = max((label.sizeHint().width() for label in labels), default=0)
            for label in labels:
                label.setMinimumWidth(width)

    def set_max_full(self, count: int) -> None:
        """How many prompts may show whole by default (the page says, from its height)."""
        if count != self.max_full:
            self.max_full = count
            self._apply_folding()

    def fit_full_cards(self, room: int, width: int, most: int = 2) -> None:
        """Show up to `most` cards whole by default, fewer if they would not fit in `room`."""
        for count in range(most, 0, -1):
            self.set_max_full(count)
            if self.wanted_height(width) <= room:
                return

    def _worked(self, key: AlertKey, request: CardRequest) -> None:
        """A step logged on a card keeps it whole; a bare claim folds it as before."""
        if request.command is not CardCommand.CLAIM:
            self.worked_on = key

    def expand(self, key: AlertKey, expand: bool) -> None:
        """Open a prompt's whole card in place, or fold it to its line (the office's choice
        for this level of the prompt). Opening moves the keyboard into the card."""
        card = self.cards.get(key)
        if card is None:
            return
        if not expand:
            card.close_input()
            card.clear_error()
        self._chosen[key] = (card.alert.level, expand)
        self._apply_folding()  # the keyboard follows (`AlertCard.set_compact`)
        if expand:
            self.scroll_area.ensureWidgetVisible(card, 0, 0)

    def tick(self, now: datetime) -> None:
        """Move the clocks of the cards on screen (the others catch up when scrolled to)."""
        for card in self.cards.values():
            if not card.visibleRegion().isEmpty():
                card.tick(now)

    def card(self, kind: AlertKind, visit_id: int) -> AlertCard | None:
        return self.cards.get((kind, visit_id))

    # -- what is out of view -------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self._update_more()
        return False

    def _in_view(self, card: AlertCard) -> bool:
        top = self.scroll_area.verticalScrollBar().value()
        bottom = top + self.scroll_area.viewport().height()
        seen = min(card.height(), self.HEADING_SEEN)
        return card.y() >= top - 1 and card.y() + seen <= bottom + 1

    def _update_more(self) -> None:
        """Count the prompts out of view, and say so ("+4 more alerts (2 not claimed)")."""
        if not self._alerts or self.scroll_area.viewport().height() <= 0:
            self.hidden_keys = []
            self.more_button.hide()
            return
        by_key = {a.key: a for a in self._alerts}
        self.hidden_keys = [k for k in self._order if not self._in_view(self.cards[k])]
        count = len(self.hidden_keys)
        if not count:
            self.more_button.hide()
            return
        unclaimed = sum(1 for k in self.hidden_keys if by_key[k].needs_claim)
        text = "+1 more alert" if count == 1 else f"+{count} more alerts"
        if unclaimed:
            text += f" ({unclaimed} not claimed)"
        text += ": show ▾"
        if self.more_button.text() != text:
            self.more_button.setText(text)
            self.more_button.setAccessibleName(f"{text[:-2]} the next one")
        set_style_properties(self.more_button, unclaimed=unclaimed > 0)
        self.more_button.show()

    def show_next_hidden(self) -> None:
        """Bring the next prompt out of view into view: the first below the view, or once
        the end is reached, the first above it (so pressing again walks through them all)."""
        if not self.hidden_keys:
            return
        bar = self.scroll_area.verticalScrollBar()
        below = [k for k in self.hidden_keys if self.cards[k].y() >= bar.value()]
        card = self.cards[(below or self.hidden_keys)[0]]
        height = self.scroll_area.viewport().height()
        if card.y() < bar.value():
            bar.setValue(card.y())
        else:
            bar.setValue(min(card.y(), card.y() + card.height() - height))
        target = card.expand_button if card.compact else card.first_control()
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- words and sizes -----------------------------------------------------------------------

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
        set_style_properties(self.summary_label, unclaimed=unclaimed > 0)

    # The sizes below are for a panel `width` wide (the page asks while the window is being
    # resized, before the panel itself has its new width).

    def wanted_height(self, width: int) -> int:
        """The height that shows every prompt whole."""
        heights = self._card_heights(width)
        spacing = self.list_layout.spacing() * max(0, len(heights) - 1)
        return self._above_list(width) + sum(heights) + spacing

    def first_card_height(self, width: int) -> int:
        """The height that shows the most urgent prompt whole (its card, or its line)."""
        heights = self._card_heights(width)
        return self._above_list(width) + heights[0] if heights else 0

    def snapped_height(self, limit: int, width: int) -> int:
        """The tallest height up to `limit` that ends between two prompts rather than across
        one (but never less than the first prompt's, or `limit` if that is less)."""
        bottom = end = self._above_list(width)
        for height in self._card_heights(width):
            if end + height > limit:
                break
            bottom = end + height
            end = bottom + self.list_layout.spacing()
        return max(bottom, min(limit, self.first_card_height(width)))

    def least_height(self, width: int) -> int:
        """The height below which the panel would not show even its first prompt's heading."""
        heights = self._card_heights(width)
        return self._above_list(width) + min(heights[0] if heights else 0, 60)

    def _card_heights(self, width: int) -> list[int]:
        """Each prompt's height as folded now (a card or a line), beside a scroll bar."""
        inner = width - self.scroll_area.verticalScrollBar().sizeHint().width()
        heights = []
        for key in self._order:
            card = self.cards[key]
            height = card.heightForWidth(inner) if card.hasHeightForWidth() else -1
            heights.append(height if height > 0 else card.sizeHint().height())
        return heights

    def _above_list(self, width: int) -> int:
        """The strip's height (the summary, or the "+4 more" button if taller), and the gap."""
        label_width = max(width - self.more_button.sizeHint().width() - 8, 200)
        label = self.summary_label.heightForWidth(label_width)
        return max(label, self.more_button.sizeHint().height()) + self.layout_.spacing()
