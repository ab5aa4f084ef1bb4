"""The one place the window knows who is signed in; pages listen rather than ask around.

No one signed in means privacy mode: the board shows only names, countdowns and stages, since it
may face a public reception hatch.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from hvdesk.services import audit
from hvdesk.services.identity import SignedInUser


class CurrentUser(QObject):
    """Holds the signed-in user (or None) and announces each change."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._user: SignedInUser | None = None

    @property
    def user(self) -> SignedInUser | None:
        return self._user

    @property
    def is_signed_in(self) -> bool:
        return self._user is not None

    def sign_in(self, user: SignedInUser) -> None:
        self._user = user
        audit.set_signed_in(user)  # writes that name nobody are the signed-in user's
        self.changed.emit()

    def sign_out(self) -> None:
        if self._user is not None:
            self._user = None
            audit.set_signed_in(None)
            self.changed.emit()
