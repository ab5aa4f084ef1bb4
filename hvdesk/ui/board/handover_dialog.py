"""Who is monitoring the board, and handing over to a colleague in one logged action.

Shown as a strip at the top of the board ("Monitoring: Ann Lee since 09:02"). "Hand over…"
opens the colleague picker inline in the strip (no modal dialog); one press records the
handover through `Monitoring.hand_over`, which ends one shift and starts the next at the same
instant.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from hvdesk.clock import format_school_time
from hvdesk.services.accounts import HandoverUser
from hvdesk.services.monitoring import MonitorShift
from hvdesk.ui.restyle import set_style_properties


class MonitoringStrip(QFrame):
    """The monitoring line, with Start monitoring / Hand over…"""

    start_requested = Signal()
    hand_over_requested = Signal(int)  # the colleague's user id

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monitoringStrip")
        self.label = QLabel()
        self.label.setObjectName("monitoringLabel")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.start_button = QPushButton("Start &monitoring")
        self.hand_over_button = QPushButton("&Hand over…")
        self.colleagues = QComboBox()
        self.colleagues.setAccessibleName("Colleague taking over the board")
        self.colleagues_label = QLabel("Hand over to:")
        self.colleagues_label.setBuddy(self.colleagues)
        self.confirm_button = QPushButton("Hand over now")
        self.back_button = QPushButton("Back")
        self.back_button.setAccessibleName("Close the handover without recording")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.label)
        layout.addWidget(self.start_button)
        layout.addWidget(self.hand_over_button)
        layout.addWidget(self.colleagues_label)
        layout.addWidget(self.colleagues)
        layout.addWidget(self.confirm_button)
        layout.addWidget(self.back_button)
        self.start_button.clicked.connect(self.start_requested.emit)
        self.hand_over_button.clicked.connect(self._open_picker)
        self.confirm_button.clicked.connect(self._confirm)
        self.back_button.clicked.connect(self.close_picker)
        self.shift: MonitorShift | None = None
        self.me: int | None = None
        self.close_picker()
        self.set_shift(None, None)

    def set_shift(self, shift: MonitorShift | None, me: int | None) -> None:
        """Show who is monitoring; `me` is the signed-in user's id (None: nobody signed in)."""
        self.shift, self.me = shift, me
        if shift is None:
            text = "Nobody is monitoring the board."
        else:
            since = format_school_time(shift.since, "%H:%M")
            text = f"Monitoring: {shift.display_name} since {since}"
        if self.label.text() != text:
            self.label.setText(text)
        set_style_properties(self.label, nobody=shift is None)
        mine = shift is not None and me is not None and shift.user_id == me
        self.start_button.setVisible(not mine)
        self.start_button.setText("Start &monitoring" if shift is None else "&Take over monitoring")
        self.hand_over_button.setVisible(mine)
        if not mine and self.picker_open:
            self.close_picker()

    def set_colleagues(self, users: Sequence[HandoverUser]) -> None:
        self.colleagues.clear()
        for user in users:
            if user.user_id == self.me:
                continue
            self.colleagues.addItem(f"{user.display_name} ({user.role.label})", user.user_id)

    @property
    def picker_open(self) -> bool:
        return not self.colleagues.isHidden()

    def _open_picker(self) -> None:
        for widget in self._picker_widgets():
            widget.show()
        self.hand_over_button.hide()
        self.colleagues.setFocus(Qt.FocusReason.OtherFocusReason)

    def close_picker(self) -> None:
        for widget in self._picker_widgets():
            widget.hide()
        mine = self.shift is not None and self.me is not None and self.shift.user_id == self.me
        self.hand_over_button.setVisible(mine)

    def _picker_widgets(self) -> tuple[QWidget, ...]:
        return (self.colleagues_label, self.colleagues, self.confirm_button, self.back_button)

    def _confirm(self) -> None:
        user_id = self.colleagues.currentData()
        if user_id is not None:
            self.hand_over_requested.emit(int(user_id))
