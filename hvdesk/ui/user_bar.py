"""Who is signed in, or privacy mode, at the right of the menu bar: always in view, and the
status bar below has no room left at 1280 pixels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from hvdesk.services.identity import SignedInUser
from hvdesk.ui.restyle import set_style_properties

PRIVACY_TEXT = "Privacy mode: names, countdowns and stages only"


class UserBar(QWidget):
    """The signed-in user (or privacy mode) and the buttons to sign in, switch or sign out;
    each button triggers the window's action of the same name."""

    def __init__(
        self, sign_in: QAction, switch_user: QAction, sign_out: QAction, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("userBar")
        self.user_label = QLabel()
        self.user_label.setObjectName("userLabel")
        self.user_label.setTextFormat(Qt.TextFormat.PlainText)
        self.user_label.setAccessibleName("Who is signed in")
        self.sign_in_button = _button("Sign in", sign_in)
        self.switch_user_button = _button("Switch user", switch_user)
        self.sign_out_button = _button("Sign out", sign_out)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 8, 2)
        layout.setSpacing(6)
        layout.addWidget(self.user_label)
        for button in (self.sign_in_button, self.switch_user_button, self.sign_out_button):
            layout.addWidget(button)

    def show_user(self, user: SignedInUser | None, idle_lock_minutes: int) -> None:
        """Say who is at the desk, and show only the buttons that make sense now."""
        signed_in = user is not None
        if user is None:
            self.user_label.setText(PRIVACY_TEXT)
            self.user_label.setToolTip(
                "No one is signed in, so hvdesk shows nothing a visitor at the hatch should not "
                "see: no addresses or pupil names. Sign in (Ctrl+L) to see them."
            )
        else:
            self.user_label.setText(f"Signed in: {user.display_name} ({user.role.label})")
            self.user_label.setToolTip(
                f"hvdesk signs out after {idle_lock_minutes} minutes without use."
                if idle_lock_minutes
                else ""
            )
        set_style_properties(self.user_label, privacy=not signed_in)
        self.sign_in_button.setVisible(not signed_in)
        self.switch_user_button.setVisible(signed_in)
        self.sign_out_button.setVisible(signed_in)


def _button(text: str, action: QAction) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName("userButton")
    button.setAutoDefault(False)
    button.setToolTip(action.text().replace("&", "").rstrip("…"))
    button.clicked.connect(action.trigger)
    return button
