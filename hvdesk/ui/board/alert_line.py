"""An alert folded to one line: icon, stage words, staff, how late, who claimed it (or NOT
CLAIMED), and an Expand button. The card shows it instead of its whole self when folded."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from hvdesk.clock import format_school_time
from hvdesk.services.board_alerts import Alert
from hvdesk.ui.board.alert_words import compact_words
from hvdesk.ui.board.clock_label import ClockLabel
from hvdesk.ui.board.elided_label import ElidedLabel, set_text
from hvdesk.ui.icons import icon
from hvdesk.ui.restyle import set_style_properties


class AlertLine(QWidget):
    """The one-line form of an alert card."""

    expand_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alertCompact")
        self.icon = QLabel()
        self.icon.setFixedSize(QSize(20, 20))
        self.stage = QLabel()
        self.stage.setObjectName("alertCompactStage")
        self.stage.setTextFormat(Qt.TextFormat.PlainText)
        self.who = ElidedLabel()
        self.who.setObjectName("alertCompactWho")
        self.time = ClockLabel()
        self.time.setObjectName("alertTime")
        self.claim = QLabel()
        self.claim.setObjectName("alertClaim")
        self.claim.setTextFormat(Qt.TextFormat.PlainText)
        self.expand_button = QPushButton("Expand ▾")
        self.expand_button.setObjectName("alertFold")
        self.expand_button.setToolTip(
            "Show the whole alert: what to do now, the numbers to call and the outcome buttons"
        )
        self.expand_button.clicked.connect(self.expand_requested.emit)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(10)
        row.addWidget(self.icon)
        row.addWidget(self.stage)
        row.addWidget(self.who, 1)
        row.addWidget(self.time)
        row.addWidget(self.claim)
        row.addWidget(self.expand_button)

    def show_alert(self, alert: Alert, icon_name: str, card_claim: str) -> str:
        """The same facts as the card's heading, in the same words; returns the line's words
        and staff for the card's accessible names."""
        words = compact_words(alert)
        if alert.row is not None:
            who = alert.row.names
        else:
            count = len(alert.visit_ids)
            who = "1 colleague to confirm" if count == 1 else f"{count} colleagues to confirm"
        set_text(self.stage, words)
        self.who.setText(who)
        self.who.setToolTip(who)
        self.icon.setPixmap(icon(icon_name).pixmap(QSize(20, 20)))
        self.icon.setAccessibleName(words)
        entry = alert.row.entry if alert.row is not None else None
        if alert.needs_claim:
            claim = "NOT CLAIMED"
        elif alert.kind.claimable and entry is not None and entry.claimed_by is not None:
            when = entry.claimed_at
            claim = f"Claimed: {entry.claimed_by}"
            if when is not None:
                claim += f" {format_school_time(when, '%H:%M')}"
        else:
            claim = card_claim
        set_text(self.claim, claim)
        set_style_properties(self.claim, unclaimed=alert.needs_claim)
        self.expand_button.setAccessibleName(f"Expand the alert: {words}, {who}")
        self.setAccessibleName(f"{words}: {who}. {claim}")
        return f"{words}, {who}"
