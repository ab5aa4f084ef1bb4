"""Making a prompt impossible to miss: the sound (repeating while any alert is unclaimed), the
window brought forward, and a tray message when it is minimised (never the only channel)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QApplication, QWidget

from hvdesk.clock import Clock
from hvdesk.services.board_alerts import Alert, AlertKey
from hvdesk.ui.board.alert_sound import AlertSounder, SoundSink
from hvdesk.ui.board.alert_words import alert_heading
from hvdesk.ui.board.tray import Notifier


class AlertNotice:
    """Sounds and brings the window forward for new or stepped-up prompts."""

    def __init__(self, sound: SoundSink, notifier: Notifier, clock: Clock) -> None:
        self.sound = sound
        self.sounder = AlertSounder(sound, clock)
        self.notifier = notifier
        self._seen: dict[AlertKey, int] = {}

    def update(self, alerts: Sequence[Alert]) -> list[Alert]:
        """Take the board's prompts now; the ones new or stepped up since the last call (it
        chimes for those, and keeps repeating while any is unclaimed)."""
        raised = [a for a in alerts if a.rank > self._seen.get(a.key, -1)]
        self._seen = {a.key: a.rank for a in alerts}
        self.sound_for(alerts, ping=bool(raised))
        return raised

    def sound_for(self, alerts: Sequence[Alert], *, ping: bool = False) -> None:
        """Repeat while any alert is unclaimed; chime once for any prompt raised or stepped up
        (one that cannot be claimed chimes once and then stays on screen)."""
        self.sounder.update([a.sound_key for a in alerts if a.needs_claim], ping=ping)

    def bring_forward(self, window: QWidget, raised: Sequence[Alert]) -> str:
        """Raise the window for the first of `raised`; what it is about, in words."""
        what = alert_words(raised[0])
        if window.isMinimized():
            self.notifier.notify("hvdesk: action needed on the board", what)
            window.showNormal()
        window.raise_()
        window.activateWindow()
        QApplication.alert(window)
        return what


def alert_words(alert: Alert) -> str:
    """A prompt in one line: "Dawn Reid: Stage 1: call staff"."""
    if alert.row is None:
        return "End of day: colleagues still out or not confirmed home safe."
    text, _icon = alert_heading(alert, alert.row)
    prefix = "DRILL: " if alert.row.entry.is_drill else ""
    return f"{prefix}{alert.row.names}: {text}"
