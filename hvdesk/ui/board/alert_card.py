"""One alert card: what happened, what to do now, whom to call, and the outcome buttons.

Several colleagues can be overdue at once, so every prompt gets its own card (never a modal
dialog) and the board stays usable underneath. Inputs a button needs open inline
(`CardQuestion`); errors from the services show inline too. Folded, the card is one line
(`AlertLine`); the panel (`hvdesk.ui.board.alert_panel`) decides which cards are folded.
The clocks are `ClockLabel`s: a second passing repaints them and lays nothing out.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from hvdesk.clock import format_school_time
from hvdesk.domain.escalation import EscalationStage
from hvdesk.domain.visits import EscalationAction
from hvdesk.services.board_alerts import Alert, AlertKind
from hvdesk.services.board_rows import BoardRow, look
from hvdesk.ui.board.alert_line import AlertLine
from hvdesk.ui.board.alert_words import (
    ALWAYS_SHOWN,
    ASKS,
    BUTTON_TEXT,
    OUTSTANDING,
    CardCommand,
    CardRequest,
    alert_heading,
    buttons_for,
    card_signature,
    numbers_html,
    numbers_text,
    numbers_to_call,
    time_line,
)
from hvdesk.ui.board.card_question import CardQuestion
from hvdesk.ui.board.clock_label import ClockLabel
from hvdesk.ui.board.elided_label import set_text
from hvdesk.ui.board.end_of_day_list import EndOfDayList
from hvdesk.ui.flow_layout import FlowLayout, flow_policy
from hvdesk.ui.icons import icon
from hvdesk.ui.restyle import set_style_properties


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

        self.icon_label = QLabel()
        self.icon_label.setFixedSize(QSize(28, 28))
        self.title_label = QLabel()
        self.title_label.setObjectName("alertTitle")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.who_label = QLabel()
        self.who_label.setObjectName("alertWho")
        self.who_label.setTextFormat(Qt.TextFormat.PlainText)
        self.time_label = ClockLabel()
        self.time_label.setObjectName("alertTime")
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
        self.end_of_day_box = EndOfDayList()
        self.end_of_day_box.show_requested.connect(
            lambda v: self.requested.emit(CardRequest(v, CardCommand.SHOW))
        )
        self._end_of_day_rows = self.end_of_day_box.rows
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

        self.question = CardQuestion()
        self.question.answered.connect(self._emit)
        self.question.unanswered.connect(self.show_error)
        self.input_box = self.question
        self.input_text, self.input_minutes = self.question.text, self.question.minutes
        self.input_note, self.input_record = self.question.note, self.question.record

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

        self.compact_bar = AlertLine()
        self.compact_bar.expand_requested.connect(lambda: self.expand_requested.emit(True))
        self.compact_bar.hide()
        line = self.compact_bar
        self.compact_stage, self.compact_who, self.compact_time = line.stage, line.who, line.time
        self.compact_claim, self.expand_button = line.claim, line.expand_button
        self.compact = False
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(12, 8, 12, 8)
        self.layout_.setSpacing(0)
        self.layout_.addWidget(self.compact_bar)
        self.layout_.addWidget(self.full_box)
        self._icon_name = "end-of-day"
        self._shown_as: object = None

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
            tuple(self.end_of_day_box.rows),
        )

    def update_alert(
        self, alert: Alert, *, private: bool, now: datetime, names: dict[int, str] | None = None
    ) -> None:
        """Show the alert as it stands now; what is being typed inline is kept. Nothing is
        redone when nothing it shows has changed (the countdown moves in `tick`)."""
        signature = card_signature(alert, private, names)
        self.alert = alert
        if signature == self._shown_as:
            self.tick(now)
            return
        self._shown_as = signature
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
        said = self.compact_bar.show_alert(alert, self._icon_name, self.claim_label.text())
        self.collapse_button.setAccessibleName(f"Collapse the alert: {said}")

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
            lines = numbers_to_call(row, stage)
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
        self.end_of_day_box.set_visits(list(alert.visit_ids), names)

    def _update_buttons(self, alert: Alert) -> None:
        """What the policy asks for now (and the always-needed ones) as buttons; the other
        outcomes of the stage under "More outcomes"."""
        wanted = buttons_for(alert)
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
        due = {c for c, action in OUTSTANDING.items() if action in outstanding}
        if awaiting_only:
            due.add(CardCommand.RESOLVE)
        primary = [c for c in wanted if c in ALWAYS_SHOWN or c in due]
        secondary = [c for c in wanted if c not in primary]
        for command, button in self.buttons.items():
            button.setVisible(command in primary)
            self.more_actions[command].setVisible(command in secondary)
            set_style_properties(button, outstanding=command in due)
        self.more_button.setVisible(bool(secondary))
        if self.question.asking is not None and self.question.asking not in wanted:
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
            line = time_line(row.state, now)
            self._set_text(self.time_label, line)
            # The one-line form says how late without naming the call ("Overdue by 45:00").
            _call, found, late = line.rpartition(" overdue by ")
            self._set_text(self.compact_time, f"Overdue by {late}" if found else line)

    _set_text = staticmethod(set_text)

    # -- acting --------------------------------------------------------------------------------

    def _pressed(self, command: CardCommand) -> None:
        ask = ASKS.get(command)
        if ask is None:
            self._emit(command)
            return
        suggestion = None
        if command is CardCommand.SUPERVISOR_INFORMED and self.alert.row is not None:
            supervisors = [v.supervisor_name for v in self.alert.row.entry.visitors]
            suggestion = None if self.private else next((s for s in supervisors if s), None)
        self.question.ask(command, suggestion)

    def _emit(
        self, command: CardCommand, text: str | None = None, minutes: int | None = None
    ) -> None:
        self.clear_error()
        self.requested.emit(
            CardRequest(self.alert.visit_id, command, text, minutes, self.alert.kind)
        )

    def close_input(self) -> None:
        self.question.close_question()

    @property
    def asking(self) -> CardCommand | None:
        return self.question.asking

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        if self.compact:
            self.expand_requested.emit(True)

    @property
    def holds_input(self) -> bool:
        """Something typed or said in the card that folding would hide (a question, an error)."""
        return self.question.asking is not None or not self.error_label.isHidden()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()
